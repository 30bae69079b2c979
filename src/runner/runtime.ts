/**
 * What `settle worker`, `settle serve` and `settle digest` share: the database (migrated), the
 * queue, metrics, a logger, and a Coupa client drawing on the Postgres-backed rate limit — or,
 * without Coupa configuration, the embedded simulator with the sample company (said on stderr).
 */
import pino, { type Logger } from 'pino';
import type { Config } from '../config.js';
import { createCoupaClient, type CoupaClient } from '../coupa/client.js';
import { openDb, type Db } from '../db/connection.js';
import { migrate } from '../db/migrate.js';
import { generateCompany } from '../sim/generator/index.js';
import { startSimulator } from '../sim/server.js';
import { coupaCallObserver, createRunnerMetrics, type RunnerMetrics } from './metrics.js';
import { createRunnerQueue, type RunnerQueue } from './queue.js';
import { createPgRateLimiter } from './rate-limit.js';

export interface RunnerRuntime {
  config: Config;
  db: Db;
  queue: RunnerQueue;
  metrics: RunnerMetrics;
  logger: Logger;
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

/** Open everything the runner commands need; `close()` releases it in reverse order. */
export async function openRunnerRuntime(config: Config, options: RuntimeOptions = {}): Promise<RunnerRuntime> {
  const logger = pino({ level: config.logLevel }, pino.destination(2));
  const db = await openDb({ databaseUrl: config.databaseUrl, dataDir: config.dataDir });
  const closers: Array<() => Promise<void>> = [() => db.close()];
  try {
    await migrate(db);
    const queue = createRunnerQueue({ db, schedule: options.schedule ?? false, onError: (err) => logger.error({ err }, 'queue error') });
    if (options.queue ?? true) {
      await queue.start();
      closers.unshift(() => queue.stop());
    }
    const metrics = createRunnerMetrics({ queue });
    let client: Promise<CoupaClient> | undefined;
    const coupa = (): Promise<CoupaClient> => {
      client ??= connectCoupa(config, db, metrics, (close) => closers.unshift(close));
      return client;
    };
    return {
      config, db, queue, metrics, logger, coupa,
      async close() {
        for (const close of closers.splice(0)) await close().catch((err: unknown) => logger.error({ err }, 'shutdown step failed'));
      },
    };
  } catch (error) {
    await db.close().catch(() => undefined);
    throw error;
  }
}

async function connectCoupa(config: Config, db: Db, metrics: RunnerMetrics, onClose: (close: () => Promise<void>) => void): Promise<CoupaClient> {
  const limiter = createPgRateLimiter(db, { name: 'coupa', ratePerSecond: config.coupaRatePerSecond, burst: config.coupaBurst });
  const common = { limiter, timeoutMs: config.coupaTimeoutMs, onCall: coupaCallObserver(metrics) };
  if (config.coupa) {
    return createCoupaClient({ ...common, ...config.coupa, scopes: config.coupa.scopes?.split(/\s+/).filter(Boolean) });
  }
  const company = generateCompany({ seed: 1, invoices: 200 });
  const sim = await startSimulator({ dataset: company.dataset, now: company.now });
  onClose(() => sim.close());
  process.stderr.write(`settle: no Coupa configuration — using the embedded simulator with the sample company at ${sim.url}\n`);
  return createCoupaClient({ ...common, baseUrl: sim.url, clientId: sim.credentials.clientId, clientSecret: sim.credentials.clientSecret });
}
