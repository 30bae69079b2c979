/**
 * The whole GR/IR book: every PO line reconciled, each open item investigated, and the totals by
 * cause and age bucket that `settle grir` prints. Pure and linear in the number of documents.
 */
import { Dec } from '../money.js';
import { DEFAULT_ACTION_SETTINGS, type ActionSettings } from './actions.js';
import { investigate } from './investigate.js';
import { AGE_BUCKETS, ageBucket, balanceOf, openItemOf, type AgeBucket } from './reconcile.js';
import type {
  ContractPriceFact,
  GrirCause,
  InvestigatedItem,
  InvoiceLineFact,
  OpenItem,
  PoLineFact,
  ReceiptFact,
} from './types.js';

export interface BookFacts {
  lines: readonly PoLineFact[];
  receipts: readonly ReceiptFact[];
  invoiceLines: readonly InvoiceLineFact[];
  /** Contract prices by supplier id (read only for suppliers with price differences). */
  contractPrices?: ReadonlyMap<number, readonly ContractPriceFact[]>;
}

export interface CauseTotals {
  count: number;
  /** Sum of item amounts per currency. */
  amount: Record<string, string>;
}

export interface BookSummary {
  asOf: string;
  poLines: number;
  openItems: number;
  byCause: Partial<Record<GrirCause, CauseTotals>>;
  byAge: Record<AgeBucket, CauseTotals>;
  byKind: Record<string, CauseTotals>;
}

function groupBy<T>(items: readonly T[], key: (t: T) => number): Map<number, T[]> {
  const map = new Map<number, T[]>();
  for (const item of items) {
    const k = key(item);
    const list = map.get(k);
    if (list) list.push(item);
    else map.set(k, [item]);
  }
  return map;
}

/** Open items of the book before investigation (what needs contract prices is known from them). */
export function openItems(facts: BookFacts, asOf: string): OpenItem[] {
  const receipts = groupBy(facts.receipts, (r) => r.poLineId);
  const invoices = groupBy(facts.invoiceLines, (i) => i.poLineId);
  const out: OpenItem[] = [];
  for (const line of facts.lines) {
    // A line matched 2-way posts its invoice straight to expense: no GR/IR unless something was received.
    if (!line.receiptRequired && !receipts.has(line.poLineId)) continue;
    const item = openItemOf(
      line,
      balanceOf(line, receipts.get(line.poLineId) ?? [], invoices.get(line.poLineId) ?? [], asOf),
      asOf,
    );
    if (item) out.push(item);
  }
  return out;
}

/** Reconcile and investigate every open item. */
export function reconcileBook(
  facts: BookFacts,
  asOf: string,
  settings: ActionSettings = DEFAULT_ACTION_SETTINGS,
): InvestigatedItem[] {
  const items = openItems(facts, asOf);
  const lines = new Map(facts.lines.map((l) => [l.poLineId, l]));
  const receipts = groupBy(facts.receipts, (r) => r.poLineId);
  const invoices = groupBy(facts.invoiceLines, (i) => i.poLineId);
  const byPo = groupBy(items, (i) => i.poId);
  return items.map((item) => {
    const line = lines.get(item.poLineId) as PoLineFact;
    return investigate(
      item,
      {
        line,
        receipts: receipts.get(item.poLineId) ?? [],
        invoices: invoices.get(item.poLineId) ?? [],
        siblings: (byPo.get(item.poId) ?? []).filter((s) => s.poLineId !== item.poLineId),
        contractPrices: line.supplierId !== null ? (facts.contractPrices?.get(line.supplierId) ?? []) : [],
        asOf,
      },
      settings,
    );
  });
}

function add(totals: CauseTotals, item: OpenItem): void {
  totals.count++;
  totals.amount[item.currency] = new Dec(totals.amount[item.currency] ?? '0').plus(item.amount).toFixed(2);
}

const empty = (): CauseTotals => ({ count: 0, amount: {} });

export function summarize(items: readonly InvestigatedItem[], poLines: number, asOf: string): BookSummary {
  const byCause: Partial<Record<GrirCause, CauseTotals>> = {};
  const byAge = Object.fromEntries(AGE_BUCKETS.map((b) => [b, empty()])) as Record<AgeBucket, CauseTotals>;
  const byKind: Record<string, CauseTotals> = {};
  for (const item of items) {
    add((byCause[item.cause] ??= empty()), item);
    add(byAge[ageBucket(item.ageDays)], item);
    add((byKind[item.kind] ??= empty()), item);
  }
  return { asOf, poLines, openItems: items.length, byCause, byAge, byKind };
}
