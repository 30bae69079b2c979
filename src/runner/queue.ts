/**
 * The durable job queue: pg-boss 10 on the same Postgres (or embedded PGlite) as everything else.
 *
 * - One job per invoice at a time: the queue's `stately` policy with `singletonKey = invoiceId`
 *   allows at most one queued and one running job per invoice. A re-trigger that arrives while
 *   the invoice is being settled waits behind it; further triggers fold into the queued one
 *   (it will read the newest facts anyway).
 * - Retries with exponential backoff, then the dead-letter queue.
 * - A crashed worker's job is reclaimed when the next queue process starts (worker-lease.ts tells
 *   a dead owner from a live one at once), and at the latest expires after `expireInSeconds`.
 * - A job's owner is recorded in the fetch transaction; completing or failing a job another worker
 *   has since reclaimed does nothing, so two workers never both finish one job.
 * - A re-trigger deferred behind a running job is released the moment that job ends.
 * - pg-boss runs its SQL through our pool (`db` executor): on PGlite that pool holds the single
 *   connection the socket server can serve, and inside a transaction a job insert joins it.
 */
import PgBoss from 'pg-boss';
import type { Db } from '../db/connection.js';
import { bossExecutor, inTransaction, type Queryable } from './sql.js';
import { acquireWorkerLease, type WorkerLease } from './worker-lease.js';
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
  /**
   * Hand the running jobs of dead workers back to the queue at once (retry now, or dead-letter at
   * the retry limit); returns how many. `start()` calls it; live workers' jobs are never touched.
   */
  reclaimOrphans(): Promise<number>;
}

/** Serialises reclaimers, so two workers starting together never both reclaim one job. */
const RECLAIM_LOCK_KEY = 0x5e771e_0c1a1;

/** One lock per invoice: an enqueue that defers behind a running job and that job's end never interleave. */
async function lockInvoiceKey(client: Queryable, singletonKey: string): Promise<void> {
  await client.query(`select pg_advisory_xact_lock(hashtext('settle-invoice:' || $1))`, [singletonKey]);
}

/**
 * The re-trigger deferred behind job `endedId` becomes fetchable now — unless another job of the
 * invoice is still running or waiting to retry (then its end releases it, as promoting two jobs of
 * one stately key would fail every fetch).
 */
async function releaseFollowUp(client: Queryable, singletonKey: string): Promise<void> {
  await client.query(
    `update pgboss.job f set start_after = now()
      where f.name = $1 and f.singleton_key = $2 and f.state = 'created' and f.start_after > now()
        and not exists (select 1 from pgboss.job o where o.name = $1 and o.singleton_key = $2 and o.state in ('retry', 'active'))`,
    [SETTLE_QUEUE, singletonKey],
  );
}

async function singletonKeyOf(client: Queryable, jobId: string): Promise<string | null> {
  const { rows } = await client.query<{ key: string | null }>(
    'select singleton_key as key from pgboss.job where name = $1 and id = $2::uuid',
    [SETTLE_QUEUE, jobId],
  );
  return rows[0]?.key ?? null;
}

function errorOutput(error: unknown): object {
  return error instanceof Error ? { message: error.message, name: error.name } : { message: String(error) };
}

/**
 * A re-trigger for an invoice whose job is running must not become fetchable before that job
 * ends: pg-boss's fetch takes the oldest job, and promoting a second job of one stately key
 * violates its unique index, so the fetch returns nothing for EVERY worker. So the new job is
 * deferred past the running one's expiry (plus a maintenance round) — and released the moment the
 * running job completes or fails (`releaseFollowUp`); the deferral only matters if nobody ends it.
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

  let lease: WorkerLease | undefined;
  const reportError = (error: Error): void => options.onError?.(error);

  /** End job `id` as `end` does — only if this worker still owns it; then release its follow-up. */
  async function endJob(id: string, end: (client: Queryable) => Promise<void>): Promise<void> {
    await inTransaction(db, async (client) => {
      const key = await singletonKeyOf(client, id);
      if (key !== null) await lockInvoiceKey(client, key);
      const { rows } = await client.query<{ worker_id: string }>(
        'delete from settle_job_owners where job_id = $1 returning worker_id',
        [id],
      );
      if (lease && rows[0] && rows[0].worker_id !== lease.workerId) {
        reportError(new Error(`job ${id} was reclaimed from this worker; leaving it to its new owner`));
        throw new JobReclaimed();
      }
      await end(client);
      if (key !== null) await releaseFollowUp(client, key);
    }).catch((error: unknown) => {
      if (!(error instanceof JobReclaimed)) throw error;
    });
  }

  async function reclaimOrphans(): Promise<number> {
    if (!lease) return 0;
    const current = lease;
    return inTransaction(db, async (client) => {
      await client.query('select pg_advisory_xact_lock($1)', [RECLAIM_LOCK_KEY]);
      const { rows: active } = await client.query<{ id: string; key: string | null; owner: string | null }>(
        `select j.id::text as id, j.singleton_key as key, o.worker_id as owner
           from pgboss.job j left join settle_job_owners o on o.job_id = j.id::text
          where j.name = $1 and j.state = 'active'`,
        [SETTLE_QUEUE],
      );
      const live = await current.liveOwners(active.flatMap((j) => (j.owner ? [j.owner] : [])));
      const orphans = active.filter((j) => !j.owner || !live.has(j.owner));
      if (orphans.length === 0) return 0;
      const ids = orphans.map((j) => j.id);
      const executor = { db: bossExecutor(client) };
      for (const id of ids)
        await boss.fail(
          SETTLE_QUEUE,
          id,
          { message: 'the worker running this job stopped; reclaimed at start-up' },
          executor,
        );
      // A crash is not the job's fault: no backoff before it runs again.
      await client.query(
        `update pgboss.job set start_after = now() where name = $1 and id = any($2::uuid[]) and state = 'retry'`,
        [SETTLE_QUEUE, ids],
      );
      await client.query('delete from settle_job_owners where job_id = any($1::text[])', [ids]);
      for (const key of new Set(orphans.flatMap((j) => (j.key ? [j.key] : [])))) await releaseFollowUp(client, key);
      return orphans.length;
    });
  }

  return {
    boss,
    reclaimOrphans,
    async start() {
      await boss.start();
      // Dead letters are kept long enough for a person to look at them.
      await boss.createQueue(DEAD_LETTER_QUEUE, { name: DEAD_LETTER_QUEUE, retentionDays: 30 } as PgBoss.Queue);
      await boss.createQueue(SETTLE_QUEUE, { name: SETTLE_QUEUE, ...queueOptions });
      // createQueue leaves an existing queue alone; apply changed settings on every start.
      await boss.updateQueue(SETTLE_QUEUE, { name: SETTLE_QUEUE, ...queueOptions });
      lease ??= await acquireWorkerLease(db, reportError);
      await reclaimOrphans();
    },
    async stop() {
      await boss.stop({ graceful: true, close: false, timeout: 5_000 });
      await lease?.release();
      lease = undefined;
    },
    async enqueue(data, client, jobId) {
      if (client) await lockInvoiceKey(client, String(data.invoiceId));
      const startAfter = await secondsUntilActiveJobEnds(client ?? db.pool, data.invoiceId);
      return boss.send(SETTLE_QUEUE, data, {
        ...(jobId ? { id: jobId } : {}),
        singletonKey: String(data.invoiceId),
        ...(startAfter > 0 ? { startAfter: startAfter + maintenanceSeconds } : {}),
        ...(client ? { db: bossExecutor(client) } : {}),
      });
    },
    async fetch() {
      const current = lease;
      // The job and its owner in one transaction: no moment where a running job has no owner.
      const job = await inTransaction(db, async (client) => {
        const [fetched] = await boss.fetch<unknown>(SETTLE_QUEUE, {
          batchSize: 1,
          includeMetadata: true,
          db: bossExecutor(client),
        } as PgBoss.FetchOptions & { includeMetadata: true });
        if (fetched && current) {
          await client.query(
            `insert into settle_job_owners (job_id, worker_id) values ($1, $2)
             on conflict (job_id) do update set worker_id = excluded.worker_id, claimed_at = now()`,
            [fetched.id, current.workerId],
          );
        }
        return fetched;
      });
      if (!job) return null;
      return { id: job.id, data: job.data, attempt: job.retryCount + 1, expireInSeconds: Number(job.expireInSeconds) };
    },
    async complete(id, output) {
      await endJob(
        id,
        async (client) => void (await boss.complete(SETTLE_QUEUE, id, output, { db: bossExecutor(client) })),
      );
    },
    async fail(id, error) {
      await endJob(
        id,
        async (client) => void (await boss.fail(SETTLE_QUEUE, id, errorOutput(error), { db: bossExecutor(client) })),
      );
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
      const count = (name: string, state: string): number =>
        rows.find((r) => r.name === name && r.state === state)?.n ?? 0;
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

/** Thrown inside `endJob`'s transaction to roll it back when the job has a new owner. */
class JobReclaimed extends Error {}
