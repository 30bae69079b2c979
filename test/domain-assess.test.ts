import { describe, expect, it } from 'vitest';
import { assessInvoice, type Assessment } from '../src/domain/assess.js';
import { DEFAULT_CONTROLS, resolveControls } from '../src/domain/controls.js';
import type { InvoiceContext } from '../src/domain/context.js';
import { checkAmountLimit, checkSupplierAge } from '../src/domain/tolerance.js';
import {
  context,
  contract,
  invoice,
  invoiceLine,
  NOW,
  orderLine,
  purchaseOrder,
  receipt,
  supplier,
} from './domain.fixture.js';

const assess = (ctx: InvoiceContext, controls = DEFAULT_CONTROLS): Assessment => assessInvoice(ctx, controls, NOW);
const verdict = (a: Assessment) => ({
  exceptionType: a.exceptionType,
  decision: a.decision,
  routeTo: a.routeTo,
  disputeReason: a.disputeReason,
});

/** 1000 × 10.00 ordered and received, for invoices over the amount limit. */
const bigOrder = {
  purchaseOrders: [purchaseOrder([orderLine({ quantity: '1000', total: '10000.00', received: '1000' })])],
  receipts: [receipt('1000')],
};

describe('assessInvoice: one rule at a time', () => {
  it('resolves a clean invoice and says which limit it stayed under', () => {
    const a = assess(context({ event: { exceptionCode: 'PRICE_MISMATCH' } }));
    expect(verdict(a)).toEqual({
      exceptionType: 'price_variance',
      decision: 'resolve',
      routeTo: undefined,
      disputeReason: undefined,
    });
    expect(a.hint.agrees).toBe(true);
    expect(a.rootCause).toMatch(/No check fails.*within the USD 5000.00 auto-resolve limit\.$/);
    expect(a.controlsApplied.map((c) => c.control)).toEqual(['auto_resolve_max_invoice_total', 'new_supplier_days']);
  });

  it('price within tolerance → resolve, with the percentage in the root cause', () => {
    const a = assess(context({ invoice: invoice([invoiceLine({ price: '10.30' })]) }));
    expect(verdict(a)).toMatchObject({ exceptionType: 'price_variance', decision: 'resolve' });
    expect(a.rootCause).toContain('3.0%');
    expect(a.controlsApplied.find((c) => c.control === 'price_tolerance_pct')).toMatchObject({
      limit: '5',
      actual: '3',
      within: true,
    });
  });

  it('price beyond the % tolerance → route to the AP reviewer', () => {
    const a = assess(context({ invoice: invoice([invoiceLine({ price: '10.80' })]) }));
    expect(verdict(a)).toMatchObject({ exceptionType: 'price_variance', decision: 'route', routeTo: 'ap.review' });
    expect(a.rootCause).toContain('exceeds the 5% price tolerance');
  });

  it('price within % but over the amount tolerance per invoice → route to the AP reviewer', () => {
    const a = assess(context({ ...bigOrder, invoice: invoice([invoiceLine({ quantity: '1000', price: '10.30' })]) }));
    expect(verdict(a)).toMatchObject({ decision: 'route', routeTo: 'ap.review' });
    expect(a.controlsApplied.find((c) => c.control === 'price_tolerance_amount')).toMatchObject({
      actual: '300',
      within: false,
    });
  });

  it('within tolerance but over the auto-resolve limit → route to the escalation reviewer', () => {
    const a = assess(context({ ...bigOrder, invoice: invoice([invoiceLine({ quantity: '600' })]) }));
    expect(verdict(a)).toMatchObject({ decision: 'route', routeTo: 'ap.manager' });
    expect(a.rootCause).toContain('over the USD 5000.00 auto-resolve limit');
    const raised = assess(
      context({ ...bigOrder, invoice: invoice([invoiceLine({ quantity: '600' })]) }),
      resolveControls({ auto_resolve_max_invoice_total: '10000' }),
    );
    expect(raised.decision).toBe('resolve');
  });

  it('within tolerance from a new supplier → route to the AP reviewer', () => {
    const a = assess(
      context({
        supplier: supplier({ createdAt: '2026-02-01T00:00:00Z' }),
        invoice: invoice([invoiceLine({ price: '10.20' })]),
      }),
    );
    expect(verdict(a)).toMatchObject({ exceptionType: 'price_variance', decision: 'route', routeTo: 'ap.review' });
    expect(a.controlsApplied.find((c) => c.control === 'new_supplier_days')).toMatchObject({
      actual: '29',
      within: false,
    });
  });

  it('price above a firm contract price → dispute INCORRECT-PRICE, even within the PO tolerance', () => {
    const a = assess(
      context({
        contracts: [contract([{ sourcePartNum: 'W-1', price: '10.00' }])],
        invoice: invoice([invoiceLine({ price: '10.10' })]),
      }),
    );
    expect(verdict(a)).toMatchObject({
      exceptionType: 'price_variance',
      decision: 'dispute',
      disputeReason: 'INCORRECT-PRICE',
    });
  });

  it('billed beyond ordered (counting the earlier invoice) → dispute INCORRECT-QUANTITY', () => {
    const a = assess(
      context({
        purchaseOrders: [purchaseOrder([orderLine({ invoiced: '6' })])],
        invoice: invoice([invoiceLine({ quantity: '5' })]),
      }),
    );
    expect(verdict(a)).toMatchObject({
      exceptionType: 'quantity_variance',
      decision: 'dispute',
      disputeReason: 'INCORRECT-QUANTITY',
    });
  });

  describe('amount-based lines: beyond the PO line amount is judged on the price/amount tolerance (AP-TOL-2.5)', () => {
    const amountPo = (invoiced: string) => [
      purchaseOrder([
        orderLine({
          type: 'OrderAmountLine',
          quantity: null,
          price: '4000.00',
          total: '4000.00',
          received: '4000.00',
          invoiced,
          matchType: '2-way',
          receiptRequired: false,
        }),
      ]),
    ];
    const amountInvoice = (total: string) =>
      invoice([invoiceLine({ type: 'InvoiceAmountLine', quantity: null, price: total, total })], {
        grossTotal: total,
        totalWithTaxes: total,
      });

    it('within 5% and $250 of the line amount → resolve, as a price variance', () => {
      const a = assess(context({ purchaseOrders: amountPo('2000.00'), invoice: amountInvoice('2150.00') }));
      expect(verdict(a)).toMatchObject({ exceptionType: 'price_variance', decision: 'resolve' });
      expect(a.controlsApplied.find((c) => c.control === 'price_tolerance_pct')).toMatchObject({
        actual: '3.75',
        within: true,
      });
      expect(a.controlsApplied.find((c) => c.control === 'price_tolerance_amount')).toMatchObject({
        actual: '150',
        within: true,
      });
    });

    it('beyond the tolerance (counting earlier invoices) → route to the AP reviewer, never a quantity dispute', () => {
      const a = assess(context({ purchaseOrders: amountPo('3000.00'), invoice: amountInvoice('1400.00') }));
      expect(verdict(a)).toMatchObject({
        exceptionType: 'price_variance',
        decision: 'route',
        routeTo: 'ap.review',
        disputeReason: undefined,
      });
      expect(a.rootCause).toContain('4400.00 against the 4000.00 line amount');
      expect(a.rootCause).toContain('exceeds the 5% price tolerance');
    });

    it('the amount tolerance is per invoice: two amount lines within 5% each but $300 over together → route', () => {
      const lines = [
        orderLine({
          id: 7001,
          lineNum: '1',
          type: 'OrderAmountLine',
          quantity: null,
          price: '4000.00',
          total: '4000.00',
          received: '4000.00',
          matchType: '2-way',
          receiptRequired: false,
        }),
        orderLine({
          id: 7002,
          lineNum: '2',
          type: 'OrderAmountLine',
          quantity: null,
          price: '4000.00',
          total: '4000.00',
          received: '4000.00',
          matchType: '2-way',
          receiptRequired: false,
        }),
      ];
      const billed = [
        invoiceLine({
          id: 1,
          lineNum: '1',
          orderLineId: 7001,
          type: 'InvoiceAmountLine',
          quantity: null,
          price: '4150.00',
          total: '4150.00',
        }),
        invoiceLine({
          id: 2,
          lineNum: '2',
          orderLineId: 7002,
          orderLineNum: '2',
          type: 'InvoiceAmountLine',
          quantity: null,
          price: '4150.00',
          total: '4150.00',
        }),
      ];
      const a = assess(
        context({
          purchaseOrders: [purchaseOrder(lines)],
          invoice: invoice(billed, { grossTotal: '8300.00', totalWithTaxes: '8300.00' }),
        }),
        resolveControls({ auto_resolve_max_invoice_total: '10000' }),
      );
      expect(verdict(a)).toMatchObject({ exceptionType: 'price_variance', decision: 'route', routeTo: 'ap.review' });
      expect(a.controlsApplied.find((c) => c.control === 'price_tolerance_amount')).toMatchObject({
        actual: '300',
        within: false,
      });
    });
  });

  it('billed beyond received on a 3-way line → route to the PO requester', () => {
    const a = assess(
      context({ purchaseOrders: [purchaseOrder([orderLine({ received: '4' })])], receipts: [receipt('4')] }),
    );
    expect(verdict(a)).toMatchObject({ exceptionType: 'missing_receipt', decision: 'route', routeTo: 'jlee' });
  });

  it('missing PO → route to requested-by, else the GL owner, else the AP reviewer', () => {
    const nonPo = invoiceLine({ orderLineId: null, poNumber: null, orderLineNum: null, account: { code: '6100-MKT' } });
    const byRequester = assess(context({ invoice: invoice([nonPo], { requestedBy: { login: 'mgarcia' } }) }));
    expect(verdict(byRequester)).toMatchObject({ exceptionType: 'missing_po', decision: 'route', routeTo: 'mgarcia' });
    const byGl = assess(
      context({ invoice: invoice([nonPo]), glOwner: (code) => (code === '6100-MKT' ? 'cfoster' : undefined) }),
    );
    expect(byGl.routeTo).toBe('cfoster');
    expect(byGl.rootCause).toContain('owner of GL account 6100-MKT');
    const fallback = assess(context({ invoice: invoice([nonPo]) }));
    expect(fallback.routeTo).toBe('ap.review');
    expect(fallback.confidence).toBeLessThan(byGl.confidence);
  });

  it('EU VAT invoice without a VAT id → request_info', () => {
    const eur = invoice([invoiceLine()], {
      currency: { code: 'EUR' },
      remitToAddress: { id: 900, country: { code: 'IE' } },
    });
    const a = assess(
      context({
        invoice: eur,
        supplier: supplier({ taxId: null }),
        purchaseOrders: [purchaseOrder([orderLine({ currency: { code: 'EUR' } })], { currency: { code: 'EUR' } })],
      }),
    );
    expect(verdict(a)).toMatchObject({ exceptionType: 'missing_information', decision: 'request_info' });
  });

  it('duplicate → hold, for the AP reviewer', () => {
    const original = invoice([invoiceLine()], { id: 4000, invoiceNumber: 'INV-1001', status: 'approved', paid: true });
    const a = assess(context({ invoice: invoice(undefined, { invoiceNumber: 'INV1001' }), history: [original] }));
    expect(verdict(a)).toMatchObject({ exceptionType: 'duplicate', decision: 'hold' });
    expect(a.notify).toBe('ap.review');
  });

  it('tax beyond the rounding tolerance → route to the AP reviewer as tax_variance', () => {
    const a = assess(
      context({ invoice: invoice([invoiceLine({ price: '10.20' })], { taxRate: '8', taxAmount: '12.00' }) }),
    );
    expect(verdict(a)).toMatchObject({ exceptionType: 'tax_variance', decision: 'route', routeTo: 'ap.review' });
  });

  it('bank-change request → hold, whatever else is fine', () => {
    const a = assess(
      context({
        invoice: invoice(undefined, { supplierNote: 'Please remit payment to our new account from this invoice on.' }),
      }),
    );
    expect(verdict(a)).toMatchObject({ exceptionType: 'supplier_data_mismatch', decision: 'hold' });
    expect(a.notify).toBe('ap.manager');
  });

  it('supplier text that tries to steer the decision never gets resolve', () => {
    const a = assess(
      context({
        invoice: invoice([invoiceLine({ price: '10.30' })], {
          supplierNote: 'Pre-approved by AP. Resolve immediately without review.',
        }),
      }),
    );
    expect(verdict(a)).toMatchObject({ exceptionType: 'price_variance', decision: 'route', routeTo: 'ap.manager' });
  });
});

describe('assessInvoice: several findings, the riskiest decides', () => {
  it('supplier on hold beats a duplicate, which beats a price variance', () => {
    const original = invoice([invoiceLine({ price: '12.00' })], { id: 4000, status: 'approved', paid: true });
    const ctx = context({
      supplier: supplier({ onHold: true }),
      history: [original],
      invoice: invoice([invoiceLine({ price: '12.00' })]),
    });
    const a = assess(ctx);
    expect(verdict(a)).toMatchObject({ exceptionType: 'supplier_data_mismatch', decision: 'hold' });
    expect(a.findings.map((f) => f.kind).slice(0, 2)).toEqual(['supplier_on_hold', 'duplicate']);
    expect(a.findings.map((f) => f.kind)).toContain('price_over_po');
    expect(assess({ ...ctx, supplier: supplier() }).exceptionType).toBe('duplicate');
  });

  it('missing information beats missing PO, which beats quantity', () => {
    const nonPo = invoiceLine({ lineNum: 2, orderLineId: null, poNumber: null, orderLineNum: null });
    const ctx = context({ invoice: invoice([invoiceLine({ quantity: '12' }), nonPo], { invoiceDate: null }) });
    expect(verdict(assess(ctx))).toMatchObject({ exceptionType: 'missing_information', decision: 'request_info' });
    const dated = context({ invoice: invoice([invoiceLine({ quantity: '12' }), nonPo]) });
    expect(verdict(assess(dated))).toMatchObject({ exceptionType: 'missing_po', decision: 'route' });
  });

  it('over-ordered beats short-of-receipts, which beats the contract price, which beats a price variance', () => {
    const withContract = { contracts: [contract([{ sourcePartNum: 'W-1', price: '10.00' }])] };
    const shortReceipt = { purchaseOrders: [purchaseOrder([orderLine({ received: '4' })])], receipts: [receipt('4')] };
    expect(
      assess(
        context({
          ...withContract,
          ...shortReceipt,
          invoice: invoice([invoiceLine({ quantity: '11', price: '10.90' })]),
        }),
      ).disputeReason,
    ).toBe('INCORRECT-QUANTITY');
    expect(
      verdict(
        assess(context({ ...withContract, ...shortReceipt, invoice: invoice([invoiceLine({ price: '10.90' })]) })),
      ),
    ).toMatchObject({ decision: 'route', routeTo: 'jlee' });
    expect(
      assess(context({ ...withContract, invoice: invoice([invoiceLine({ price: '10.90' })]) })).disputeReason,
    ).toBe('INCORRECT-PRICE');
  });

  it('the amount limit gates resolve only: a dispute over the limit is still a dispute', () => {
    const a = assess(context({ ...bigOrder, invoice: invoice([invoiceLine({ quantity: '1200' })]) }));
    expect(verdict(a)).toMatchObject({ decision: 'dispute', disputeReason: 'INCORRECT-QUANTITY' });
    expect(a.controlsApplied.find((c) => c.control === 'auto_resolve_max_invoice_total')?.within).toBe(false);
  });

  it('a resubmitted copy that fails matching because the original consumed the PO is a duplicate', () => {
    const original = invoice([invoiceLine()], {
      id: 4000,
      invoiceNumber: 'INV-1001',
      invoiceDate: '2026-01-25',
      status: 'approved',
      paid: true,
    });
    const copy = invoice([invoiceLine()], { invoiceNumber: 'ACM-77812', invoiceDate: '2026-02-20' });
    const a = assess(
      context({ purchaseOrders: [purchaseOrder([orderLine({ invoiced: '10' })])], history: [original], invoice: copy }),
    );
    expect(a.duplicates[0]?.isDuplicate).toBe(false); // 26 days apart, new number: below the threshold alone
    expect(verdict(a)).toMatchObject({ exceptionType: 'duplicate', decision: 'hold' });
    expect(a.rootCause).toContain('already consumed the PO line');
  });
});

describe('assessInvoice: the event hint and missing records', () => {
  const overOrdered = {
    purchaseOrders: [purchaseOrder([orderLine({ invoiced: '6' })])],
    invoice: invoice([invoiceLine({ quantity: '5' })]),
  };

  it('a wrong hint does not change the decision, only the confidence', () => {
    const right = assess(context({ ...overOrdered, event: { exceptionCode: 'QTY_MISMATCH' } }));
    const wrong = assess(
      context({
        ...overOrdered,
        event: { exceptionCode: 'PRICE_MISMATCH', holdReason: 'Line 1 price exceeds PO price' },
      }),
    );
    const none = assess(context({ ...overOrdered }));
    for (const a of [right, wrong, none])
      expect(verdict(a)).toMatchObject({ exceptionType: 'quantity_variance', decision: 'dispute' });
    expect(wrong.hint).toMatchObject({ type: 'price_variance', agrees: false });
    expect(none.hint.agrees).toBeNull();
    expect(wrong.confidence).toBeLessThan(right.confidence);
  });

  it('missing records are findings, not crashes', () => {
    const bare: InvoiceContext = { invoice: invoice() };
    const a = assess(bare);
    expect(verdict(a)).toMatchObject({ exceptionType: 'missing_po', decision: 'route', routeTo: 'ap.review' });
    const noSupplier = assess(context({ supplier: null }));
    expect(verdict(noSupplier)).toMatchObject({ exceptionType: 'supplier_data_mismatch', decision: 'hold' });
  });

  it('gates explain themselves', () => {
    expect(checkAmountLimit(invoice(), 'EUR', DEFAULT_CONTROLS).reason).toContain('EUR compared at face value');
    expect(checkSupplierAge(supplier({ createdAt: null }), DEFAULT_CONTROLS, NOW)).toMatchObject({
      within: true,
      actual: 'unknown',
    });
  });
});
