/**
 * When and how long to wait before repeating a Coupa request. Pure functions, so the policy can
 * be tested without a server: exponential backoff with full jitter, `Retry-After` honoured, and
 * the one rule that matters most for money — a write that may have been applied is never
 * retried here (the caller reconciles it by re-reading).
 */
import { CoupaHttpError, CoupaNetworkError, CoupaTimeoutError } from './errors.js';

export interface BackoffOptions {
  /** First backoff ceiling in ms; doubles per retry (full jitter picks 0..ceiling). */
  baseDelayMs: number;
  /** Largest backoff ceiling in ms. */
  maxDelayMs: number;
  /** Longest `Retry-After` honoured, in ms; a larger value is clamped to it. */
  maxRetryAfterMs: number;
}

export const DEFAULT_BACKOFF: BackoffOptions = { baseDelayMs: 250, maxDelayMs: 20_000, maxRetryAfterMs: 60_000 };

/** Statuses worth repeating: throttling and server-side failures. */
export function isRetriableStatus(status: number): boolean {
  return status === 429 || status >= 500;
}

/** Parse `Retry-After` (delta seconds or an HTTP date) into ms from `nowMs`. */
export function parseRetryAfter(header: string | null, nowMs: number = Date.now()): number | undefined {
  if (header === null || header.trim() === '') return undefined;
  const value = header.trim();
  if (/^\d+(\.\d+)?$/.test(value)) return Math.round(Number(value) * 1000);
  const at = Date.parse(value);
  if (Number.isNaN(at)) return undefined;
  return Math.max(0, at - nowMs);
}

/**
 * May this failed attempt be sent again as is? Idempotent requests (reads, minting a token)
 * always may; a write only when the server answered 429/5xx (it refused the work) or the
 * connection provably never carried it.
 */
export function isRetriable(error: unknown, idempotent: boolean): boolean {
  if (error instanceof CoupaHttpError) return isRetriableStatus(error.status);
  if (error instanceof CoupaTimeoutError) return idempotent;
  if (error instanceof CoupaNetworkError) return idempotent || !error.mayHaveBeenSent;
  return false;
}

/**
 * Delay before retry number `retriesConsumed + 1`. `Retry-After` wins when present (plus up to
 * 10% jitter so many workers do not return in lockstep); otherwise full jitter:
 * uniform in [0, min(max, base·2^n)].
 */
export function retryDelayMs(
  error: unknown,
  retriesConsumed: number,
  options: BackoffOptions = DEFAULT_BACKOFF,
  random: () => number = Math.random,
): number {
  const retryAfter = error instanceof CoupaHttpError ? error.retryAfterMs : undefined;
  if (retryAfter !== undefined) {
    const honoured = Math.min(retryAfter, options.maxRetryAfterMs);
    return Math.round(honoured + random() * honoured * 0.1);
  }
  const ceiling = Math.min(options.maxDelayMs, options.baseDelayMs * 2 ** retriesConsumed);
  return Math.round(random() * ceiling);
}

/** Connection errors that prove the request never left this machine. */
const NOT_SENT_CODES = new Set([
  'ECONNREFUSED',
  'ENOTFOUND',
  'EAI_AGAIN',
  'ENETUNREACH',
  'EHOSTUNREACH',
  'UND_ERR_CONNECT_TIMEOUT',
]);

/** The most specific error code in an error's `cause` chain (undici wraps socket errors). */
export function networkErrorCode(error: unknown): string | undefined {
  let current: unknown = error;
  for (let depth = 0; current !== null && typeof current === 'object' && depth < 5; depth++) {
    const code = (current as { code?: unknown }).code;
    if (typeof code === 'string') return code;
    current = (current as { cause?: unknown }).cause;
  }
  return undefined;
}

/** Whether a failed connection may have delivered the request to the server. */
export function mayHaveBeenSent(error: unknown): boolean {
  const code = networkErrorCode(error);
  return code === undefined || !NOT_SENT_CODES.has(code);
}
