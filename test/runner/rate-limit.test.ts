/**
 * The Postgres token bucket: several limiters (as in several worker processes) draw from ONE
 * budget. Asserted as a lower bound on elapsed time — the budget cannot be exceeded however the
 * takers interleave — plus the bucket never holding more than its burst.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPgRateLimiter } from '../../src/runner/rate-limit.js';
import { createTestDatabase, type TestDatabase } from './pg-helper.js';

let tdb: TestDatabase;

beforeAll(async () => {
  tdb = await createTestDatabase();
});

afterAll(async () => {
  await tdb?.drop();
});

describe('shared Postgres rate limiter', () => {
  it('three limiters on one bucket together stay within rate × time + burst', async () => {
    const options = { name: 'coupa-test', ratePerSecond: 20, burst: 5 };
    const limiters = [
      createPgRateLimiter(tdb.db, options),
      createPgRateLimiter(tdb.db, options),
      createPgRateLimiter(tdb.db, options),
    ];
    const grantedAt: number[] = [];
    const started = performance.now();
    await Promise.all(
      limiters.flatMap((limiter) =>
        Array.from({ length: 15 }, async () => {
          await limiter.acquire();
          grantedAt.push(performance.now() - started);
        }),
      ),
    );
    // 45 tokens: 5 from the burst, 40 refilled at 20/s → at least 2 s however the takers interleave.
    expect(grantedAt).toHaveLength(45);
    expect(Math.max(...grantedAt)).toBeGreaterThanOrEqual(1900);
    // In any one-second window no more than rate + burst (25) were granted; +2 because the times
    // are taken in JS after each query returns, not on the database clock that decides.
    for (const t of grantedAt) {
      expect(grantedAt.filter((u) => u >= t && u < t + 1000).length).toBeLessThanOrEqual(27);
    }
    const { rows } = await tdb.db.query<{ tokens: number }>(
      `select tokens from rate_limit_buckets where name = 'coupa-test'`,
    );
    expect(rows[0]!.tokens).toBeLessThanOrEqual(5);
  });

  it('a waiting acquire stops when its signal aborts', async () => {
    const limiter = createPgRateLimiter(tdb.db, { name: 'slow', ratePerSecond: 0.5, burst: 1 });
    await limiter.acquire();
    const controller = new AbortController();
    const waiting = limiter.acquire(controller.signal);
    setTimeout(() => controller.abort(new Error('shutting down')), 100);
    await expect(waiting).rejects.toThrow('shutting down');
  });
});
