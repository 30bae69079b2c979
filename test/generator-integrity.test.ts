/**
 * The generated dataset is a consistent Coupa tenant: unique ids, references that resolve,
 * received/invoiced in step with receipts and invoices, money as decimal strings, records that
 * parse with Settle's own Coupa schemas, and the cast of people and suppliers the issue asks for.
 */
import { describe, expect, it } from 'vitest';
import {
  Approval,
  Comment,
  Contract,
  Invoice,
  InvoiceStatus,
  PurchaseOrder,
  ReceivingTransaction,
  Supplier,
  SupplierInformation,
  User,
} from '../src/coupa/schemas.js';
import { fromWire } from '../src/coupa/wire.js';
import { CoupaDatasetSchema } from '../src/sim/dataset.js';
import { generatePastResolutions, type SampleCompany } from '../src/sim/generator/index.js';
import { POLICY_SECTIONS } from '../src/sim/generator/resolutions.js';
import { checkBankAccount } from '../src/registry/bank.js';
import { checkUsTin } from '../src/registry/tin.js';
import { offlineVatCheck } from '../src/registry/vat.js';
import { cents, company, DAY_MS, indexOf, lines, supplierId, units, type Rec } from './generator.fixture.js';

const MONEY = /^-?\d+\.\d{2}$/;
const QUANTITY = /^\d+\.0$/;

function uniqueIds(records: Array<{ id?: unknown }>): boolean {
  return new Set(records.map((r) => r.id)).size === records.length;
}

describe.each([
  [7, 2000],
  [9, 300],
])('dataset integrity (seed %i, %i invoices)', (seed, size) => {
  const c: SampleCompany = company(seed, size);
  const ds = c.dataset;
  const ix = indexOf(c);

  it('validates as a dataset and with the client schemas', () => {
    expect(() => CoupaDatasetSchema.parse(ds)).not.toThrow();
    const schemas = [
      [User, ds.users],
      [Supplier, ds.suppliers],
      [SupplierInformation, ds['supplier-information']],
      [Contract, ds.contracts],
      [PurchaseOrder, ds['purchase-orders']],
      [ReceivingTransaction, ds['receiving-transactions']],
      [Invoice, ds.invoices],
      [Approval, ds.approvals],
      [Comment, ds.comments],
    ] as const;
    for (const [schema, records] of schemas) for (const r of records) schema.parse(fromWire(r));
    // Coupa has no "paid" status: a paid invoice is approved with `paid: true`.
    for (const inv of ds.invoices) expect(InvoiceStatus.options).toContain(inv.status);
    expect(ds.invoices.some((i) => i.paid === true && i.status === 'approved')).toBe(true);
    for (const ft of ds.invoices.flatMap((i) => [
      ...(i['failed-tolerances'] as Rec[]),
      ...lines(i).flatMap((l) => l['failed-tolerances'] as Rec[]),
    ])) {
      for (const key of ['breach-amount', 'breach-limit'])
        if (ft[key] !== null) expect(ft[key], key).toMatch(/^\d+(\.\d+)?$/);
    }
  });

  it('has unique ids per collection, for lines too', () => {
    for (const [name, records] of Object.entries(ds)) expect(uniqueIds(records as Rec[]), name).toBe(true);
    expect(uniqueIds(ds.invoices.flatMap((i) => lines(i)))).toBe(true);
    expect(uniqueIds(ds['purchase-orders'].flatMap((p) => p['order-lines'] as Rec[]))).toBe(true);
  });

  it('resolves every reference', () => {
    const userIds = new Set(ds.users.map((u) => u.id));
    for (const inv of ds.invoices) {
      expect(ix.suppliers.has((inv.supplier as { id: number }).id)).toBe(true);
      for (const line of lines(inv)) {
        const olId = line['order-line-id'] as number | null;
        if (olId === null) continue;
        const ol = ix.orderLines.get(olId);
        expect(ol, `invoice ${inv.id} line ${line.id}`).toBeDefined();
        expect(line['po-number']).toBe(ol?.po['po-number']);
        expect((ol?.po.supplier as { id: number }).id).toBe((inv.supplier as { id: number }).id);
      }
      for (const ft of lines(inv).flatMap((l) => (l['failed-tolerances'] as Rec[]).map((t) => [t, l] as const)))
        expect(ft[0]['failable-id']).toBe(ft[1].id);
    }
    for (const po of ds['purchase-orders']) {
      expect(ix.suppliers.has((po.supplier as { id: number }).id)).toBe(true);
      expect(userIds.has((po.requester as { id: number }).id)).toBe(true);
      for (const line of po['order-lines'] as Rec[]) expect(line['order-header-id']).toBe(po.id);
    }
    for (const r of ds['receiving-transactions']) {
      const ref = r['order-line'] as { id: number; 'order-header-id': number };
      expect(ix.orderLines.get(ref.id)?.po.id, `receipt ${r.id}`).toBe(ref['order-header-id']);
    }
    for (const k of ds.contracts) expect(ix.suppliers.has((k.supplier as { id: number }).id)).toBe(true);
    for (const si of ds['supplier-information'])
      expect(ix.suppliers.has((si.supplier as { id: number }).id)).toBe(true);
    for (const a of ds.approvals) expect(ix.invoices.has(a['approvable-id'] as number)).toBe(true);
    for (const cm of ds.comments) expect(ix.invoices.has(cm['commentable-id'] as number)).toBe(true);
  });

  it('keeps order lines received and invoiced in step with receipts and consuming invoices', () => {
    const received = new Map<number, number>();
    for (const r of ds['receiving-transactions']) {
      const id = (r['order-line'] as { id: number }).id;
      received.set(id, (received.get(id) ?? 0) + (r.quantity === null ? cents(r.total) : units(r.quantity)));
    }
    const invoiced = new Map<number, number>();
    for (const inv of ds.invoices) {
      if (!['paid', 'approved', 'pending_approval'].includes(String(inv.status))) continue;
      for (const l of lines(inv)) {
        const id = l['order-line-id'] as number | null;
        if (id !== null)
          invoiced.set(id, (invoiced.get(id) ?? 0) + (l.quantity === null ? cents(l.total) : units(l.quantity)));
      }
    }
    for (const [id, ol] of ix.orderLines) {
      const amountLine = ol.type === 'OrderAmountLine';
      const read = (v: unknown): number => (amountLine ? cents(v) : units(v));
      expect(read(ol.received), `order line ${id} received`).toBe(received.get(id) ?? 0);
      expect(read(ol.invoiced), `order line ${id} invoiced`).toBe(invoiced.get(id) ?? 0);
      expect(read(ol.invoiced), `order line ${id} over-invoiced`).toBeLessThanOrEqual(
        amountLine ? cents(ol.total) : units(ol.quantity),
      );
    }
  });

  it('writes money as two-place decimal strings and quantities as decimal strings', () => {
    for (const inv of ds.invoices) {
      for (const key of ['tax-amount', 'gross-total', 'total-with-taxes', 'shipping-amount'])
        expect(inv[key], key).toMatch(MONEY);
      expect(cents(inv['gross-total'])).toBe(
        lines(inv).reduce((s, l) => s + cents(l.total), 0) + cents(inv['tax-amount']) + cents(inv['shipping-amount']),
      );
      for (const l of lines(inv)) {
        expect(l.price).toMatch(MONEY);
        expect(l.total).toMatch(MONEY);
        if (l.quantity !== null) expect(cents(l.total)).toBe(cents(l.price) * units(l.quantity));
      }
    }
    for (const ol of ix.orderLines.values()) {
      expect(ol.price).toMatch(MONEY);
      expect(ol.total).toMatch(MONEY);
      if (ol.quantity !== null) expect(ol.quantity).toMatch(QUANTITY);
    }
    for (const r of ds['receiving-transactions']) expect(r.total).toMatch(MONEY);
    for (const k of ds.contracts) for (const t of k['price-terms'] as Rec[]) expect(t.price).toMatch(MONEY);
  });

  it('has the cast: AP reviewer and manager, requesters, cost-centre owners of every GL account', () => {
    const roles = (login: string): string[] =>
      ((ix.usersByLogin.get(login)?.roles as Array<{ name: string }>) ?? []).map((r) => r.name);
    expect(roles('ap.review')).toContain('AP Reviewer');
    expect(roles('ap.manager')).toContain('AP Manager');
    expect(
      ds.users.filter((u) => (u.roles as Array<{ name: string }>).some((r) => r.name === 'Requester')).length,
    ).toBeGreaterThanOrEqual(15);
    for (const account of c.glAccounts) expect(roles(account.ownerLogin), account.code).toContain('Cost Centre Owner');
  });

  it('has long-standing and new suppliers, some on hold or inactive, EU ones with VAT ids, bank details for all', () => {
    const nowMs = Date.parse(c.now);
    const age = (s: Rec): number => (nowMs - Date.parse(String(s['created-at']))) / DAY_MS;
    expect(ds.suppliers.length).toBeGreaterThanOrEqual(Math.max(30, Math.ceil(size / 20)));
    expect(ds.suppliers.some((s) => age(s) < 90)).toBe(true);
    expect(ds.suppliers.some((s) => age(s) > 365)).toBe(true);
    expect(ds.suppliers.some((s) => s['on-hold'] === true)).toBe(true);
    expect(ds.suppliers.some((s) => s.status === 'inactive')).toBe(true);
    // Suppliers whose identifier a planted registry-mismatch case broke on purpose.
    const plantedBy = (tag: string): Set<number> =>
      new Set(
        c.exceptions.filter((l) => l.tags.includes(tag)).map((l) => supplierId(ix.invoices.get(l.invoiceId) as Rec)),
      );
    const planted = plantedBy('registry');
    const badVat = plantedBy('registry_vat_id_invalid');
    const eu = ds.suppliers.filter((s) => (s['default-currency'] as { code: string }).code === 'EUR');
    expect(eu.length).toBeGreaterThan(0);
    for (const s of eu) {
      expect(String(s['tax-id'])).toMatch(/^(DE\d{9}|FR\d{11}|NL\d{9}B01|IE\d{7}[A-W])$/);
      // Synthetic ids pass the registries' offline checks, so registry verification can be on.
      expect(offlineVatCheck(String(s['tax-id'])).valid, String(s['tax-id'])).toBe(!badVat.has(s.id));
      expect((s['remit-to-addresses'] as Rec[])[0]?.['vat-number']).toBe(s['tax-id']);
    }
    for (const s of ds.suppliers.filter((x) => (x['default-currency'] as { code: string }).code === 'USD'))
      expect(checkUsTin(String(s['tax-id'])).format !== 'invalid', String(s['tax-id'])).toBe(!planted.has(s.id));
    const ibans = ds['supplier-information']
      .filter((si) => !planted.has((si.supplier as { id: number }).id))
      .flatMap((si) => (si['supplier-information-addresses'] as Rec[]).map((a) => a['iban-number']))
      .filter((v): v is string => typeof v === 'string');
    expect(ibans.length).toBeGreaterThan(0);
    for (const iban of ibans) expect(checkBankAccount(iban, undefined).valid, iban).toBe(true);
    expect(new Set(ds.suppliers.map((s) => s['invoice-matching-level']))).toEqual(new Set(['2-way', '3-way']));
    const withBank = new Set(
      ds['supplier-information']
        .filter((si) =>
          (si['supplier-information-addresses'] as Rec[]).some((a) => a['bank-account-number'] || a['iban-number']),
        )
        .map((si) => (si.supplier as { id: number }).id),
    );
    for (const s of ds.suppliers) expect(withBank.has(s.id), `supplier ${s.id}`).toBe(true);
    expect(ds.contracts.every((k) => (k['price-terms'] as Rec[]).every((t) => t['price-type'] === 'firm'))).toBe(true);
  });

  it('has 2-way and 3-way, quantity and amount PO lines, and full, partial and missing receipts', () => {
    const all = [...ix.orderLines.values()];
    expect(new Set(all.map((l) => l['match-type']))).toEqual(new Set(['2-way', '3-way']));
    expect(new Set(all.map((l) => l.type))).toEqual(new Set(['OrderQuantityLine', 'OrderAmountLine']));
    const threeWay = all.filter((l) => l['match-type'] === '3-way');
    expect(threeWay.some((l) => l.received === l.quantity)).toBe(true);
    expect(threeWay.some((l) => units(l.received) > 0 && units(l.received) < units(l.quantity))).toBe(true);
    expect(threeWay.some((l) => units(l.received) === 0)).toBe(true);
  });
});

describe('past resolutions', () => {
  const c = company();
  const resolutions = generatePastResolutions(c, 10_000);

  it('gives at least 200 for seed 7, deterministic, citing policy sections', () => {
    expect(resolutions.length).toBeGreaterThanOrEqual(200);
    expect(generatePastResolutions(c, 10_000)).toEqual(resolutions);
    expect(generatePastResolutions(c, 5)).toEqual(resolutions.slice(0, 5));
    const cited = resolutions.filter((r) => Object.keys(POLICY_SECTIONS).some((id) => r.summary.includes(id)));
    expect(cited.length / resolutions.length).toBeGreaterThan(0.9);
    expect(new Set(resolutions.map((r) => r.summary)).size).toBeGreaterThan(resolutions.length * 0.9);
  });

  it('points at real invoices, suppliers and people', () => {
    const invoices = new Set(c.dataset.invoices.map((i) => i.id));
    const logins = new Set(c.dataset.users.map((u) => String(u.login)));
    const suppliers = new Map(c.dataset.suppliers.map((s) => [s.id, String(s.name)]));
    for (const r of resolutions) {
      expect(invoices.has(r.invoiceId)).toBe(true);
      expect(suppliers.get(r.supplierId)).toBe(r.supplierName);
      expect(logins.has(r.decidedBy), r.decidedBy).toBe(true);
      expect(r.summary.length).toBeLessThan(400);
    }
    expect(new Set(resolutions.map((r) => r.decision))).toEqual(
      new Set(['resolve', 'route', 'dispute', 'hold', 'request_info']),
    );
  });
});
