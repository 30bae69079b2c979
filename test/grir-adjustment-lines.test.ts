/**
 * An adjustment to the PO value as lines on the invoice (for tenants that allow it, instead of a
 * credit-note request): one negative line per adjusted line, linked to the PO line, typed with
 * Coupa's adjustment-type, summing exactly to minus the adjustment total.
 */
import { describe, expect, it } from 'vitest';
import { adjustmentLineRequests, adjustToPoValue } from '../src/domain/grir/adjustment.js';
import { Dec } from '../src/domain/money.js';
import type { Invoice, PurchaseOrder } from '../src/coupa/schemas.js';

const po = (lines: Array<Record<string, unknown>>): PurchaseOrder =>
  ({ id: 1, poNumber: 'P1', orderLines: lines }) as unknown as PurchaseOrder;
const invoice = (lines: Array<Record<string, unknown>>): Invoice =>
  ({ id: 9, invoiceNumber: 'H-9', currency: { code: 'USD' }, invoiceLines: lines }) as unknown as Invoice;
const poLine = (id: number, quantity: string, price: string, received: string): Record<string, unknown> => ({
  id,
  type: 'OrderQuantityLine',
  quantity,
  price,
  received,
  invoiced: '0',
  matchType: '3-way',
  receiptRequired: true,
});

describe('adjustment lines on the invoice', () => {
  const orders = [po([poLine(11, '40', '20.00', '40'), poLine(12, '12', '55.00', '10'), poLine(13, '3', '9.99', '2')])];
  const adj = adjustToPoValue(
    invoice([
      { lineNum: 1, orderLineId: 11, quantity: '40', price: '21.00', total: '840.00' },
      { lineNum: 2, orderLineId: 12, quantity: '12', price: '55.00', total: '660.00' },
      { lineNum: 3, orderLineId: 13, quantity: '3', price: '10.33', total: '30.99' },
    ]),
    orders,
  );

  it('one negative line per adjusted line, typed and linked, summing to minus the total', () => {
    const lines = adjustmentLineRequests(adj);
    expect(lines.map((l) => [l.orderLineId, l.adjustmentType, l.quantity, l.price])).toEqual([
      [11, 'price', '1', '-40.00'],
      [12, 'quantity', '1', '-110.00'],
      [13, 'other', '1', '-11.01'],
    ]);
    const sum = lines.reduce((s, l) => s.plus(l.price), new Dec(0));
    expect(sum.toFixed(2)).toBe(new Dec(adj.total).negated().toFixed(2));
  });

  it('nothing to add when the invoice already pays the PO value (perturbation)', () => {
    const clean = adjustToPoValue(
      invoice([{ lineNum: 1, orderLineId: 11, quantity: '40', price: '20.00', total: '800.00' }]),
      orders,
    );
    expect(adjustmentLineRequests(clean)).toEqual([]);
  });
});
