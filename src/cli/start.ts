/**
 * `settle start` — the main job. Until the agent exists it serves the sample company on the
 * Coupa simulator and says so; the body is meant to be replaced once the agent lands.
 */
import type { Command } from 'commander';
import { parseInvoices, parsePort, parseSeed, serveSampleCompany } from './sim-serve.js';

interface StartFlags {
  seed: number;
  invoices: number;
  port: number;
  keepRunning: boolean;
}

export function registerStartCommand(program: Command): void {
  program
    .command('start')
    .description('Run Settle on the embedded defaults (for now: the Coupa simulator with the sample company)')
    .option('--seed <n>', 'sample company seed', parseSeed, 7)
    .option('--invoices <n>', 'invoices in the sample company', parseInvoices, 2000)
    .option('--port <n>', 'simulator port (0 picks a free one)', parsePort, 4010)
    .option('--keep-running', 'stay up until Ctrl-C (default)', true)
    .option('--no-keep-running', 'print the access details and exit')
    .action(async (flags: StartFlags) => {
      process.stderr.write('settle: the agent is not built yet — serving the sample company on the Coupa simulator instead\n');
      await serveSampleCompany({ seed: flags.seed, invoices: flags.invoices, port: flags.port, host: '127.0.0.1', rateLimit: true, keepRunning: flags.keepRunning });
    });
}
