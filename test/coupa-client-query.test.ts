import { describe, expect, it } from 'vitest';
import { query } from '../src/coupa/query.js';

/** Decoded key/value pairs, in order, as a server would read them. */
function pairs(q: { toString(): string }): Array<[string, string]> {
  return [...new URLSearchParams(q.toString())];
}

describe('Coupa query builder', () => {
  it('writes equality and every operator in Coupa bracket syntax', () => {
    const since = new Date('2026-03-01T10:00:00Z');
    const q = query()
      .where('status', 'ap_hold')
      .where('updated-at', 'gt', since)
      .where('id', 'lt', 100)
      .where('id', 'gt_or_eq', 5)
      .where('id', 'lt_or_eq', 50)
      .where('status', 'not_eq', 'voided')
      .where('status', 'in', ['ap_hold', 'pending_receipt'])
      .where('status', 'not_in', ['draft', 'abandoned'])
      .where('invoice-number', 'contains', 'INV')
      .where('invoice-number', 'starts_with', 'INV-')
      .where('invoice-number', 'ends_with', '-01')
      .where('po-email', 'blank', true);
    expect(pairs(q)).toEqual([
      ['status', 'ap_hold'],
      ['updated-at[gt]', '2026-03-01T10:00:00.000Z'],
      ['id[lt]', '100'],
      ['id[gt_or_eq]', '5'],
      ['id[lt_or_eq]', '50'],
      ['status[not_eq]', 'voided'],
      ['status[in]', 'ap_hold,pending_receipt'],
      ['status[not_in]', 'draft,abandoned'],
      ['invoice-number[contains]', 'INV'],
      ['invoice-number[starts_with]', 'INV-'],
      ['invoice-number[ends_with]', '-01'],
      ['po-email[blank]', 'true'],
    ]);
  });

  it('percent-encodes brackets, colons and plus signs on the wire', () => {
    const raw = query().where('updated-at', 'gt', '2026-03-01T10:00:00+01:00').toString();
    expect(raw).toBe('updated-at%5Bgt%5D=2026-03-01T10%3A00%3A00%2B01%3A00');
  });

  it('builds association filters from Coupa paths, segments and camelCase names', () => {
    const q = query()
      .where('supplier[id]', 7)
      .where(['order-line', 'id'], 'in', [1, 2, 3])
      .where(['orderLine', 'orderHeaderId'], 9)
      .where('account-type[name]', 'in', ['SAP100', 'SAP200'])
      .where('updatedAt', 'lt', '2026-01-01');
    expect(pairs(q)).toEqual([
      ['supplier[id]', '7'],
      ['order-line[id][in]', '1,2,3'],
      ['order-line[order-header-id]', '9'],
      ['account-type[name][in]', 'SAP100,SAP200'],
      ['updated-at[lt]', '2026-01-01'],
    ]);
  });

  it('encodes fields as a JSON array with nested associations, names underscored as Compass writes them', () => {
    const q = query().fields(['id', 'invoiceNumber', { invoiceLines: ['id', 'line-num', { account: ['code'] }] }]);
    expect(JSON.parse(new URLSearchParams(q.toString()).get('fields')!)).toEqual([
      'id',
      'invoice_number',
      { invoice_lines: ['id', 'line_num', { account: ['code'] }] },
    ]);
    expect(q.isProjected).toBe(true);
    expect(query().isProjected).toBe(false);
  });

  it('adds order_by/dir, limit and offset after the filters', () => {
    const q = query().where('status', 'approved').orderBy('updatedAt', 'desc').limit(25).offset(50);
    expect(pairs(q)).toEqual([
      ['status', 'approved'],
      ['order_by', 'updated-at'],
      ['dir', 'desc'],
      ['limit', '25'],
      ['offset', '50'],
    ]);
    expect(q.pageSize).toBe(25);
    expect(q.startOffset).toBe(50);
  });

  it('is immutable: deriving a query leaves the original untouched', () => {
    const base = query().where('status', 'ap_hold');
    const page2 = base.limit(50).offset(50);
    expect(base.toString()).toBe('status=ap_hold');
    expect(page2.toString()).toBe('status=ap_hold&limit=50&offset=50');
  });

  it('rejects what Coupa cannot express', () => {
    expect(() => query().limit(51)).toThrow(RangeError);
    expect(() => query().limit(0)).toThrow(RangeError);
    expect(() => query().offset(-1)).toThrow(RangeError);
    expect(() => query().where('status', 'in', [])).toThrow(RangeError);
    expect(() => query().where('name', 'in', ['Acme, Inc.'])).toThrow(/commas/);
    expect(() => query().where('created-at', 'gt', new Date('nope'))).toThrow(RangeError);
    expect(() => query().where([], 1)).toThrow(TypeError);
    expect(() => query().fields([])).toThrow(RangeError);
  });

  it('sends nothing for an empty query', () => {
    expect(query().toString()).toBe('');
  });
});
