/**
 * The launcher's command list (src/cli/commands.ts) is what `settle --help` shows without
 * importing any command: it must match the commands as they register themselves.
 */
import { spawnSync } from 'node:child_process';
import { Command } from 'commander';
import { describe, expect, it } from 'vitest';
import { COMMANDS, commandNamed } from '../src/cli/commands.js';

describe('the command list the launcher reads', () => {
  it.each(COMMANDS.map((c) => [c.name, c]))(
    '%s: name, usage and description match the registered command',
    async (_name, entry) => {
      const program = new Command('settle');
      await entry.register(program);
      const [registered] = program.commands;
      expect(program.commands).toHaveLength(1);
      expect(registered!.name()).toBe(entry.name);
      expect(registered!.description()).toBe(entry.description);
      expect(program.createHelp().subcommandTerm(registered!)).toBe(entry.term);
    },
  );

  it('finds the command a command line names', () => {
    expect(commandNamed(['mcp', '--read-only'])?.name).toBe('mcp');
    expect(commandNamed(['help', 'eval'])?.name).toBe('eval');
    expect(commandNamed(['--help'])).toBeUndefined();
    expect(commandNamed(['nonsense'])).toBeUndefined();
  });

  it('settle --help lists every command; an unknown one is one clear line', () => {
    const help = spawnSync(process.execPath, ['--import', 'tsx', 'src/cli.ts', '--help'], { encoding: 'utf8' });
    expect(help.status).toBe(0);
    for (const c of COMMANDS) expect(help.stdout).toContain(c.term);
    const unknown = spawnSync(process.execPath, ['--import', 'tsx', 'src/cli.ts', 'nonsense'], { encoding: 'utf8' });
    expect(unknown.status).not.toBe(0);
    expect(unknown.stderr).toContain("unknown command 'nonsense'");
  }, 60_000);
});
