/**
 * `settle serve`: the webhook intake, call-out token endpoint, /healthz, /readyz and /metrics,
 * plus in-process workers, the optional poller and the daily digest schedule.
 *
 * HOOK: other surfaces (MCP over HTTP, the review page) join the same server through `mounts`:
 * `registerServeCommand(program, [mountMcp, mountReviewPage])`, each `(app, runtime) => Promise<void>`.
 */
import type { Command } from 'commander';
import type { FastifyInstance } from 'fastify';
import { loadConfig } from '../config.js';
import { UserError } from '../errors.js';
import { createAgentSettleFn } from '../app/agent-settle-fn.js';
import { computeDigest, parseSince } from '../runner/digest.js';
import { scheduleDailyDigest, sendDigest } from '../runner/digest-send.js';
import { coupaInvoiceSource, createPoller } from '../runner/poller.js';
import { startShadowWatch } from '../app/shadow-watch.js';
import { runDemotionCheck } from '../app/autonomy-check.js';
import { openRunnerRuntime, type RunnerRuntime } from '../app/runner-runtime.js';
import { createRunnerServer } from '../runner/server.js';
import { createWorkerPool } from '../runner/worker.js';
import { positiveInt, untilSignal } from './args.js';

/** Mounts more routes on the serve instance before it listens. */
export type ServeMount = (app: FastifyInstance, runtime: RunnerRuntime) => Promise<void>;

interface ServeOptions {
  port?: number;
  host: string;
  concurrency: string;
  poll?: boolean;
  pollInterval: number;
  digestCron: string;
}

export function registerServeCommand(program: Command, mounts: ServeMount[] = []): void {
  program
    .command('serve')
    .description('Serve the webhook intake and operational endpoints, with workers, poller and daily digest')
    .option('-p, --port <port>', 'port (default PORT or 8080)', positiveInt('--port'))
    .option('--host <host>', 'interface to listen on (0.0.0.0 to accept Coupa call-outs from outside)', '127.0.0.1')
    .option('-c, --concurrency <n>', 'in-process workers (0: intake only, workers run elsewhere)', '4')
    .option('--poll', 'poll Coupa for changed invoices in ap_hold / pending_receipt')
    .option('--poll-interval <seconds>', 'seconds between polls', positiveInt('--poll-interval'), 60)
    .option(
      '--digest-cron <cron>',
      'when to post the daily digest (UTC), if a Slack/Teams URL is configured',
      '0 8 * * *',
    )
    .action(async (opts: ServeOptions) => {
      const concurrency = Number(opts.concurrency);
      if (!Number.isInteger(concurrency) || concurrency < 0)
        throw new UserError(`--concurrency takes 0 or a positive integer, got "${opts.concurrency}"`);
      const config = loadConfig();
      const runtime = await openRunnerRuntime(config, { schedule: true });
      const { db, queue, metrics, logger } = runtime;
      const app = createRunnerServer({ db, queue, config, metrics, logger });
      for (const mount of mounts) await mount(app, runtime);

      const coupa = concurrency > 0 || opts.poll ? await runtime.coupa() : undefined;
      const pool =
        coupa && concurrency > 0
          ? createWorkerPool({
              queue,
              settle: createAgentSettleFn(await runtime.agent()),
              concurrency,
              metrics,
              logger,
              modelPrice: config.modelPrice,
            })
          : undefined;
      const poller =
        coupa && opts.poll ? createPoller({ db, queue, source: coupaInvoiceSource(coupa), logger }) : undefined;
      if (config.slackWebhookUrl || config.teamsWebhookUrl) {
        await scheduleDailyDigest(queue.boss, {
          cron: opts.digestCron,
          run: async () => {
            // Slices whose agreement fell below their threshold demote themselves before the digest says so.
            await runDemotionCheck({ db, controls: (await runtime.agent()).controls, now: new Date() });
            await sendDigest(await computeDigest(db, { since: parseSince('24h') }), {
              slackUrl: config.slackWebhookUrl,
              teamsUrl: config.teamsWebhookUrl,
            });
          },
        });
      }

      const address = await app.listen({ port: opts.port ?? config.port, host: opts.host });
      pool?.start();
      poller?.start(opts.pollInterval * 1000);
      const watch = poller ? startShadowWatch(await runtime.agent(), opts.pollInterval * 1000, logger) : undefined;
      process.stderr.write(
        `settle: serving ${address} (POST /webhooks/coupa, /healthz, /readyz, /metrics; ${concurrency} workers)\n`,
      );
      const signal = await untilSignal();
      process.stderr.write(`settle: ${signal} — draining\n`);
      await app.close();
      await poller?.stop();
      await watch?.stop();
      await pool?.stop();
      await runtime.close();
    });
}
