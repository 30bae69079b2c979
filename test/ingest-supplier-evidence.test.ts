/**
 * The supplier from evidence: a master record is found by its VAT id, IBAN (Supplier
 * Information), web/e-mail domain, remit-to address and a fuzzy name, against the simulator over
 * HTTP; the evidence that matched is named; the customer's own name, ids and domains are never
 * taken for the supplier's (configurable, the sample company's by default).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCoupaClient, type CoupaClient } from '../src/coupa/index.js';
import { extractInvoice, validateInvoice, type ExtractedInvoice } from '../src/ingest/index.js';
import { matchSupplier } from '../src/ingest/validate-supplier.js';
import { buildRows, type Fragment } from '../src/ingest/rows.js';
import { generateCompany } from '../src/sim/generator/index.js';
import { startSimulator } from '../src/sim/server.js';
import type { SimulatorHandle } from '../src/sim/types.js';

type Wire = Record<string, unknown>;
const frag = (text: string, x: number, y: number, width = text.length * 5, height = 10): Fragment => ({
  page: 1,
  text,
  x,
  y,
  width,
  height,
});
const readRows = (fragments: Fragment[], own?: Parameters<typeof extractInvoice>[1]) =>
  extractInvoice({ kind: 'pdf-text', pages: 1, rows: buildRows(fragments), textConfidence: 1 }, own);

const invoice = (fields: ExtractedInvoice['fields']): ExtractedInvoice => ({ fields, lines: [], format: 'printed' });

describe('supplier from evidence, against the simulator', () => {
  let sim: SimulatorHandle;
  let coupa: CoupaClient;
  let eu: { id: number; name: string; taxId: string; iban: string; street: string; postal: string };
  let us: { id: number; name: string };

  beforeAll(async () => {
    const company = generateCompany({ seed: 7, invoices: 200 });
    const suppliers = company.dataset.suppliers as Wire[];
    const info = company.dataset['supplier-information'] as Wire[];
    const euRecord = suppliers.find(
      (s) => /^[A-Z]{2}\d{9}$/.test(String(s['tax-id'])) && s.status === 'active' && !s['on-hold'],
    )!;
    const bank = (info.find((i) => i['supplier-id'] === euRecord.id)!['supplier-information-addresses'] as Wire[])[0]!;
    const remit = (euRecord['remit-to-addresses'] as Wire[])[0]!;
    eu = {
      id: euRecord.id as number,
      name: euRecord.name as string,
      taxId: euRecord['tax-id'] as string,
      iban: bank['iban-number'] as string,
      street: remit.street1 as string,
      postal: remit['postal-code'] as string,
    };
    const usRecord = suppliers.find((s) => s.id !== euRecord.id && s.status === 'active' && !s['on-hold'])!;
    usRecord.website = 'https://www.harbour-tools.com';
    us = { id: usRecord.id as number, name: usRecord.name as string };
    sim = await startSimulator({ dataset: company.dataset, now: company.now, rateLimit: false });
    coupa = createCoupaClient({
      baseUrl: sim.url,
      clientId: sim.credentials.clientId,
      clientSecret: sim.credentials.clientSecret,
      limiter: false,
    });
  }, 60_000);
  afterAll(async () => sim?.close());

  it('finds the supplier by its VAT id and IBAN when the name was misread, and says so', async () => {
    const doc = invoice({ supplierName: { value: 'Prijs', confidence: 0.62, source: 'layout' } });
    const text = `Prijs  49,99\nBTW-nummer: ${eu.taxId}\nIBAN ${eu.iban.replace(/(.{4})/g, '$1 ')}`;
    const match = await matchSupplier(coupa, doc, text, undefined);
    expect(match.supplier?.id).toBe(eu.id);
    expect(match.evidence).toEqual([`tax id ${eu.taxId}`, `IBAN …${eu.iban.slice(-4)} on Supplier Information`]);
    expect(match.problems.map((p) => [p.code, p.severity])).toEqual([['supplier_name_differs', 'warning']]);
    const checked = await validateInvoice(coupa, doc, text);
    expect(checked.invoice.fields.supplierName).toMatchObject({ value: eu.name, source: 'supplier-master' });
    expect(checked.invoice.evidence!.join(' ')).toContain(`matched by tax id ${eu.taxId}`);
  });

  it('does not take a VAT id alone, without anything else, for the supplier', async () => {
    const match = await matchSupplier(coupa, invoice({}), `VAT ${eu.taxId}`, undefined);
    expect(match.supplier).toBeUndefined();
    expect(match.problems[0]?.code).toBe('supplier_not_matched');
  });

  it('adds the remit-to address to a VAT id: enough without a name', async () => {
    const match = await matchSupplier(coupa, invoice({}), `VAT ${eu.taxId}\n${eu.street}\n${eu.postal}`, undefined);
    expect(match.supplier?.id).toBe(eu.id);
    expect(match.evidence).toEqual([`tax id ${eu.taxId}`, 'remit-to address on the master']);
  });

  it('matches the web domain on the master, with the name', async () => {
    const doc = invoice({ supplierName: { value: us.name, confidence: 0.85, source: 'layout' } });
    const match = await matchSupplier(
      coupa,
      doc,
      `${us.name}\nbilling@harbour-tools.com · www.harbour-tools.com`,
      undefined,
    );
    expect(match.supplier?.id).toBe(us.id);
    expect(match.evidence).toContain('domain harbour-tools.com');
  });

  it('never takes the customer for the supplier', async () => {
    const doc = invoice({ supplierName: { value: 'Northwind Traders Inc.', confidence: 0.8, source: 'layout' } });
    const match = await matchSupplier(coupa, doc, 'Northwind Traders Inc.\n200 Harbor Way', undefined);
    expect(match.supplier).toBeUndefined();
    expect(match.problems.map((p) => p.code)).toEqual(['supplier_is_customer', 'supplier_not_matched']);
  });
});

describe("the customer's own details in extraction", () => {
  const page = (customer: string, customerVat: string): Fragment[] => [
    frag(customer, 40, 20, 160, 20),
    frag('Invoice No: 77-1', 400, 20, 90),
    frag('Date: 2026-10-01', 400, 34, 90),
    frag(`Your VAT no. ${customerVat}`, 40, 50, 150),
    frag('Description', 40, 100),
    frag('Qty', 300, 100, 15),
    frag('Price', 360, 100, 25),
    frag('Amount', 460, 100, 30),
    frag('Bolts', 40, 118),
    frag('10', 305, 118, 10),
    frag('1.50', 370, 118, 20),
    frag('15.00', 460, 118, 25),
    frag('Total EUR', 360, 160, 45),
    frag('15.00', 460, 160, 25),
    frag('Harbour Tools GmbH · Hafenstraße 1 · 20457 Hamburg', 40, 300, 250),
  ];

  it('leaves the sample company out by default, even as the largest text at the top', () => {
    const x = readRows(page('Northwind Traders Inc.', 'US-00'));
    expect(x.fields.supplierName?.value).toBe('Harbour Tools GmbH');
  });

  it('leaves a configured own company, its VAT id and domain out', () => {
    const own = {
      names: ['Contoso Retail B.V.'],
      taxIds: ['NL 8123.45.678.B01'],
      ibans: [],
      domains: ['contoso.nl'],
      addresses: [],
    };
    const x = readRows(page('Contoso Retail B.V.', 'NL812345678B01'), own);
    expect(x.fields.supplierName?.value).toBe('Harbour Tools GmbH');
    expect(x.fields.taxId).toBeUndefined();
    const withDefault = readRows(page('Contoso Retail B.V.', 'NL812345678B01'));
    expect(withDefault.fields.supplierName?.value).toBe('Contoso Retail B.V.');
  });
});
