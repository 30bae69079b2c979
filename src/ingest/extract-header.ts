/**
 * Header-field candidates: invoice number, dates, PO number, amounts, currency, tax id, bank
 * details and remit-to address, each from the document's own vocabulary (plus English). Each
 * acceptor checks the value's shape, so a label whose neighbour is something else ("Date" beside
 * a name) yields nothing rather than a wrong value. Choosing among candidates is `cross-check.ts`.
 */
import { isValidIban } from '../domain/text-signals.js';
import { dollarCurrency } from './dollar-country.js';
import { checkedVatIds } from './vat-checksums.js';
import { blockBelow, findCandidates, labelRegex, type Acceptor, type Candidate } from './labels.js';
import {
  CURRENCY_CODES,
  CURRENCY_SYMBOLS,
  currencyOfMark,
  parseAmount,
  parseDate,
  detectDateOrder,
  type DateOrder,
  type NumberStyle,
} from './numbers.js';
import type { ExtractedField, Row } from './types.js';
import { currencyWord, type ReadingVocabulary } from './vocabulary.js';

export interface HeaderCandidates {
  invoiceNumber: Candidate[];
  invoiceDate: Candidate[];
  dueDate: Candidate[];
  poNumber: Candidate[];
  subtotal: Candidate[];
  tax: Candidate[];
  total: Candidate[];
  taxId: Candidate[];
  bankAccount: Candidate[];
  bankRouting: Candidate[];
  /** Found by pattern or by layout rather than by one label. */
  currency?: ExtractedField;
  iban?: ExtractedField;
  remitTo?: ExtractedField;
  /** Dates printed beside the invoice number ("Rechnung Nr. 42 vom 31.01.2014"). */
  numberLineDate?: Candidate;
  /** The first date printed alone in its cell with no label the reader knows (a till receipt's "26 Feb 2016 15:20"). */
  unlabelledDate?: Candidate;
}

/** The whole text is one amount (currency marks and TTC/HT allowed), never a sentence with digits in it. */
const amountAcceptor =
  (style: NumberStyle): Acceptor =>
  (text) =>
    parseAmount(text, style);

const dateAcceptor =
  (style: NumberStyle, order?: DateOrder): Acceptor =>
  (text) =>
    parseDate(text, style, order);

/** An identifier: the first token with a digit, 2–40 letters, digits and -/._ */
const idAcceptor: Acceptor = (text) =>
  // "00003 - 00003668": a point of sale and a number, one id.
  /^\s*([A-Z0-9]{2,12})\s+[-–]\s+(\d{3,20})\s*$/i.exec(text)?.slice(1, 3).join('-') ??
  // A date is not a number ("Factuur datum | 8-9-2022" under a "Factuur" heading).
  text
    .split(/\s+/)
    .map((t) => t.replace(/^[#:.№°º]+|[,;.:]+$/g, ''))
    .find(
      (t) =>
        /\d/.test(t) && /^[A-Za-z0-9][A-Za-z0-9\-/._]{1,39}$/.test(t) && !/^\d{1,4}[-/.]\d{1,2}[-/.]\d{1,4}$/.test(t),
    );

/** VAT and tax ids: EU VAT (country + 8–12), US EIN/SSN, India GSTIN, bare 9–12 digit numbers. Spaces inside are dropped. */
const TAX_ID =
  /\b(\d{2}[A-Z]{5}\d{4}[A-Z]\d[A-Z0-9]{2}|[A-Z]{2}[0-9A-Z]{8,12}|\d{2}-\d{8}-\d|\d{2}-\d{7}|\d{3}-\d{2}-\d{4}|\d{9,12})\b/;
const taxIdAcceptor: Acceptor = (text) => {
  // Grouping spaces before digits and dots between any characters are not part of the id ("NL8204.71.616.B.02").
  const id = TAX_ID.exec(text.toUpperCase().replace(/(?<=[A-Z0-9])\s(?=\d)|(?<=[A-Z0-9])\.(?=[A-Z0-9])/g, ''))?.[1];
  return id && /\d{6}/.test(id.replace(/\D/g, '')) ? id : undefined;
};

const digitsAcceptor =
  (min: number, max: number): Acceptor =>
  (text) => {
    const m = new RegExp(`(?:^|\\s)(\\d[\\d\\s-]{${min - 1},${max + 6}}\\d)(?:\\s|$)`).exec(text);
    const digits = m?.[1]?.replace(/\D/g, '');
    return digits && digits.length >= min && digits.length <= max ? digits : undefined;
  };

/** Cells that carry a neighbouring field's label. */
const NOT_TAX_AMOUNT =
  /^(?:tax|vat|btw|tva|iva|ust|mwst)\.?\s*(?:-\s*)?(?:id|reg|no|nr|number|nummer|identification|intra|n°)|^(?:uw|your|n°)\s/i;
const NOT_TOTAL =
  /^(?:total|totaal|totale|gesamt)\s*(?:tax|vat|btw|tva|iva|net|netto|excl|exkl|h\.?t\.?\b|hors|taxes|imponibile|impuestos?|parcial|without|w\/o|sans|ohne|sin|senza|zonder)|^gesamtbetrag\s*der\s*(?:zu|ab)schl/i;
// "Lieferdatum/Rechnungsdatum" names the invoice date too: a combined label is not excluded.
const NOT_INVOICE_DATE =
  /^(?:due\s*date|date\s*due|date\s*limite|date\s*d'échéance|f[äa]llig|date\s*of\s*delivery|delivery\s*date|date\s*de\s*livraison|liefer)(?![\p{L}\s.-]*\/)/iu;
/** A combined label's first half ("Lieferdatum/"), before the invoice-date label proper. */
const COMBINED = String.raw`(?:\p{L}[\p{L}.\s-]{2,30}\/\s*)?`;
/** A rate printed before the tax label ("21% BTW", "19 % MwSt."). */
const RATE_FIRST = String.raw`(?:\d{1,2}(?:[.,]\d{1,2})?\s*%\s*)?`;

function currencyOf(
  rows: readonly Row[],
  totalRow: Row | undefined,
  labels: readonly string[],
): ExtractedField | undefined {
  const codeIn = (text: string): string | undefined =>
    CURRENCY_CODES.find((c) => new RegExp(`(?<![A-Z])${c}(?![A-Z])`).test(text));
  // Beside a "Currency" label any case will do (OCR reads "USD" as "usD"); elsewhere only capitals.
  const labelled = findCandidates(rows, labels, (text) => codeIn(text.toUpperCase()))[0];
  if (labelled) return { value: labelled.value, confidence: 0.96, source: labelled.source };
  const all = rows.map((r) => r.text).join('\n');
  const totalCode = totalRow && codeIn(totalRow.text);
  const totalMark = totalRow && totalRow.text.split(/[\s\d.,()-]+/).find((t) => currencyOfMark(t));
  if (totalCode) return { value: totalCode, confidence: 0.95, source: 'label-right' };
  // `$` is printed for US, Canadian, Australian, Mexican, Argentine … dollars and pesos: sure only with a code or word to confirm it.
  if (totalMark && totalMark !== '$')
    return { value: currencyOfMark(totalMark)!, confidence: 0.95, source: 'label-right' };
  const usWords = /\b(?:us\s+dollars?|u\.s\.\s+dollars?)\b/i.test(all);
  // The page's country decides what its "$" or "pesos" is; inferred, so below the review threshold.
  const local = !usWords && !codeIn(all) ? dollarCurrency(all) : undefined;
  if (local) return { value: local.currency, confidence: 0.85, source: 'pattern' };
  if (totalMark === '$' && !codeIn(all) && !usWords) return { value: 'USD', confidence: 0.7, source: 'pattern' };
  const code = codeIn(all);
  // A code printed somewhere is a strong hint only when it is the document's only currency code.
  const codes = CURRENCY_CODES.filter((c) => new RegExp(`(?<![A-Z])${c}(?![A-Z])`).test(all));
  if (code) return { value: code, confidence: codes.length === 1 ? 0.9 : 0.7, source: 'pattern' };
  const words = all.toLowerCase().match(/\b(?:us\s+dollars|dollars|euros?|rupees|pounds\s+sterling)\b/);
  const fromWord = words && currencyWord(words[0].replace(/\s+/g, ' '));
  if (fromWord) return { value: fromWord, confidence: 0.9, source: 'pattern' };
  const symbol =
    Object.keys(CURRENCY_SYMBOLS).find((s) => all.includes(s)) ??
    (/(?:^|[\s(])Rs\.?\s?-?\d/m.test(all) ? 'Rs' : undefined);
  // `$` is shared by many currencies: below the review threshold unless something else confirms it.
  if (symbol) return { value: currencyOfMark(symbol)!, confidence: symbol === '$' ? 0.7 : 0.9, source: 'pattern' };
  return undefined;
}

function ibanOf(rows: readonly Row[]): ExtractedField | undefined {
  for (const row of rows) {
    for (const m of row.text.toUpperCase().matchAll(/\b[A-Z]{2}\d{2}(?:\s?[A-Z0-9]{4}){2,7}(?:\s?[A-Z0-9]{1,4})?\b/g)) {
      const iban = m[0].replace(/\s/g, '');
      if (isValidIban(iban)) return { value: iban, confidence: 0.97, source: 'pattern' };
    }
    for (const m of row.text.toUpperCase().matchAll(/\b[A-Z]{2}\d{2}[\s\dA-Z]{11,40}/g)) {
      const compact = m[0].replace(/\s/g, '');
      for (let n = Math.min(34, compact.length); n >= 15; n--)
        if (isValidIban(compact.slice(0, n)))
          return { value: compact.slice(0, n), confidence: 0.95, source: 'pattern' };
    }
  }
  return undefined;
}

/** A VAT id printed in running text (a footer), not beside a customer's label. */
function taxIdInText(rows: readonly Row[], customer: readonly string[]): Candidate[] {
  const out: Candidate[] = [];
  const customerWord = new RegExp(`(?:${customer.join('|')}|client|kunde|klant|uw|your|buyer)\\W{0,12}$`, 'i');
  rows.forEach((row, i) => {
    for (const m of row.text.matchAll(
      /(?:tva\s*intra[\s-]?communautaire|vat|tva|btw|ust\.?-?\s*id\.?(?:-?nr\.?)?|ustid|iva|mwst|gstin|vat\/tin)\s*(?:no\.?|nr\.?|n°|number|id)?\s*[:.]?\s*([A-Z]{2}\s?\d[\s\dA-Z.]{7,18}|\d[\d\s]{8,14})/gi,
    )) {
      if (customerWord.test(row.text.slice(0, m.index))) continue;
      const value = taxIdAcceptor(m[1]!);
      if (value && /\d{6}/.test(value))
        out.push({ value, source: 'pattern', rank: 99, label: m[0].slice(0, 12), row, order: i });
    }
  });
  return out;
}

/** Rank given to a number found under the document's title rather than beside a number label. */
export const TITLE_RANK = 100;

/** Without any labelled tax id: an EU VAT id printed bare (a footer, a margin) whose check digits hold, not the customer's. */
function checkedTaxIds(rows: readonly Row[], customer: readonly string[]): Candidate[] {
  const customerWord = new RegExp(`(?:${customer.join('|')}|client|kunde|klant|uw|your|buyer)\\W{0,12}$`, 'i');
  return rows.flatMap((row, i) =>
    checkedVatIds(row.text)
      .filter((id) => {
        const at = new RegExp(id.split('').join('[\\s.]?'), 'i').exec(row.text)?.index ?? 0;
        return !customerWord.test(row.text.slice(0, at));
      })
      .map((value) => ({
        value,
        source: 'pattern' as const,
        rank: 100,
        label: 'VAT id (check digits verified)',
        row,
        order: i,
      })),
  );
}

/**
 * The first cell that is a date and little else (a month name, a time), with no known label beside
 * it: neither a label's own value nor another field's (a due or delivery date is labelled).
 */
function firstUnlabelledDate(rows: readonly Row[], date: Acceptor, vocab: ReadingVocabulary): Candidate | undefined {
  const labels = Object.values(vocab.labels).flat();
  const isLabel = (text: string): boolean => labels.some((p) => labelRegex(p).test(text));
  let order = 0;
  for (const row of rows) {
    for (const [i, cell] of row.cells.entries()) {
      order += 1;
      const value = date(cell.text);
      if (!value || cell.text.replace(/[\d\s/.:,-]/g, '').length > 10) continue;
      if (isLabel(cell.text) || (i > 0 && isLabel(row.cells[i - 1]!.text))) continue;
      return { value, source: 'pattern', rank: 90, label: 'a date printed without a label', row, order };
    }
  }
  return undefined;
}

/** Every header-field candidate the rows yield (the supplier is found separately, by evidence). */
export function headerCandidates(
  rows: readonly Row[],
  style: NumberStyle,
  vocab: ReadingVocabulary,
  allRows: readonly Row[] = rows,
): HeaderCandidates {
  const L = vocab.labels;
  const amount = amountAcceptor(style);
  // A date whose day is above 12 tells how the page's other numeric dates read.
  const order = detectDateOrder(allRows.map((r) => r.text));
  const date = dateAcceptor(style, order);
  // The document's title alone in its cell ("FACTURA") with the number under it: a last resort, ranked after every label.
  const titles = L.title.filter((p) => !/p[aá]g|seite|page/i.test(p)).map((p) => `(?:${p})(?=\\s*$)`);
  const labelledNumbers = findCandidates(rows, L.invoiceNumber, idAcceptor);
  const invoiceNumber =
    labelledNumbers.length > 0
      ? labelledNumbers
      : findCandidates(rows, titles, idAcceptor).map((c) => ({ ...c, rank: TITLE_RANK + c.rank }));
  const total = findCandidates(rows, L.total, amount, { exclude: NOT_TOTAL });
  const numberRow = invoiceNumber[0]?.row;
  // "Rechnung Nr. 42 vom 31.01.2014", or "vom 31.10.2018" on the row under it.
  const after = numberRow && rows[rows.indexOf(numberRow) + 1];
  // Only the number's own cell and those to its right: a date to its left is another field's ("Ihre Bestellung vom 1. Juni").
  const numberCell = numberRow?.cells.findIndex((c) => c.text.includes(invoiceNumber[0]!.value)) ?? -1;
  const numberLine = numberRow?.cells
    .slice(Math.max(0, numberCell))
    .map((c) => c.text)
    .join('  ');
  const numberLineDate =
    numberRow &&
    numberLine &&
    (parseDate(numberLine.replace(invoiceNumber[0]!.value, ' '), style, order) ??
      (after && /^(?:vom|du|del|dated|of|van)\s/i.test(after.text) ? parseDate(after.text, style, order) : undefined));
  const customerLabels = L.customer.filter((p) => p.length > 3);
  const unlabelledDate = firstUnlabelledDate(rows, date, vocab);
  const remit = blockBelow(rows, L.remitTo);
  const lastTotal = [...total].sort((a, b) => b.order - a.order)[0];
  const labelledTaxIds = [
    ...findCandidates(rows, L.taxId, taxIdAcceptor, { exclude: /^(?:uw|your|n°\s*tva\s*client)/i }),
    ...taxIdInText(rows, customerLabels),
  ];
  return {
    invoiceNumber,
    invoiceDate: findCandidates(
      rows,
      L.invoiceDate.map((p) => COMBINED + `(?:${p})`),
      date,
      { exclude: NOT_INVOICE_DATE },
    ),
    dueDate: findCandidates(rows, L.dueDate, date),
    poNumber: findCandidates(rows, L.poNumber, idAcceptor),
    subtotal: findCandidates(rows, L.subtotal, amount),
    tax: findCandidates(
      rows,
      L.tax.map((p) => RATE_FIRST + `(?:${p})`),
      amount,
      { exclude: NOT_TAX_AMOUNT },
    ),
    total,
    taxId: labelledTaxIds.length > 0 ? labelledTaxIds : checkedTaxIds(rows, customerLabels),
    bankAccount: findCandidates(rows, L.bankAccount, digitsAcceptor(6, 17)),
    bankRouting: findCandidates(rows, L.bankRouting, digitsAcceptor(6, 11)),
    // Currency marks are often only in the table ("Einzel/€", "Rs 1939"): look at every row.
    currency: currencyOf(allRows, lastTotal?.row, L.currency),
    iban: ibanOf(rows),
    ...(remit ? { remitTo: { value: remit.text, confidence: 0.85, source: 'label-below' } } : {}),
    ...(unlabelledDate ? { unlabelledDate } : {}),
    ...(numberLineDate && numberRow
      ? {
          numberLineDate: {
            value: numberLineDate,
            source: 'label-inline',
            rank: 50,
            label: 'beside the invoice number',
            row: numberRow,
            order: 0,
          },
        }
      : {}),
  };
}
