/**
 * Causes found on a third round of real invoices (held-out set 3, test/fixtures/real-invoices):
 * an e-invoice file that opens with a licence comment, a tax amount recognised without its
 * decimal mark, a VAT registration number behind a tax word, an account number in a page footer
 * under the table, a table heading or line taken for the supplier, "Facture du …" as the invoice
 * date and "Votre interlocuteur" naming the supplier. Rendered with pdfkit and read through the
 * real PDF reader; each with a perturbation that must not be read the same way.
 */
import { describe, expect, it } from 'vitest';
import { detectDateOrder, parseAmount, parseDate, sniffType } from '../src/ingest/index.js';
import { at, read, right, type Doc } from './ingest-layout.fixture.js';

/** A US-style template: a person's name as the letterhead, a bordered table, totals under it. */
function template(doc: Doc, totals: Array<[string, string]>, headingSize = 9): void {
  doc.font('Helvetica-Bold').fontSize(14);
  at(doc, 'John Smith', 40, 40);
  right(doc, 'INVOICE', 540, 40);
  doc.font('Helvetica').fontSize(9);
  at(doc, '4490 Oak Drive', 40, 60);
  at(doc, 'Bill To', 40, 110);
  at(doc, 'Jessie M Horne', 40, 122);
  right(doc, 'Invoice #', 440, 110);
  right(doc, 'INT-001', 540, 110);
  right(doc, 'Invoice Date', 440, 122);
  right(doc, '2019-02-11', 540, 122);
  doc.font('Helvetica-Bold').fontSize(headingSize);
  at(doc, 'QTY', 40, 170);
  at(doc, 'DESCRIPTION', 90, 170);
  right(doc, 'UNIT PRICE', 440, 170);
  right(doc, 'AMOUNT', 540, 170);
  doc.font('Helvetica').fontSize(9);
  const items: Array<[string, string, string, string]> = [
    ['1', 'Front and rear brake cables', '100.00', '100.00'],
    ['2', 'New set of pedal arms', '25.00', '50.00'],
    ['3', 'Labor 3hrs', '15.00', '45.00'],
  ];
  items.forEach(([q, d, p, a], i) => {
    at(doc, q, 40, 190 + 16 * i);
    at(doc, d, 90, 190 + 16 * i);
    right(doc, p, 440, 190 + 16 * i);
    right(doc, a, 540, 190 + 16 * i);
  });
  totals.forEach(([label, value], i) => {
    right(doc, label, 440, 250 + 16 * i);
    right(doc, value, 540, 250 + 16 * i);
  });
}

describe('layouts found on a third round of real invoices', () => {
  it('knows an e-invoice that opens with a comment for XML', () => {
    const ubl = '<Invoice xmlns="urn:oasis:names:specification:ubl:schema:xsd:Invoice-2"/>';
    const bytes = (s: string) => new TextEncoder().encode(s);
    expect(sniffType(bytes(`<!--\n  Licensed under the EUPL 1.2.\n-->\n${ubl}`))).toBe('xml');
    expect(sniffType(bytes(`\uFEFF<!-- a -->\n<!-- b -->\n<?xml version="1.0"?>${ubl}`))).toBe('xml');
    // Perturbation: a comment followed by prose is not XML.
    expect(sniffType(bytes('<!-- note --> Dear customer, please find attached'))).toBe('unknown');
  });

  it('restores a tax printed without its decimal mark only where subtotal + tax = total proves it', async () => {
    const x = await read((doc) =>
      template(doc, [
        ['Subtotal', '195.00'],
        ['Sales Tax 5.0%', '975'],
        ['TOTAL', '$204.75'],
      ]),
    );
    expect(x.fields.tax).toMatchObject({ value: '9.75', source: 'derived' });
    expect(x.fields.tax!.confidence).toBeLessThan(0.9);
    expect(x.fields.total).toMatchObject({ value: '204.75' });
    // Perturbation: a total the restored value does not make add up leaves 975 unrestored and unsure.
    const y = await read((doc) =>
      template(doc, [
        ['Subtotal', '195.00'],
        ['Sales Tax 5.0%', '975'],
        ['TOTAL', '$205.75'],
      ]),
    );
    expect(y.fields.tax?.value).not.toBe('9.75');
    expect(y.fields.tax?.confidence ?? 0).toBeLessThan(0.9);
    // Perturbation: a whole-number tax that adds up as printed is kept as printed.
    const z = await read((doc) =>
      template(doc, [
        ['Subtotal', '1950'],
        ['Sales Tax 50%', '975'],
        ['TOTAL', '2925'],
      ]),
    );
    expect(z.fields.tax).toMatchObject({ value: '975' });
  });

  it('never takes a VAT registration number behind a tax word for the tax', async () => {
    const receipt = (withBreakdown: boolean) => (doc: Doc) => {
      doc.font('Courier').fontSize(10);
      at(doc, 'Clachan', 160, 40);
      at(doc, '34 Kingley Street', 130, 54);
      at(doc, '26 Feb 2016 15:20', 200, 90);
      at(doc, '2  Meantime Pale', 60, 120);
      right(doc, '10.20', 300, 120);
      if (withBreakdown) {
        at(doc, '20% VAT Net', 60, 150);
        right(doc, '8.50', 300, 150);
        at(doc, '20% VAT', 60, 164);
        right(doc, '1.70', 300, 164);
      }
      doc.fontSize(14);
      at(doc, 'Total', 60, 190);
      right(doc, '£10.20', 300, 190);
      doc.fontSize(10);
      at(doc, 'Receipt no. 54/7500', 60, 220);
      at(doc, 'VAT 232 153 895', 60, 234);
      at(doc, 'Payment Receipt', 100, 260);
      at(doc, 'Card Payment', 60, 280);
      right(doc, '£10.20', 300, 280);
      at(doc, 'Thank you for visiting', 100, 320);
    };
    const x = await read(receipt(true));
    expect([x.fields.subtotal?.value, x.fields.tax?.value, x.fields.total?.value]).toEqual(['8.50', '1.70', '10.20']);
    expect(x.fields.tax!.confidence).toBeGreaterThanOrEqual(0.9);
    // Perturbation: without the breakdown the registration number is still not the tax.
    const y = await read(receipt(false));
    expect(y.fields.tax?.value).not.toBe('232153895');
    expect(y.fields.total).toMatchObject({ value: '10.20' });
  });

  it('reads no amount from a whole number with a leading zero (an account number)', () => {
    expect(parseAmount('0141517')).toBeUndefined();
    expect(parseAmount('0141517', 'comma')).toBeUndefined();
    // Perturbation: amounts under one, with either mark, and a plain zero are amounts.
    expect(parseAmount('0,50 €', 'comma')).toBe('0.50');
    expect(parseAmount('0.99')).toBe('0.99');
    expect(parseAmount('0')).toBe('0');
    expect(parseAmount('141517')).toBe('141517');
  });

  it('takes neither a table heading nor a line for the supplier', async () => {
    // The heading printed larger than the letterhead, as an OCR box can make it.
    const x = await read((doc) =>
      template(
        doc,
        [
          ['Subtotal', '195.00'],
          ['TOTAL', '$195.00'],
        ],
        18,
      ),
    );
    expect(x.fields.supplierName?.value).toBe('John Smith');
    expect(x.lines.map((l) => l.amount.value)).toEqual(['100.00', '50.00', '45.00']);
  });

  it('reads "Facture du …" as the invoice date and "Votre interlocuteur" as naming the supplier', async () => {
    const bill = (title: string) => (doc: Doc) => {
      doc.font('Helvetica').fontSize(9);
      at(doc, 'Votre interlocuteur EDF', 40, 60);
      at(doc, 'Par internet : www.edf.fr/entreprises', 40, 74);
      at(doc, title, 240, 100);
      at(doc, 'n° 10123590373', 240, 112);
      at(doc, 'Abonnement', 40, 160);
      at(doc, 'du 01/01/2021 au 28/02/2021', 160, 160);
      right(doc, '59,00 €', 540, 160);
      at(doc, 'Total TTC', 40, 200);
      right(doc, '70,80 €', 540, 200);
      at(doc, 'Veuillez payer le montant à la date prévue, merci pour votre règlement.', 40, 240);
    };
    const x = await read(bill('Facture du 29/01/2021'));
    expect(x.fields.invoiceDate).toMatchObject({ value: '2021-01-29' });
    expect(x.fields.supplierName?.value).toBe('EDF');
    // Perturbation: without "Facture du" the period's "du 01/01/2021" is all there is, and stays a guess.
    const y = await read(bill('Facture'));
    expect(y.fields.invoiceDate?.value).not.toBe('2021-01-29');
    expect(y.fields.invoiceDate?.confidence ?? 0).toBeLessThan(0.9);
  });

  it('reads 11/02/2019 day first when the page also prints 26/02/2019, and month first beside 02/26/2019', () => {
    expect(detectDateOrder(['Invoice Date 11/02/2019', 'Due Date 26/02/2019'])).toBe('day-first');
    expect(parseDate('11/02/2019', 'point', 'day-first')).toBe('2019-02-11');
    // Perturbation: the other order, and a page that shows neither, keep the number style's reading.
    expect(detectDateOrder(['Invoice Date 11/02/2019', 'Due Date 02/26/2019'])).toBe('month-first');
    expect(detectDateOrder(['Invoice Date 11/02/2019', 'Due Date 12/03/2019'])).toBeUndefined();
    expect(parseDate('11/02/2019', 'point')).toBe('2019-11-02');
  });

  it('takes a date printed without a label as the invoice date, as a guess, only when no label names one', async () => {
    const receipt = (labelled: boolean) => (doc: Doc) => {
      doc.font('Courier').fontSize(10);
      at(doc, 'Clachan', 160, 40);
      at(doc, '34 Kingley Street', 130, 54);
      at(doc, 'Sylvia', 60, 90);
      at(doc, '26 Feb 2016 15:20', 200, 90);
      if (labelled) at(doc, 'Invoice date: 27 Feb 2016', 60, 104);
      at(doc, '2  Meantime Pale', 60, 120);
      right(doc, '10.20', 300, 120);
      doc.fontSize(14);
      at(doc, 'Total', 60, 190);
      right(doc, '£10.20', 300, 190);
      doc.fontSize(10);
      at(doc, 'Receipt no. 54/7500', 60, 220);
      at(doc, 'Payment Receipt', 100, 260);
      at(doc, 'Card Payment', 60, 280);
      right(doc, '£10.20', 300, 280);
      at(doc, 'Thank you for visiting', 100, 320);
    };
    const x = await read(receipt(false));
    expect(x.fields.invoiceDate).toMatchObject({ value: '2016-02-26', source: 'pattern' });
    expect(x.fields.invoiceDate!.confidence).toBeLessThan(0.9);
    // Perturbation: a labelled date wins over the unlabelled one.
    const y = await read(receipt(true));
    expect(y.fields.invoiceDate).toMatchObject({ value: '2016-02-27' });
  });

  it('takes no table header from a remark with a phone number, and reads "1 241,03 € Hors TVA" as an amount', async () => {
    const bill = (withTable: boolean) => (doc: Doc) => {
      doc.font('Helvetica').fontSize(9);
      at(doc, 'Votre interlocuteur EDF', 40, 60);
      at(doc, 'Facture du 29/01/2021', 240, 60);
      at(doc, 'n° 10123590373', 240, 72);
      at(doc, "09 72 67 50 94 (service gratuit + prix d'appel)", 40, 100);
      at(doc, 'Montant Hors TVA', 40, 112);
      at(doc, '1 241,03 €', 190, 112);
      if (withTable) {
        at(doc, 'Désignation', 40, 130);
        right(doc, 'Quantité', 330, 130);
        right(doc, 'Prix unitaire', 430, 130);
        right(doc, 'Montant', 540, 130);
        at(doc, 'Abonnement électricité', 40, 146);
        right(doc, '2', 330, 146);
        right(doc, '29,50 €', 430, 146);
        right(doc, '59,00 €', 540, 146);
        at(doc, 'Consommation', 40, 160);
        right(doc, '1', 330, 160);
        right(doc, '1 182,03 €', 430, 160);
        right(doc, '1 182,03 €', 540, 160);
      }
      at(doc, 'Total Hors TVA pour ce site', 40, 200);
      right(doc, '1 241,03 € Hors TVA', 540, 200);
      at(doc, 'Total TTC pour ce site', 40, 230);
      right(doc, '1 479,85 € TTC', 540, 230);
      at(doc, 'Veuillez payer le montant à la date prévue, merci pour votre règlement.', 40, 260);
    };
    const x = await read(bill(false));
    expect(x.lines).toEqual([]);
    expect([x.fields.subtotal?.value, x.fields.total?.value]).toEqual(['1241.03', '1479.85']);
    // Perturbation: a real heading row under the remark is still the table's.
    const y = await read(bill(true));
    expect(y.lines.map((l) => l.amount.value)).toEqual(['59.00', '1182.03']);
    expect(y.fields.subtotal).toMatchObject({ value: '1241.03' });
  });
});
