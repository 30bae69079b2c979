/**
 * Adjusting an invoice to the PO value: where policy says pay what was ordered (and, for 3-way
 * lines, received) at the PO price, each billed line is cut to that value and the difference becomes
 * a credit-note request to the supplier — lines, quantities and amounts, exact. Pure.
 */
import type { Invoice, PurchaseOrder } from '../../coupa/schemas.js';
import { Dec } from '../money.js';

export interface AdjustmentLine {
  lineNum: string;
  orderLineId: number;
  /** `price`: billed above the PO price; `quantity`: billed beyond what may be paid; both can apply. */
  reasons: Array<'price' | 'quantity'>;
  billedQuantity: string;
  billedPrice: string;
  billedTotal: string;
  payableQuantity: string;
  poPrice: string;
  payableTotal: string;
  /** billedTotal − payableTotal: what the credit note should credit. */
  adjustment: string;
}

export interface InvoiceAdjustment {
  invoiceId: number;
  invoiceNumber: string;
  currency: string;
  lines: AdjustmentLine[];
  total: string;
}

const d = (v: string | null | undefined): Dec => new Dec(v ?? '0');

/** The lines to credit so the invoice pays the PO value; no lines when it already does. */
export function adjustToPoValue(invoice: Invoice, orders: readonly PurchaseOrder[]): InvoiceAdjustment {
  const poLines = new Map(orders.flatMap((po) => po.orderLines.map((l) => [l.id, l] as const)));
  const lines: AdjustmentLine[] = [];
  for (const line of invoice.invoiceLines) {
    const po = line.orderLineId !== undefined && line.orderLineId !== null ? poLines.get(line.orderLineId) : undefined;
    if (!po) continue;
    const billedTotal = line.total ? d(line.total) : d(line.quantity).times(d(line.price));
    let payableQty: Dec;
    let payableTotal: Dec;
    const reasons: AdjustmentLine['reasons'] = [];
    if (po.type === 'OrderAmountLine') {
      payableQty = new Dec(1);
      payableTotal = Dec.max(0, d(po.total ?? po.price).minus(d(po.invoiced)));
      if (billedTotal.gt(payableTotal)) reasons.push('quantity');
    } else {
      const threeWay = (po.matchType ?? '').startsWith('3-way') || po.receiptRequired === true;
      const ceiling = threeWay ? d(po.received) : d(po.quantity);
      const open = Dec.max(0, ceiling.minus(d(po.invoiced)));
      const billedQty = d(line.quantity);
      payableQty = Dec.min(billedQty, open);
      if (billedQty.gt(open)) reasons.push('quantity');
      const price = d(po.price);
      if (d(line.price).gt(price)) reasons.push('price');
      payableTotal = payableQty.times(Dec.min(price, d(line.price))).toDecimalPlaces(2);
    }
    const adjustment = billedTotal.minus(payableTotal);
    if (adjustment.lte(0)) continue;
    lines.push({
      lineNum: String(line.lineNum ?? ''),
      orderLineId: po.id,
      reasons,
      billedQuantity: d(line.quantity).toString(),
      billedPrice: d(line.price).toFixed(2),
      billedTotal: billedTotal.toFixed(2),
      payableQuantity: payableQty.toString(),
      poPrice: d(po.price).toFixed(2),
      payableTotal: payableTotal.toFixed(2),
      adjustment: adjustment.toFixed(2),
    });
  }
  const total = lines.reduce((s, l) => s.plus(l.adjustment), new Dec(0));
  return {
    invoiceId: invoice.id,
    invoiceNumber: invoice.invoiceNumber,
    currency: invoice.currency?.code ?? 'USD',
    lines,
    total: total.toFixed(2),
  };
}

/** The polite supplier-facing request for the credit note (numbers only: no internal text). */
export function creditNoteRequestText(a: InvoiceAdjustment): string {
  const parts = a.lines.map((l) => {
    const why = l.reasons
      .map((r) =>
        r === 'price'
          ? `price ${l.billedPrice} vs PO ${l.poPrice}`
          : `quantity ${l.billedQuantity} vs ${l.payableQuantity} payable`,
      )
      .join(', ');
    return `line ${l.lineNum}: ${l.adjustment} ${a.currency} (${why})`;
  });
  return `Invoice ${a.invoiceNumber}: we will pay the purchase order value. Please send a credit note for ${a.total} ${a.currency} — ${parts.join('; ')}. Thank you.`;
}

/** One adjustment line for Coupa's invoice (camelCase; the client converts to the wire). */
export interface AdjustmentLineRequest {
  type: 'InvoiceQuantityLine';
  description: string;
  /** Always 1: Coupa takes a negative quantity or a negative price on a standard invoice, never both. */
  quantity: '1';
  /** The credit, negative, exact to the cent. */
  price: string;
  orderLineId: number;
  /** Coupa's `adjustment-type` (price, quantity, other): `other` when both apply. */
  adjustmentType: 'price' | 'quantity' | 'other';
}

/**
 * The adjustment as lines on the invoice itself — for a tenant that allows it, instead of a
 * credit-note request: one negative line per adjusted line, linked to its PO line, typed with
 * Coupa's `adjustment-type`. They sum to minus the adjustment total. What this relies on in
 * Coupa's API is written down in docs/coupa-compatibility.md (GR/IR adjustments).
 */
export function adjustmentLineRequests(a: InvoiceAdjustment): AdjustmentLineRequest[] {
  return a.lines.map((l) => ({
    type: 'InvoiceQuantityLine',
    description: `Adjustment to PO value, line ${l.lineNum}`,
    quantity: '1',
    price: new Dec(l.adjustment).negated().toFixed(2),
    orderLineId: l.orderLineId,
    adjustmentType: l.reasons.length === 1 ? l.reasons[0]! : 'other',
  }));
}
