/**
 * Each label's expected decision, re-derived from the wire records alone with the default
 * controls and the case-format precedence: the ground truth must follow from the data.
 */
import { describe, expect, it } from 'vitest';
import { DEFAULT_CONTROLS } from '../src/domain/controls.js';
import type { ExceptionLabel } from '../src/sim/generator/index.js';
import {
  basisPoints,
  cents,
  company,
  DAY_MS,
  indexOf,
  lines,
  normaliseNumber,
  supplierId,
  units,
  type Rec,
} from './generator.fixture.js';

const nowOf = (iso: string): number => Date.parse(iso);
const LIMIT = cents(DEFAULT_CONTROLS.auto_resolve_max_invoice_total);
const CONSUMING = new Set(['paid', 'approved', 'pending_approval']);

describe.each([
  [7, 2000],
  [42, 600],
])('labels follow from the records (seed %i, %i invoices)', (seed, size) => {
  const c = company(seed, size);
  const ix = indexOf(c);
  const nowMs = nowOf(c.now);

  // The tax-engine and registry cases (tags `tax_engine`, `registry`) are decided by outside
  // sources, not by the records alone: generator.test.ts and domain-generator.test.ts cover them.
  const labelsOf = (type: string): Array<{ label: ExceptionLabel; invoice: Rec }> =>
    c.exceptions
      .filter((l) => l.exceptionType === type && !l.tags.includes('tax_engine') && !l.tags.includes('registry'))
      .map((label) => ({ label, invoice: ix.invoices.get(label.invoiceId) as Rec }));
  const supplierOf = (invoice: Rec): Rec => ix.suppliers.get(supplierId(invoice)) as Rec;
  const isNew = (invoice: Rec): boolean =>
    Date.parse(String(supplierOf(invoice)['created-at'])) > nowMs - DEFAULT_CONTROLS.new_supplier_days * DAY_MS;
  const supplierRisky = (invoice: Rec): boolean => {
    const s = supplierOf(invoice);
    const remit = invoice['remit-to-address'] as Rec;
    // A VAT id that is absent is missing information; one that differs from the master is a mismatch.
    const onFile = (s['remit-to-addresses'] as Rec[]).some(
      (r) => r.id === remit.id && (remit['vat-number'] === null || r['vat-number'] === remit['vat-number']),
    );
    return (
      s['on-hold'] === true || s.status !== 'active' || !onFile || /bank/i.test(String(invoice['supplier-note'] ?? ''))
    );
  };
  /** Units (or cents, for amount lines) already billed on a PO line by invoices that consumed it. */
  const alreadyInvoiced = new Map<number, number>();
  for (const inv of c.dataset.invoices) {
    if (!CONSUMING.has(String(inv.status))) continue;
    for (const line of lines(inv)) {
      const id = line['order-line-id'] as number | null;
      if (id !== null)
        alreadyInvoiced.set(
          id,
          (alreadyInvoiced.get(id) ?? 0) + (line.quantity === null ? cents(line.total) : units(line.quantity)),
        );
    }
  }

  function expectWithinTolerance(label: ExceptionLabel, invoice: Rec, within: boolean): void {
    if (!within)
      return void expect([label.expectedDecision, label.routeTo]).toEqual(['route', DEFAULT_CONTROLS.ap_reviewer]);
    if (cents(invoice['gross-total']) > LIMIT)
      expect([label.expectedDecision, label.routeTo]).toEqual(['route', DEFAULT_CONTROLS.escalation_reviewer]);
    else if (isNew(invoice))
      expect([label.expectedDecision, label.routeTo]).toEqual(['route', DEFAULT_CONTROLS.ap_reviewer]);
    else expect(label.expectedDecision).toBe('resolve');
  }

  it('price variance: contract price → dispute, else tolerance, amount limit and supplier age decide', () => {
    for (const { label, invoice } of labelsOf('price_variance')) {
      expect(supplierRisky(invoice)).toBe(false);
      let overTotal = 0;
      let pctOk = true;
      let aboveContract = false;
      for (const line of lines(invoice)) {
        const ol = ix.orderLines.get(line['order-line-id'] as number);
        expect(ol, `invoice ${label.invoiceId} line`).toBeDefined();
        const delta = cents(line.price) - cents(ol?.price);
        if (delta <= 0) continue;
        const qty = line.quantity === null ? 1 : units(line.quantity);
        overTotal += delta * qty;
        if (delta * 10_000 > basisPoints(DEFAULT_CONTROLS.price_tolerance_pct) * cents(ol?.price)) pctOk = false;
        const terms = (ix.contractsBySupplier.get(supplierId(invoice)) ?? []).flatMap((k) => k['price-terms'] as Rec[]);
        const firm = terms.find((t) => t['source-part-num'] === line['source-part-num'] && t['price-type'] === 'firm');
        if (firm && cents(line.price) > cents(firm.price)) aboveContract = true;
      }
      expect(overTotal, `invoice ${label.invoiceId} has a price increase`).toBeGreaterThan(0);
      if (aboveContract) {
        expect([label.expectedDecision, label.disputeReason]).toEqual(['dispute', 'INCORRECT-PRICE']);
        continue;
      }
      expectWithinTolerance(label, invoice, pctOk && overTotal <= cents(DEFAULT_CONTROLS.price_tolerance_amount));
    }
  });

  it('quantity variance: billed plus already invoiced exceeds ordered → dispute', () => {
    for (const { label, invoice } of labelsOf('quantity_variance')) {
      const over = lines(invoice).some((line) => {
        const ol = ix.orderLines.get(line['order-line-id'] as number) as Rec;
        return units(line.quantity) + (alreadyInvoiced.get(ol.id) ?? 0) > units(ol.quantity);
      });
      expect(over, `invoice ${label.invoiceId}`).toBe(true);
      expect([label.expectedDecision, label.disputeReason]).toEqual(['dispute', 'INCORRECT-QUANTITY']);
    }
  });

  it('missing receipt: a 3-way line billed beyond received → route to the PO requester', () => {
    for (const { label, invoice } of labelsOf('missing_receipt')) {
      const short = lines(invoice)
        .map((line) => ix.orderLines.get(line['order-line-id'] as number) as Rec & { po: Rec })
        .filter((ol, i) => ol['match-type'] === '3-way' && units(ol.received) < units(lines(invoice)[i]?.quantity));
      expect(short.length, `invoice ${label.invoiceId}`).toBeGreaterThan(0);
      expect(invoice.status).toBe('pending_receipt');
      expect(label.routeTo).toBe((short[0]?.po.requester as { login: string }).login);
    }
  });

  it('missing PO: no resolvable PO line → route to requested-by, else the GL-account owner', () => {
    const owners = new Map(c.glAccounts.map((a) => [a.code, a.ownerLogin]));
    for (const { label, invoice } of labelsOf('missing_po')) {
      for (const line of lines(invoice)) expect(line['order-line-id']).toBeNull();
      const requestedBy = (invoice['requested-by'] as { login?: string } | null)?.login;
      const account = (lines(invoice)[0]?.account as { code: string }).code;
      expect(label.routeTo).toBe(requestedBy ?? owners.get(account));
    }
  });

  it('tax variance: the billed tax against rate × net decides, then the usual release rules', () => {
    for (const { label, invoice } of labelsOf('tax_variance')) {
      const net = lines(invoice).reduce((sum, l) => sum + cents(l.total), 0);
      const rateBp = Math.round(Number(invoice['tax-rate']) * 100);
      const expected = Math.round((net * rateBp) / 10_000);
      const diff = Math.abs(cents(invoice['tax-amount']) - expected);
      expect(diff).toBeGreaterThan(0);
      expectWithinTolerance(label, invoice, diff <= cents(DEFAULT_CONTROLS.tax_tolerance_amount));
    }
  });

  it('duplicate: an earlier bill of the same supplier (or tax id) with the same number and amount → hold', () => {
    const taxId = (inv: Rec): unknown => supplierOf(inv)['tax-id'];
    for (const { label, invoice } of labelsOf('duplicate')) {
      const created = Date.parse(String(invoice['created-at']));
      const original = c.dataset.invoices.find(
        (other) =>
          other.id !== invoice.id &&
          taxId(other) === taxId(invoice) &&
          normaliseNumber(String(other['invoice-number'])) === normaliseNumber(String(invoice['invoice-number'])) &&
          other['gross-total'] === invoice['gross-total'] &&
          Date.parse(String(other['created-at'])) < created &&
          created - Date.parse(String(other['created-at'])) <= DEFAULT_CONTROLS.duplicate_window_days * DAY_MS,
      );
      expect(original, `invoice ${label.invoiceId} ${String(invoice['invoice-number'])}`).toBeDefined();
      expect(['paid', 'approved', 'pending_approval']).toContain(original?.status);
      expect(label.expectedDecision).toBe('hold');
    }
  });

  it('supplier data mismatch: on hold, inactive, remit-to or VAT id not on file, or a bank-change request → hold', () => {
    for (const { label, invoice } of labelsOf('supplier_data_mismatch')) {
      expect(supplierRisky(invoice), `invoice ${label.invoiceId}`).toBe(true);
      expect(label.expectedDecision).toBe('hold');
    }
  });

  it('missing information: no date, term, VAT id on an EU invoice, or backup → request_info', () => {
    for (const { label, invoice } of labelsOf('missing_information')) {
      const remit = invoice['remit-to-address'] as Rec;
      const missing =
        invoice['invoice-date'] === null ||
        invoice['payment-term'] === null ||
        ((supplierOf(invoice)['default-currency'] as { code: string }).code === 'EUR' &&
          remit['vat-number'] === null) ||
        (invoice.attachments as unknown[]).length === 0;
      expect(missing, `invoice ${label.invoiceId}`).toBe(true);
      expect(supplierRisky(invoice)).toBe(false);
      expect(label.expectedDecision).toBe('request_info');
    }
  });

  it('other: freight not on the PO or a currency unlike the PO → the AP reviewer', () => {
    for (const { label, invoice } of labelsOf('other')) {
      const po = ix.orderLines.get(lines(invoice)[0]?.['order-line-id'] as number)?.po as Rec;
      const odd =
        cents(invoice['shipping-amount']) > 0 ||
        (invoice.currency as { code: string }).code !== (po.currency as { code: string }).code;
      expect(odd, `invoice ${label.invoiceId}`).toBe(true);
      expect([label.expectedDecision, label.routeTo]).toEqual(['route', DEFAULT_CONTROLS.ap_reviewer]);
    }
  });

  it('open exceptions are recent, and only duplicates repeat an earlier bill of their supplier', () => {
    const seen = new Map<string, number>();
    for (const inv of c.dataset.invoices) {
      const key = `${supplierId(inv)}|${normaliseNumber(String(inv['invoice-number']))}`;
      seen.set(key, (seen.get(key) ?? 0) + 1);
    }
    for (const l of c.exceptions) {
      const inv = ix.invoices.get(l.invoiceId) as Rec;
      expect(nowMs - Date.parse(String(inv['created-at']))).toBeLessThan(15 * DAY_MS);
      const repeats = (seen.get(`${supplierId(inv)}|${normaliseNumber(String(inv['invoice-number']))}`) ?? 0) > 1;
      if (l.exceptionType !== 'duplicate') expect(repeats, `invoice ${l.invoiceId}`).toBe(false);
    }
  });
});
