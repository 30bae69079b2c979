/**
 * What `settle worker`, `settle serve` and `settle digest` share: the database (migrated), the
 * queue, metrics, a logger, and a Coupa client drawing on the Postgres-backed rate limit — or,
 * without Coupa configuration, the embedded simulator with the sample company (said on stderr).
 */
import { withSampleGrirBook } from './grir-runtime.js';
import pino, { type Logger } from 'pino';
import type { Config } from '../config.js';
import type { CoupaClient } from '../coupa/client.js';
import { createRuntime, type Runtime } from './runtime.js';
import { SAMPLE_COMPANY_CONTROLS } from './embedded.js';
import { openDb, type Db } from '../db/connection.js';
import { migrate } from '../db/migrate.js';
import { generateCompany } from '../sim/generator/index.js';
import { startSimulator } from '../sim/server.js';
import { coupaCallObserver, createRunnerMetrics, readProblemObserver, type RunnerMetrics } from '../runner/metrics.js';
import { createRunnerQueue, type RunnerQueue } from '../runner/queue.js';
import { coupaBucketName, createPgRateLimiter } from '../runner/rate-limit.js';

export interface RunnerRuntime {
  config: Config;
  db: Db;
  queue: RunnerQueue;
  metrics: RunnerMetrics;
  logger: Logger;
  /** Settle's runtime (guard, tools, agent) on the same database; built on first use. */
  agent(): Promise<Runtime>;
  /** Built on first use: `settle digest` never needs Coupa. */
  coupa(): Promise<CoupaClient>;
  close(): Promise<void>;
}

export interface RuntimeOptions {
  /** Run pg-boss's cron in this process (the digest schedule). */
  schedule?: boolean;
  /** Start the queue (workers and intake need it; the digest does not). */
  queue?: boolean;
}

/** Run one command against the store without starting the queue, closing it whatever happens. */
export async function withStoreRuntime<T>(config: Config, work: (runtime: RunnerRuntime) => Promise<T>): Promise<T> {
  const runtime = await openRunnerRuntime(config, { queue: false });
  try {
    return await work(runtime);
  } finally {
    await runtime.close();
  }
}

/** Open everything the runner commands need; `close()` releases it in reverse order. */
export async function openRunnerRuntime(config: Config, options: RuntimeOptions = {}): Promise<RunnerRuntime> {
  const logger = pino({ level: config.logLevel }, pino.destination(2));
  const db = await openDb({ databaseUrl: config.databaseUrl, dataDir: config.dataDir });
  const closers: Array<() => Promise<void>> = [() => db.close()];
  try {
    await migrate(db);
    const queue = createRunnerQueue({
      db,
      schedule: options.schedule ?? false,
      onError: (err) => logger.error({ err }, 'queue error'),
    });
    if (options.queue ?? true) {
      await queue.start();
      closers.unshift(() => queue.stop());
    }
    const metrics = createRunnerMetrics({ queue });
    let agent: Promise<Runtime> | undefined;
    const agentRuntime = (): Promise<Runtime> => {
      agent ??= connectAgent(config, db, metrics, (close) => closers.unshift(close));
      return agent;
    };
    return {
      config,
      db,
      queue,
      metrics,
      logger,
      agent: agentRuntime,
      coupa: async () => (await agentRuntime()).coupa,
      async close() {
        for (const close of closers.splice(0))
          await close().catch((err: unknown) => logger.error({ err }, 'shutdown step failed'));
      },
    };
  } catch (error) {
    await db.close().catch(() => undefined);
    throw error;
  }
}

/**
 * Settle's runtime for the workers: the same database, and a Coupa client drawing on the
 * Postgres-backed rate limit so every worker process shares Coupa's 25 requests/s. Without Coupa
 * configuration: the embedded simulator with the sample company (said on stderr).
 */
async function connectAgent(
  config: Config,
  db: Db,
  metrics: RunnerMetrics,
  onClose: (close: () => Promise<void>) => void,
): Promise<Runtime> {
  // One bucket per tenant: every worker process acting on this Coupa instance draws from it.
  const coupaLimiter = createPgRateLimiter(db, {
    name: coupaBucketName(config.coupa?.baseUrl),
    ratePerSecond: config.coupaRatePerSecond,
    burst: config.coupaBurst,
  });
  const common = {
    config,
    db,
    coupaLimiter,
    onCoupaCall: coupaCallObserver(metrics),
    onReadProblem: readProblemObserver(metrics),
    auditCheckpoints: true,
  };
  if (config.coupa) {
    const runtime = await createRuntime(common);
    onClose(() => runtime.close());
    return runtime;
  }
  const company = generateCompany({ seed: 7, invoices: 2000 });
  const { dataset } = await withSampleGrirBook(company.dataset, company.now);
  const sim = await startSimulator({ dataset, now: company.now });
  onClose(() => sim.close());
  process.stderr.write(
    `settle: no Coupa configuration — using the embedded simulator with the sample company at ${sim.url}\n`,
  );
  const runtime = await createRuntime({
    ...common,
    controlDefaults: SAMPLE_COMPANY_CONTROLS,
    simulator: sim,
    now: () => new Date(sim.now()),
  });
  onClose(() => runtime.close());
  return runtime;
}
