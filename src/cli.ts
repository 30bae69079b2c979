#!/usr/bin/env node
/**
 * `settle` — the one CLI. Each command lives in `src/cli/<name>.ts` and registers itself here.
 * User mistakes end as one clear line on stderr and a non-zero exit, never a stack trace.
 */
import { Command, CommanderError } from 'commander';
import { ZodError } from 'zod';
import { ConfigError } from './config.js';
import { UserError, describeError } from './errors.js';
import { registerSimCommand } from './cli/sim.js';
import { registerStartCommand } from './cli/start.js';
import { registerAuditCommand } from './cli/audit.js';
import { registerKnowledgeCommand } from './cli/knowledge.js';
import { registerWorkerCommand } from './cli/worker.js';
import { registerDigestCommand } from './cli/digest.js';
import { registerServeCommand } from './cli/serve.js';
import { mcpServeMount } from './app/serve-mcp.js';
import { reviewServeMount } from './web/serve-mount.js';
import { registerMcpCommand } from './cli/mcp.js';
import { registerSettleCommand } from './cli/settle.js';
import { registerEvalCommand } from './cli/eval.js';
import { registerIngestCommand } from './cli/ingest.js';
import { formatIssues } from './issues.js';
import { registerShadowCommand } from './cli/shadow.js';
import { registerAutonomyCommand } from './cli/autonomy.js';
import { registerQaCommand } from './cli/qa.js';

export function buildProgram(): Command {
  const program = new Command('settle')
    .description('Settle: investigates Coupa invoice exceptions, settles the safe ones, routes the rest with a dossier.')
    .version('0.1.0')
    .showHelpAfterError('(run with --help for usage)')
    .exitOverride();
  registerStartCommand(program);
  registerSettleCommand(program);
  registerSimCommand(program);
  registerAuditCommand(program);
  registerKnowledgeCommand(program);
  registerWorkerCommand(program);
  registerDigestCommand(program);
  registerServeCommand(program, [mcpServeMount, reviewServeMount]);
  registerMcpCommand(program);
  registerEvalCommand(program);
  registerIngestCommand(program);
  registerShadowCommand(program);
  registerAutonomyCommand(program);
  registerQaCommand(program);
  return program;
}

async function main(argv: string[]): Promise<void> {
  try {
    await buildProgram().parseAsync(argv);
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
    if (error instanceof ConfigError || error instanceof ZodError) {
      console.error(`settle: ${error instanceof ZodError ? formatIssues(error) : error.message}`);
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
