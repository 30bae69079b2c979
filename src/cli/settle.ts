/** `settle settle <invoice-id>`: run one exception through the agent and print the verdict. */
import type { Command } from 'commander';
import { openRuntime } from '../app/embedded.js';
import { settleAndRecord } from '../app/settle-and-record.js';
import { formatVerdict } from '../agent/verdict-text.js';
import { loadConfig } from '../config.js';
import { UserError } from '../errors.js';

function invoiceIdArg(value: string): number {
  if (!/^\d+$/.test(value) || Number(value) <= 0)
    throw new UserError(`invoice id must be a positive integer, got "${value}"`);
  return Number(value);
}

export function registerSettleCommand(program: Command): void {
  program
    .command('settle')
    .description('Investigate and settle one invoice exception; prints the verdict')
    .argument('<invoice-id>', 'Coupa invoice id')
    .option('--dry-run', 'force monitor mode: nothing is written to Coupa, writes become proposals')
    .option('--brain <brain>', 'planner | llm | auto (llm when a model is configured)', 'auto')
    .option('--code <exception_code>', "the event's exception_code hint")
    .option('--json', 'print the verdict as JSON')
    .action(async (id: string, opts: { dryRun?: boolean; brain: string; code?: string; json?: boolean }) => {
      const invoiceId = invoiceIdArg(id);
      if (!['planner', 'llm', 'auto'].includes(opts.brain))
        throw new UserError(`--brain takes planner, llm or auto; got "${opts.brain}"`);
      const config = loadConfig();
      const opened = await openRuntime(config, opts.dryRun ? { forceMode: 'monitor' } : {});
      try {
        const verdict = await settleAndRecord(opened.runtime, {
          invoiceId,
          brain: opts.brain as 'planner' | 'llm' | 'auto',
          ...(opts.code ? { event: { exception_code: opts.code } } : {}),
        });
        console.log(opts.json ? JSON.stringify(verdict, null, 2) : formatVerdict(verdict));
        if (verdict.outcome === 'not_actionable' || verdict.outcome === 'failed') process.exitCode = 1;
      } finally {
        await opened.close();
      }
    });
}
