/**
 * Confidence that means something: a value found only by position or form stays below 0.9, a
 * table that does not add up to the printed amounts leaves its lines below 0.9, and a currency
 * code that is one of several printed is not taken as sure.
 */
import { describe, expect, it } from 'vitest';
import { extractInvoice } from '../src/ingest/index.js';
import { buildRows, type Fragment } from '../src/ingest/rows.js';

const frag = (text: string, x: number, y: number, width = text.length * 5, height = 10): Fragment => ({
  page: 1,
  text,
  x,
  y,
  width,
  height,
});
const read = (fragments: Fragment[]) =>
  extractInvoice({ kind: 'pdf-text', pages: 1, rows: buildRows(fragments), textConfidence: 1 });

const table = (y: number): Fragment[] => [
  frag('Description', 40, y),
  frag('Qty', 300, y, 15),
  frag('Price', 360, y, 25),
  frag('Amount', 460, y, 30),
  frag('Bolts', 40, y + 18),
  frag('10', 305, y + 18, 10),
  frag('1.50', 370, y + 18, 20),
  frag('15.00', 460, y + 18, 25),
];

describe('confidence', () => {
  it('keeps a supplier chosen by position and legal form below 0.9', () => {
    const x = read([
      frag('Harbour Tools Ltd.', 40, 20, 120, 18),
      frag('Invoice No: A-100', 400, 20, 90),
      frag('Date: 2026-10-01', 400, 34, 90),
      ...table(100),
      frag('Total USD', 360, 160, 45),
      frag('15.00', 460, 160, 25),
      frag('Harbour Tools Ltd. · registered in England', 40, 300, 200),
    ]);
    expect(x.fields.supplierName?.value).toBe('Harbour Tools Ltd.');
    expect(x.fields.supplierName!.confidence).toBeLessThan(0.9);
  });

  it('lets a supplier named by a label and its own web domain reach 0.9', () => {
    const x = read([
      frag('Supplier: Harbour Tools Ltd.', 40, 20, 150),
      frag('Invoice No: A-100', 400, 20, 90),
      frag('Date: 2026-10-01', 400, 34, 90),
      ...table(100),
      frag('Total USD', 360, 160, 45),
      frag('15.00', 460, 160, 25),
      frag('www.harbourtools.co.uk', 40, 300, 120),
    ]);
    expect(x.fields.supplierName?.value).toBe('Harbour Tools Ltd.');
    expect(x.fields.supplierName!.confidence).toBeGreaterThanOrEqual(0.9);
  });

  it('leaves lines below 0.9 when they add up to neither the subtotal nor the total', () => {
    const x = read([
      frag('Harbour Tools Ltd.', 40, 20, 120, 18),
      frag('Invoice No: A-100', 400, 20, 90),
      ...table(100),
      frag('Subtotal', 360, 160, 40),
      frag('40.00', 460, 160, 25),
      frag('Total USD', 360, 174, 45),
      frag('40.00', 460, 174, 25),
    ]);
    expect(x.lines.map((l) => l.amount.value)).toEqual(['15.00']);
    expect(x.lines[0]!.amount.confidence).toBeLessThan(0.9);
  });

  it('confirms lines that add up to the subtotal', () => {
    const x = read([
      frag('Harbour Tools Ltd.', 40, 20, 120, 18),
      frag('Invoice No: A-100', 400, 20, 90),
      ...table(100),
      frag('Subtotal', 360, 160, 40),
      frag('15.00', 460, 160, 25),
      frag('Total USD', 360, 174, 45),
      frag('15.00', 460, 174, 25),
    ]);
    expect(x.lines[0]!.amount.confidence).toBeGreaterThanOrEqual(0.9);
  });

  it('does not trust a currency code that is one of several printed', () => {
    const x = read([
      frag('Harbour Tools Ltd.', 40, 20, 120, 18),
      frag('Invoice No: A-100', 400, 20, 90),
      ...table(100),
      frag('Total', 360, 160, 30),
      frag('15.00', 460, 160, 25),
      frag('Prices in USD; EUR accepted at the day rate', 40, 300, 220),
    ]);
    expect(x.fields.currency!.confidence).toBeLessThan(0.9);
  });
});
