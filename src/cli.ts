#!/usr/bin/env node
/**
 * `settle` — the one CLI. Each command lives in `src/cli/<name>.ts`; `src/cli/commands.ts` lists
 * them, and only the command being run is imported (start-up cost is that command's, not all).
 * User mistakes end as one clear line on stderr and a non-zero exit, never a stack trace.
 */
import { Command, CommanderError } from 'commander';
import { COMMANDS, commandNamed } from './cli/commands.js';
import { UserError, describeError } from './errors.js';

export const SETTLE_VERSION = '0.1.0';

/** The program with every command registered for real (tests, help checks). */
export async function buildProgram(): Promise<Command> {
  const program = baseProgram();
  for (const entry of COMMANDS) await entry.register(program);
  return program;
}

function baseProgram(): Command {
  return new Command('settle')
    .description(
      'Settle: investigates Coupa invoice exceptions, settles the safe ones, routes the rest with a dossier.',
    )
    .version(SETTLE_VERSION)
    .showHelpAfterError('(run with --help for usage)')
    .exitOverride();
}

/** The named command for real; every other one as a light entry the top-level help lists. */
async function programFor(args: readonly string[]): Promise<Command> {
  const program = baseProgram();
  const wanted = commandNamed(args);
  const terms = new Map(COMMANDS.map((c) => [c.name, c.term]));
  program.configureHelp({ subcommandTerm: (cmd) => terms.get(cmd.name()) ?? cmd.name() });
  for (const entry of COMMANDS) {
    if (entry === wanted) await entry.register(program);
    else program.command(entry.name).description(entry.description);
  }
  return program;
}

/** Errors from configuration and validation print as one line; their modules load only then. */
async function userFacing(error: unknown): Promise<string | undefined> {
  const [{ ZodError }, { ConfigError }, { formatIssues }] = await Promise.all([
    import('zod'),
    import('./config.js'),
    import('./issues.js'),
  ]);
  if (error instanceof ZodError) return formatIssues(error);
  if (error instanceof ConfigError) return error.message;
  return undefined;
}

async function main(argv: string[]): Promise<void> {
  try {
    await (await programFor(argv.slice(2))).parseAsync(argv);
  } catch (error) {
    if (error instanceof CommanderError) {
      process.exitCode = error.exitCode; // commander already printed help/version/usage
      return;
    }
    if (error instanceof UserError) {
      console.error(`settle: ${error.message}`);
      process.exitCode = error.exitCode;
      return;
    }
    const line = await userFacing(error);
    if (line !== undefined) {
      console.error(`settle: ${line}`);
      process.exitCode = 2;
      return;
    }
    console.error(`settle: ${describeError(error)}`);
    if (process.env.SETTLE_DEBUG) console.error(error);
    else console.error('settle: (set SETTLE_DEBUG=1 for details)');
    process.exitCode = 1;
  }
}

await main(process.argv);
