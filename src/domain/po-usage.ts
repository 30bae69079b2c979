/**
 * How much of a PO line has already been received and invoiced. Units for quantity lines, money
 * (as a plain Dec in the PO's currency) for amount lines.
 */
import type { Invoice, InvoiceLine, OrderLine, ReceivingTransaction } from '../coupa/schemas.js';
import { Dec, decimalOr } from './money.js';

/**
 * Invoices that consume PO quantity, as Coupa's order-line `invoiced` counter counts them: in
 * approval, approved, being paid, or paid. Held invoices are unresolved exceptions themselves
 * (often the very duplicate under review); disputed, voided, abandoned, rejected and draft ones
 * do not consume the PO.
 */
const CONSUMING_STATUSES = new Set(['pending_approval', 'approved', 'processing', 'payable_adjustment']);

/** True when this invoice counts against PO quantities. */
export function consumesPo(invoice: Invoice): boolean {
  return invoice.paid === true || CONSUMING_STATUSES.has(invoice.status);
}

/** Amount lines are compared in money, quantity lines in units. */
export function isAmountBasis(orderLine: OrderLine, line?: InvoiceLine): boolean {
  return orderLine.type === 'OrderAmountLine' || line?.type === 'InvoiceAmountLine';
}

/** What this invoice line bills against its PO line: units, or the line total for amount lines. */
export function billedOn(line: InvoiceLine, amountBasis: boolean): Dec {
  if (amountBasis) return decimalOr(line.total ?? multiply(line.quantity, line.price));
  if (line.quantity != null) return decimalOr(line.quantity);
  // A quantity line that prints only price and total bills total ÷ price units.
  const price = decimalOr(line.price);
  return line.total != null && !price.isZero() ? decimalOr(line.total).dividedBy(price) : new Dec(0);
}

/** What the PO line orders: units, or its total for amount lines. */
export function orderedOn(orderLine: OrderLine, amountBasis: boolean): Dec {
  if (amountBasis) return decimalOr(orderLine.total ?? orderLine.price);
  return decimalOr(orderLine.quantity);
}

/** +1 for a receipt, −1 for its reversal or a return to the supplier, 0 for consumption/disposal. */
function receiptSign(tx: ReceivingTransaction): number {
  if (tx.status === 'voided') return 0;
  const voiding = tx.type.startsWith('Void');
  if (/ReturnToSupplier/.test(tx.type)) return voiding ? 1 : -1;
  if (/Receipt/.test(tx.type)) return voiding ? -1 : 1;
  return 0;
}

export interface ReceivedFigure {
  received: Dec;
  /** Where the figure came from, for the evidence. */
  source: string;
  receiptIds: number[];
}

/**
 * Received on a PO line: the sum of its receiving transactions, or, when none were supplied, the
 * order line's own `received` counter. For `3-way-direct` only receipts sharing the invoice line's
 * match reference count.
 */
export function receivedOn(
  orderLine: OrderLine,
  receipts: readonly ReceivingTransaction[],
  amountBasis: boolean,
  matchReference?: string | null,
): ReceivedFigure {
  let mine = receipts.filter((r) => r.orderLine.id === orderLine.id);
  if (matchReference) mine = mine.filter((r) => r.matchReference === matchReference);
  if (mine.length === 0 && !matchReference) {
    return {
      received: decimalOr(orderLine.received),
      source: `order line ${orderLine.id} received counter`,
      receiptIds: [],
    };
  }
  let total = new Dec(0);
  for (const r of mine) {
    const size = amountBasis ? decimalOr(r.total ?? multiply(r.quantity, r.price)) : decimalOr(r.quantity);
    total = total.plus(size.times(receiptSign(r)));
  }
  const ids = mine.map((r) => r.id);
  return { received: total, source: ids.length ? `receipts ${ids.join(', ')}` : 'no receipts', receiptIds: ids };
}

export interface InvoicedFigure {
  alreadyInvoiced: Dec;
  /** Other invoices counted, with what each billed on this line. */
  invoices: Array<{ id: number; invoiceNumber: string; billed: string }>;
  source: string;
}

/**
 * Already invoiced on a PO line by OTHER invoices. Coupa's `invoiced` counter and the consuming
 * invoices in history describe the same consumption, so they are not added: the larger of the two
 * is taken (history may be partial; the counter may lag). When the invoice under review itself
 * consumes the PO (it is already in approval), the counter includes it and it is taken out.
 */
export function invoicedOn(
  orderLine: OrderLine,
  history: readonly Invoice[],
  self: Invoice,
  amountBasis: boolean,
): InvoicedFigure {
  const selfId = self.id;
  const counted: InvoicedFigure['invoices'] = [];
  let fromHistory = new Dec(0);
  for (const inv of history) {
    if (inv.id === selfId || !consumesPo(inv)) continue;
    let billed = new Dec(0);
    for (const l of inv.invoiceLines)
      if (l.orderLineId === orderLine.id) billed = billed.plus(billedOn(l, amountBasis));
    if (billed.isZero()) continue;
    fromHistory = fromHistory.plus(billed);
    counted.push({ id: inv.id, invoiceNumber: inv.invoiceNumber, billed: billed.toString() });
  }
  let counter = decimalOr(orderLine.invoiced);
  if (consumesPo(self)) {
    for (const l of self.invoiceLines)
      if (l.orderLineId === orderLine.id) counter = counter.minus(billedOn(l, amountBasis));
  }
  if (counter.gt(fromHistory)) {
    return { alreadyInvoiced: counter, invoices: counted, source: `order line ${orderLine.id} invoiced counter` };
  }
  const source = counted.length
    ? `invoices ${counted.map((c) => c.invoiceNumber).join(', ')}`
    : 'nothing invoiced before';
  return { alreadyInvoiced: fromHistory, invoices: counted, source };
}

function multiply(a: string | null | undefined, b: string | null | undefined): string | undefined {
  if (a == null || b == null) return undefined;
  return decimalOr(a).times(decimalOr(b)).toString();
}
