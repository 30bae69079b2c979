/**
 * `settle worker --concurrency N [--poll] [--poll-interval s]`: settle queued invoices until
 * SIGTERM/SIGINT. Start several on one Postgres (DATABASE_URL) to share the work; with `--poll`
 * this process also reads Coupa for invoices that changed (tenants without call-outs).
 */
import type { Command } from 'commander';
import { loadConfig } from '../config.js';
import { positiveInt, untilSignal } from './args.js';
import { createAgentSettleFn } from '../app/agent-settle-fn.js';
import { coupaInvoiceSource, createPoller } from '../runner/poller.js';
import { startShadowWatch } from '../app/shadow-watch.js';
import { openRunnerRuntime } from '../app/runner-runtime.js';
import { createWorkerPool } from '../runner/worker.js';

export function registerWorkerCommand(program: Command): void {
  program
    .command('worker')
    .description('Settle queued invoice exceptions; several worker processes on one Postgres share the work')
    .option('-c, --concurrency <n>', 'jobs settled at once by this process', positiveInt('--concurrency'), 4)
    .option('--poll', 'also poll Coupa for changed invoices in ap_hold / pending_receipt (tenants without call-outs)')
    .option('--poll-interval <seconds>', 'seconds between polls', positiveInt('--poll-interval'), 60)
    .action(async (opts: { concurrency: number; poll?: boolean; pollInterval: number }) => {
      const config = loadConfig();
      if (!config.databaseUrl && !opts.poll) {
        process.stderr.write(
          'settle: no DATABASE_URL — this worker has its own embedded queue; only --poll (or `settle serve`) feeds it\n',
        );
      }
      const runtime = await openRunnerRuntime(config);
      const { logger, queue, db, metrics } = runtime;
      const coupa = await runtime.coupa();
      const pool = createWorkerPool({
        queue,
        settle: createAgentSettleFn(await runtime.agent()),
        concurrency: opts.concurrency,
        metrics,
        logger,
        modelPrice: runtime.config.modelPrice,
      });
      const poller = opts.poll ? createPoller({ db, queue, source: coupaInvoiceSource(coupa), logger }) : undefined;
      pool.start();
      poller?.start(opts.pollInterval * 1000);
      const watch = opts.poll ? startShadowWatch(await runtime.agent(), opts.pollInterval * 1000, logger) : undefined;
      process.stderr.write(
        `settle: worker running (concurrency ${opts.concurrency}${poller ? `, polling every ${opts.pollInterval}s` : ''}); Ctrl-C to stop\n`,
      );
      const signal = await untilSignal();
      process.stderr.write(`settle: ${signal} — finishing jobs in hand\n`);
      await poller?.stop();
      await watch?.stop();
      await pool.stop();
      await runtime.close();
    });
}
