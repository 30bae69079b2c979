/**
 * One Coupa rate limit for all worker processes: a token bucket kept in a Postgres row and
 * refilled and spent in a single atomic UPDATE (the row lock serialises concurrent takers; the
 * database clock is the only clock). Implements the Coupa client's `RequestLimiter`, so every
 * client in every process draws from the same budget — an in-process limiter per worker would
 * let N workers send N times the allowed rate.
 */
import type { Db } from '../db/connection.js';
import type { RequestLimiter } from '../coupa/limiter.js';

export interface PgRateLimiterOptions {
  /** Bucket name, e.g. `coupa` (one per tenant). */
  name: string;
  ratePerSecond: number;
  burst: number;
  /** Upper bound for one wait between attempts (default 1 s). */
  maxWaitMs?: number;
}

export interface PgRateLimiter extends RequestLimiter {
  /** Take one token or throw AbortError-like when `signal` aborts first. */
  acquire(signal?: AbortSignal): Promise<void>;
}

// The CTE locks the row (FOR UPDATE re-reads it after a concurrent taker commits), then the
// UPDATE refills by elapsed time, capped at the burst, and spends one token if there is one.
const TAKE_SQL = `
  with level as (
    select least($3::float8, tokens + extract(epoch from clock_timestamp() - refilled_at) * $2::float8) as available
      from rate_limit_buckets where name = $1 for update
  )
  update rate_limit_buckets b
     set tokens = case when level.available >= 1 then level.available - 1 else level.available end,
         refilled_at = clock_timestamp()
    from level
   where b.name = $1
  returning level.available >= 1 as granted, level.available`;

const CREATE_SQL = `insert into rate_limit_buckets (name, tokens) values ($1, $2) on conflict (name) do nothing`;

function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = (): void => {
      clearTimeout(timer);
      reject(signal?.reason);
    };
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

/**
 * The bucket of one Coupa tenant: Coupa's limit is per instance, so workers acting on the same
 * instance share it and workers on different instances do not. The embedded simulator is `coupa:embedded`.
 */
export function coupaBucketName(baseUrl: string | undefined): string {
  if (!baseUrl) return 'coupa:embedded';
  try {
    return `coupa:${new URL(baseUrl).host.toLowerCase()}`;
  } catch {
    return `coupa:${baseUrl}`;
  }
}

/** A limiter backed by the `rate_limit_buckets` table (migration 030_runner.sql). */
export function createPgRateLimiter(db: Db, options: PgRateLimiterOptions): PgRateLimiter {
  const { name, ratePerSecond, burst } = options;
  if (!(ratePerSecond > 0)) throw new RangeError(`ratePerSecond must be positive, got ${ratePerSecond}`);
  if (!Number.isInteger(burst) || burst < 1) throw new RangeError(`burst must be a positive integer, got ${burst}`);
  const maxWaitMs = options.maxWaitMs ?? 1000;
  let created: Promise<unknown> | undefined;
  return {
    async acquire(signal) {
      created ??= db.query(CREATE_SQL, [name, burst]).catch((error: unknown) => {
        created = undefined;
        throw error;
      });
      await created;
      for (;;) {
        const { rows } = await db.query<{ granted: boolean; available: number }>(TAKE_SQL, [
          name,
          ratePerSecond,
          burst,
        ]);
        const row = rows[0];
        if (row?.granted) return;
        // Wait about as long as the missing fraction of a token takes to refill; jitter spreads
        // the workers so they do not all retry in the same millisecond.
        const missing = 1 - (row?.available ?? 0);
        const waitMs = Math.min(maxWaitMs, (missing / ratePerSecond) * 1000) * (1 + Math.random() * 0.2);
        await sleep(Math.max(1, waitMs), signal);
      }
    },
  };
}
