/**
 * `createCoupaClient`: the typed Coupa REST client Settle uses for every read and write, against
 * a real tenant or the simulator alike. It composes the transport (limiter, OAuth, timeouts,
 * retries), the reads and the reconciled writes; nothing touches the network until first use.
 */
import { createActions, type CoupaActions } from './actions.js';
import { createTransport, type CallEvent, type CallStats } from './http.js';
import { COUPA_RATE_LIMIT, UNLIMITED, createRateLimiter, type RequestLimiter } from './limiter.js';
import { createTokenCache, mintToken } from './oauth.js';
import { createReads, type CoupaReads } from './reads.js';
import type { ReadProblem } from './read-problems.js';
import type { BackoffOptions } from './retry-policy.js';

export interface CoupaClientOptions {
  /** Instance root, e.g. `https://acme.coupahost.com` or the simulator's URL (no `/api`). */
  baseUrl: string;
  clientId: string;
  clientSecret: string;
  /** Scopes to request; omitted means everything the OAuth client was granted. */
  scopes?: readonly string[];
  /** Per-request timeout in ms (default 30 000). */
  timeoutMs?: number;
  /** Client-side limit in requests/s (default 25, Coupa's). Ignored when `limiter` is given. */
  ratePerSecond?: number;
  /** Burst allowance (default 20). Ignored when `limiter` is given. */
  burst?: number;
  /** Retries of a failed request (default 4); writes of unknown outcome are reconciled instead. */
  maxRetries?: number;
  /** Backoff tuning (defaults: 250 ms base, 20 s cap, Retry-After honoured up to 60 s). */
  backoff?: Partial<BackoffOptions>;
  /** A limiter shared with other clients so they respect one budget together; `false` disables limiting. */
  limiter?: RequestLimiter | false;
  /** The fetch implementation (default: global fetch). */
  fetch?: typeof fetch;
  /** Called after every HTTP exchange, token calls and retries included. */
  onCall?: (event: CallEvent) => void;
  /** Wait before re-reading after a write timed out (default 2000 ms): it may still be landing. */
  settleAfterTimeoutMs?: number;
  /**
   * Called for every field of a Coupa record that could not be read (the record is kept, degraded
   * per field, and carries the problem in `readProblems`): count it, so drift shows on day one.
   */
  onReadProblem?: (problem: ReadProblem) => void;
  /** Called when a write of unknown outcome was reconciled by re-reading. */
  onReconcile?: (event: { path: string; applied: boolean }) => void;
  /** Milliseconds on a monotonic clock, for token lifetimes (default `performance.now`; tests advance their own). */
  now?: () => number;
}

/** The Coupa client: typed reads, reconciled writes, and call counts for the audit log. */
export interface CoupaClient extends CoupaReads, CoupaActions {
  /** HTTP exchanges made so far (total and by method), token calls and retries included. */
  stats(): CallStats;
}

/** Create a client. Cheap: no token is minted until the first request. */
export function createCoupaClient(options: CoupaClientOptions): CoupaClient {
  if (!/^https?:\/\//.test(options.baseUrl))
    throw new TypeError(`Coupa baseUrl must be an http(s) URL, got "${options.baseUrl}"`);
  const limiter =
    options.limiter === false
      ? UNLIMITED
      : (options.limiter ??
        createRateLimiter({
          ratePerSecond: options.ratePerSecond ?? COUPA_RATE_LIMIT.ratePerSecond,
          burst: options.burst ?? COUPA_RATE_LIMIT.burst,
        }));

  // The token cache mints through the same transport (limited, counted, retried), so the
  // transport reaches the cache through this late-bound reference.
  let tokens: ReturnType<typeof createTokenCache> | undefined;
  const transport = createTransport({
    baseUrl: options.baseUrl,
    tokens: {
      get: () => tokens!.get(),
      invalidate: (token) => tokens!.invalidate(token),
    },
    limiter,
    fetch: options.fetch ?? globalThis.fetch,
    timeoutMs: options.timeoutMs ?? 30_000,
    maxRetries: options.maxRetries ?? 4,
    backoff: { baseDelayMs: 250, maxDelayMs: 20_000, maxRetryAfterMs: 60_000, ...options.backoff },
    onCall: options.onCall,
  });
  tokens = createTokenCache({
    now: options.now,
    mint: () =>
      mintToken(transport, { clientId: options.clientId, clientSecret: options.clientSecret, scopes: options.scopes }),
  });

  const reads = createReads(transport, options.onReadProblem);
  const actions = createActions(transport, reads, options.onReadProblem, {
    onReconcile: options.onReconcile,
    settleAfterTimeoutMs: options.settleAfterTimeoutMs,
  });
  return { ...reads, ...actions, stats: () => transport.stats() };
}
