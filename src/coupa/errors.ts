/**
 * Typed errors of the Coupa client. Callers branch on the class (not on message text): a 404
 * means "the record is gone", a 403 means "this token lacks a scope", an unknown outcome means
 * "a write may or may not have happened and re-reading could not tell".
 */

/** Base class: every error the client throws on purpose extends it. */
export class CoupaError extends Error {
  override name = 'CoupaError';
}

/** Coupa answered with a non-2xx status. `messages` are flattened from `{"errors": {...}}`. */
export class CoupaHttpError extends CoupaError {
  override name = 'CoupaHttpError';
  /** Parsed `Retry-After` of a 429/503, in milliseconds from when it was received. */
  retryAfterMs: number | undefined;
  constructor(
    readonly status: number,
    readonly method: string,
    readonly path: string,
    readonly messages: string[],
    readonly body?: unknown,
  ) {
    super(`Coupa ${method} ${path} → ${status}${messages.length ? `: ${messages.join('; ')}` : ''}`);
  }
}

/** 401 after a token refresh, 403 (missing scope), or the token endpoint refusing the client. */
export class CoupaAuthError extends CoupaHttpError {
  override name = 'CoupaAuthError';
}

/** 404: the record does not exist (or no longer does). */
export class CoupaNotFoundError extends CoupaHttpError {
  override name = 'CoupaNotFoundError';
}

/** The request did not complete within the per-request timeout. */
export class CoupaTimeoutError extends CoupaError {
  override name = 'CoupaTimeoutError';
  constructor(
    readonly method: string,
    readonly path: string,
    readonly timeoutMs: number,
  ) {
    super(`Coupa ${method} ${path} timed out after ${timeoutMs} ms`);
  }
}

/** The connection failed (refused, reset, dropped) and retries did not help. */
export class CoupaNetworkError extends CoupaError {
  override name = 'CoupaNetworkError';
  constructor(
    readonly method: string,
    readonly path: string,
    readonly reason: string,
    /** False only when the request provably never left (e.g. connection refused). */
    readonly mayHaveBeenSent: boolean,
  ) {
    super(`Coupa ${method} ${path} failed: ${reason}`);
  }
}

/**
 * A write was sent but no answer came back (dropped connection or timeout), so it may have been
 * applied. The client reconciles by re-reading; this error escapes only when that was impossible.
 */
export class CoupaUnknownOutcomeError extends CoupaError {
  override name = 'CoupaUnknownOutcomeError';
  /** Why the re-read that should have settled the outcome failed, if it did. */
  reconcileError: unknown;
  constructor(
    readonly method: string,
    readonly path: string,
    override readonly cause: CoupaTimeoutError | CoupaNetworkError,
  ) {
    super(`Coupa ${method} ${path}: outcome unknown (${cause.message})`);
  }
}

/** A record Coupa returned does not match Settle's schema; names the record so it can be found. */
export class CoupaRecordError extends CoupaError {
  override name = 'CoupaRecordError';
  constructor(
    readonly resource: string,
    readonly recordId: number | string | undefined,
    readonly issues: string[],
  ) {
    super(`Coupa ${resource} ${recordId ?? '(no id)'} is not readable: ${issues.slice(0, 3).join('; ')}`);
  }
}

/**
 * Flatten Coupa's error body into readable lines. Handles the common `{"errors": {"invoice": ["msg"]}}`
 * and the nested variant `{"errors": {"request": [{"invoice-header": ["msg"]}]}}`.
 */
export function coupaErrorMessages(body: unknown): string[] {
  if (body === null || typeof body !== 'object') return [];
  // The token endpoint answers in OAuth's shape instead: {"error": "invalid_client", "error_description": "…"}.
  if (!('errors' in body)) {
    const { error, error_description: description } = body as { error?: unknown; error_description?: unknown };
    return typeof error === 'string' ? [typeof description === 'string' ? `${error}: ${description}` : error] : [];
  }
  const out: string[] = [];
  const walk = (value: unknown, label: string): void => {
    if (typeof value === 'string') out.push(label ? `${label}: ${value}` : value);
    else if (Array.isArray(value)) value.forEach((v) => walk(v, label));
    else if (value !== null && typeof value === 'object') {
      for (const [k, v] of Object.entries(value)) walk(v, k);
    }
  };
  walk((body as { errors: unknown }).errors, '');
  return out;
}
