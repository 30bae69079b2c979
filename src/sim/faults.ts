/**
 * Per-instance fault injection and rate limiting. Fault draws come from a seeded RNG in a fixed
 * order per request, so the same seed and the same request sequence fail the same way every run.
 */
import { TokenBucket } from 'limiter';
import type { FaultConfig } from './types.js';

/** What to do with one request, decided when it arrives. */
export interface FaultDecision {
  latencyMs: number;
  /** Destroy the connection before doing anything. */
  drop: boolean;
  /** Answer 429 with this Retry-After (seconds). */
  throttleSeconds?: number;
  /** Answer this 5xx status. */
  errorStatus?: number;
  /** Apply the write, then destroy the connection instead of answering. */
  dropAfterWrite: boolean;
}

export interface FaultInjector {
  set(config: FaultConfig): void;
  decide(method: string): FaultDecision;
}

/** mulberry32: tiny, fast, good enough for reproducible test faults (not for secrets). */
function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const SERVER_ERRORS = [500, 502, 503] as const;
const WRITE_METHODS = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

/** A fault injector; `set` replaces the config and reseeds. */
export function createFaultInjector(initial: FaultConfig = {}): FaultInjector {
  let config = initial;
  let random = seededRandom(initial.seed ?? 1);
  const roll = (rate: number | undefined): boolean => (rate ?? 0) > 0 && random() < (rate ?? 0);

  return {
    set(next) {
      config = next;
      random = seededRandom(next.seed ?? 1);
    },
    decide(method) {
      // Always draw in the same order so one rate change does not reshuffle the others.
      const drop = roll(config.dropRate);
      const throttle = roll(config.throttleRate);
      const error = roll(config.errorRate);
      const pick = random();
      const afterWrite = roll(config.dropAfterWriteRate);
      return {
        latencyMs: Math.max(0, config.latencyMs ?? 0),
        drop,
        throttleSeconds: throttle ? Math.max(0, config.retryAfterSeconds ?? 1) : undefined,
        errorStatus: error ? SERVER_ERRORS[Math.floor(pick * SERVER_ERRORS.length)] : undefined,
        dropAfterWrite: afterWrite && WRITE_METHODS.has(method),
      };
    },
  };
}

export interface RateLimiter {
  /** Undefined when the request may proceed, else the Retry-After seconds to send with a 429. */
  take(): number | undefined;
}

/** Coupa's documented limit: 25 requests/s with bursts of 20 (coupa-api.md §4). */
export function createRateLimiter(limit: { perSecond: number; burst: number } | false): RateLimiter {
  if (limit === false) return { take: () => undefined };
  const bucket = new TokenBucket({ bucketSize: limit.burst, tokensPerInterval: limit.perSecond, interval: 'second' });
  bucket.content = limit.burst; // limiter starts empty; Coupa lets a burst through at once
  return {
    take() {
      if (bucket.tryRemoveTokens(1)) return undefined;
      return Math.max(1, Math.ceil(bucket.getWaitTime(1) / 1000));
    },
  };
}
