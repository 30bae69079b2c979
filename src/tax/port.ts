/**
 * The tax engine port: one interface, adapters behind it (offline table, AvaTax REST v2,
 * TaxJar v2), chosen by configuration like the embedder. An adapter never guesses: when it
 * cannot answer it throws `TaxEngineError` with the kind of failure, which the checks turn into
 * "routed, engine unavailable" — never into a rate.
 */
import type { TaxEngineFailure, TaxEvidence, TaxQuote, TaxQuoteRequest } from '../domain/tax-quote.js';

export interface TaxEngine {
  /** `offline`, `avatax`, `taxjar`. */
  readonly name: string;
  /** A non-committed quote (AvaTax `PurchaseInvoice` with `commit: false`; TaxJar `taxes`). */
  quote(request: TaxQuoteRequest): Promise<TaxQuote>;
}

export class TaxEngineError extends Error {
  override name = 'TaxEngineError';
  constructor(
    readonly engine: string,
    readonly failure: TaxEngineFailure,
    message: string,
  ) {
    super(message);
  }
}

/** The engine's answer as evidence: a failure is data for the dossier, not an exception. */
export async function taxEvidence(engine: TaxEngine, request: TaxQuoteRequest): Promise<TaxEvidence> {
  try {
    return { ok: true, quote: await engine.quote(request) };
  } catch (error) {
    if (error instanceof TaxEngineError)
      return { ok: false, engine: error.engine, failure: error.failure, detail: error.message };
    return { ok: false, engine: engine.name, failure: 'unavailable', detail: (error as Error).message.slice(0, 300) };
  }
}

/** Turns a fetch failure (abort, network) into the failure kind it stands for. */
export function fetchFailure(engine: string, error: unknown, timeoutMs: number): TaxEngineError {
  const e = error as Error;
  if (e.name === 'TimeoutError' || e.name === 'AbortError')
    return new TaxEngineError(engine, 'timeout', `${engine} did not answer within ${timeoutMs} ms`);
  return new TaxEngineError(engine, 'unavailable', `${engine} unreachable: ${e.message.slice(0, 200)}`);
}

/** Maps an HTTP error status to the failure kind. */
export function statusFailure(engine: string, status: number, detail: string): TaxEngineError {
  if (status === 429)
    return new TaxEngineError(
      engine,
      'rate_limited',
      `${engine} rate limit reached (429)${detail ? `: ${detail}` : ''}`,
    );
  if (status >= 500)
    return new TaxEngineError(engine, 'unavailable', `${engine} answered ${status}${detail ? `: ${detail}` : ''}`);
  return new TaxEngineError(
    engine,
    'rejected',
    `${engine} refused the request (${status})${detail ? `: ${detail}` : ''}`,
  );
}
