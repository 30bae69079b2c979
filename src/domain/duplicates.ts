/**
 * Duplicate detection against invoice history. Each earlier bill from the same company (same
 * supplier id, or a duplicate supplier record) within `duplicate_window_days` is scored 0–1 from
 * the invoice number, amount, date and lines, with the reasons that produced the score.
 *
 * Score = supplier link strength × evidence, where evidence is either
 *   - number path (same number after normalisation): 0.95–1 × (0.55 + 0.35·amount + 0.10·date), or
 *   - content path (different number): 0.45·amount + 0.25·date + 0.30·lines (+0.15 for a near number),
 * with amount 1 equal / 0.8 within `AMOUNT_BAND_PCT` / 0 otherwise, date 1 same day / 0.7 within a
 * week / 0.5 (number path only) further but in the window, lines 1 when every line repeats.
 * Calibration: recurring rent (same amount and PO line, different number, a month apart) = 0.75;
 * same number, different amount ≤ 0.62; a renumbered resubmission with the same lines within a
 * week ≥ 0.92 (a month apart it is explained by `classify.ts` only when it broke the PO match).
 */
import type { Invoice, InvoiceLine } from '../coupa/schemas.js';
import { DAY_MS, invoiceCurrency, timeOf, type InvoiceContext } from './context.js';
import type { Controls } from './controls.js';
import { finding, type Finding } from './findings.js';
import { compareInvoiceNumbers, type NumberMatch } from './invoice-number.js';
import { Money } from './money.js';
import { consumesPo } from './po-usage.js';
import { linkSuppliers, supplierFacts, type SupplierFacts } from './supplier-identity.js';
import { invoiceTotal } from './tolerance.js';

/** At or above this score an earlier invoice is treated as the same bill (→ `duplicate`, hold). */
export const DUPLICATE_THRESHOLD = 0.8;
/** Amounts within this percent of each other count as "nearly equal" (a re-keyed or re-taxed copy). */
export const AMOUNT_BAND_PCT = 1;
/** Below the threshold but worth showing in the dossier (and enough to explain a matching failure). */
export const POSSIBLE_DUPLICATE = 0.6;

/** Invoices that were never submitted or were cancelled cannot be paid, so cannot be duplicated. */
const NOT_A_BILL = new Set(['voided', 'abandoned', 'rejected', 'draft', 'new', 'save_as_draft', 'invalid']);
const NUMBER_SCORE: Record<NumberMatch, number> = { exact: 1, normalised: 0.95, near: 0.6, different: 0 };

export interface DuplicateCandidate {
  invoiceId: number;
  invoiceNumber: string;
  status: string;
  paid: boolean;
  supplierId?: number;
  score: number;
  isDuplicate: boolean;
  /** Every line repeats (same PO line or description, quantity, price, total). */
  sameLines: boolean;
  sameAmount: boolean;
  /** The earlier invoice counts against PO quantities (approved, paid, in approval). */
  consumesPo: boolean;
  reasons: string[];
}

export interface DuplicateScore {
  score: number;
  reasons: string[];
  sameLines: boolean;
  sameAmount: boolean;
}

function isCredit(inv: Invoice, total: Money): boolean {
  const docType = String((inv as Record<string, unknown>).documentType ?? '').toLowerCase();
  return total.isNegative() || docType.includes('credit');
}

function lineKey(l: InvoiceLine): string {
  const what = l.orderLineId != null ? `ol${l.orderLineId}` : (l.description ?? '').trim().toLowerCase();
  return `${what}|${l.quantity ?? ''}|${l.price ?? ''}|${l.total ?? ''}`;
}

function sameLines(a: Invoice, b: Invoice): boolean {
  if (a.invoiceLines.length === 0 || a.invoiceLines.length !== b.invoiceLines.length) return false;
  const rest = b.invoiceLines.map(lineKey);
  for (const k of a.invoiceLines.map(lineKey)) {
    const i = rest.indexOf(k);
    if (i < 0) return false;
    rest.splice(i, 1);
  }
  return true;
}

function amountScore(a: Money, b: Money): number {
  if (a.currency !== b.currency) return 0;
  if (a.compare(b) === 0) return 1;
  const larger = a.abs().gt(b.abs()) ? a.abs() : b.abs();
  return a
    .minus(b)
    .abs()
    .lte(larger.percent(String(AMOUNT_BAND_PCT)))
    ? 0.8
    : 0;
}

function dateOf(inv: Invoice): number | undefined {
  return timeOf(inv.invoiceDate) ?? timeOf(inv.createdAt);
}

/** Scores one earlier invoice against the invoice under review (supplier link already known). */
export function scoreDuplicate(
  invoice: Invoice,
  other: Invoice,
  linkStrength: number,
  currency: string,
): DuplicateScore {
  const reasons: string[] = [];
  const numbers = compareInvoiceNumbers(invoice.invoiceNumber, other.invoiceNumber);
  const a = invoiceTotal(invoice, currency);
  const b = invoiceTotal(other, other.currency?.code ?? currency);
  if (isCredit(invoice, a) !== isCredit(other, b)) {
    return { score: 0, reasons: ['one is a credit note, the other an invoice'], sameLines: false, sameAmount: false };
  }
  const amount = amountScore(a, b);
  const ta = dateOf(invoice);
  const tb = dateOf(other);
  const days = ta !== undefined && tb !== undefined ? Math.round(Math.abs(ta - tb) / DAY_MS) : undefined;
  const near = days !== undefined && days <= 7;
  const lines = sameLines(invoice, other);
  if (numbers !== 'different')
    reasons.push(`invoice number "${invoice.invoiceNumber}" ~ "${other.invoiceNumber}" (${numbers})`);
  if (amount > 0)
    reasons.push(`amount ${a.format()} vs ${b.format()}${amount === 1 ? ' (equal)' : ` (within ${AMOUNT_BAND_PCT}%)`}`);
  if (days !== undefined) reasons.push(`invoice dates ${days} day(s) apart`);
  if (lines) reasons.push('same lines (PO line, quantity, price)');
  let evidence: number;
  if (numbers === 'exact' || numbers === 'normalised') {
    const date = days === undefined ? 0.5 : days === 0 ? 1 : near ? 0.7 : 0.5;
    evidence = NUMBER_SCORE[numbers] * (0.55 + 0.35 * amount + 0.1 * date);
  } else if (amount === 0) {
    evidence = 0;
  } else {
    const date = days === 0 ? 1 : near ? 0.7 : 0;
    evidence = Math.min(1, 0.45 * amount + 0.25 * date + 0.3 * (lines ? 1 : 0) + (numbers === 'near' ? 0.15 : 0));
  }
  return {
    score: Math.round(linkStrength * evidence * 1000) / 1000,
    reasons,
    sameLines: lines,
    sameAmount: amount === 1,
  };
}

/** Supplier facts per supplier id, built once per call (history can hold 100k invoices). */
function factsLookup(ctx: InvoiceContext): (inv: Invoice) => SupplierFacts {
  const records = new Map((ctx.otherSuppliers ?? []).map((s) => [s.id, s]));
  if (ctx.supplier) records.set(ctx.supplier.id, ctx.supplier);
  const info = ctx.supplierInformation ?? [];
  const cache = new Map<number | undefined, SupplierFacts>();
  return (inv) => {
    const id = inv.supplier?.id;
    const hit = cache.get(id);
    if (hit) return hit;
    const record = id === undefined ? undefined : records.get(id);
    const facts = record ? supplierFacts(record, info) : { id, name: inv.supplier?.name, bankAccounts: [] };
    cache.set(id, facts);
    return facts;
  };
}

/** Earlier bills of the same company in the window, scored, best first (score > 0 only). */
export function findDuplicateCandidates(ctx: InvoiceContext, controls: Controls): DuplicateCandidate[] {
  const inv = ctx.invoice;
  const currency = invoiceCurrency(ctx);
  const self: SupplierFacts = ctx.supplier
    ? supplierFacts(ctx.supplier, ctx.supplierInformation ?? [])
    : { id: inv.supplier?.id, name: inv.supplier?.name, bankAccounts: [] };
  const at = dateOf(inv);
  const factsOf = factsLookup(ctx);
  const links = new Map<number | undefined, ReturnType<typeof linkSuppliers>>();
  const out: DuplicateCandidate[] = [];
  for (const other of ctx.history ?? []) {
    if (other.id === inv.id || NOT_A_BILL.has(other.status)) continue;
    const when = dateOf(other);
    if (at !== undefined && when !== undefined && Math.abs(at - when) > controls.duplicate_window_days * DAY_MS)
      continue;
    const sid = other.supplier?.id;
    const link = links.get(sid) ?? linkSuppliers(self, factsOf(other));
    links.set(sid, link);
    if (link.strength === 0) continue;
    const s = scoreDuplicate(inv, other, link.strength, currency);
    if (s.score <= 0) continue;
    out.push({
      invoiceId: other.id,
      invoiceNumber: other.invoiceNumber,
      status: other.status,
      paid: other.paid === true,
      supplierId: other.supplier?.id,
      score: s.score,
      isDuplicate: s.score >= DUPLICATE_THRESHOLD,
      sameLines: s.sameLines,
      sameAmount: s.sameAmount,
      consumesPo: consumesPo(other),
      reasons: [link.reason, ...s.reasons],
    });
  }
  return out.sort((x, y) => y.score - x.score);
}

/** A `duplicate` finding for the best candidate at or above the threshold. */
export function duplicateFindings(candidates: readonly DuplicateCandidate[]): Finding[] {
  const best = candidates.find((c) => c.isDuplicate);
  if (!best) return [];
  const state = best.paid ? 'paid' : best.status;
  return [
    finding(
      'duplicate',
      `Likely duplicate of invoice ${best.invoiceNumber} (id ${best.invoiceId}, ${state}), score ${best.score.toFixed(2)}: ${best.reasons.join('; ')}.`,
      {
        originalInvoiceId: String(best.invoiceId),
        originalInvoiceNumber: best.invoiceNumber,
        originalStatus: state,
        score: best.score.toFixed(2),
        threshold: DUPLICATE_THRESHOLD.toFixed(2),
      },
      [`invoice ${best.invoiceNumber} (id ${best.invoiceId}, ${state})`, ...best.reasons],
    ),
  ];
}
