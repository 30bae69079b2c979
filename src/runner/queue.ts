/**
 * The durable job queue: pg-boss 10 on the same Postgres (or embedded PGlite) as everything else.
 *
 * - One job per invoice at a time: the queue's `stately` policy with `singletonKey = invoiceId`
 *   allows at most one queued and one running job per invoice. A re-trigger that arrives while
 *   the invoice is being settled waits behind it; further triggers fold into the queued one
 *   (it will read the newest facts anyway).
 * - Retries with exponential backoff, then the dead-letter queue.
 * - A crashed worker's job expires after `expireInSeconds` and is retried elsewhere.
 * - pg-boss runs its SQL through our pool (`db` executor): on PGlite that pool holds the single
 *   connection the socket server can serve, and inside a transaction a job insert joins it.
 */
import PgBoss from 'pg-boss';
import type { Db } from '../db/connection.js';
import { bossExecutor, type Queryable } from './sql.js';
import type { SettleJobData } from './types.js';

export const SETTLE_QUEUE = 'settle-invoice';
export const DEAD_LETTER_QUEUE = 'settle-invoice-dead';

export interface RunnerQueueOptions {
  db: Db;
  /** Attempts after the first before a job goes to the dead-letter queue (default 5). */
  retryLimit?: number;
  /** Base delay of the exponential backoff, seconds (default 30). */
  retryDelaySeconds?: number;
  /** A job running longer than this is considered crashed and retried (default 900). */
  expireInSeconds?: number;
  /** How often expiry and archiving run (default 60 s). */
  maintenanceIntervalSeconds?: number;
  /** Run pg-boss's cron scheduler in this process (the digest schedule in `serve`). */
  schedule?: boolean;
  onError?: (error: Error) => void;
}

/** A fetched job; `data` is validated by the worker, not trusted here. */
export interface SettleJob {
  id: string;
  data: unknown;
  /** 1 on the first run. */
  attempt: number;
  expireInSeconds: number;
}

export interface QueueStats {
  queued: number;
  retrying: number;
  active: number;
  deadLetters: number;
  /** Age of the oldest job not yet finished (queued, retrying or running); 0 when none. */
  oldestJobAgeSeconds: number;
}

export interface RunnerQueue {
  readonly boss: PgBoss;
  start(): Promise<void>;
  stop(): Promise<void>;
  /**
   * Queue a settle job; with `client` the insert joins that transaction; `jobId` (a UUID) lets the
   * caller record the id before the insert. Null: folded into a job already queued for the invoice.
   */
  enqueue(data: SettleJobData, client?: Queryable, jobId?: string): Promise<string | null>;
  fetch(): Promise<SettleJob | null>;
  complete(id: string, output: object): Promise<void>;
  fail(id: string, error: unknown): Promise<void>;
  stats(): Promise<QueueStats>;
  /** Jobs in the dead-letter queue, oldest first. */
  deadLetters(limit?: number): Promise<Array<{ id: string; data: unknown; output: unknown }>>;
}

function errorOutput(error: unknown): object {
  return error instanceof Error ? { message: error.message, name: error.name } : { message: String(error) };
}

/**
 * A re-trigger for an invoice whose job is running must not become fetchable before that job
 * ends: pg-boss's fetch takes the oldest job, and promoting a second job of one stately key
 * violates its unique index, so the fetch returns nothing for EVERY worker. Were the running job's
 * worker dead, the whole queue would stall until expiry. Deferring the new job past the running
 * one's expiry (plus a maintenance round) keeps it out of the way; it still runs on the new facts.
 */
async function secondsUntilActiveJobEnds(target: Queryable, invoiceId: number): Promise<number> {
  const { rows } = await target.query<{ remaining: number }>(
    `select ceil(extract(epoch from started_on + expire_in - now()))::int as remaining
       from pgboss.job where name = $1 and singleton_key = $2 and state = 'active'`,
    [SETTLE_QUEUE, String(invoiceId)],
  );
  return Math.max(0, rows[0]?.remaining ?? 0);
}

/** Build the queue; nothing touches the database until `start()`. */
export function createRunnerQueue(options: RunnerQueueOptions): RunnerQueue {
  const { db } = options;
  const maintenanceSeconds = options.maintenanceIntervalSeconds ?? 60;
  const boss = new PgBoss({
    db: bossExecutor(db.pool),
    schedule: options.schedule ?? false,
    maintenanceIntervalSeconds: maintenanceSeconds,
  });
  boss.on('error', (error) => options.onError?.(error));
  const queueOptions = {
    policy: 'stately' as const,
    retryLimit: options.retryLimit ?? 5,
    retryDelay: options.retryDelaySeconds ?? 30,
    retryBackoff: true,
    expireInSeconds: options.expireInSeconds ?? 900,
    deadLetter: DEAD_LETTER_QUEUE,
  };

  return {
    boss,
    async start() {
      await boss.start();
      // Dead letters are kept long enough for a person to look at them.
      await boss.createQueue(DEAD_LETTER_QUEUE, { name: DEAD_LETTER_QUEUE, retentionDays: 30 } as PgBoss.Queue);
      await boss.createQueue(SETTLE_QUEUE, { name: SETTLE_QUEUE, ...queueOptions });
      // createQueue leaves an existing queue alone; apply changed settings on every start.
      await boss.updateQueue(SETTLE_QUEUE, { name: SETTLE_QUEUE, ...queueOptions });
    },
    async stop() {
      await boss.stop({ graceful: true, close: false, timeout: 5_000 });
    },
    async enqueue(data, client, jobId) {
      const startAfter = await secondsUntilActiveJobEnds(client ?? db.pool, data.invoiceId);
      return boss.send(SETTLE_QUEUE, data, {
        ...(jobId ? { id: jobId } : {}),
        singletonKey: String(data.invoiceId),
        ...(startAfter > 0 ? { startAfter: startAfter + maintenanceSeconds } : {}),
        ...(client ? { db: bossExecutor(client) } : {}),
      });
    },
    async fetch() {
      const [job] = await boss.fetch<unknown>(SETTLE_QUEUE, { batchSize: 1, includeMetadata: true });
      if (!job) return null;
      return { id: job.id, data: job.data, attempt: job.retryCount + 1, expireInSeconds: Number(job.expireInSeconds) };
    },
    async complete(id, output) {
      await boss.complete(SETTLE_QUEUE, id, output);
    },
    async fail(id, error) {
      await boss.fail(SETTLE_QUEUE, id, errorOutput(error));
    },
    async stats() {
      const { rows } = await db.query<{ name: string; state: string; n: number; oldest: number | null }>(
        `select name, state::text as state, count(*)::int as n,
                extract(epoch from now() - min(created_on))::float8 as oldest
           from pgboss.job
          where name = any($1) and state in ('created', 'retry', 'active')
          group by name, state`,
        [[SETTLE_QUEUE, DEAD_LETTER_QUEUE]],
      );
      const count = (name: string, state: string): number => rows.find((r) => r.name === name && r.state === state)?.n ?? 0;
      const live = rows.filter((r) => r.name === SETTLE_QUEUE);
      return {
        queued: count(SETTLE_QUEUE, 'created'),
        retrying: count(SETTLE_QUEUE, 'retry'),
        active: count(SETTLE_QUEUE, 'active'),
        deadLetters: count(DEAD_LETTER_QUEUE, 'created'),
        oldestJobAgeSeconds: Math.max(0, ...live.map((r) => r.oldest ?? 0)),
      };
    },
    async deadLetters(limit = 100) {
      const { rows } = await db.query<{ id: string; data: unknown; output: unknown }>(
        `select id::text, data, output from pgboss.job where name = $1 and state = 'created' order by created_on limit $2`,
        [DEAD_LETTER_QUEUE, limit],
      );
      return rows;
    },
  };
}
