/**
 * The transport under every Coupa call: rate limit, bearer token (one forced refresh on 401),
 * per-request timeout, typed errors, retries with backoff, and a count of every HTTP exchange.
 * It knows nothing of invoices; resource code sits above it in client.ts.
 */
import { isSafeNumber, parse as parseLossless } from 'lossless-json';
import pRetry from 'p-retry';
import {
  CoupaAuthError,
  CoupaHttpError,
  CoupaNetworkError,
  CoupaNotFoundError,
  CoupaTimeoutError,
  CoupaUnknownOutcomeError,
  coupaErrorMessages,
} from './errors.js';
import type { RequestLimiter } from './limiter.js';
import {
  DEFAULT_BACKOFF,
  isRetriable,
  mayHaveBeenSent,
  parseRetryAfter,
  retryDelayMs,
  type BackoffOptions,
} from './retry-policy.js';

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'DELETE';

/** One request as resource code describes it; bodies are already in wire form. */
export interface RequestSpec {
  method: HttpMethod;
  /** Path from the base URL, e.g. `/api/invoices/5` or `/oauth2/token`. */
  path: string;
  query?: URLSearchParams;
  json?: unknown;
  form?: Record<string, string>;
  multipart?: FormData;
  /** Send the bearer token (default true; false for the token endpoint itself). */
  auth?: boolean;
  /** Safe to repeat after a lost answer (GETs always are; a token mint is too). */
  idempotent?: boolean;
}

/** What the `onCall` hook receives for every HTTP exchange, failed ones included (status 0). */
export interface CallEvent {
  method: HttpMethod;
  path: string;
  status: number;
  ms: number;
}

/** Running totals of HTTP exchanges made by one client. */
export interface CallStats {
  total: number;
  byMethod: Partial<Record<HttpMethod, number>>;
}

/** Where the transport gets bearer tokens (see oauth.ts). */
export interface TokenSource {
  get(): Promise<string>;
  /** The server rejected this token: drop it so the next `get` mints a fresh one. */
  invalidate(token: string): void;
}

export interface TransportOptions {
  baseUrl: string;
  tokens: TokenSource;
  limiter: RequestLimiter;
  fetch: typeof fetch;
  timeoutMs: number;
  maxRetries: number;
  backoff?: BackoffOptions;
  onCall?: (event: CallEvent) => void;
}

export interface Transport {
  /** Send with retries; resolves to the parsed JSON body (null when empty). */
  request(spec: RequestSpec): Promise<unknown>;
  stats(): CallStats;
}

/** Build the transport; nothing is sent until the first request. */
export function createTransport(options: TransportOptions): Transport {
  const base = options.baseUrl.replace(/\/+$/, '');
  const backoff = options.backoff ?? DEFAULT_BACKOFF;
  const totals: CallStats = { total: 0, byMethod: {} };

  /** One physical exchange: limiter slot, timeout, typed failure. */
  async function exchange(
    spec: RequestSpec,
    token: string | undefined,
  ): Promise<{ status: number; headers: Headers; body: unknown }> {
    await options.limiter.acquire();
    const url = `${base}${spec.path}${spec.query && [...spec.query].length ? `?${spec.query}` : ''}`;
    const headers: Record<string, string> = { Accept: 'application/json' };
    if (token) headers.Authorization = `Bearer ${token}`;
    let body: string | FormData | undefined;
    if (spec.json !== undefined) {
      headers['Content-Type'] = 'application/json';
      body = JSON.stringify(spec.json);
    } else if (spec.form) {
      headers['Content-Type'] = 'application/x-www-form-urlencoded';
      body = new URLSearchParams(spec.form).toString();
    } else if (spec.multipart) body = spec.multipart;

    const started = performance.now();
    let status = 0;
    totals.total += 1;
    totals.byMethod[spec.method] = (totals.byMethod[spec.method] ?? 0) + 1;
    try {
      const signal = AbortSignal.timeout(options.timeoutMs);
      const res = await options.fetch(url, { method: spec.method, headers, body, signal });
      const text = await res.text();
      status = res.status;
      return { status, headers: res.headers, body: parseBody(text) };
    } catch (error) {
      if (error instanceof Error && (error.name === 'TimeoutError' || error.name === 'AbortError')) {
        throw new CoupaTimeoutError(spec.method, spec.path, options.timeoutMs);
      }
      throw new CoupaNetworkError(spec.method, spec.path, describeNetworkError(error), mayHaveBeenSent(error));
    } finally {
      options.onCall?.({ method: spec.method, path: spec.path, status, ms: Math.round(performance.now() - started) });
    }
  }

  /** One logical attempt: a 401 on an API call forces one token refresh and a resend. */
  async function attempt(spec: RequestSpec): Promise<unknown> {
    const useAuth = spec.auth !== false;
    let token = useAuth ? await options.tokens.get() : undefined;
    let res = await exchange(spec, token);
    if (res.status === 401 && token !== undefined) {
      options.tokens.invalidate(token);
      token = await options.tokens.get();
      res = await exchange(spec, token);
    }
    if (res.status >= 200 && res.status < 300) return res.body;
    throw httpError(spec, res.status, res.headers, res.body);
  }

  async function request(spec: RequestSpec): Promise<unknown> {
    const idempotent = spec.method === 'GET' || spec.idempotent === true;
    try {
      return await pRetry(() => attempt(spec), {
        retries: options.maxRetries,
        // p-retry's own delay is switched off: the policy computes it (jitter, Retry-After).
        minTimeout: 0,
        shouldRetry: async ({ error, retriesConsumed }) => {
          if (!isRetriable(error, idempotent)) return false;
          await sleep(retryDelayMs(error, retriesConsumed, backoff));
          return true;
        },
      });
    } catch (error) {
      // A write that may have reached Coupa is not the caller's to repeat blindly.
      const unknownOutcome =
        !idempotent &&
        (error instanceof CoupaTimeoutError || (error instanceof CoupaNetworkError && error.mayHaveBeenSent));
      if (unknownOutcome) throw new CoupaUnknownOutcomeError(spec.method, spec.path, error);
      throw error;
    }
  }

  return {
    request,
    stats: () => ({ total: totals.total, byMethod: { ...totals.byMethod } }),
  };
}

/**
 * JSON numbers are read from their source text: an integer that fits a double exactly becomes a
 * number; anything else (money such as `425.50`, `0.1`, or a huge id) stays the text Coupa sent,
 * so decimals reach decimal.js without ever passing through float arithmetic.
 */
function parseNumber(text: string): number | string {
  return /^-?\d+$/.test(text) && isSafeNumber(text) ? Number(text) : text;
}

export function parseBody(text: string): unknown {
  if (text.trim() === '') return null;
  try {
    return parseLossless(text, null, parseNumber);
  } catch {
    return text;
  }
}

function httpError(spec: RequestSpec, status: number, headers: Headers, body: unknown): CoupaHttpError {
  const messages = coupaErrorMessages(body);
  if (messages.length === 0 && typeof body === 'string' && body.trim()) messages.push(body.trim().slice(0, 200));
  const ErrorClass =
    status === 401 || status === 403 ? CoupaAuthError : status === 404 ? CoupaNotFoundError : CoupaHttpError;
  const error = new ErrorClass(status, spec.method, spec.path, messages, body);
  error.retryAfterMs = parseRetryAfter(headers.get('retry-after'));
  return error;
}

function describeNetworkError(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const cause = error.cause instanceof Error ? `: ${error.cause.message}` : '';
  return `${error.message}${cause}`;
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
