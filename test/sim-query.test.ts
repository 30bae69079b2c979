import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { invoice, sampleDataset, startTestSim, type TestSim } from './sim.fixture.js';

const ids = (body: Array<{ id: number }>): number[] => body.map((r) => r.id);

describe('simulator query language', () => {
  let t: TestSim;
  beforeAll(async () => {
    t = await startTestSim();
  });
  afterAll(() => t.sim.close());
  const get = async (path: string): Promise<number[]> => {
    const res = await t.api('GET', path);
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    return ids(res.body);
  };

  it.each([
    ['status=ap_hold', [5001]],
    ['status[not_eq]=ap_hold&status[not_eq]=voided', [5002, 5003, 5004, 5006, 5007]],
    ['status[in]=approved,voided', [5004, 5005]],
    ['status[not_in]=approved,voided,draft', [5001, 5002, 5003, 5006]],
    ['invoice-number[contains]=acme', [5006]],
    ['invoice_number[starts_with]=INV-500', [5001, 5002, 5003, 5004, 5005]],
    ['invoice-number[ends_with]=-7', [5007]],
    ['gross-total[gt]=100', [5003, 5006]],
    ['gross-total[gt_or_eq]=100.00', [5001, 5003, 5006]],
    ['gross-total[lt]=90', [5005, 5007]],
    ['gross-total[lt_or_eq]=90.0', [5002, 5005, 5007]],
    ['invoice-date[lt]=2026-01-31', [5002, 5004]],
    ['invoice_date[gt_or_eq]=2026-02-10T08:00:00Z', [5001, 5003, 5005, 5006, 5007]],
    ['invoice-date=2025-11-30', [5004]],
    ['po-email[blank]=true&id[lt]=5004', [5001, 5002, 5003]],
    ['internal-note[blank]=false', [5003]],
    ['paid=true', [5004]],
    ['id=5006', [5006]],
    ['id[in]=5007,5001,9999', [5001, 5007]],
  ])('GET /api/invoices?%s', async (query, expected) => {
    expect(await get(`/api/invoices?${query}`)).toEqual(expected);
  });

  it.each([
    ['supplier[id]=11', [5002]],
    ['supplier[name]=Acme GmbH', [5005]],
    ['supplier[name][in]=Insight,Acme GmbH', [5002, 5005]],
    ['invoice-lines[order-line-id]=3001', [5001]],
    ['invoice_lines[description][contains]=lap', [5001]],
    ['invoice-lines[failed-tolerances][code]=line_price_percent', [5001]],
  ])('association filter %s', async (query, expected) => {
    expect(await get(`/api/invoices?${query}`)).toEqual(expected);
  });

  it('answers [] (200) when nothing matches, including unknown attributes', async () => {
    expect(await get('/api/invoices?status=rejected')).toEqual([]);
    expect(await get('/api/invoices?no-such-attribute=1')).toEqual([]);
    expect(await get('/api/invoices?supplier[id]=999')).toEqual([]);
  });

  it('filters receipts and order lines by their order line / header', async () => {
    expect(await get('/api/receiving_transactions?order-line[id]=3001')).toEqual([400]);
    expect(await get('/api/receiving_transactions?order_line[order_header_id]=300')).toEqual([400]);
    expect(await get('/api/purchase_order_lines?order-header-id=300')).toEqual([3001, 3002]);
    const line = await t.api('GET', '/api/purchase_order_lines/3011');
    expect(line.body).toMatchObject({ id: 3011, 'order-header-id': 301, price: '1200.00' });
    expect(await get('/api/purchase_orders?supplier[id]=11')).toEqual([301]);
  });

  it('finds supplier information by supplier[id] whether nested or flat', async () => {
    expect(await get('/api/supplier_information?supplier[id]=10')).toEqual([100]);
    expect(await get('/api/supplier_information?supplier[id]=11')).toEqual([101]);
  });

  it('orders by any attribute in either direction, id breaking ties', async () => {
    expect(await get('/api/invoices?order_by=id&dir=desc')).toEqual([5007, 5006, 5005, 5004, 5003, 5002, 5001]);
    expect(await get('/api/invoices?order_by=gross_total&dir=asc')).toEqual(
      [5007, 5005, 5002, 5004, 5001, 5006, 5003].sort((a, b) => totalOf(a) - totalOf(b) || a - b),
    );
    expect(await get('/api/invoices?order_by=invoice-date&dir=desc&limit=2')).toEqual([5001, 5003]);
  });

  it('shapes responses with fields, dashed or underscored, nested into lines', async () => {
    const res = await t.api(
      'GET',
      `/api/invoices?id=5001&fields=${encodeURIComponent('["id","invoice_number",{"invoice-lines":["id",{"failed_tolerances":["code"]}]},{"supplier":{}}]')}`,
    );
    expect(res.body).toEqual([
      {
        id: 5001,
        'invoice-number': 'INV-5001',
        supplier: { id: 10, name: 'CDW' },
        'invoice-lines': [{ id: 50011, 'failed-tolerances': [{ code: 'line_price_percent' }] }],
      },
    ]);
    const one = await t.api('GET', '/api/invoices/5002?fields=["status"]');
    expect(one.body).toEqual({ status: 'pending_receipt' });
  });

  it('rejects malformed fields and filter keys with a Coupa 400', async () => {
    const bad = await t.api('GET', '/api/invoices?fields=[id');
    expect(bad.status).toBe(400);
    expect(Object.keys(bad.body.errors)).toEqual(['fields']);
    expect((await t.api('GET', '/api/invoices?fields={"a":1}')).status).toBe(400);
    expect((await t.api('GET', `/api/invoices?${encodeURIComponent('status[in')}=x`)).status).toBe(400);
  });

  it('answers 404 in Coupa shape for unknown and malformed ids', async () => {
    const missing = await t.api('GET', '/api/invoices/999999');
    expect(missing.status).toBe(404);
    expect(missing.body).toEqual({ errors: { 'invoice-header': ['InvoiceHeader 999999 not found'] } });
    expect((await t.api('GET', '/api/suppliers/abc')).status).toBe(404);
    expect((await t.api('GET', '/api/users/-1')).body.errors.user).toHaveLength(1);
  });
});

/** Totals with many ties (37·id mod 101), as decimal strings. */
function totalFor(id: number): string {
  return `${(id * 37) % 101}.50`;
}

const TOTALS: Record<number, number> = { 5001: 100, 5002: 90, 5003: 1000.5, 5004: 99.99, 5005: 12, 5006: 250, 5007: 9 };
function totalOf(id: number): number {
  return TOTALS[id] ?? Number.NaN;
}

describe('simulator pagination', () => {
  let t: TestSim;
  const COUNT = 137;
  beforeAll(async () => {
    const dataset = sampleDataset();
    dataset.invoices = Array.from({ length: COUNT }, (_, i) =>
      invoice(i + 1, i % 3 === 0 ? 'ap_hold' : 'approved', { 'gross-total': totalFor(i + 1) }),
    );
    t = await startTestSim({ dataset });
  });
  afterAll(() => t.sim.close());

  it('walks every record exactly once across page boundaries', async () => {
    const seen: number[] = [];
    for (let offset = 0; ; offset += 50) {
      const page = await t.api('GET', `/api/invoices?limit=50&offset=${offset}`);
      seen.push(...ids(page.body));
      if (page.body.length < 50) break;
    }
    expect(seen).toEqual(Array.from({ length: COUNT }, (_, i) => i + 1));
  });

  it('clamps limit to 50, defaults to 50, and answers [] past the end', async () => {
    expect((await t.api('GET', '/api/invoices?limit=500')).body).toHaveLength(50);
    expect((await t.api('GET', '/api/invoices')).body).toHaveLength(50);
    expect(ids((await t.api('GET', '/api/invoices?limit=3&offset=49')).body)).toEqual([50, 51, 52]);
    expect((await t.api('GET', `/api/invoices?offset=${COUNT}`)).body).toEqual([]);
  });

  it('pages an order_by query across boundaries, ties broken by id', async () => {
    const expected = Array.from({ length: COUNT }, (_, i) => i + 1).sort(
      (a, b) => Number(totalFor(b)) - Number(totalFor(a)) || a - b,
    );
    const seen: number[] = [];
    for (let offset = 0; offset < COUNT; offset += 50) {
      seen.push(...ids((await t.api('GET', `/api/invoices?order_by=gross-total&dir=desc&offset=${offset}`)).body));
    }
    expect(seen).toEqual(expected);
    expect((await t.api('GET', '/api/invoices?order_by=gross-total&offset=5000')).body).toEqual([]);
  });

  it('pages a filtered, indexed query (status) and a descending order consistently', async () => {
    const held = Array.from({ length: COUNT }, (_, i) => i + 1).filter((id) => (id - 1) % 3 === 0);
    const first = ids((await t.api('GET', '/api/invoices?status=ap_hold&limit=20')).body);
    const second = ids((await t.api('GET', '/api/invoices?status=ap_hold&limit=20&offset=20')).body);
    const third = ids((await t.api('GET', '/api/invoices?status=ap_hold&limit=20&offset=40')).body);
    expect([...first, ...second, ...third]).toEqual(held);
    expect(ids((await t.api('GET', '/api/invoices?dir=desc&limit=2&offset=1')).body)).toEqual([COUNT - 1, COUNT - 2]);
  });
});
