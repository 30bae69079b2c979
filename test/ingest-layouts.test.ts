/**
 * Layouts real invoices have, rendered as PDFs with pdfkit and read through the real PDF reader:
 * a table that runs over two pages (running total carried over, header repeated, page footer),
 * a table with no header row, section sub-totals and tax remarks inside the table, descriptions
 * over several lines, and a total line that also carries the due date.
 */
import { describe, expect, it } from 'vitest';

import { at, read, right, type Doc } from './ingest-layout.fixture.js';

function tableHead(doc: Doc, y: number, heads = ['Description', 'Qty', 'Unit Price', 'Amount']): void {
  doc.font('Helvetica-Bold');
  at(doc, heads[0]!, 40, y);
  right(doc, heads[1]!, 330, y);
  right(doc, heads[2]!, 430, y);
  right(doc, heads[3]!, 540, y);
  doc.font('Helvetica');
}
function item(doc: Doc, y: number, d: string, q: string, p: string, a: string): void {
  at(doc, d, 40, y);
  right(doc, q, 330, y);
  right(doc, p, 430, y);
  right(doc, a, 540, y);
}
function letterhead(doc: Doc, lines: string[]): void {
  doc.font('Helvetica-Bold').fontSize(16);
  at(doc, 'Harbour Tools Ltd.', 40, 40);
  doc.font('Helvetica').fontSize(9);
  lines.forEach((l, i) => at(doc, l, 360, 40 + 13 * i));
}

describe('layouts of real invoices', () => {
  it('reads a table over two pages: carried-forward total, repeated header, page footer', async () => {
    const x = await read((doc) => {
      letterhead(doc, ['Invoice No: HT-2041', 'Invoice Date: 2026-10-01']);
      tableHead(doc, 120);
      for (let i = 0; i < 30; i++) item(doc, 140 + 18 * i, `Hex bolt M${i + 4}`, '10', '1.50', '15.00');
      at(doc, 'Carried forward', 40, 700);
      right(doc, '450.00', 540, 700);
      at(doc, 'Page 1 of 2', 270, 780);
      doc.addPage();
      at(doc, 'Harbour Tools Ltd. · Invoice HT-2041 (continued)', 40, 40);
      tableHead(doc, 70);
      at(doc, 'Brought forward', 40, 90);
      right(doc, '450.00', 540, 90);
      item(doc, 108, 'Washers, stainless steel,', '20', '0.50', '10.00');
      at(doc, 'grade A2, DIN 125', 40, 119);
      right(doc, 'Subtotal', 430, 150);
      right(doc, '460.00', 540, 150);
      right(doc, 'VAT 20%', 430, 164);
      right(doc, '92.00', 540, 164);
      right(doc, 'Total GBP', 430, 178);
      right(doc, '552.00', 540, 178);
      at(doc, 'Page 2 of 2', 270, 780);
    });
    expect(x.lines).toHaveLength(31);
    expect(x.lines.at(-1)!.description.value).toBe('Washers, stainless steel, grade A2, DIN 125');
    expect([x.fields.subtotal?.value, x.fields.tax?.value, x.fields.total?.value]).toEqual([
      '460.00',
      '92.00',
      '552.00',
    ]);
    expect(Math.min(...x.lines.map((l) => l.amount.confidence))).toBeGreaterThanOrEqual(0.9); // they add up to the subtotal
  });

  it('reads a table with no header row from the sum it adds up to', async () => {
    const x = await read((doc) => {
      letterhead(doc, ['Invoice No: HT-2042', 'Invoice Date: 2026-10-02']);
      at(doc, 'Cloud hosting', 50, 140);
      right(doc, '$12.00', 540, 140);
      at(doc, 'Charges', 60, 154);
      right(doc, '$12.00', 530, 154);
      at(doc, 'Tax', 60, 168);
      right(doc, '$0.00', 530, 168);
      at(doc, 'Backup storage', 50, 186);
      right(doc, '$3.50', 540, 186);
      at(doc, 'Charges', 60, 200);
      right(doc, '$3.50', 530, 200);
      at(doc, 'Support plan', 50, 218);
      right(doc, '$20.00', 540, 218);
      at(doc, 'Total for this invoice', 40, 250);
      right(doc, '$35.50', 540, 250);
    });
    expect(x.lines.map((l) => [l.description.value, l.amount.value])).toEqual([
      ['Cloud hosting', '12.00'],
      ['Backup storage', '3.50'],
      ['Support plan', '20.00'],
    ]);
    expect(x.fields.total?.value).toBe('35.50');
  });

  it('takes nothing for lines from a single labelled amount without a table', async () => {
    const x = await read((doc) => {
      letterhead(doc, ['Invoice No: HT-2043', 'Invoice Date: 2026-10-03']);
      at(doc, 'Payment due by 2026-10-17', 40, 140);
      right(doc, '29.99', 540, 140);
      at(doc, 'Total', 40, 170);
      right(doc, '29.99', 540, 170);
    });
    expect(x.lines).toEqual([]);
    expect(x.fields.total?.value).toBe('29.99');
  });

  it('reads on past section sub-totals and a tax remark inside the table; a total line carrying the due date', async () => {
    const x = await read((doc) => {
      letterhead(doc, ['Invoice No: HT-2044', 'Invoice Date: 2026-10-04']);
      at(doc, 'TOTAL AMOUNT DUE ON October 18 , 2026', 40, 90);
      right(doc, '$43.20', 540, 90);
      tableHead(doc, 120);
      at(doc, 'Hardware', 40, 138);
      item(doc, 152, 'Bolts', '2', '5.00', '10.00');
      at(doc, 'Tax: 8% on $ 10.00', 40, 164);
      right(doc, 'Subtotal', 430, 178);
      right(doc, '10.00', 540, 178);
      at(doc, 'Services', 40, 196);
      item(doc, 210, 'Fitting', '1', '30.00', '30.00');
      right(doc, 'Subtotal', 430, 240);
      right(doc, '40.00', 540, 240);
      right(doc, 'Tax 8% on $ 40.00', 430, 254);
      right(doc, '3.20', 540, 254);
      right(doc, 'Total', 430, 268);
      right(doc, '43.20', 540, 268);
    });
    expect(x.lines.map((l) => l.amount.value)).toEqual(['10.00', '30.00']);
    expect([x.fields.subtotal?.value, x.fields.tax?.value, x.fields.total?.value, x.fields.dueDate?.value]).toEqual([
      '40.00',
      '3.20',
      '43.20',
      '2026-10-18',
    ]);
  });

  it('reads a German table continued with "Übertrag"', async () => {
    const x = await read((doc) => {
      doc.font('Helvetica-Bold').fontSize(16);
      at(doc, 'Hafenwerkzeuge GmbH', 40, 40);
      doc.font('Helvetica').fontSize(9);
      at(doc, 'Rechnungsnummer: 2026-118', 360, 40);
      at(doc, 'Rechnungsdatum: 05.10.2026', 360, 53);
      tableHead(doc, 120, ['Bezeichnung', 'Menge', 'Einzelpreis', 'Betrag']);
      item(doc, 140, 'Schrauben', '10', '1,50', '15,00');
      at(doc, 'Übertrag', 40, 700);
      right(doc, '15,00', 540, 700);
      doc.addPage();
      tableHead(doc, 70, ['Bezeichnung', 'Menge', 'Einzelpreis', 'Betrag']);
      at(doc, 'Übertrag', 40, 90);
      right(doc, '15,00', 540, 90);
      item(doc, 108, 'Muttern', '10', '0,50', '5,00');
      right(doc, 'Zwischensumme', 430, 140);
      right(doc, '20,00', 540, 140);
      right(doc, 'MwSt. 19 %', 430, 154);
      right(doc, '3,80', 540, 154);
      right(doc, 'Gesamtbetrag', 430, 168);
      right(doc, '23,80', 540, 168);
    });
    expect(x.language).toBe('German');
    expect(x.lines.map((l) => l.amount.value)).toEqual(['15.00', '5.00']);
    expect(x.fields.total?.value).toBe('23.80');
  });
});

describe('layouts found on a second round of real invoices', () => {
  it('splits a merged "IMPORTE ALICUOTA" heading and takes the net column beside a tax-inclusive one', async () => {
    const x = await read((doc) => {
      doc.font('Helvetica-Bold').fontSize(14);
      at(doc, 'TALLER DEL SUR S.R.L.', 40, 40);
      doc.font('Helvetica').fontSize(9);
      at(doc, 'Factura Nro: 0003-00001360', 360, 40);
      at(doc, 'Fecha de emisión: 14/02/2023', 360, 53);
      at(doc, 'Condición de venta: cuenta corriente del cliente', 40, 80);
      at(doc, 'Descripción', 40, 120);
      right(doc, 'Cantidad', 250, 120);
      right(doc, 'Precio', 320, 120);
      right(doc, 'Subtotal', 400, 120);
      at(doc, 'IMPORTE ALICUOTA', 420, 120);
      right(doc, 'Subtotal c/IVA', 560, 120);
      at(doc, 'Mano de obra', 40, 140);
      right(doc, '1,00', 250, 140);
      right(doc, '100,00', 320, 140);
      right(doc, '100,00', 400, 140);
      right(doc, '21,00', 490, 140);
      right(doc, '121,00', 560, 140);
      at(doc, 'Repuestos', 40, 154);
      right(doc, '2,00', 250, 154);
      right(doc, '50,00', 320, 154);
      right(doc, '100,00', 400, 154);
      right(doc, '21,00', 490, 154);
      right(doc, '121,00', 560, 154);
      right(doc, 'Importe neto gravado:', 480, 200);
      right(doc, '200,00', 560, 200);
      right(doc, 'IVA 21%:', 480, 214);
      right(doc, '42,00', 560, 214);
      right(doc, 'Importe total:', 480, 228);
      right(doc, '242,00', 560, 228);
    });
    expect(x.language).toBe('Spanish');
    expect(x.lines.map((l) => l.amount.value)).toEqual(['100.00', '100.00']);
    expect([x.fields.subtotal?.value, x.fields.tax?.value, x.fields.total?.value]).toEqual([
      '200.00',
      '42.00',
      '242.00',
    ]);
  });

  it('takes the sum row of a VAT summary with one row per rate, not the first rate', async () => {
    const x = await read((doc) => {
      letterhead(doc, ['Invoice No: HT-2050', 'Invoice Date: 2026-10-05']);
      const heads = ['Net amount', 'VAT amount', 'VAT %', 'Total amount'];
      heads.forEach((h, i) => at(doc, h, 200 + 90 * i, 300));
      [
        ['321.40', '61.07', '19.0', '382.47'],
        ['127.59', '8.93', '7.0', '136.52'],
        ['448.99', '70.00', 'EUR', '518.99'],
      ].forEach((r, row) => r.forEach((v, i) => right(doc, v, 250 + 90 * i, 312 + 12 * row)));
    });
    expect([x.fields.subtotal?.value, x.fields.tax?.value, x.fields.total?.value]).toEqual([
      '448.99',
      '70.00',
      '518.99',
    ]);
    expect(x.fields.total!.confidence).toBeGreaterThanOrEqual(0.9); // 448.99 + 70.00 = 518.99
  });

  it('reads "$" on an Argentine invoice as pesos, below the review threshold', async () => {
    const x = await read((doc) => {
      doc.font('Helvetica-Bold').fontSize(14);
      at(doc, 'GARCIA MARCOS ANDRES', 40, 40);
      doc.font('Helvetica').fontSize(9);
      at(doc, 'Comp. Nro: 00001360', 360, 40);
      at(doc, 'Fecha de Emisión: 14/02/2023', 360, 53);
      at(doc, 'CUIT: 20315600449', 360, 66);
      at(doc, 'Condición frente al IVA: IVA Responsable Inscripto', 40, 66);
      right(doc, 'Importe Neto Gravado: $', 480, 200);
      right(doc, '100,00', 560, 200);
      right(doc, 'IVA 21%: $', 480, 214);
      right(doc, '21,00', 560, 214);
      right(doc, 'Importe Total: $', 480, 228);
      right(doc, '121,00', 560, 228);
    });
    expect(x.fields.currency).toMatchObject({ value: 'ARS' });
    expect(x.fields.currency!.confidence).toBeLessThan(0.9);
  });

  it('finds a verified VAT id printed without a label and the number under a lone title word', async () => {
    const x = await read((doc) => {
      doc.font('Helvetica').fontSize(20);
      at(doc, 'FACTURA', 40, 60);
      at(doc, 'INV/2024/00005', 40, 84);
      doc.fontSize(9);
      at(doc, 'TECNATIVA', 40, 120);
      at(doc, 'B87530432', 40, 132);
      at(doc, 'FECHA', 400, 120);
      at(doc, '2024/07/05', 400, 134);
      right(doc, 'TOTAL PARCIAL', 480, 300);
      right(doc, '100.00', 560, 300);
      right(doc, 'TOTAL IMPUESTOS', 480, 314);
      right(doc, '21.00', 560, 314);
      right(doc, 'Saldo adeudado', 480, 328);
      right(doc, '121.00', 560, 328);
      at(doc, 'Por favor usa la siguiente referencia para su pago de la factura', 40, 360);
    });
    expect(x.fields.invoiceNumber).toMatchObject({ value: 'INV/2024/00005' });
    expect(x.fields.invoiceNumber!.confidence).toBeLessThan(0.9); // found under the title, not beside a number label
    expect(x.fields.taxId).toMatchObject({ value: 'B87530432' });
    expect([x.fields.subtotal?.value, x.fields.tax?.value, x.fields.total?.value]).toEqual([
      '100.00',
      '21.00',
      '121.00',
    ]);
  });

  it('takes a lone price column as the amount and a rate before the tax label', async () => {
    const x = await read((doc) => {
      doc.font('Helvetica-Bold').fontSize(14);
      at(doc, 'Gandi SAS', 40, 40);
      doc.font('Helvetica').fontSize(9);
      at(doc, 'Facture n° 2022030201155', 360, 40);
      at(doc, 'Date : 2 mars 2022', 360, 53);
      at(doc, 'Produit', 40, 120);
      at(doc, 'Description', 150, 120);
      at(doc, 'Taxes', 420, 120);
      right(doc, 'Prix', 560, 120);
      at(doc, 'site1.com', 40, 140);
      at(doc, 'Renouvellement 1 an', 150, 140);
      at(doc, '20%', 420, 140);
      right(doc, '12,00 €', 560, 140);
      at(doc, 'site2.fr', 40, 160);
      at(doc, 'Renouvellement 1 an', 150, 160);
      at(doc, '20%', 420, 160);
      right(doc, '13,91 €', 560, 160);
      right(doc, 'Sous-total', 480, 200);
      right(doc, '25,91 €', 560, 200);
      right(doc, '20% TVA', 480, 214);
      right(doc, '5,18 €', 560, 214);
      right(doc, 'Total (EUR)', 480, 228);
      right(doc, '31,09 €', 560, 228);
    });
    expect(x.lines.map((l) => l.amount.value)).toEqual(['12.00', '13.91']);
    expect(x.fields.tax).toMatchObject({ value: '5.18' });
  });

  it('takes the invoice date from a combined "Lieferdatum/Rechnungsdatum" label, not the order date left of the number', async () => {
    const x = await read((doc) => {
      doc.font('Helvetica-Bold').fontSize(14);
      at(doc, 'Versandhandel GmbH', 40, 40);
      doc.font('Helvetica').fontSize(8);
      at(doc, 'Ihre Bestellung vom 1. Juni 2014', 40, 100);
      at(doc, 'Rechnungsnr. EU-120725895', 360, 100);
      at(doc, 'Lieferdatum/Rechnungsdatum: 4. Juni 2014', 360, 112);
      at(doc, 'Zwischensumme', 40, 200);
      at(doc, 'USt. Gesamt', 200, 200);
      at(doc, 'Gesamtsumme', 360, 200);
      at(doc, '20%', 200, 210);
      at(doc, 'EUR 29,37', 40, 220);
      at(doc, 'EUR 5,87', 200, 220);
      at(doc, 'EUR 35,24', 360, 220);
      at(doc, 'Die Rechnung ist bezahlt. Vielen Dank für Ihre Bestellung und den Einkauf.', 40, 260);
    });
    expect(x.fields.invoiceDate).toMatchObject({ value: '2014-06-04' });
    expect([x.fields.subtotal?.value, x.fields.tax?.value, x.fields.total?.value]).toEqual(['29.37', '5.87', '35.24']);
  });
});
