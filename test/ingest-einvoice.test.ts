/**
 * Structured e-invoices: UBL (Peppol BIS 3 / XRechnung), CII (Factur-X / ZUGFeRD / XRechnung) and
 * cXML read exactly, their EN 16931 arithmetic checked, and each broken figure reported as a
 * finding that keeps the document from being posted. Samples: ./fixtures/einvoice/samples.ts.
 */
import { describe, expect, it } from 'vitest';
import { checkArithmetic, eInvoiceToExtraction, readEInvoice } from '../src/ingest/einvoice/index.js';
import { extractInvoice, sniffType, type DocumentText } from '../src/ingest/index.js';
import { validateOffline } from '../src/ingest/validate.js';
import { FIGURES, cii, cxml, ubl } from './fixtures/einvoice/samples.js';

const asDocument = (xml: string, name = 'invoice.xml'): DocumentText => ({
  kind: 'xml',
  pages: 0,
  rows: [],
  textConfidence: 1,
  xml: [{ name, text: xml, embedded: false }],
});
const values = (xml: string): Record<string, string> =>
  Object.fromEntries(Object.entries(extractInvoice(asDocument(xml)).fields).map(([k, f]) => [k, f!.value]));

describe('e-invoice syntaxes', () => {
  it.each([
    ['UBL', ubl()],
    ['CII', cii()],
    ['cXML', cxml()],
  ])('%s: every header field and line read exactly, at XML confidence', (_syntax, xml) => {
    const x = extractInvoice(asDocument(xml));
    expect(values(xml)).toMatchObject({
      supplierName: 'Muster Trading GmbH',
      invoiceNumber: 'INV-2026-0042',
      invoiceDate: '2026-03-01',
      dueDate: '2026-03-31',
      currency: 'EUR',
      poNumber: 'PO-20001',
      subtotal: '150.00',
      tax: '28.50',
      total: '178.50',
      taxId: 'DE123456789',
    });
    expect(x.lines.map((l) => [l.description.value, l.quantity?.value, l.unitPrice?.value, l.amount.value])).toEqual([
      ['Bolts M8', '2', '50.00', '100.00'],
      ['Nuts M8', '1', '50.00', '50.00'],
    ]);
    expect(Math.min(...Object.values(x.fields).map((f) => f!.confidence))).toBeGreaterThanOrEqual(0.99);
    expect(x.findings).toEqual([]);
  });

  it('names the syntax and keeps the IBAN of UBL and CII', () => {
    expect(extractInvoice(asDocument(ubl())).format).toBe('Peppol BIS 3 UBL');
    expect(extractInvoice(asDocument(cii())).format).toBe('CII');
    expect(extractInvoice(asDocument(cxml())).format).toBe('cXML');
    expect(values(ubl()).iban).toBe('DE89370400440532013000');
    expect(values(cii()).iban).toBe('DE89370400440532013000');
  });

  it('knows an XML file by its bytes', () => {
    expect(sniffType(new TextEncoder().encode(ubl()))).toBe('xml');
    expect(sniffType(new TextEncoder().encode('\uFEFF<Invoice xmlns="x"/>'))).toBe('xml');
  });
});

describe('e-invoice arithmetic', () => {
  it.each([
    ['a line that does not add up to the line total', ubl({ ...FIGURES, line1: '101.00' }), 'BR-CO-10'],
    [
      'a net total that is not line total − allowances + charges',
      ubl().replace(
        '<cbc:TaxExclusiveAmount currencyID="EUR">150.00',
        '<cbc:TaxExclusiveAmount currencyID="EUR">140.00',
      ),
      'BR-CO-13',
    ],
    ['a total that is not net + tax', ubl({ ...FIGURES, total: '180.00' }), 'BR-CO-15'],
    ['tax that is not 19% of its base', ubl({ ...FIGURES, tax: '30.00', total: '180.00' }), 'BR-CO-17'],
    [
      'a line whose quantity × price is not its amount',
      ubl().replace('<cbc:PriceAmount currencyID="EUR">50.00', '<cbc:PriceAmount currencyID="EUR">55.00'),
      'line 1',
    ],
  ] as const)('UBL with %s is a finding, and its amounts drop below the posting threshold', (_what, xml, rule) => {
    const x = extractInvoice(asDocument(xml));
    expect(x.findings!.map((f) => f.message).join(' ')).toContain(rule);
    expect(x.findings!.every((f) => f.severity === 'error')).toBe(true);
    const weak = [...Object.values(x.fields), ...x.lines.map((l) => l.amount)].filter((f) => f!.confidence < 0.8);
    expect(weak.length).toBeGreaterThan(0);
    expect(validateOffline(x).problems.some((p) => p.code === 'einvoice_arithmetic')).toBe(true);
  });

  it('checks CII and cXML the same way', () => {
    expect(checkArithmetic(readEInvoice(cii({ ...FIGURES, total: '180.00' }))!).map((f) => f.rule)).toContain(
      'BR-CO-15',
    );
    expect(checkArithmetic(readEInvoice(cxml({ ...FIGURES, line2: '60.00' }))!).map((f) => f.rule)).toContain(
      'BR-CO-10',
    );
  });

  it('routes a credit note to a person', () => {
    const x = extractInvoice(asDocument(ubl(FIGURES, 'CreditNote')));
    expect(x.fields.total?.value).toBe('178.50');
    expect(x.findings!.map((f) => f.code)).toContain('credit_note');
  });
});

describe('untrusted XML', () => {
  it('does not expand entities declared in a DOCTYPE (no XML bomb)', () => {
    const bomb = `<?xml version="1.0"?><!DOCTYPE Invoice [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">]>${ubl()
      .replace(/^<\?xml[^>]*>/, '')
      .replace('Muster Trading</cbc:Name>', '&b;</cbc:Name>')}`;
    const x = extractInvoice(asDocument(bomb));
    expect(x.fields.invoiceNumber?.value).toBe('INV-2026-0042');
    expect(JSON.stringify(x)).not.toContain('aaaaaaaaaa');
  });

  it('says which file is not well-formed instead of failing without a reason', () => {
    expect(() => extractInvoice(asDocument('<Invoice><cbc:ID>1</Invoice>', 'broken.xml'))).toThrow(
      /broken\.xml is not well-formed XML/,
    );
    expect(() => extractInvoice(asDocument('<Order><ID>1</ID></Order>'))).toThrow(/not an e-invoice read here/);
  });

  it('reads a benign variant: UTF-8 byte-order mark, no prefixes, whitespace in amounts', () => {
    const variant =
      '\uFEFF' +
      ubl()
        .replace(/cbc:|cac:/g, '')
        .replace('>178.50</TaxInclusiveAmount>', '> 178.50 </TaxInclusiveAmount>');
    expect(values(variant.replace(/^\uFEFF/, '')).total).toBe('178.50');
  });
});
