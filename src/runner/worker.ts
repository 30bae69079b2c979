/**
 * The worker pool: N loops, each fetching one settle job at a time from the shared queue and
 * calling the injected SettleFn. Several processes on one Postgres share the work (pg-boss
 * fetches with SKIP LOCKED). Shutdown: stop fetching, give in-hand jobs a grace period, then
 * abort them and hand them back to the queue (failed → retried by another worker).
 */
import { modelCost, type ModelPrice } from '../domain/cost.js';
import { setMaxListeners } from 'node:events';
import { performance } from 'node:perf_hooks';
import { z } from 'zod';
import type { Logger } from 'pino';
import type { RunnerMetrics } from './metrics.js';
import type { RunnerQueue, SettleJob } from './queue.js';
import { SettleJobData, type SettleFn } from './types.js';
import { formatIssues } from '../issues.js';

const SettleOutcomeSchema = z.object({
  decision: z.string().min(1),
  exceptionType: z.string().min(1),
  executed: z.boolean(),
  cost: z
    .object({
      coupaCalls: z.number().int().min(0),
      tokensIn: z.number().int().min(0),
      tokensOut: z.number().int().min(0),
    })
    .optional(),
});

export interface WorkerPoolOptions {
  queue: Pick<RunnerQueue, 'fetch' | 'complete' | 'fail'>;
  settle: SettleFn;
  concurrency: number;
  metrics?: RunnerMetrics | undefined;
  /** Model prices per million tokens: the settled exceptions' model cost is counted in metrics. */
  modelPrice?: ModelPrice | undefined;
  logger?: Pick<Logger, 'info' | 'warn' | 'error'> | undefined;
  /** Pause after an empty fetch (default 1000 ms). */
  idleMs?: number;
  /** How long `stop()` lets in-hand jobs finish before aborting them (default 30 s). */
  shutdownGraceMs?: number;
  /** After aborting, how long to wait for handlers to return before releasing their jobs (default 5 s). */
  abortGraceMs?: number;
  /** A handler is aborted this long before its job would expire in the queue (default 10 s). */
  expiryMarginMs?: number;
}

export interface WorkerPool {
  start(): void;
  /** Resolves when every loop has ended and every in-hand job is completed or released. */
  stop(): Promise<void>;
  /** Jobs in hand right now. */
  readonly busy: number;
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted) return resolve();
    const done = (): void => {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal.addEventListener('abort', done, { once: true });
  });
}

/** True when `promise` settles within `ms`; the timer never outlives the race. */
async function within(promise: Promise<unknown>, ms: number): Promise<boolean> {
  const timeout = new AbortController();
  try {
    return await Promise.race([promise.then(() => true), sleep(ms, timeout.signal).then(() => false)]);
  } finally {
    timeout.abort();
  }
}

/** Build a pool; `start()` begins fetching. */
export function createWorkerPool(options: WorkerPoolOptions): WorkerPool {
  const { queue, settle, metrics, logger } = options;
  if (!Number.isInteger(options.concurrency) || options.concurrency < 1) {
    throw new RangeError(`concurrency must be a positive integer, got ${options.concurrency}`);
  }
  const stopFetching = new AbortController();
  const abortJobs = new AbortController();
  // Every idle loop and every job in hand listens on these: concurrency can exceed the default 10.
  setMaxListeners(0, stopFetching.signal, abortJobs.signal);
  const inHand = new Map<string, Promise<void>>();
  let loops: Promise<void>[] = [];

  async function runJob(job: SettleJob): Promise<void> {
    const data = SettleJobData.safeParse(job.data);
    if (!data.success) {
      metrics?.settleFailures.inc({ kind: 'invalid_job' });
      await queue.fail(job.id, new Error(`invalid job data: ${formatIssues(data.error, { root: 'job' })}`));
      return;
    }
    const { invoiceId, eventId } = data.data;
    const controller = new AbortController();
    // Stop before pg-boss would expire the job and hand it to another worker.
    const budgetMs = Math.max(1000, job.expireInSeconds * 1000 - (options.expiryMarginMs ?? 10_000));
    const timer = setTimeout(() => controller.abort(new Error(`settling took longer than ${budgetMs} ms`)), budgetMs);
    const onShutdown = (): void => controller.abort(new Error('worker shutting down'));
    abortJobs.signal.addEventListener('abort', onShutdown, { once: true });
    const started = performance.now();
    try {
      const outcome = SettleOutcomeSchema.parse(
        await settle(invoiceId, { eventId, attempt: job.attempt, signal: controller.signal }),
      );
      await queue.complete(job.id, { invoiceId, eventId, ...outcome });
      metrics?.settled.inc({ decision: outcome.decision, executed: String(outcome.executed) });
      if (metrics && outcome.cost) {
        metrics.settlementCoupaCalls.inc(outcome.cost.coupaCalls);
        metrics.settlementTokens.inc({ direction: 'in' }, outcome.cost.tokensIn);
        metrics.settlementTokens.inc({ direction: 'out' }, outcome.cost.tokensOut);
        // A metric, not a ledger: Prometheus counts in floats; the decimal figure is the summary's.
        if (options.modelPrice)
          metrics.settlementCost.inc(
            Number(modelCost(outcome.cost.tokensIn, outcome.cost.tokensOut, options.modelPrice)),
          );
      }
      metrics?.agentLatency.observe({ outcome: 'settled' }, (performance.now() - started) / 1000);
    } catch (error) {
      const kind = controller.signal.aborted ? 'aborted' : 'error';
      metrics?.settleFailures.inc({ kind });
      metrics?.agentLatency.observe({ outcome: kind }, (performance.now() - started) / 1000);
      logger?.warn(
        { invoiceId, eventId, attempt: job.attempt, err: error },
        'settle failed; the queue will retry or dead-letter the job',
      );
      await queue
        .fail(job.id, error)
        .catch((e: unknown) => logger?.error({ err: e, jobId: job.id }, 'could not fail job; it will expire'));
    } finally {
      clearTimeout(timer);
      abortJobs.signal.removeEventListener('abort', onShutdown);
    }
  }

  async function loop(): Promise<void> {
    while (!stopFetching.signal.aborted) {
      let job: SettleJob | null;
      try {
        job = await queue.fetch();
      } catch (error) {
        logger?.error({ err: error }, 'fetching a job failed');
        job = null;
      }
      if (!job) {
        await sleep(options.idleMs ?? 1000, stopFetching.signal);
        continue;
      }
      const running = runJob(job).catch((error: unknown) =>
        logger?.error({ err: error, jobId: job.id }, 'job handling failed'),
      );
      inHand.set(job.id, running);
      await running;
      inHand.delete(job.id);
    }
  }

  return {
    get busy() {
      return inHand.size;
    },
    start() {
      if (loops.length > 0) return;
      loops = Array.from({ length: options.concurrency }, () => loop());
    },
    async stop() {
      stopFetching.abort();
      const allLoops = Promise.all(loops);
      if (await within(allLoops, options.shutdownGraceMs ?? 30_000)) return;
      abortJobs.abort();
      if (await within(allLoops, options.abortGraceMs ?? 5_000)) return;
      // Handlers that ignore their abort signal: hand their jobs back so they do not wait for expiry.
      const stuck = [...inHand.keys()];
      await Promise.all(stuck.map((id) => queue.fail(id, new Error('released at shutdown')).catch(() => undefined)));
      logger?.warn({ jobs: stuck }, 'released jobs whose handlers did not stop');
    },
  };
}
