/**
 * Client-side rate limiting. Coupa allows 25 requests/s with a burst of 20 and answers 429 above
 * that; staying under the budget is cheaper than being throttled. One limiter can be shared by
 * several clients (workers of one tenant) so that together they respect one budget.
 */
import { TokenBucket } from 'limiter';

/** Anything that can make a request wait for its turn. */
export interface RequestLimiter {
  /** Resolves when one request may be sent. */
  acquire(): Promise<void>;
}

export interface RateLimitOptions {
  /** Sustained requests per second (Coupa: 25). */
  ratePerSecond: number;
  /** Requests that may go back-to-back before the sustained rate applies (Coupa: 20). */
  burst: number;
}

/** Coupa's published limit. */
export const COUPA_RATE_LIMIT: RateLimitOptions = { ratePerSecond: 25, burst: 20 };

/** A token-bucket limiter; the bucket starts full so a fresh client may use its burst at once. */
export function createRateLimiter(options: RateLimitOptions = COUPA_RATE_LIMIT): RequestLimiter {
  const { ratePerSecond, burst } = options;
  if (!(ratePerSecond > 0) || !Number.isFinite(ratePerSecond))
    throw new RangeError(`ratePerSecond must be a positive number, got ${ratePerSecond}`);
  if (!Number.isInteger(burst) || burst < 1) throw new RangeError(`burst must be a positive integer, got ${burst}`);
  const bucket = new TokenBucket({ bucketSize: burst, tokensPerInterval: ratePerSecond, interval: 'second' });
  bucket.content = burst;
  return {
    async acquire(): Promise<void> {
      await bucket.removeTokens(1);
    },
  };
}

/** No limit at all (benchmarks, bulk loads against the simulator). */
export const UNLIMITED: RequestLimiter = { acquire: () => Promise.resolve() };
