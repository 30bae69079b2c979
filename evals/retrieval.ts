/**
 * Retrieval quality from the generator's ground truth (issue 17): does "find similar past
 * resolutions" bring back the precedent a senior analyst would cite?
 *
 * The labelled set: each open exception of a generated company is a query (its Coupa hold reason,
 * the text the agent starts from), and the right answers are the past resolutions of the same
 * exception pattern — same exception type, same decision, same scenario variant (a price variance
 * within tolerance that was resolved is not a precedent for one outside tolerance that was routed).
 * Every past resolution carries its pattern in `metadata.pattern`, so relevance is read off a hit.
 *
 * For corpora at years of history, `moreResolutions` re-draws the company's settled exceptions
 * with other suppliers, invoice numbers and dates, written up by the same generator, so the
 * extra documents are real precedents of known pattern rather than noise.
 */
import { resolutionDocument, toResolutionRecord } from '../src/knowledge/resolution-docs.js';
import type { Citation, SearchOptions } from '../src/knowledge/types.js';
import type { PreparedDocument } from '../src/knowledge/writer.js';
import { createRng } from '../src/sim/generator/rng.js';
import {
  generateCompany,
  generatePastResolutions,
  type HistoricalException,
  type PastResolution,
  type SampleCompany,
} from '../src/sim/generator/index.js';

export interface LabelledQuery {
  /** The open exception's invoice id. */
  invoiceId: number;
  /** The Coupa hold reason of the open exception. */
  query: string;
  /** `exception_type:decision:variant` the answers must share. */
  pattern: string;
  exceptionType: string;
  supplierId: string;
}

export interface LabelledCorpus {
  company: SampleCompany;
  /** The company's own past resolutions, as the store writes them, with `metadata.pattern`. */
  resolutions: PreparedDocument[];
  /** Open exceptions whose pattern has at least one past resolution. */
  queries: LabelledQuery[];
}

const patternOf = (type: string, decision: string, variant: string | undefined): string =>
  `${type}:${decision}:${variant ?? ''}`;

function toDocuments(
  resolutions: PastResolution[],
  history: ReadonlyMap<number, HistoricalException>,
  origin: string,
): PreparedDocument[] {
  return resolutions.map((r) => {
    const entry = history.get(r.invoiceId);
    const doc = resolutionDocument(toResolutionRecord(r), origin, 'history');
    doc.metadata.pattern = patternOf(r.exceptionType, r.decision, entry?.facts.variant);
    return doc;
  });
}

/** A company of `invoices` invoices: its past resolutions and its open exceptions as labelled queries. */
export function labelledCorpus(seed: number, invoices: number): LabelledCorpus {
  const company = generateCompany({ seed, invoices });
  const history = new Map(company.history.map((h) => [h.invoiceId, h]));
  const resolutions = toDocuments(generatePastResolutions(company, company.history.length), history, 'eval');
  const patterns = new Set(resolutions.map((d) => d.metadata.pattern));
  const supplierOf = new Map(
    company.dataset.invoices.map((inv) => [
      Number(inv.id),
      String((inv.supplier as { id?: unknown } | null)?.id ?? ''),
    ]),
  );
  const queries = company.exceptions
    .filter((e) => typeof e.event.hold_reason === 'string' && e.event.hold_reason.trim() !== '')
    .map((e) => ({
      invoiceId: e.invoiceId,
      query: e.event.hold_reason!,
      pattern: patternOf(e.exceptionType, e.expectedDecision, e.tags[0]),
      exceptionType: e.exceptionType,
      supplierId: supplierOf.get(e.invoiceId) ?? '',
    }))
    .filter((q) => patterns.has(q.pattern));
  return { company, resolutions, queries };
}

/**
 * `count` further past resolutions of the company's patterns, as if from earlier years: each a
 * settled exception of the company re-drawn with another supplier, invoice and PO number and a
 * date in the five years before. Invoice ids start at `firstInvoiceId`; deterministic per arguments.
 */
export function moreResolutions(
  company: SampleCompany,
  count: number,
  firstInvoiceId: number,
  batch = 5000,
): PreparedDocument[] {
  const rng = createRng(firstInvoiceId);
  const suppliers = company.dataset.suppliers.map((s) => ({ id: Number(s.id), name: String(s.name) }));
  const nowMs = Date.parse(company.now);
  const out: PreparedDocument[] = [];
  for (let from = 0; from < count; from += batch) {
    const clones: HistoricalException[] = [];
    for (let i = from; i < Math.min(count, from + batch); i++) {
      const base = rng.pick(company.history);
      const supplier = rng.pick(suppliers);
      const decided = new Date(nowMs - rng.int(0, 5 * 365 * 86_400) * 1000).toISOString().replace('.000Z', 'Z');
      clones.push({
        ...base,
        invoiceId: firstInvoiceId + i,
        supplierId: supplier.id,
        decidedAt: decided,
        facts: {
          ...base.facts,
          supplierName: supplier.name,
          invoiceNumber: `INV-${rng.int(100000, 999999)}`,
          poNumber: String(rng.int(20000, 99999)),
        },
      });
    }
    const history = new Map(clones.map((c) => [c.invoiceId, c]));
    const drawn = generatePastResolutions(
      { ...company, seed: company.seed + 1 + from, history: clones },
      clones.length,
    );
    out.push(...toDocuments(drawn, history, 'eval'));
  }
  return out;
}

export type Search = (query: string, options: SearchOptions) => Promise<Citation[]>;

export interface QualityFigures {
  queries: number;
  /** Share of queries with a right answer among the first 5. */
  hitAt5: number;
  /** Mean reciprocal rank of the first right answer in the top 10 (0 when none). */
  mrr: number;
}

/** hit@5 and MRR@10 of `search` over `queries`, past resolutions only. */
export async function measureQuality(
  search: Search,
  queries: readonly LabelledQuery[],
  extra: (q: LabelledQuery) => SearchOptions = () => ({}),
): Promise<QualityFigures> {
  let hits = 0;
  let reciprocal = 0;
  for (const q of queries) {
    const results = await search(q.query, { kind: 'resolution', limit: 10, ...extra(q) });
    const rank = results.findIndex((c) => c.metadata.pattern === q.pattern);
    if (rank >= 0 && rank < 5) hits++;
    if (rank >= 0) reciprocal += 1 / (rank + 1);
  }
  const n = Math.max(1, queries.length);
  return { queries: queries.length, hitAt5: Number((hits / n).toFixed(3)), mrr: Number((reciprocal / n).toFixed(3)) };
}

/** Every `step`-th query, so a small slice keeps the mix of exception types. */
export function sample<T>(items: readonly T[], count: number): T[] {
  if (items.length <= count) return [...items];
  const step = items.length / count;
  return Array.from({ length: count }, (_, i) => items[Math.floor(i * step)]!);
}
