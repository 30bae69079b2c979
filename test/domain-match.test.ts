import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DEFAULT_CONTROLS } from '../src/domain/controls.js';
import type { Finding } from '../src/domain/findings.js';
import { matchInvoice, matchLevelOf } from '../src/domain/match.js';
import { Dec } from '../src/domain/money.js';
import { checkTolerance } from '../src/domain/tolerance.js';
import {
  context,
  contract,
  invoice,
  invoiceLine,
  orderLine,
  purchaseOrder,
  receipt,
  supplier,
} from './domain.fixture.js';

const kinds = (fs: Finding[]): string[] => fs.map((f) => f.kind);
const only = (fs: Finding[], kind: string): Finding => {
  const f = fs.find((x) => x.kind === kind);
  if (!f) throw new Error(`no ${kind} in ${kinds(fs).join(', ')}`);
  return f;
};

/** Prices in cents as decimal strings, 0.01 … 9999.99. */
const cents = fc.integer({ min: 1, max: 999_999 }).map((c) => new Dec(c).dividedBy(100).toFixed(2));

describe('matching invariants (property)', () => {
  it('a price at or below the PO price never yields a price finding', () => {
    fc.assert(
      fc.property(cents, fc.integer({ min: 0, max: 100 }), (po, discountPct) => {
        const billed = new Dec(po)
          .times(100 - discountPct)
          .dividedBy(100)
          .toDecimalPlaces(4)
          .toString();
        const ctx = context({
          purchaseOrders: [purchaseOrder([orderLine({ price: po })])],
          invoice: invoice([invoiceLine({ price: billed })]),
        });
        expect(kinds(matchInvoice(ctx))).not.toContain('price_over_po');
      }),
    );
  });

  it('a price above PO within the % tolerance passes the % check', () => {
    fc.assert(
      fc.property(cents, fc.integer({ min: 1, max: 500 }), (po, bp) => {
        const billed = new Dec(po)
          .times(10_000 + bp)
          .dividedBy(10_000)
          .toDecimalPlaces(4, Dec.ROUND_DOWN);
        fc.pre(billed.gt(po));
        const ctx = context({
          purchaseOrders: [purchaseOrder([orderLine({ price: po })])],
          invoice: invoice([invoiceLine({ price: billed.toString() })]),
        });
        const f = only(matchInvoice(ctx), 'price_over_po');
        const pct = checkTolerance(f, DEFAULT_CONTROLS).checks.find((c) => c.control === 'price_tolerance_pct');
        expect(pct?.within).toBe(true);
      }),
    );
  });

  it('billed within both received and ordered never yields a quantity finding', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 500 }),
        fc.integer({ min: 0, max: 500 }),
        fc.integer({ min: 0, max: 500 }),
        (ordered, receivedRaw, billedRaw) => {
          const received = Math.min(receivedRaw, ordered);
          const billed = Math.min(billedRaw, received);
          const ctx = context({
            purchaseOrders: [purchaseOrder([orderLine({ quantity: String(ordered), received: String(received) })])],
            receipts: received ? [receipt(String(received))] : [],
            invoice: invoice([invoiceLine({ quantity: String(billed) })]),
          });
          const fs = matchInvoice(ctx);
          expect(kinds(fs)).not.toContain('billed_over_received');
          expect(kinds(fs)).not.toContain('billed_over_ordered');
        },
      ),
    );
  });

  it('the price variance grows with the invoice price, and tolerance never comes back once lost', () => {
    fc.assert(
      fc.property(cents, fc.array(fc.integer({ min: 1, max: 5000 }), { minLength: 2, maxLength: 8 }), (po, bumps) => {
        const prices = [...bumps].sort((a, b) => a - b).map((b) => new Dec(po).plus(new Dec(b).dividedBy(100)));
        let lastPct = new Dec(-1);
        let lost = false;
        for (const p of prices) {
          const ctx = context({
            purchaseOrders: [purchaseOrder([orderLine({ price: po })])],
            invoice: invoice([invoiceLine({ price: p.toString() })]),
          });
          const f = only(matchInvoice(ctx), 'price_over_po');
          const pct = new Dec(f.figures.invoicePrice ?? '0').minus(po).dividedBy(po);
          expect(pct.gte(lastPct)).toBe(true);
          lastPct = pct;
          const within = checkTolerance(f, DEFAULT_CONTROLS).within;
          if (lost) expect(within).toBe(false);
          if (!within) lost = true;
        }
      }),
    );
  });
});

describe('matching rules (table)', () => {
  it('a clean 3-way matched invoice has no findings', () => {
    expect(matchInvoice(context())).toEqual([]);
  });

  it('reports a price variance with the numbers side by side', () => {
    const f = only(matchInvoice(context({ invoice: invoice([invoiceLine({ price: '10.30' })]) })), 'price_over_po');
    expect(f.figures).toMatchObject({
      invoicePrice: '10.3',
      poPrice: '10.00',
      variancePct: '3.0',
      unitOverPo: '0.30',
      quantity: '10',
      invoiceOverPo: '3',
    });
    expect(f.summary).toContain('3.0%');
    expect(f).toMatchObject({ lineNum: '1', orderLineId: 7001, exceptionType: 'price_variance' });
  });

  it('sums the amount over PO across lines of the invoice (the amount tolerance is per invoice)', () => {
    const lines = [orderLine({ id: 1, lineNum: '1' }), orderLine({ id: 2, lineNum: '2' })];
    const ctx = context({
      purchaseOrders: [purchaseOrder(lines)],
      receipts: [receipt('10', { orderLine: { id: 1 } }), receipt('10', { orderLine: { id: 2 } })],
      invoice: invoice([
        invoiceLine({ orderLineId: 1, price: '11.00' }),
        invoiceLine({ lineNum: 2, orderLineId: 2, price: '12.00' }),
      ]),
    });
    const fs = matchInvoice(ctx).filter((f) => f.kind === 'price_over_po');
    expect(fs.map((f) => f.figures.invoiceOverPo)).toEqual(['30', '30']);
  });

  it.each([
    ['3-way line, nothing received', { matchType: '3-way', received: '0' }, [], ['billed_over_received']],
    [
      '3-way-fifo line, partly received',
      { matchType: '3-way-fifo', received: '6' },
      [receipt('6')],
      ['billed_over_received'],
    ],
    ['2-way line needs no receipt', { matchType: '2-way', receiptRequired: false, received: '0' }, [], []],
    ['match type none is skipped even when over-billed', { matchType: 'none', quantity: '5', received: '0' }, [], []],
  ] as const)('%s', (_name, line, receipts, expected) => {
    const ctx = context({ purchaseOrders: [purchaseOrder([orderLine(line)])], receipts: [...receipts] });
    expect(kinds(matchInvoice(ctx))).toEqual(expected);
  });

  it('takes the match level from the supplier when the line has none', () => {
    expect(
      matchLevelOf(orderLine({ matchType: null, receiptRequired: null }), supplier({ invoiceMatchingLevel: '3-way' })),
    ).toBe('3-way');
    expect(
      matchLevelOf(orderLine({ matchType: null, receiptRequired: null }), supplier({ invoiceMatchingLevel: '2-way' })),
    ).toBe('2-way');
    expect(
      matchLevelOf(orderLine({ matchType: null, receiptRequired: null }), supplier({ invoiceMatchingLevel: 'none' })),
    ).toBe('none');
    expect(matchLevelOf(orderLine({ matchType: '2-way', receiptRequired: true }), supplier())).toBe('3-way');
    expect(matchLevelOf(orderLine({ matchType: 'direct_matching' }), supplier())).toBe('3-way-direct');
  });

  it('partial receipt: billing what was received passes, billing the rest is short of receipts', () => {
    const po = [purchaseOrder([orderLine({ received: '6' })])];
    expect(
      matchInvoice(
        context({
          purchaseOrders: po,
          receipts: [receipt('4'), receipt('2')],
          invoice: invoice([invoiceLine({ quantity: '6' })]),
        }),
      ),
    ).toEqual([]);
    const f = only(
      matchInvoice(context({ purchaseOrders: po, receipts: [receipt('4'), receipt('2')] })),
      'billed_over_received',
    );
    expect(f.figures).toMatchObject({ billed: '10', received: '6', excess: '4' });
    expect(f.exceptionType).toBe('missing_receipt');
  });

  it('returns to the supplier and voided receipts reduce what was received', () => {
    const receipts = [
      receipt('10'),
      receipt('3', { type: 'ReceivingQuantityReturnToSupplier' }),
      receipt('5', { status: 'voided' }),
    ];
    const f = only(matchInvoice(context({ receipts })), 'billed_over_received');
    expect(f.figures.received).toBe('7');
  });

  it('second invoice against a partly invoiced line counts the earlier one (counter or history, not both)', () => {
    const earlier = invoice([invoiceLine({ quantity: '6' })], {
      id: 4999,
      invoiceNumber: 'INV-0999',
      status: 'approved',
    });
    const billed5 = invoice([invoiceLine({ quantity: '5' })]);
    const byCounter = only(
      matchInvoice(context({ purchaseOrders: [purchaseOrder([orderLine({ invoiced: '6' })])], invoice: billed5 })),
      'billed_over_ordered',
    );
    expect(byCounter.figures).toMatchObject({
      billed: '5',
      alreadyInvoiced: '6',
      cumulative: '11',
      ordered: '10',
      excess: '1',
    });
    const both = only(
      matchInvoice(
        context({
          purchaseOrders: [purchaseOrder([orderLine({ invoiced: '6' })])],
          history: [earlier],
          invoice: billed5,
        }),
      ),
      'billed_over_ordered',
    );
    expect(both.figures.alreadyInvoiced).toBe('6');
    const byHistory = only(matchInvoice(context({ history: [earlier], invoice: billed5 })), 'billed_over_ordered');
    expect(byHistory.summary).toContain('INV-0999');
    // Receipts are consumed too: 6 + 5 billed against 10 received.
    expect(kinds(matchInvoice(context({ history: [earlier], invoice: billed5 })))).toContain('billed_over_received');
  });

  it('voided, disputed and held earlier invoices do not consume the PO line', () => {
    for (const status of ['voided', 'disputed', 'abandoned', 'ap_hold'] as const) {
      const earlier = invoice([invoiceLine({ quantity: '6' })], { id: 4999, invoiceNumber: 'INV-0999', status });
      expect(
        matchInvoice(context({ history: [earlier], invoice: invoice([invoiceLine({ quantity: '4' })]) })),
        status,
      ).toEqual([]);
    }
  });

  it('amount lines compare amounts, not quantities', () => {
    const amountLine = orderLine({
      type: 'OrderAmountLine',
      quantity: null,
      price: '5000.00',
      total: '5000.00',
      received: '5000.00',
    });
    const billed = invoiceLine({ type: 'InvoiceAmountLine', quantity: null, price: null, total: '5300.00' });
    const receipts = [receipt('0', { quantity: null, total: '5000.00' })];
    const fs = matchInvoice(
      context({ purchaseOrders: [purchaseOrder([amountLine])], receipts, invoice: invoice([billed]) }),
    );
    // Billed beyond the PO line amount is an amount (price) variance, not a quantity one, and the
    // receipt only has to cover what the PO allows (received 5000.00 = ordered: no receipt finding).
    expect(kinds(fs)).toEqual(['amount_over_po']);
    expect(only(fs, 'amount_over_po').figures).toMatchObject({
      basis: 'amount',
      billed: '5300.00',
      ordered: '5000.00',
      excess: '300.00',
      variancePct: '6.0',
      invoiceOverPo: '300',
    });
    expect(only(fs, 'amount_over_po').exceptionType).toBe('price_variance');
    const partlyReceived = [receipt('0', { quantity: null, total: '4000.00' })];
    const both = matchInvoice(
      context({ purchaseOrders: [purchaseOrder([amountLine])], receipts: partlyReceived, invoice: invoice([billed]) }),
    );
    expect(kinds(both)).toEqual(['amount_over_po', 'billed_over_received']);
    expect(only(both, 'billed_over_received').figures).toMatchObject({ received: '4000.00', excess: '1000.00' });
    const fine = invoiceLine({ type: 'InvoiceAmountLine', quantity: null, price: null, total: '2000.00' });
    expect(
      matchInvoice(context({ purchaseOrders: [purchaseOrder([amountLine])], receipts, invoice: invoice([fine]) })),
    ).toEqual([]);
  });

  it('3-way-direct counts only receipts with the invoice line match reference', () => {
    const po = [purchaseOrder([orderLine({ matchType: '3-way-direct' })])];
    const receipts = [receipt('4', { matchReference: 'ASN-1' }), receipt('6', { matchReference: 'ASN-2' })];
    const f = only(
      matchInvoice(
        context({
          purchaseOrders: po,
          receipts,
          invoice: invoice([invoiceLine({ quantity: '6', matchReference: 'ASN-1' })]),
        }),
      ),
      'billed_over_received',
    );
    expect(f.figures.received).toBe('4');
    expect(
      matchInvoice(
        context({
          purchaseOrders: po,
          receipts,
          invoice: invoice([invoiceLine({ quantity: '6', matchReference: 'ASN-2' })]),
        }),
      ),
    ).toEqual([]);
  });

  it('a line without a PO, or with a PO reference that does not resolve, is missing_po', () => {
    const nonPo = invoiceLine({ orderLineId: null, poNumber: null, orderLineNum: null });
    expect(only(matchInvoice(context({ invoice: invoice([nonPo]) })), 'missing_po').summary).toContain(
      'no PO reference',
    );
    const dangling = invoiceLine({ orderLineId: 999, poNumber: '4444' });
    expect(only(matchInvoice(context({ invoice: invoice([dangling]) })), 'missing_po').summary).toContain('not found');
    expect(kinds(matchInvoice(context({ purchaseOrders: [], invoice: invoice([dangling]) })))).toEqual(['missing_po']);
  });

  it('resolves a line by PO number and line number when it has no order-line id', () => {
    const byNumber = invoiceLine({ orderLineId: null, poNumber: '4001', orderLineNum: '1', price: '10.50' });
    expect(kinds(matchInvoice(context({ invoice: invoice([byNumber]) })))).toEqual(['price_over_po']);
  });

  it('a currency different from the PO is reported, not thrown', () => {
    const fs = matchInvoice(
      context({ invoice: invoice([invoiceLine({ price: '11.00' })], { currency: { code: 'EUR' } }) }),
    );
    expect(kinds(fs)).toEqual(['currency_mismatch']);
  });

  it('price above a firm contract price is its own finding', () => {
    const ctx = context({
      contracts: [contract([{ sourcePartNum: 'W-1', price: '10.00' }])],
      invoice: invoice([invoiceLine({ price: '10.20' })]),
    });
    const f = only(matchInvoice(ctx), 'price_over_contract');
    expect(f.figures).toMatchObject({ contractPrice: '10.00', contract: 'CON-600', variancePct: '2.0' });
    const expired = context({
      contracts: [contract([{ sourcePartNum: 'W-1', price: '10.00' }], { endDate: '2025-12-31' })],
      invoice: invoice([invoiceLine({ price: '10.20' })]),
    });
    expect(kinds(matchInvoice(expired))).toEqual(['price_over_po']);
    const otherPart = context({ contracts: [contract([{ sourcePartNum: 'W-2', price: '1.00' }])] });
    expect(matchInvoice(otherPart)).toEqual([]);
  });
});
