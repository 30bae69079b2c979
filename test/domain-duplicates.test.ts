import { describe, expect, it } from 'vitest';
import { DEFAULT_CONTROLS } from '../src/domain/controls.js';
import { duplicateFindings, DUPLICATE_THRESHOLD, findDuplicateCandidates } from '../src/domain/duplicates.js';
import { compareInvoiceNumbers, normaliseInvoiceNumber } from '../src/domain/invoice-number.js';
import { companyNameSimilarity, normaliseCompanyName } from '../src/domain/supplier-identity.js';
import { context, invoice, invoiceLine, supplier, supplierInfo } from './domain.fixture.js';

describe('invoice number normalisation', () => {
  it.each([
    ['INV-00123', '123'],
    ['inv 123', '123'],
    ['#123', '123'],
    ['Invoice No. 000123', '123'],
    ['INVOICE#: 123', '123'],
    ['INV-OO123', '123'],
    ['I23', '123'],
    ['l23', '123'],
    ['ABC-0012', 'A8C12'],
    ['2026/00012', '202612'],
    ['S-1B', '518'],
    ['No.4501', '4501'],
    ['NOVA-12', 'N0VA12'],
    ['INVENTORY-7', '1NVENT0RY7'],
  ])('%s → %s', (raw, expected) => {
    expect(normaliseInvoiceNumber(raw)).toBe(expected);
  });

  it.each([
    ['INV-1001', 'INV-1001', 'exact'],
    ['INV-1001', 'inv1001', 'normalised'],
    ['INV-1OO1', '1001', 'normalised'],
    ['SO-5512', 's0-55I2', 'normalised'],
    ['INV-1001', 'INV-1010', 'near'],
    ['INV-1001', 'INV-1001A', 'near'],
    ['INV-1001', 'INV-1002', 'different'],
    ['RENT-2026-03', 'RENT-2026-04', 'different'],
  ] as const)('%s vs %s is %s', (a, b, expected) => {
    expect(compareInvoiceNumbers(a, b)).toBe(expected);
  });
});

describe('company names', () => {
  it('ignores legal forms, punctuation and word order', () => {
    expect(normaliseCompanyName('ACME Supply, Inc.')).toBe('acme supply');
    expect(normaliseCompanyName('Müller & Söhne GmbH')).toBe('muller sohne');
    expect(companyNameSimilarity('Acme Supply LLC', 'ACME SUPPLY INCORPORATED')).toBe(1);
    expect(companyNameSimilarity('Supply Acme Ltd', 'Acme Supply Inc.')).toBe(1);
    expect(companyNameSimilarity('Acme Supply Inc.', 'Apex Logistics Inc.')).toBeLessThan(0.5);
  });
});

/** An earlier invoice from history: same as the one under review unless patched. */
const earlier = (patch: Parameters<typeof invoice>[1] = {}, lines = [invoiceLine()]) =>
  invoice(lines, {
    id: 4000,
    invoiceNumber: 'INV-1001',
    invoiceDate: '2026-02-20',
    status: 'approved',
    paid: true,
    ...patch,
  });

const scoreOf = (ctx: ReturnType<typeof context>) => findDuplicateCandidates(ctx, DEFAULT_CONTROLS)[0];

describe('duplicate scoring', () => {
  it('the same bill with the number rewritten is a duplicate, with reasons', () => {
    const c = scoreOf(context({ invoice: invoice(undefined, { invoiceNumber: 'inv 1OO1' }), history: [earlier()] }));
    expect(c?.isDuplicate).toBe(true);
    expect(c?.score).toBeGreaterThanOrEqual(DUPLICATE_THRESHOLD);
    expect(c?.reasons.join(' | ')).toMatch(/same supplier id 100.*normalised.*equal/);
    const [f] = duplicateFindings(
      findDuplicateCandidates(
        context({ invoice: invoice(undefined, { invoiceNumber: 'inv 1OO1' }), history: [earlier()] }),
        DEFAULT_CONTROLS,
      ),
    );
    expect(f?.figures).toMatchObject({ originalInvoiceId: '4000', originalStatus: 'paid' });
  });

  it('a renumbered resubmission (same lines and amount, days later) is a duplicate', () => {
    const c = scoreOf(
      context({
        invoice: invoice(undefined, { invoiceNumber: 'X-77', invoiceDate: '2026-02-23' }),
        history: [earlier()],
      }),
    );
    expect(c?.isDuplicate).toBe(true);
  });

  it('an amount within 1% with the same number is a duplicate; a different amount is not', () => {
    const near = invoice([invoiceLine({ price: '10.05' })]);
    expect(scoreOf(context({ invoice: near, history: [earlier()] }))?.isDuplicate).toBe(true);
    const far = invoice([invoiceLine({ price: '14.00' })]);
    const c = scoreOf(context({ invoice: far, history: [earlier()] }));
    expect(c?.isDuplicate).toBe(false);
    expect(c?.score).toBeLessThan(DUPLICATE_THRESHOLD);
  });

  it('near miss: recurring rent (same amount and PO line each month, numbers in sequence) is not a duplicate', () => {
    const rent = (n: number, date: string, id: number) =>
      invoice([invoiceLine({ quantity: '1', price: '4500.00', description: 'Monthly rent' })], {
        id,
        invoiceNumber: `RENT-2026-0${n}`,
        invoiceDate: date,
        status: 'approved',
        paid: true,
      });
    const march = invoice([invoiceLine({ quantity: '1', price: '4500.00', description: 'Monthly rent' })], {
      invoiceNumber: 'RENT-2026-03',
      invoiceDate: '2026-03-01',
    });
    const cands = findDuplicateCandidates(
      context({ invoice: march, history: [rent(1, '2026-01-01', 11), rent(2, '2026-02-01', 12)] }),
      DEFAULT_CONTROLS,
    );
    expect(cands.length).toBe(2);
    expect(cands.every((c) => !c.isDuplicate)).toBe(true);
    expect(Math.max(...cands.map((c) => c.score))).toBe(0.75);
  });

  it('near miss: the same number at a genuinely different supplier is not a candidate', () => {
    const other = earlier({ supplier: { id: 222, name: 'Apex Logistics Ltd' } });
    const otherSupplier = supplier({ id: 222, name: 'Apex Logistics Ltd', taxId: '98-7654321' });
    expect(
      findDuplicateCandidates(context({ history: [other], otherSuppliers: [otherSupplier] }), DEFAULT_CONTROLS),
    ).toEqual([]);
  });

  it('near miss: a credit note against the invoice is not a duplicate', () => {
    const credit = earlier({ grossTotal: '-100.00', totalWithTaxes: '-100.00' }, [invoiceLine({ quantity: '-10' })]);
    expect(findDuplicateCandidates(context({ history: [credit] }), DEFAULT_CONTROLS)).toEqual([]);
  });

  it('voided earlier invoices and those outside the window are ignored', () => {
    expect(
      findDuplicateCandidates(context({ history: [earlier({ status: 'voided', paid: false })] }), DEFAULT_CONTROLS),
    ).toEqual([]);
    expect(
      findDuplicateCandidates(context({ history: [earlier({ invoiceDate: '2025-06-01' })] }), DEFAULT_CONTROLS),
    ).toEqual([]);
    expect(
      findDuplicateCandidates(context({ history: [earlier({ invoiceDate: '2025-06-01' })] }), {
        ...DEFAULT_CONTROLS,
        duplicate_window_days: 365,
      }),
    ).toHaveLength(1);
  });

  it('finds the bill under a duplicate supplier record: same tax id, same bank account, or near-identical name', () => {
    const copyRecord = supplier({ id: 101, name: 'ACME SUPPLY INCORPORATED', taxId: '12-3456789' });
    const onCopy = earlier({ supplier: { id: 101, name: 'ACME SUPPLY INCORPORATED' } });
    expect(scoreOf(context({ history: [onCopy], otherSuppliers: [copyRecord] }))?.reasons[0]).toContain('same tax id');
    const bankTwin = supplier({ id: 101, name: 'Zenith Trading', taxId: null });
    const withBank = context({
      supplier: supplier({ taxId: null }),
      history: [onCopy],
      otherSuppliers: [bankTwin],
      supplierInformation: [supplierInfo(), supplierInfo({ supplierId: 101 })],
    });
    expect(scoreOf(withBank)?.reasons[0]).toContain('same bank account');
    const nameTwin = supplier({ id: 101, name: 'Acme Supply LLC', taxId: null });
    const byName = scoreOf(context({ history: [onCopy], otherSuppliers: [nameTwin] }));
    expect(byName?.reasons[0]).toContain('near-identical name');
    expect(byName?.isDuplicate).toBe(true);
    const differentTax = supplier({ id: 101, name: 'Acme Supply LLC', taxId: '55-0000001' });
    expect(
      findDuplicateCandidates(context({ history: [onCopy], otherSuppliers: [differentTax] }), DEFAULT_CONTROLS),
    ).toEqual([]);
  });
});
