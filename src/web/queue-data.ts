/**
 * The review queue: everything waiting for a person, oldest first — pending proposals (writes the
 * guard would not execute alone) and routed exceptions (settlements that route, hold or ask for
 * information, or that did not execute, and that nobody has decided on the review page yet).
 */
import { Decimal } from 'decimal.js';
import { z } from 'zod';
import type { Runtime } from '../app/runtime.js';
import type { Invoice } from '../coupa/schemas.js';
import { ExceptionType } from '../domain/vocabulary.js';
import type { Proposal } from '../guard/proposals.js';
import { HELD_STATUSES } from '../coupa/invoice-statuses.js';
import { settlementsByProposal, undecidedLatestSettlements, type SettlementRow } from './review-store.js';

const blankToUndefined = (v: unknown): unknown => (typeof v === 'string' && v.trim() === '' ? undefined : v);
const Amount = z.preprocess(
  blankToUndefined,
  z
    .string()
    .trim()
    .regex(/^\d+(\.\d+)?$/, 'a number such as 250 or 1000.00')
    .optional(),
);

/** Queue filters as they arrive in the query string; blanks mean "any". */
export const QueueFilter = z.object({
  type: z.preprocess(blankToUndefined, ExceptionType.optional()),
  supplier: z.preprocess(blankToUndefined, z.string().trim().max(100).optional()),
  min: Amount,
  max: Amount,
  /** Waiting at least this many days. */
  age: z.preprocess(blankToUndefined, z.coerce.number().int().min(0).max(3650).optional()),
});
export type QueueFilter = z.infer<typeof QueueFilter>;

export interface QueueItem {
  kind: 'proposal' | 'routed';
  invoiceId: number;
  invoiceNumber: string | null;
  supplierName: string | null;
  exceptionType: string;
  amount: string | null;
  currency: string | null;
  /** What waits: "resolve_exception (proposed by settle-agent)", "route to ap.review". */
  action: string;
  confidence: number | null;
  proposal?: Proposal;
  settlement?: SettlementRow;
  waitingSince: string;
  ageMs: number;
}

const WAITING_DECISIONS = new Set(['route', 'hold', 'request_info']);

/** A settlement waits for people when it routed/held/asked, or did not execute, and has no proposal of its own. */
function waitsForPeople(s: SettlementRow): boolean {
  if (s.verdict.outcome === 'not_actionable' || (s.verdict.proposal_ids?.length ?? 0) > 0) return false;
  return WAITING_DECISIONS.has(s.decision) || !s.executed;
}

function routedAction(s: SettlementRow): string {
  const done = s.executed ? '' : ` (not executed: ${s.verdict.outcome ?? 'waiting'})`;
  if (s.decision === 'route') return `to ${s.routeTo ?? 'a reviewer'}${done}`;
  if (s.decision === 'request_info') return `information requested from the supplier${done}`;
  if (s.decision === 'hold') return `held with a dossier${done}`;
  return `${s.decision}${done}`;
}

/** "Route to jlee", "Dispute (INCORRECT-PRICE)", "Resolve" — what the proposal would do, in words. */
export function describeProposal(p: Pick<Proposal, 'tool' | 'input'>): string {
  const arg = (k: string): string => String(p.input[k] ?? '?');
  switch (p.tool) {
    case 'resolve_exception':
      return 'Resolve';
    case 'route_to_approver':
      return `Route to ${arg('approver_login')}`;
    case 'dispute_invoice':
      return `Dispute (${arg('reason_code')})`;
    case 'hold_invoice':
      return 'Hold with a dossier';
    case 'request_information':
      return 'Request information';
    case 'add_comment':
      return 'Add a comment';
    case 'request_supplier_change':
      return 'Supplier master change request';
    case 'correct_tax_rate':
      return 'Correct the tax rate';
    default:
      return p.tool;
  }
}

async function invoicesById(runtime: Runtime, ids: number[]): Promise<Map<number, Invoice | null>> {
  const out = new Map<number, Invoice | null>();
  // Cached reads; a Coupa hiccup leaves the amount blank rather than failing the queue.
  await Promise.all(
    [...new Set(ids)].map(async (id) => out.set(id, await runtime.records.invoice(id).catch(() => null))),
  );
  return out;
}

function matches(item: QueueItem, f: QueueFilter): boolean {
  if (f.type && item.exceptionType !== f.type) return false;
  if (f.supplier && !(item.supplierName ?? '').toLowerCase().includes(f.supplier.toLowerCase())) return false;
  if ((f.min || f.max) && item.amount === null) return false;
  if (f.min && new Decimal(item.amount!).lt(f.min)) return false;
  if (f.max && new Decimal(item.amount!).gt(f.max)) return false;
  if (f.age !== undefined && item.ageMs < f.age * 86_400_000) return false;
  return true;
}

/** Everything waiting for a person, oldest first, filtered. */
export async function loadQueue(runtime: Runtime, filter: QueueFilter = {}): Promise<QueueItem[]> {
  const proposals = await runtime.proposals.list({ status: 'pending', limit: 500 });
  const byProposal = await settlementsByProposal(
    runtime.db,
    proposals.map((p) => p.id),
  );
  const routed = (await undecidedLatestSettlements(runtime.db)).filter(waitsForPeople);
  const invoices = await invoicesById(runtime, [
    ...proposals.map((p) => p.invoiceId).filter((id): id is number => id !== null),
    ...routed.map((s) => s.invoiceId),
  ]);
  const now = runtime.now().getTime();

  const items: QueueItem[] = [];
  for (const p of proposals) {
    const s = byProposal.get(p.id);
    const invoice = p.invoiceId === null ? null : (invoices.get(p.invoiceId) ?? null);
    // The settlement's time is on the same clock as `now` (the simulator's, in the embedded default).
    const since = s?.settledAt ?? p.createdAt;
    items.push({
      kind: 'proposal',
      invoiceId: p.invoiceId ?? 0,
      invoiceNumber: invoice?.invoiceNumber ?? s?.verdict.invoice_number ?? null,
      supplierName: s?.supplierName ?? invoice?.supplier?.name ?? null,
      exceptionType: s?.exceptionType ?? 'other',
      amount: p.invoiceTotal ?? invoice?.grossTotal ?? null,
      currency: invoice?.currency?.code ?? null,
      action: `${describeProposal(p)} — proposed by ${p.proposer}`,
      confidence: s?.verdict.confidence ?? null,
      proposal: p,
      ...(s ? { settlement: s } : {}),
      waitingSince: since,
      ageMs: Math.max(0, now - Date.parse(since)),
    });
  }
  for (const s of routed) {
    const invoice = invoices.get(s.invoiceId) ?? null;
    // Settled elsewhere since (an approver acted in Coupa): nothing waits here any more.
    if (invoice && !HELD_STATUSES.has(invoice.status)) continue;
    items.push({
      kind: 'routed',
      invoiceId: s.invoiceId,
      invoiceNumber: invoice?.invoiceNumber ?? s.verdict.invoice_number ?? null,
      supplierName: s.supplierName ?? invoice?.supplier?.name ?? null,
      exceptionType: s.exceptionType,
      amount: invoice?.grossTotal ?? invoice?.totalWithTaxes ?? null,
      currency: invoice?.currency?.code ?? null,
      action: routedAction(s),
      confidence: s.verdict.confidence ?? null,
      settlement: s,
      waitingSince: s.settledAt,
      ageMs: Math.max(0, now - Date.parse(s.settledAt)),
    });
  }
  return items.filter((i) => matches(i, filter)).sort((a, b) => b.ageMs - a.ageMs || a.invoiceId - b.invoiceId);
}
