/**
 * The tax engine as tool handlers see it: a quote or the reason there is none, answered from a
 * short cache so an investigation and the guard's re-check moments later ask the engine once.
 * Failures are never cached: the next look asks again.
 */
import { LRUCache } from 'lru-cache';
import type { TaxEvidence, TaxQuoteRequest } from '../domain/tax-quote.js';
import type { Config } from '../config.js';
import { createTaxEngine, taxEvidence, type TaxEngine } from '../tax/engine.js';

export type TaxEvidenceFn = (request: TaxQuoteRequest) => Promise<TaxEvidence>;

export function createTaxEvidence(engine: TaxEngine, ttlMs = 10 * 60_000): TaxEvidenceFn {
  const cache = new LRUCache<string, TaxEvidence>({ max: 500, ttl: ttlMs });
  return async (request) => {
    const key = `${engine.name}:${JSON.stringify(request)}`;
    const hit = cache.get(key);
    if (hit) return hit;
    const answer = await taxEvidence(engine, request);
    if (answer.ok) cache.set(key, answer);
    return answer;
  };
}

/** The configured engine (`SETTLE_TAX_ENGINE`, default the offline table), or the one a caller passes. */
export function taxEvidenceFor(config: Config, engine?: TaxEngine): TaxEvidenceFn {
  return createTaxEvidence(engine ?? createTaxEngine(config.external.taxEngine));
}
