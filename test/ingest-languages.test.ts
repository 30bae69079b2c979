/**
 * The vocabulary is data: an invoice laid out the same way is read in each supported language,
 * with its own number style, date order and month names; an unsupported language is routed with
 * its name. Perturbations check that benign variants of layout read the same.
 */
import { describe, expect, it } from 'vitest';
import { extractInvoice, IngestError } from '../src/ingest/index.js';
import { buildRows, type Fragment } from '../src/ingest/rows.js';
import { guessLanguage } from '../src/ingest/language.js';
import { SUPPORTED_CODES, languageByCode } from '../src/ingest/vocabulary.js';

const frag = (text: string, x: number, y: number, width = text.length * 5): Fragment => ({
  page: 1,
  text,
  x,
  y,
  width,
  height: 10,
});

interface Words {
  title: string;
  number: string;
  date: string;
  description: string;
  qty: string;
  price: string;
  amount: string;
  net: string;
  tax: string;
  total: string;
  printedDate: string;
  iso: string;
}

const WORDS: Record<string, Words> = {
  de: {
    title: 'Rechnung',
    number: 'Rechnungsnummer:',
    date: 'Rechnungsdatum:',
    description: 'Beschreibung',
    qty: 'Menge',
    price: 'Einzelpreis',
    amount: 'Betrag',
    net: 'Summe netto',
    tax: 'MwSt. 19%',
    total: 'Gesamtbetrag',
    printedDate: '7. März 2026',
    iso: '2026-03-07',
  },
  fr: {
    title: 'Facture',
    number: 'Facture n°',
    date: 'Date de facture :',
    description: 'Désignation',
    qty: 'Quantité',
    price: 'Prix unitaire',
    amount: 'Montant HT',
    net: 'Total HT',
    tax: 'TVA 19%',
    total: 'Total TTC',
    printedDate: '07/03/2026',
    iso: '2026-03-07',
  },
  nl: {
    title: 'Factuur',
    number: 'Factuurnummer:',
    date: 'Factuurdatum:',
    description: 'Omschrijving',
    qty: 'Aantal',
    price: 'Prijs',
    amount: 'Bedrag',
    net: 'Subtotaal',
    tax: 'BTW 19%',
    total: 'Te betalen',
    printedDate: '7 maart 2026',
    iso: '2026-03-07',
  },
  es: {
    title: 'Factura',
    number: 'Nº factura:',
    date: 'Fecha de factura:',
    description: 'Descripción',
    qty: 'Cantidad',
    price: 'Precio unitario',
    amount: 'Importe',
    net: 'Base imponible',
    tax: 'IVA 19%',
    total: 'Total factura',
    printedDate: '7 de marzo de 2026',
    iso: '2026-03-07',
  },
  it: {
    title: 'Fattura',
    number: 'Fattura n.',
    date: 'Data fattura:',
    description: 'Descrizione',
    qty: 'Quantità',
    price: 'Prezzo unitario',
    amount: 'Importo',
    net: 'Imponibile',
    tax: 'IVA 19%',
    total: 'Totale fattura',
    printedDate: '07/03/2026',
    iso: '2026-03-07',
  },
};

function invoice(w: Words, shift = 0): Fragment[] {
  return [
    frag('Muster Handel GmbH', 40, 20 + shift, 120),
    frag(w.title, 400, 20 + shift),
    frag(w.number, 40, 60 + shift),
    frag('RE-2026-117', 150, 60 + shift),
    frag(w.date, 40, 74 + shift),
    frag(w.printedDate, 150, 74 + shift),
    frag(w.description, 40, 120 + shift),
    frag(w.qty, 280, 120 + shift, 40),
    frag(w.price, 340, 120 + shift, 60),
    frag(w.amount, 460, 120 + shift, 45),
    frag('Schrauben M8 verzinkt', 40, 138 + shift),
    frag('2', 290, 138 + shift, 5),
    frag('1.250,00', 350, 138 + shift, 40),
    frag('2.500,00', 460, 138 + shift, 40),
    frag('Muttern M8', 40, 152 + shift),
    frag('10', 290, 152 + shift, 10),
    frag('12,50', 355, 152 + shift, 30),
    frag('125,00', 465, 152 + shift, 35),
    frag(w.net, 340, 190 + shift, 60),
    frag('2.625,00 €', 455, 190 + shift, 50),
    frag(w.tax, 340, 204 + shift, 60),
    frag('498,75 €', 460, 204 + shift, 45),
    frag(w.total, 340, 218 + shift, 60),
    frag('3.123,75 €', 455, 218 + shift, 50),
    frag('IBAN DE89 3704 0044 0532 0130 00', 40, 260 + shift, 180),
  ];
}

describe('invoices in every supported language', () => {
  it('has a language file for each of en, de, fr, nl, es, it', () => {
    expect(SUPPORTED_CODES.map((c) => languageByCode(c)?.name)).toEqual([
      'English',
      'German',
      'French',
      'Dutch',
      'Spanish',
      'Italian',
    ]);
  });

  it.each(Object.keys(WORDS))('%s: number, date, amounts and lines, confirmed by the arithmetic', (code) => {
    const w = WORDS[code]!;
    const x = extractInvoice({ kind: 'pdf-text', pages: 1, rows: buildRows(invoice(w)), textConfidence: 1 });
    expect(x.language).toBe(languageByCode(code)!.name);
    const v = Object.fromEntries(Object.entries(x.fields).map(([k, f]) => [k, f!.value]));
    expect(v).toMatchObject({
      invoiceNumber: 'RE-2026-117',
      invoiceDate: w.iso,
      subtotal: '2625.00',
      tax: '498.75',
      total: '3123.75',
      currency: 'EUR',
      iban: 'DE89370400440532013000',
    });
    expect(x.lines.map((l) => [l.quantity?.value, l.unitPrice?.value, l.amount.value])).toEqual([
      ['2', '1250.00', '2500.00'],
      ['10', '12.50', '125.00'],
    ]);
    expect(x.fields.total!.confidence).toBeGreaterThanOrEqual(0.95);
  });

  it.each(Object.keys(WORDS))('%s: the same invoice lower on the page and with a blank row reads the same', (code) => {
    const x = extractInvoice({
      kind: 'pdf-text',
      pages: 1,
      rows: buildRows([...invoice(WORDS[code]!, 37), frag('   ', 40, 300)]),
      textConfidence: 1,
    });
    expect(x.fields.total?.value).toBe('3123.75');
    expect(x.lines).toHaveLength(2);
  });

  it('routes an invoice in a language it does not read, naming the language', () => {
    const polish = [
      'Faktura VAT nr 12/2026',
      'Sprzedawca: Firma Sp. z o.o.',
      'Nabywca: Klient',
      'Termin płatności: 14 dni',
      'Razem do zapłaty: 1 230,00 zł',
      'Wartość netto  Stawka VAT  Kwota VAT  Wartość brutto',
    ];
    expect(guessLanguage(polish.join(' ')).language).toBe('Polish');
    const rows = buildRows(polish.map((t, i) => frag(t, 40, 20 + 14 * i, 250)));
    expect(() => extractInvoice({ kind: 'pdf-text', pages: 1, rows, textConfidence: 1 })).toThrow(IngestError);
    expect(() => extractInvoice({ kind: 'pdf-text', pages: 1, rows, textConfidence: 1 })).toThrow(
      /Polish.*English, German, French, Dutch, Spanish and Italian/,
    );
  });
});

describe('labels and values in real layouts', () => {
  it('never takes digits inside a label for the value (a total line carrying a due date, a tax line carrying its base)', () => {
    const rows = buildRows([
      frag('Amazing Widgets Inc.', 40, 20, 120),
      frag('Invoice Number:', 40, 50, 80),
      frag('4711', 200, 50, 25),
      frag('TOTAL AMOUNT DUE ON August 3 , 2014', 40, 70, 200),
      frag('$4.11', 400, 70, 30),
      frag('Subtotal', 300, 100, 40),
      frag('$ 3.57', 400, 100, 30),
      frag('Tax 15% on $ 3.57', 300, 114, 90),
      frag('$ 0.54', 400, 114, 30),
      frag('Total', 300, 128, 30),
      frag('$ 4.11', 400, 128, 30),
    ]);
    const x = extractInvoice({ kind: 'pdf-text', pages: 1, rows, textConfidence: 1 });
    expect([x.fields.total?.value, x.fields.tax?.value, x.fields.subtotal?.value, x.fields.dueDate?.value]).toEqual([
      '4.11',
      '0.54',
      '3.57',
      '2014-08-03',
    ]);
    expect(x.fields.total!.confidence).toBeGreaterThanOrEqual(0.95);
  });

  it('keeps reading lines past a section sub-total and a note inside the table', () => {
    const rows = buildRows([
      frag('Description', 40, 100),
      frag('Quantity', 280, 100, 40),
      frag('Unit Price', 340, 100, 50),
      frag('Amount', 460, 100, 35),
      frag('--- Hardware ---', 40, 118, 80),
      frag('Bolts', 40, 132),
      frag('2.00', 290, 132, 20),
      frag('5.00', 350, 132, 20),
      frag('10.00', 460, 132, 25),
      frag('Tax: 0.2%', 40, 146, 45),
      frag('Subtotal $ 10.00', 420, 160, 80),
      frag('--- Services ---', 40, 174, 80),
      frag('Fitting', 40, 188),
      frag('1.00', 290, 188, 20),
      frag('20.00', 350, 188, 25),
      frag('20.00', 460, 188, 25),
      frag('Subtotal', 340, 220, 40),
      frag('30.00', 460, 220, 25),
      frag('Total', 340, 234, 30),
      frag('30.00', 460, 234, 25),
    ]);
    const x = extractInvoice({ kind: 'pdf-text', pages: 1, rows, textConfidence: 1 });
    expect(x.lines.map((l) => l.amount.value)).toEqual(['10.00', '20.00']);
    expect(x.fields.subtotal?.value).toBe('30.00');
  });

  it('finds the supplier by evidence and leaves the customer out', () => {
    const rows = buildRows([
      frag('Bill To:', 40, 20, 40),
      frag('Big Customer Ltd.', 40, 34, 90),
      frag('Invoice No: 881', 400, 20, 80),
      frag('Thanks for your order', 40, 80, 120),
      frag('Description', 40, 120),
      frag('Qty', 280, 120, 15),
      frag('Amount', 460, 120, 35),
      frag('Consulting', 40, 138),
      frag('1', 290, 138, 5),
      frag('100.00', 460, 138, 30),
      frag('Total', 340, 170, 30),
      frag('100.00', 460, 170, 30),
      frag('Nordlicht Consulting GmbH · www.nordlicht-consulting.de · IBAN DE89 3704 0044 0532 0130 00', 40, 300, 400),
    ]);
    const x = extractInvoice({ kind: 'pdf-text', pages: 1, rows, textConfidence: 1 });
    expect(x.fields.supplierName?.value).toBe('Nordlicht Consulting GmbH');
    expect(x.evidence!.join(' ')).toMatch(/legal form.*domain nordlichtconsulting|domain nordlichtconsulting/);
  });
});
