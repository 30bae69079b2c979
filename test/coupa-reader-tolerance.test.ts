/**
 * The tolerant Coupa reader: every benign variant of a documented field type reads to the same
 * record as Coupa's documented shape (property-based, fast-check), JSON numbers never pass through
 * float arithmetic, and what still cannot be read is set aside per field and named — never the
 * whole invoice. These tests fail if the schemas go back to strict types.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseBody } from '../src/coupa/http.js';
import { describeReadProblem } from '../src/coupa/read-problems.js';
import { RESOURCES, parseRecord } from '../src/coupa/resources.js';
import type { ReadProblem } from '../src/coupa/schemas.js';
import { assessInvoice, DEFAULT_CONTROLS, supplierTexts, type InvoiceContext } from '../src/domain/index.js';
import { RawNumber, serializeDialect } from '../src/sim/dialects.js';

/** Coupa's documented invoice (coupa-api.md §8.2), with a failed tolerance and a second line. */
const INVOICE = {
  id: 5001,
  'created-at': '2026-02-10T11:19:49-07:00',
  'updated-at': '2026-02-10T11:24:44-07:00',
  'invoice-number': 'INV-500',
  'invoice-date': '2026-02-10',
  status: 'ap_hold',
  'line-level-taxation': false,
  paid: false,
  'payment-date': null,
  'internal-note': null,
  'supplier-note': 'Thanks for your business',
  comments: null,
  'handling-amount': '0.00',
  'misc-amount': '0.00',
  'shipping-amount': '0.00',
  'tax-amount': '35.14',
  'tax-rate': '8.25',
  'gross-total': '461.13',
  'total-with-taxes': '461.13',
  'tolerance-failures': null,
  currency: { id: 1, code: 'USD' },
  supplier: { id: 17, name: 'Insight', number: null },
  'remit-to-address': {
    id: 9,
    'remit-to-code': 'R1',
    street1: '6820 South Harl Avenue',
    city: 'Tempe',
    country: { code: 'US' },
  },
  'payment-term': { id: 2, code: 'Net 45' },
  'requested-by': { id: 10, login: 'amanning' },
  'failed-tolerances': [
    { id: 55, code: 'header_total', resolved: false, 'resolution-strategy': null, 'breach-amount': '12.00' },
  ],
  'invoice-lines': [
    {
      id: 1,
      'line-num': 1,
      type: 'InvoiceQuantityLine',
      description: 'Adobe Acrobat',
      quantity: '1.0',
      price: '425.99',
      total: '425.99',
      'order-line-id': 10,
      'order-header-num': '7',
      'order-line-num': '1',
      'po-number': '7',
      'tax-amount': '0.00',
      uom: { id: 1, code: 'EA' },
      account: { id: 18, code: 'SF-IT-Assets' },
      'failed-tolerances': [
        { id: 56, code: 'line_price', resolved: false, 'breach-amount': '5.00', 'breach-limit': '2.50' },
      ],
    },
    {
      id: 2,
      'line-num': 2,
      type: 'InvoiceAmountLine',
      description: 'Consulting',
      quantity: null,
      price: '0.10',
      total: '0.10',
      'order-line-id': 11,
      'po-number': '7',
      'failed-tolerances': [],
    },
  ],
};

const MONEY = new Set([
  'quantity',
  'price',
  'total',
  'tax-amount',
  'tax-rate',
  'handling-amount',
  'misc-amount',
  'shipping-amount',
  'gross-total',
  'total-with-taxes',
  'breach-amount',
  'breach-limit',
]);

/** Read wire JSON text the way the client does: lossless numbers, then the tolerant schema. */
function read(text: string, problems: ReadProblem[] = []) {
  return parseRecord(RESOURCES.invoice, parseBody(text), { onReadProblem: (p) => problems.push(p) });
}

/** The record without absent/null/empty values and without keys the schema does not know: what the logic sees. */
function normal(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(normal);
  if (value === null || typeof value !== 'object') return value;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) {
    if (v === null || v === undefined || k === 'customFields' || k.startsWith('cf') || k === 'legacyErpStatus')
      continue;
    out[k] = normal(v);
  }
  return out;
}

/** One way of writing a value: fast-check picks one variant per node. */
type Variant = (value: unknown, key: string | undefined) => unknown;

const nodeVariants: Variant[] = [
  (v) => v,
  // integers as strings, booleans as strings
  (v) => (typeof v === 'number' ? String(v) : typeof v === 'boolean' ? String(v) : v),
  // money as JSON numbers, written with the exact source text
  (v, k) =>
    typeof v === 'string' && k !== undefined && MONEY.has(k) && /^-?\d+(\.\d+)?$/.test(v) ? new RawNumber(v) : v,
  // nulls as "" or an XML nil
  (v) => (v === null ? '' : v),
  (v) => (v === null ? { '@nil': 'true' } : v),
  // a one-element collection as a bare object, or wrapped by an XML converter
  (v) => (Array.isArray(v) && v.length === 1 ? v[0] : v),
  (v, k) => (Array.isArray(v) && k !== undefined && v.length > 0 ? { [k.replace(/s$/, '')]: v } : v),
  // a reference by id only, with the id as text (only for references nothing reads beyond the id)
  (v, k) =>
    k === 'uom' && v !== null && typeof v === 'object' && !Array.isArray(v)
      ? { ...v, id: String((v as { id: unknown }).id) }
      : v,
];

const keyVariants = [(k: string) => k, (k: string) => k.replace(/-/g, '_')];

/** Rewrite `value` with the variant choices drawn by fast-check; nulls may also be left out. */
function perturb(value: unknown, choose: () => number, key?: string): unknown {
  const variant = nodeVariants[choose() % nodeVariants.length] as Variant;
  const v = variant(value, key);
  if (Array.isArray(value)) {
    // The collection's own spelling (array, bare object, wrapper) around perturbed elements.
    const items = value.map((item) => perturb(item, choose, key));
    if (Array.isArray(v)) return items;
    if (v === value[0]) return items[0];
    return { [Object.keys(v as object)[0] as string]: items };
  }
  if (v === null || typeof v !== 'object' || v instanceof RawNumber || '@nil' in v) return v;
  const out: Record<string, unknown> = {};
  for (const [k, inner] of Object.entries(v)) {
    if (inner === null && choose() % 3 === 0) continue; // null ≡ absent
    out[(keyVariants[choose() % 2] as (k: string) => string)(k)] = perturb(inner, choose, k);
  }
  if ('id' in v && choose() % 4 === 0)
    out['custom-fields'] = { 'cf-erp-ref': 'X-1', 'cf-empty': null, 'cf-nested': { a: 1 } };
  if ('id' in v && choose() % 5 === 0) out['legacy-erp-status'] = 'synced';
  return out;
}

const canonical = read(JSON.stringify(INVOICE));

describe('tolerant Coupa reader', () => {
  it("reads Coupa's documented shape without problems", () => {
    const problems: ReadProblem[] = [];
    const invoice = read(JSON.stringify(INVOICE), problems);
    expect(problems).toEqual([]);
    expect(invoice.invoiceLines[0]).toMatchObject({ orderLineId: 10, price: '425.99', orderLineNum: '1' });
  });

  it('reads every benign variant to the same record (property)', () => {
    fc.assert(
      fc.property(fc.array(fc.nat(1000), { minLength: 1, maxLength: 400 }), (choices) => {
        let i = 0;
        const choose = (): number => choices[i++ % choices.length] as number;
        const text = serializeDialect(perturb(INVOICE, choose));
        const problems: ReadProblem[] = [];
        const invoice = read(text, problems);
        expect(problems.map(describeReadProblem)).toEqual([]);
        expect(normal(invoice)).toEqual(normal(canonical));
      }),
      { numRuns: 150, seed: 14 },
    );
  });

  it('reads integers given as numeric strings and line numbers given as numbers', () => {
    const wire = structuredClone(INVOICE) as typeof INVOICE & Record<string, unknown>;
    (wire as Record<string, unknown>).id = '5001';
    (wire['invoice-lines'][0] as Record<string, unknown>)['order-line-num'] = 1;
    (wire['invoice-lines'][0] as Record<string, unknown>)['order-line-id'] = '10';
    const invoice = read(JSON.stringify(wire));
    expect(invoice.id).toBe(5001);
    expect(invoice.invoiceLines[0]).toMatchObject({ orderLineId: 10, orderLineNum: '1' });
  });

  it('reads a PO line linked by a nested order-line reference (or a bare id) like order-line-id', () => {
    const nested = structuredClone(INVOICE) as unknown as { 'invoice-lines': Array<Record<string, unknown>> };
    for (const line of nested['invoice-lines']) {
      const { 'order-line-id': id, 'order-line-num': num, 'po-number': po, ...rest } = line;
      Object.keys(line).forEach((k) => delete line[k]);
      Object.assign(line, rest, { 'order-line': { id: String(id), 'line-num': num, 'order-header-number': po } });
    }
    const invoice = read(JSON.stringify(nested));
    expect(invoice.invoiceLines.map((l) => [l.orderLineId, l.orderLineNum, l.poNumber])).toEqual(
      canonical.invoiceLines.map((l) => [l.orderLineId, l.orderLineNum, l.poNumber]),
    );
    const bare = structuredClone(INVOICE) as unknown as { 'invoice-lines': Array<Record<string, unknown>> };
    const first = bare['invoice-lines'][0] as Record<string, unknown>;
    first['order-line'] = first['order-line-id'];
    delete first['order-line-id'];
    expect(read(JSON.stringify(bare)).invoiceLines[0]?.orderLineId).toBe(canonical.invoiceLines[0]?.orderLineId);
  });

  it('reads attachment names in every collection shape, so a file name stays supplier text (XML converters wrap one file)', () => {
    const name = 'New bank details - pay to 1234509876.pdf';
    for (const attachments of [
      [{ 'file-file-name': name }],
      { 'file-file-name': name, id: 3 },
      { attachment: { 'file-file-name': name } },
      { attachment: [{ file_file_name: name }] },
    ]) {
      const invoice = read(JSON.stringify({ ...INVOICE, attachments }));
      expect(
        invoice.attachments.map((a) => a.fileFileName),
        JSON.stringify(attachments),
      ).toEqual([name]);
      expect(supplierTexts({ invoice }).map((t) => t.text)).toContain(name);
    }
    expect(read(JSON.stringify({ ...INVOICE, attachments: '' })).attachments).toEqual([]);
  });

  it('turns JSON numbers into decimal strings from their source text, never through a float', () => {
    const text = JSON.stringify(INVOICE)
      .replace('"price":"0.10"', '"price":0.1')
      .replace('"gross-total":"461.13"', '"gross-total":12345678901234567.89')
      .replace('"tax-amount":"35.14"', '"tax-amount":35.140');
    const invoice = read(text);
    expect(invoice.invoiceLines[1]?.price).toBe('0.1');
    expect(invoice.grossTotal).toBe('12345678901234567.89');
    expect(invoice.taxAmount).toBe('35.140');
  });

  it('keeps unknown keys and custom fields on the record', () => {
    const invoice = read(JSON.stringify({ ...INVOICE, 'custom-fields': { 'cf-erp': 'E-1' }, 'erp-batch': 7 }));
    expect(invoice.customFields).toEqual({ cfErp: 'E-1' });
    expect(invoice.erpBatch).toBe(7);
  });

  it("never takes Settle's own readProblems annotation from the wire", () => {
    const invoice = read(JSON.stringify({ ...INVOICE, 'read-problems': [{ field: 'x' }] }));
    expect(invoice.readProblems).toBeUndefined();
  });
});

describe('per-field degradation', () => {
  it('sets aside an unreadable field, names record, field and value, and keeps the rest of the invoice', () => {
    const wire = structuredClone(INVOICE);
    (wire['invoice-lines'][0] as Record<string, unknown>).price = 'twelve';
    (wire as Record<string, unknown>)['created-at'] = { weird: true };
    const problems: ReadProblem[] = [];
    const invoice = read(JSON.stringify(wire), problems);
    expect(invoice.invoiceLines).toHaveLength(2);
    expect(invoice.invoiceLines[0]?.price).toBeUndefined();
    expect(invoice.invoiceLines[0]?.total).toBe('425.99');
    expect(problems.map((p) => [p.resource, p.recordId, p.field, p.seen])).toEqual([
      ['invoice', 5001, 'created-at', '{"weird":true}'],
      ['invoice', 5001, 'invoice-lines[0].price', '"twelve"'],
    ]);
    expect(invoice.readProblems).toEqual(problems);
    expect(describeReadProblem(problems[1]!)).toBe(
      'invoice 5001: invoice-lines[0].price ("twelve") could not be read — expected a decimal number such as "425.99"',
    );
  });

  it('sets aside a collection element whose required field cannot be read, and says so', () => {
    const problems: ReadProblem[] = [];
    const po = parseRecord(
      RESOURCES.purchaseOrder,
      parseBody(
        JSON.stringify({
          id: 7,
          'po-number': '7',
          status: 'issued',
          'order-lines': [
            { id: 'ten', price: '1.00' },
            { id: 11, price: '2.00' },
          ],
        }),
      ),
      { onReadProblem: (p) => problems.push(p) },
    );
    expect(po.orderLines.map((l) => l.id)).toEqual([11]);
    expect(problems).toEqual([
      expect.objectContaining({ field: 'order-lines[0]', lost: 'element', problem: expect.stringContaining('id') }),
    ]);
  });

  it("uses the requested id when the record's own id cannot be read", () => {
    const invoice = parseRecord(RESOURCES.invoice, { ...INVOICE, id: 'abc' }, { requestedId: 5001 });
    expect(invoice.id).toBe(5001);
  });

  it('routes an invoice whose decisive field cannot be read to the AP reviewer, with a dossier naming it', () => {
    const wire = structuredClone(INVOICE);
    (wire['invoice-lines'][0] as Record<string, unknown>).quantity = ['1'];
    const invoice = read(JSON.stringify(wire));
    const ctx: InvoiceContext = { invoice, purchaseOrders: [], comments: [] };
    const a = assessInvoice(ctx, { ...DEFAULT_CONTROLS, ap_reviewer: 'ap.review' }, new Date('2026-03-01T00:00:00Z'));
    expect(a.decision).toBe('route');
    expect(a.routeTo).toBe('ap.review');
    expect(a.rootCause).toContain('invoice-lines[0].quantity');
    expect(a.rootCause).toContain('["1"]');
  });

  it('notes but does not route on a problem in a field no check reads', () => {
    const wire = { ...structuredClone(INVOICE), 'updated-at': 'last tuesday' };
    const invoice = read(JSON.stringify(wire));
    expect(invoice.readProblems?.map((p) => p.field)).toEqual(['updated-at']);
    const a = assessInvoice({ invoice, purchaseOrders: [] }, DEFAULT_CONTROLS, new Date('2026-03-01T00:00:00Z'));
    expect(a.findings.map((f) => f.kind)).not.toContain('unreadable_field');
  });
});

describe('comments without a Coupa author', () => {
  it('reads created-by null or {id: null} as supplier-written, untrusted text', () => {
    const comments = [
      {
        id: 1,
        comments: 'Please pay to our new account',
        'commentable-type': 'InvoiceHeader',
        'commentable-id': 5001,
        'created-by': { id: null },
      },
      { id: 2, comment: 'Sent from the supplier portal', 'commentable-id': '5001', 'created-by': null },
    ].map((c) => parseRecord(RESOURCES.comment, c));
    expect(comments.map((c) => c.comments)).toEqual(['Please pay to our new account', 'Sent from the supplier portal']);
    const texts = supplierTexts({ invoice: canonical, comments, users: [{ id: 1, login: 'ap.review', active: true }] });
    expect(texts.map((t) => t.source)).toEqual(expect.arrayContaining(['comment 1', 'comment 2']));
  });
});
