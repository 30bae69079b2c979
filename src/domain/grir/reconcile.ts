/**
 * Reconciling one PO line: what was received (receipts less returns and voids) against what was
 * invoiced (approved and paid invoice lines less credit notes), by quantity and by value. GR is
 * valued at the PO price, IR at what the invoices say; the difference is the line's GR/IR balance.
 * Pure: the clock is the `asOf` argument.
 */
import { Dec } from '../money.js';
import type { InvoiceLineFact, OpenItem, OpenItemKind, PoLineFact, ReceiptFact } from './types.js';

/** Invoice statuses that post to GR/IR (the invoice receipt). Paid invoices are `approved` with `paid`. */
const POSTED_STATUSES: ReadonlySet<string> = new Set(['approved', 'paid', 'payable_adjustment']);

/** Statuses of an invoice that is on its way but not yet posted. */
export const IN_PROCESS_STATUSES: ReadonlySet<string> = new Set([
  'new',
  'draft',
  'pending_approval',
  'pending_receipt',
  'on_hold',
  'ap_hold',
  'booking_hold',
  'pending_action',
  'disputed',
  'processing',
  'save_as_draft',
]);

const ZERO = new Dec(0);
const DAY_MS = 86_400_000;

export function isPosted(line: InvoiceLineFact): boolean {
  return line.paid || POSTED_STATUSES.has(line.invoiceStatus);
}

/** A receipt's effect on the received quantity: +1 receipt, −1 return or void, 0 consumption/disposal/voided. */
export function receiptSign(receipt: ReceiptFact, voided: ReadonlySet<number>): -1 | 0 | 1 {
  if (receipt.status === 'voided' || receipt.status === 'void') return 0;
  const type = receipt.type.toLowerCase();
  if (type.startsWith('void')) {
    // A void of a transaction already marked voided would count twice.
    if (receipt.originalTransactionId !== null && voided.has(receipt.originalTransactionId)) return 0;
    return type.includes('returntosupplier') ? 1 : -1;
  }
  if (type.includes('returntosupplier')) return -1;
  if (type.includes('consumption') || type.includes('disposal')) return 0;
  return 1;
}

const dec = (v: string | null | undefined): Dec => (v === null || v === undefined || v === '' ? ZERO : new Dec(v));

/** The line's value of a posted invoice line in the PO currency (null when it cannot be brought to it). */
export function invoiceValue(line: InvoiceLineFact, poCurrency: string): Dec | null {
  const sign = line.isCreditNote && dec(line.total).gt(0) ? -1 : 1;
  if (line.accountingTotal !== null && line.accountingCurrency === poCurrency)
    return dec(line.accountingTotal).times(sign);
  if (line.currency === null || line.currency === poCurrency) return dec(line.total).times(sign);
  return null;
}

function invoiceQuantity(line: InvoiceLineFact): Dec {
  const q = dec(line.quantity);
  // Credit notes carry positive or negative quantities depending on the sender: a credit reduces.
  return line.isCreditNote ? q.abs().neg() : q;
}

export interface LineBalance {
  receivedQty: Dec;
  invoicedQty: Dec;
  receivedValue: Dec;
  invoicedValue: Dec;
  /** Invoices in another currency without an accounting total in the PO's: their value is unknown. */
  unconvertible: number;
  lastReceipt: string | null;
  lastInvoice: string | null;
}

/** Received and invoiced quantity and value of one PO line, counting documents dated on or before `asOf`. */
export function balanceOf(
  line: PoLineFact,
  receipts: readonly ReceiptFact[],
  invoices: readonly InvoiceLineFact[],
  asOf: string,
): LineBalance {
  const price = dec(line.price);
  const voided = new Set(receipts.filter((r) => r.status === 'voided' || r.status === 'void').map((r) => r.id));
  let receivedQty = ZERO;
  let receivedAmount = ZERO;
  let lastReceipt: string | null = null;
  for (const r of receipts) {
    if (r.transactionDate !== null && r.transactionDate.slice(0, 10) > asOf) continue;
    const sign = receiptSign(r, voided);
    if (sign === 0) continue;
    receivedQty = receivedQty.plus(dec(r.quantity).abs().times(sign));
    receivedAmount = receivedAmount.plus(dec(r.total).abs().times(sign));
    if (sign > 0 && r.transactionDate !== null && (lastReceipt === null || r.transactionDate > lastReceipt))
      lastReceipt = r.transactionDate;
  }
  let invoicedQty = ZERO;
  let invoicedValue = ZERO;
  let unconvertible = 0;
  let lastInvoice: string | null = null;
  for (const i of invoices) {
    if (!isPosted(i) || (i.invoiceDate !== null && i.invoiceDate.slice(0, 10) > asOf)) continue;
    const value = invoiceValue(i, line.currency);
    if (value === null) unconvertible++;
    else invoicedValue = invoicedValue.plus(value);
    invoicedQty = invoicedQty.plus(invoiceQuantity(i));
    if (i.invoiceDate !== null && (lastInvoice === null || i.invoiceDate > lastInvoice)) lastInvoice = i.invoiceDate;
  }
  // GR is valued at the PO price; an amount line is received by value.
  const receivedValue = line.isAmountLine ? receivedAmount : receivedQty.times(price);
  return {
    receivedQty: line.isAmountLine ? receivedAmount : receivedQty,
    invoicedQty: line.isAmountLine ? invoicedValue : invoicedQty,
    receivedValue,
    invoicedValue,
    unconvertible,
    lastReceipt,
    lastInvoice,
  };
}

function ageFrom(date: string | null, asOf: string): number {
  if (date === null) return 0;
  return Math.max(0, Math.floor((Date.parse(asOf.slice(0, 10)) - Date.parse(date.slice(0, 10))) / DAY_MS));
}

/** The line's open item, or null when receipts and invoices clear (in quantity and in value). */
export function openItemOf(line: PoLineFact, b: LineBalance, asOf: string): OpenItem | null {
  const qtyDiff = b.receivedQty.minus(b.invoicedQty);
  const balance = b.receivedValue.minus(b.invoicedValue).toDecimalPlaces(2);
  if (qtyDiff.isZero() && balance.isZero()) return null;
  const kind: OpenItemKind = line.isAmountLine
    ? balance.gt(0)
      ? 'received_not_invoiced'
      : 'invoiced_not_received'
    : qtyDiff.gt(0)
      ? 'received_not_invoiced'
      : qtyDiff.lt(0)
        ? 'invoiced_not_received'
        : 'price_difference';
  const since = kind === 'received_not_invoiced' ? (b.lastReceipt ?? b.lastInvoice) : (b.lastInvoice ?? b.lastReceipt);
  return {
    poLineId: line.poLineId,
    poId: line.poId,
    poNumber: line.poNumber,
    lineNum: line.lineNum,
    supplierName: line.supplierName,
    kind,
    currency: line.currency,
    balance: balance.toFixed(2),
    amount: balance.abs().toFixed(2),
    quantityDiff: line.isAmountLine ? null : qtyDiff.toString(),
    receivedQty: b.receivedQty.toString(),
    invoicedQty: b.invoicedQty.toString(),
    receivedValue: b.receivedValue.toFixed(2),
    invoicedValue: b.invoicedValue.toFixed(2),
    ageDays: ageFrom(since, asOf),
    since: since ? since.slice(0, 10) : null,
  };
}

/** Age buckets the book is reported by. */
export const AGE_BUCKETS = ['0-30', '31-60', '61-90', '91-180', '180+'] as const;
export type AgeBucket = (typeof AGE_BUCKETS)[number];

export function ageBucket(days: number): AgeBucket {
  if (days <= 30) return '0-30';
  if (days <= 60) return '31-60';
  if (days <= 90) return '61-90';
  if (days <= 180) return '91-180';
  return '180+';
}
