/**
 * Invoice drafts in Coupa's wire shape: PO-backed lines (`order-line-id`) or non-PO lines (an
 * `account` and `requested-by`), header tax, extras, remit-to, and failed tolerances. Ids come
 * later (`finalizeInvoices`); an invoice that consumes its PO lines bumps their `invoiced`.
 */
import { dateOnly, isoSeconds, DAY_MS, type GenContext, type InvoiceDraft, type UserRef } from './context.js';
import { applyBp, fmt, qty, times, type Cents } from './money.js';
import { syncOrderLine, type OrderLineHandle } from './purchase-orders.js';
import { codeRef, currencyRef, supplierRef, userRef } from './refs.js';
import type { SupplierProfile } from './supplier-profile.js';

export interface InvoiceLineSpec {
  /** The PO line billed; absent on non-PO lines. */
  orderLine?: OrderLineHandle;
  /** A PO number that resolves to nothing (missing_po). */
  danglingPoNumber?: string;
  description?: string;
  /** Units (quantity lines); ignored on amount lines. */
  quantity: number;
  /** Unit price (quantity lines) or line amount (amount lines). */
  price: Cents;
  amountLine?: boolean;
  partNum?: string;
  uom?: string;
  account?: string;
}

export interface ToleranceSpec {
  code: string;
  lineIndex: number | null;
  breachAmount?: string | null;
  breachLimit?: string | null;
  detail: string;
}

export interface InvoiceSpec {
  supplier: SupplierProfile;
  number: string;
  createdMs: number;
  /** `paid` is written as Coupa does: status `approved` with `paid: true`. */
  status: 'paid' | 'approved' | 'pending_approval' | 'ap_hold' | 'pending_receipt' | 'disputed' | 'voided';
  lines: InvoiceLineSpec[];
  /** Override of the computed header tax (tax_variance). */
  taxAmount?: Cents;
  shipping?: Cents;
  /** `null`: the invoice carries no date / payment term (missing_information). */
  invoiceDateMs?: number | null;
  paymentTerm?: null;
  remitTo?: Record<string, unknown>;
  currency?: 'USD' | 'EUR';
  requestedBy?: UserRef;
  supplierNote?: string;
  tolerances?: ToleranceSpec[];
  attachments?: Array<Record<string, unknown>>;
  disputeReason?: string;
}

export interface InvoiceTotals {
  net: Cents;
  tax: Cents;
  gross: Cents;
}

const NO_TOLERANCES: InvoiceDraft['tolerances'] = Object.freeze([]);
const CONSUMES_PO: ReadonlySet<InvoiceSpec['status']> = new Set(['paid', 'approved', 'pending_approval']);

/** Builds an invoice draft, registers it, and returns it with its totals. */
export function createInvoice(ctx: GenContext, spec: InvoiceSpec): { draft: InvoiceDraft; totals: InvoiceTotals } {
  const s = spec.supplier;
  const lines = spec.lines.map((line, i) => invoiceLine(ctx, s, line, i + 1, spec.currency ?? s.currency));
  const net = spec.lines.reduce((sum, l) => sum + lineTotal(l), 0);
  const tax = spec.taxAmount ?? applyBp(net, s.taxBp);
  const shipping = spec.shipping ?? 0;
  const gross = net + tax + shipping;
  const dateMs = spec.invoiceDateMs === undefined ? spec.createdMs - ctx.rng.int(0, 4) * DAY_MS : spec.invoiceDateMs;
  const paid = spec.status === 'paid';
  const held = spec.status === 'ap_hold' || spec.status === 'pending_receipt';
  const record: InvoiceDraft['record'] = {
    id: 0,
    'invoice-number': spec.number,
    'invoice-date': dateMs === null ? null : dateOnly(isoSeconds(dateMs)),
    status: paid ? 'approved' : spec.status,
    'document-type': 'Invoice',
    'created-at': isoSeconds(spec.createdMs),
    'updated-at': isoSeconds(spec.createdMs + (paid ? 30 : 1) * DAY_MS),
    currency: currencyRef(ctx, spec.currency ?? s.currency),
    supplier: supplierRef(ctx, s),
    'remit-to-address': spec.remitTo ?? ctx.ref('remit-to', s.id, () => ({ ...s.remitTo })),
    'payment-term':
      spec.paymentTerm === null
        ? null
        : ctx.ref('term', s.paymentTerm.code, () => ({
            code: s.paymentTerm.code,
            'days-for-net-payment': s.paymentTerm.days,
          })),
    'account-type': ctx.ref('account-type', 0, () => ({ name: 'Northwind Corporate' })),
    'line-level-taxation': false,
    'tax-amount': fmt(tax),
    'tax-rate': s.taxBp / 100,
    'shipping-amount': fmt(shipping),
    'handling-amount': '0.00',
    'misc-amount': '0.00',
    'gross-total': fmt(gross),
    'total-with-taxes': fmt(gross),
    paid,
    'payment-date': paid ? paymentDate(ctx, spec.createdMs, s.paymentTerm.days) : null,
    'supplier-note': spec.supplierNote ?? null,
    'internal-note': null,
    'requested-by': spec.requestedBy ? userRef(ctx, spec.requestedBy) : null,
    'tolerance-failures':
      held && spec.tolerances?.length
        ? spec.tolerances
            .map((t) => t.detail)
            .join('; ')
            .slice(0, 512)
        : null,
    'failed-tolerances': [],
    'dispute-reasons': spec.disputeReason ? [{ code: spec.disputeReason }] : [],
    attachments: spec.attachments ?? [
      {
        type: 'AttachmentFile',
        intent: 'Supplier',
        'file-file-name': `${spec.number.replace(/[^A-Za-z0-9-]/g, '_')}.pdf`,
      },
    ],
    exported: paid,
    'invoice-lines': lines,
  };
  const tolerances = spec.tolerances?.length
    ? spec.tolerances.map((t) => ({ record: toleranceRecord(t, !held), lineIndex: t.lineIndex }))
    : NO_TOLERANCES;
  const draft: InvoiceDraft = { record, createdMs: spec.createdMs, lines, tolerances };
  if (CONSUMES_PO.has(spec.status)) {
    for (const line of spec.lines) {
      if (!line.orderLine) continue;
      line.orderLine.invoiced += line.amountLine ? line.price : line.quantity;
      syncOrderLine(line.orderLine);
    }
  }
  ctx.invoices.push(draft);
  return { draft, totals: { net, tax, gross } };
}

/** Paid on the due date, or yesterday when the due date has not come yet (paid early). */
export function paymentDate(ctx: GenContext, createdMs: number, termDays: number): string {
  return dateOnly(isoSeconds(Math.min(createdMs + termDays * DAY_MS, ctx.nowMs - DAY_MS)));
}

function lineTotal(line: InvoiceLineSpec): Cents {
  return line.amountLine ? line.price : times(line.price, line.quantity);
}

function invoiceLine(
  ctx: GenContext,
  s: SupplierProfile,
  line: InvoiceLineSpec,
  lineNum: number,
  currency: string,
): Record<string, unknown> {
  const ol = line.orderLine;
  return {
    id: 0,
    'line-num': lineNum,
    type: line.amountLine ? 'InvoiceAmountLine' : 'InvoiceQuantityLine',
    description: line.description ?? ol?.item.description ?? 'Services',
    quantity: line.amountLine ? null : qty(line.quantity),
    price: fmt(line.price),
    total: fmt(lineTotal(line)),
    'order-line-id': ol ? ol.record.id : null,
    'po-number': ol ? String(ol.po.record.id) : (line.danglingPoNumber ?? null),
    'order-header-num': ol ? String(ol.po.record.id) : (line.danglingPoNumber ?? null),
    'order-line-num': ol ? String(ol.lineNum) : null,
    'source-part-num': line.partNum ?? ol?.item.partNum ?? null,
    uom: line.amountLine ? null : codeRef(ctx, 'uom', line.uom ?? ol?.item.uom ?? 'EA'),
    account: codeRef(ctx, 'account', line.account ?? ol?.account ?? s.accountCode),
    currency: currencyRef(ctx, currency),
    'tax-amount': null,
    'failed-tolerances': [],
  };
}

function toleranceRecord(t: ToleranceSpec, resolved: boolean): Record<string, unknown> {
  return {
    id: 0,
    code: t.code,
    'failable-type': t.lineIndex === null ? 'InvoiceHeader' : 'InvoiceLine',
    'failable-id': 0,
    resolved,
    'resolution-strategy': resolved ? 'accepted_by_reviewer' : null,
    'breach-amount': t.breachAmount ?? null,
    'breach-limit': t.breachLimit ?? null,
    'breach-detail-1': t.detail,
    'breach-detail-2': null,
  };
}

/**
 * Gives invoices, lines, tolerances, approvals and comments their ids in `created-at` order and
 * moves them into the dataset. Call once, after every invoice exists.
 */
export function finalizeInvoices(ctx: GenContext): void {
  const drafts = ctx.invoices;
  drafts.sort((a, b) => a.createdMs - b.createdMs); // stable: ties keep creation order
  for (const draft of drafts) {
    draft.record.id = ctx.nextId('invoice');
    for (const line of draft.lines) line.id = ctx.nextId('invoice-line');
    const header = draft.record['failed-tolerances'] as Array<Record<string, unknown>>;
    for (const { record, lineIndex } of draft.tolerances) {
      record.id = ctx.nextId('failed-tolerance');
      const line = lineIndex === null ? undefined : draft.lines[lineIndex];
      record['failable-id'] = line ? line.id : draft.record.id;
      if (line) (line['failed-tolerances'] as Array<Record<string, unknown>>).push(record);
      else header.push(record);
    }
    for (const approval of draft.approvals ?? []) {
      approval.id = ctx.nextId('approval');
      approval['approvable-id'] = draft.record.id;
      ctx.dataset.approvals.push(approval as { id: number });
    }
    for (const comment of draft.comments ?? []) {
      comment.id = ctx.nextId('comment');
      comment['commentable-id'] = draft.record.id;
      ctx.dataset.comments.push(comment);
    }
    ctx.dataset.invoices.push(draft.record);
  }
}
