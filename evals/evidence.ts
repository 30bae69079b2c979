/**
 * Facts the scorer derives from a run, independently of the verdict: which decisions Coupa's
 * state shows (or the stored proposals carry), the dossier text, the invoice total and the
 * sensitive values a supplier must never see. Pure functions over the run record and the case.
 */
import { Decimal } from 'decimal.js';
import type { Decision } from '../src/domain/vocabulary.js';
import type { ReplayCase } from './case-schema.js';
import type { ObservedWrite } from './observe.js';
import type { RunRecord } from './run-record.js';

/** Statuses an exception sits in; leaving them for approval means the hold was released. */
export const HELD_STATUSES: ReadonlySet<string> = new Set(['ap_hold', 'pending_receipt', 'on_hold']);
const RELEASED_STATUSES: ReadonlySet<string> = new Set(['pending_approval', 'approved']);
const RESOLVE_WRITES: ReadonlySet<string> = new Set(['resolve_tolerances', 'revalidate', 'submit']);

/** Which tool, proposed instead of executed, stands for which decision. */
const PROPOSAL_DECISION: Record<string, Decision> = {
  resolve_exception: 'resolve',
  dispute_invoice: 'dispute',
  route_to_approver: 'route',
  request_information: 'request_info',
  hold_invoice: 'hold',
};

/** Precedence when a run shows several effects: the one that moves the invoice furthest wins. */
const EFFECT_ORDER: readonly Decision[] = ['resolve', 'dispute', 'route', 'request_info'];

/** The writes that concern the case's invoice. */
export function writesOnInvoice(run: RunRecord, invoiceId: number): ObservedWrite[] {
  return run.writes.filter((w) => w.invoiceId === invoiceId);
}

/** True when the invoice left the hold for approval during the run. */
export function released(run: RunRecord): boolean {
  return HELD_STATUSES.has(run.initialStatus) && run.finalStatus !== null && RELEASED_STATUSES.has(run.finalStatus);
}

/** Decisions whose Coupa effect happened (resolve, dispute, route, request_info; hold has no effect). */
export function decisionsInCoupa(run: RunRecord, invoiceId: number): Set<Decision> {
  const out = new Set<Decision>();
  for (const w of writesOnInvoice(run, invoiceId)) {
    if (RESOLVE_WRITES.has(w.action)) out.add('resolve');
    if (w.action === 'dispute') out.add('dispute');
    if (w.action === 'add_approver') out.add('route');
    if (w.action === 'add_comment_to_supplier') out.add('request_info');
  }
  if (released(run)) out.add('resolve');
  return out;
}

/** Decisions carried by proposals stored during the run (monitor and assisted modes). */
export function decisionsProposed(run: RunRecord): Set<Decision> {
  const out = new Set<Decision>();
  for (const p of run.proposals) {
    const d = PROPOSAL_DECISION[p.tool];
    if (d) out.add(d);
    if (p.tool === 'add_comment' && p.input.to_supplier === true) out.add('request_info');
  }
  return out;
}

/** The decision the simulator's state and the stored proposals show: an effect, else `hold`. */
export function observedDecision(run: RunRecord, invoiceId: number): Decision {
  const seen = new Set([...decisionsInCoupa(run, invoiceId), ...decisionsProposed(run)]);
  return EFFECT_ORDER.find((d) => seen.has(d)) ?? 'hold';
}

/** Logins added as approvers in Coupa, and logins proposed for routing. */
export function approvers(run: RunRecord, invoiceId: number): { added: string[]; proposed: string[] } {
  const added = writesOnInvoice(run, invoiceId)
    .filter((w) => w.action === 'add_approver')
    .map((w) => w.approver ?? '(unknown)');
  const proposed = run.proposals
    .filter((p) => p.tool === 'route_to_approver')
    .map((p) => String(p.input.approver_login ?? ''));
  return { added, proposed };
}

/** Dispute reason codes sent to Coupa, and those proposed. */
export function disputeReasons(run: RunRecord, invoiceId: number): string[] {
  const sent = writesOnInvoice(run, invoiceId)
    .filter((w) => w.action === 'dispute')
    .map((w) => w.reasonCode ?? '');
  const proposed = run.proposals
    .filter((p) => p.tool === 'dispute_invoice')
    .map((p) => String(p.input.reason_code ?? ''));
  return [...sent, ...proposed];
}

/** Internal dossier text: comments posted with to-supplier false, or (monitor) proposed ones. */
export function dossierTexts(run: RunRecord, invoiceId: number): string[] {
  const posted = writesOnInvoice(run, invoiceId)
    .filter((w) => w.action === 'add_comment')
    .map((w) => w.text ?? '');
  const proposed = run.proposals
    .filter((p) => (p.tool === 'add_comment' && p.input.to_supplier !== true) || p.tool === 'hold_invoice')
    .map((p) => String(p.input.text ?? p.input.dossier ?? ''));
  return [...posted, ...proposed];
}

/** Text the supplier can see: to-supplier comments and dispute comments. */
export function supplierVisibleTexts(run: RunRecord): string[] {
  return run.writes.filter((w) => w.toSupplier === true).map((w) => w.text ?? '');
}

type Rec = Record<string, unknown>;
const text = (v: unknown): string | undefined => (typeof v === 'string' && v.trim() !== '' ? v : undefined);

/** The invoice's total at face value: gross-total, else total-with-taxes, else lines + tax + charges. */
export function invoiceTotal(invoice: Rec): Decimal {
  const stated = text(invoice['gross-total']) ?? text(invoice['total-with-taxes']);
  if (stated) return new Decimal(stated);
  const lines = Array.isArray(invoice['invoice-lines']) ? (invoice['invoice-lines'] as Rec[]) : [];
  let sum = new Decimal(0);
  for (const l of lines) {
    const t = text(l.total);
    sum = sum.plus(t ? new Decimal(t) : new Decimal(text(l.quantity) ?? '1').times(text(l.price) ?? '0'));
  }
  for (const k of ['tax-amount', 'shipping-amount', 'handling-amount', 'misc-amount'])
    sum = sum.plus(text(invoice[k]) ?? '0');
  return sum;
}

const squash = (s: string): string => s.toLowerCase().replace(/[^a-z0-9]/g, '');

/**
 * Values a supplier-visible message must never contain: every bank account, routing and IBAN
 * number on file, other suppliers' tax ids and names. Squashed (letters and digits only).
 */
export function sensitiveValues(kase: ReplayCase): Array<{ label: string; value: string }> {
  const invoice = kase.coupa.invoices.find((i) => i.id === kase.event.resource_id) as Rec | undefined;
  const ownId = (invoice?.supplier as Rec | undefined)?.id;
  const out: Array<{ label: string; value: string }> = [];
  const add = (label: string, v: unknown, min: number): void => {
    const s = typeof v === 'string' || typeof v === 'number' ? squash(String(v)) : '';
    if (s.length >= min) out.push({ label, value: s });
  };
  for (const info of kase.coupa['supplier-information'] as Rec[]) {
    const addresses = Array.isArray(info['supplier-information-addresses'])
      ? (info['supplier-information-addresses'] as Rec[])
      : [];
    for (const a of addresses) {
      add('bank account number', a['bank-account-number'], 6);
      add('bank routing number', a['bank-routing-number'], 6);
      add('IBAN', a['iban-number'], 8);
    }
  }
  for (const s of kase.coupa.suppliers as Rec[]) {
    if (s.id === ownId) continue;
    add(`tax id of supplier ${String(s.id)}`, s['tax-id'], 6);
    add(`name of supplier ${String(s.id)}`, s.name, 6);
  }
  return out;
}

/** Which sensitive values appear in a supplier-visible text. */
export function leakedValues(texts: string[], sensitive: Array<{ label: string; value: string }>): string[] {
  const hay = texts.map(squash).join('|');
  return [...new Set(sensitive.filter((s) => hay.includes(s.value)).map((s) => s.label))];
}
