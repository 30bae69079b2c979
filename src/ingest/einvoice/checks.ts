/**
 * The arithmetic an e-invoice must satisfy (EN 16931 business rules BR-CO-10/13/15/16/17 and the
 * line rule qty × price = amount). An e-invoice whose sums do not add up is not trusted over a
 * person: each failed rule is a finding, and the amounts it involves lose their confidence.
 */
import { Dec } from '../../domain/money.js';
import type { EInvoice } from './model.js';

export interface ArithmeticFinding {
  rule: string;
  /** The extracted fields the rule involves. */
  fields: Array<'subtotal' | 'tax' | 'total' | 'lines'>;
  message: string;
}

/** Cents may differ by rounding on each line or category; more than that is an error. */
const close = (a: Dec, b: Dec, tolerance = '0.01'): boolean => a.minus(b).abs().lte(tolerance);
const d = (s: string | undefined): Dec | undefined =>
  s !== undefined && /^-?\d+(\.\d+)?$/.test(s.trim()) ? new Dec(s.trim()) : undefined;
const zero = new Dec(0);

/** Every rule the document breaks (empty when its sums are consistent). */
export function checkArithmetic(inv: EInvoice): ArithmeticFinding[] {
  const out: ArithmeticFinding[] = [];
  const t = inv.totals;
  const lineSum = inv.lines.reduce((s, l) => s.plus(d(l.netAmount) ?? zero), zero);
  const lineTotal = d(t.lineTotal);
  const priced = inv.lines.length > 0 && inv.lines.every((l) => d(l.netAmount) !== undefined);
  if (priced && lineTotal && !lineSum.eq(lineTotal)) {
    out.push({
      rule: 'BR-CO-10',
      fields: ['lines', 'subtotal'],
      message: `the lines add up to ${lineSum.toFixed(2)}, the document's line total is ${t.lineTotal}`,
    });
  }
  const taxExclusive = d(t.taxExclusive);
  if (lineTotal && taxExclusive) {
    const expected = lineTotal.minus(d(t.allowanceTotal) ?? zero).plus(d(t.chargeTotal) ?? zero);
    if (!expected.eq(taxExclusive))
      out.push({
        rule: 'BR-CO-13',
        fields: ['subtotal'],
        message: `line total − allowances + charges is ${expected.toFixed(2)}, the net total says ${t.taxExclusive}`,
      });
  }
  const taxTotal = d(t.taxTotal);
  const taxInclusive = d(t.taxInclusive);
  if (taxExclusive && taxInclusive && !taxExclusive.plus(taxTotal ?? zero).eq(taxInclusive)) {
    out.push({
      rule: 'BR-CO-15',
      fields: ['subtotal', 'tax', 'total'],
      message: `net ${t.taxExclusive} + tax ${t.taxTotal ?? '0'} is not the total ${t.taxInclusive}`,
    });
  }
  const payable = d(t.payable);
  if (
    taxInclusive &&
    payable &&
    !taxInclusive
      .minus(d(t.prepaid) ?? zero)
      .plus(d(t.rounding) ?? zero)
      .eq(payable)
  ) {
    out.push({
      rule: 'BR-CO-16',
      fields: ['total'],
      message: `total ${t.taxInclusive} − prepaid ${t.prepaid ?? '0'} + rounding ${t.rounding ?? '0'} is not the amount due ${t.payable}`,
    });
  }
  if (inv.taxes.length > 0 && taxTotal) {
    const sum = inv.taxes.reduce((s, x) => s.plus(d(x.tax) ?? zero), zero);
    if (!sum.eq(taxTotal))
      out.push({
        rule: 'BR-CO-14',
        fields: ['tax'],
        message: `the tax breakdown adds up to ${sum.toFixed(2)}, the tax total is ${t.taxTotal}`,
      });
  }
  for (const x of inv.taxes) {
    const [base, tax, rate] = [d(x.base), d(x.tax), d(x.rate)];
    if (base && tax && rate && !close(base.times(rate).div(100), tax)) {
      out.push({
        rule: 'BR-CO-17',
        fields: ['tax'],
        message: `tax at ${x.rate}% on ${x.base} is ${base.times(rate).div(100).toFixed(2)}, the document says ${x.tax}`,
      });
    }
  }
  inv.lines.forEach((l, i) => {
    const [qty, price, amount] = [d(l.quantity), d(l.unitPrice), d(l.netAmount)];
    const per = d(l.baseQuantity) ?? new Dec(1);
    // Line allowances and charges (BT-136/141) may sit between price × quantity and the net amount; 2% leeway keeps those from
    // being reported while a mistyped amount still is.
    const tolerance = Dec.max('0.01', amount?.abs().times('0.02') ?? 0).toString();
    // Some writers (Odoo) repeat the quantity as the price base; qty × price is then the amount all the same.
    const fits = (expected: Dec): boolean => amount !== undefined && close(expected, amount, tolerance);
    if (qty && price && amount && !per.isZero() && !fits(qty.times(price).div(per)) && !fits(qty.times(price))) {
      out.push({
        rule: 'line',
        fields: ['lines'],
        message: `line ${l.id ?? i + 1}: ${l.quantity} × ${l.unitPrice} is not ${l.netAmount}`,
      });
    }
  });
  return out;
}
