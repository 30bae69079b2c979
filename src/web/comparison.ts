/**
 * Invoice vs PO vs receipts, line by line, with the variances highlighted. A variance is marked by
 * colour and by words ("3.00 over PO"), so it reads the same without colour. Line descriptions are
 * supplier text and are labelled as such.
 */
import { Decimal } from 'decimal.js';
import { resolveLines, type InvoiceContext, type ResolvedLine } from '../domain/index.js';
import type { ReceivingTransaction } from '../coupa/schemas.js';
import { money } from './format.js';
import { html, type SafeHtml } from './html.js';
import { supplierText } from './untrusted-text.js';

const dec = (v: string | null | undefined): Decimal | null => {
  if (v === null || v === undefined || v === '') return null;
  try {
    return new Decimal(v);
  } catch {
    return null;
  }
};

function receivedFor(receipts: readonly ReceivingTransaction[], orderLineId: number | undefined): Decimal | null {
  if (orderLineId === undefined) return null;
  const mine = receipts.filter((r) => r.orderLine.id === orderLineId);
  return mine.length === 0 ? new Decimal(0) : mine.reduce((sum, r) => sum.plus(dec(r.quantity) ?? 0), new Decimal(0));
}

/** A cell that is highlighted, with the reason in words, when `over` is positive. */
function cell(value: string, over: Decimal | null, what: string): SafeHtml {
  if (!over || over.lte(0)) return html`<td class="num">${value}</td>`;
  return html`<td class="num variance">${value}<span class="why">▲ ${over.toFixed()} ${what}</span></td>`;
}

/** Quantity, flagged when the line (with earlier invoices) exceeds what was ordered or received. */
function qtyCell(qty: Decimal | null, overOrdered: Decimal | null, overReceived: Decimal | null): SafeHtml {
  if (overOrdered?.gt(0)) return cell(qty?.toFixed() ?? '—', overOrdered, 'over ordered (with earlier invoices)');
  return cell(qty?.toFixed() ?? '—', overReceived, 'over received');
}

function lineRow(r: ResolvedLine, receipts: readonly ReceivingTransaction[], currency: string): SafeHtml {
  const qty = dec(r.line.quantity);
  const price = dec(r.line.price);
  const poQty = dec(r.orderLine?.quantity);
  const poPrice = dec(r.orderLine?.price);
  const received = receivedFor(receipts, r.orderLine?.id);
  const priceOver = price && poPrice ? price.minus(poPrice) : null;
  // Billed beyond ordered counts what earlier invoices already billed on the same PO line.
  const before = dec(r.orderLine?.invoiced) ?? new Decimal(0);
  const overOrdered = qty && poQty ? qty.plus(before).minus(poQty) : null;
  const threeWay = r.orderLine?.matchType?.startsWith('3-way') ?? true;
  const overReceived = qty && received && threeWay ? qty.minus(received) : null;
  const poRef = r.po
    ? `${r.po.poNumber} line ${r.orderLine?.lineNum ?? '?'}`
    : r.nonPo
      ? 'no PO'
      : (r.unresolved ?? '—');
  return html`<tr>
    <th scope="row">${r.lineNum}</th>
    <td>${supplierText(r.line.description)}</td>
    ${qtyCell(qty, overOrdered, overReceived)} ${cell(money(r.line.price, null), priceOver, 'over PO')}
    <td class="num">${money(r.line.total, currency)}</td>
    <td class="${r.po || r.nonPo ? '' : 'variance'}">${poRef}</td>
    <td class="num">${poQty?.toFixed() ?? '—'}</td>
    <td class="num">${r.orderLine ? money(r.orderLine.price, null) : '—'}</td>
    <td class="num">${r.orderLine?.invoiced ? new Decimal(r.orderLine.invoiced).toFixed() : '—'}</td>
    <td class="num">${received?.toFixed() ?? '—'}</td>
  </tr>`;
}

/** The comparison table for one invoice. */
export function comparisonTable(ctx: InvoiceContext, currency: string): SafeHtml {
  const lines = resolveLines(ctx);
  const inv = ctx.invoice;
  return html`<table class="compare">
    <caption>
      Invoice ${inv.invoiceNumber} against its purchase order and receipts (highlighted: where they disagree)
    </caption>
    <thead>
      <tr>
        <td></td>
        <th scope="colgroup" colspan="4">Invoice</th>
        <th scope="colgroup" colspan="4">Purchase order</th>
        <th scope="colgroup" colspan="1">Receipts</th>
      </tr>
      <tr>
        <th scope="col">Line</th>
        <th scope="col">Description</th>
        <th scope="col" class="num">Qty</th>
        <th scope="col" class="num">Unit price</th>
        <th scope="col" class="num">Line total</th>
        <th scope="col">PO line</th>
        <th scope="col" class="num">Qty ordered</th>
        <th scope="col" class="num">Unit price</th>
        <th scope="col" class="num">Invoiced before</th>
        <th scope="col" class="num">Qty received</th>
      </tr>
    </thead>
    <tbody>
      ${lines.map((r) => lineRow(r, ctx.receipts ?? [], currency))}
    </tbody>
    <tfoot>
      <tr>
        <th scope="row" colspan="4">Invoice total (tax ${money(inv.taxAmount, currency)})</th>
        <td class="num">${money(inv.grossTotal ?? inv.totalWithTaxes, currency)}</td>
        <td colspan="5"></td>
      </tr>
    </tfoot>
  </table>`;
}
