/**
 * Header fields by label and pattern: invoice number, dates, PO number, amounts, currency, tax
 * id, bank details and remit-to address. Each acceptor checks the value's shape, so a label whose
 * neighbour is something else ("Date" beside a name) finds nothing rather than a wrong value.
 */
import { isValidIban } from '../domain/text-signals.js';
import { blockBelow, findLabelled, type Acceptor } from './labels.js';
import { CURRENCY_CODES, CURRENCY_SYMBOLS, parseAmount, parseDate, type NumberStyle } from './numbers.js';
import type { ExtractedField, HeaderField, Row } from './types.js';

type Fields = Partial<Record<HeaderField, ExtractedField>>;

const AMOUNT_TOKEN = /(?:[A-Z]{3}\s?|[$€£]\s?)?\(?-?\d[\d.,'\u00a0 ]*\d\)?(?:\s?[A-Z]{3})?(?![\d.,]*\s*%)/g;

/** The last amount in the text that is not a percentage ("VAT 19%  190.00" → 190.00). */
const amountAcceptor = (style: NumberStyle): Acceptor => (text) => {
  const tokens = [...text.matchAll(AMOUNT_TOKEN)].map((m) => m[0].trim());
  for (const token of tokens.reverse()) {
    const value = parseAmount(token, style);
    if (value !== undefined) return value;
  }
  return undefined;
};

const dateAcceptor = (style: NumberStyle): Acceptor => (text) => parseDate(text, style);

/** An identifier: the first token with a digit, 3–40 characters of letters, digits and -/._ */
const idAcceptor: Acceptor = (text) => text.split(/\s+/).map((t) => t.replace(/^[#:.]+|[,;.:]+$/g, '')).find((t) => /\d/.test(t) && /^[A-Za-z0-9][A-Za-z0-9\-/._]{2,39}$/.test(t));

const taxIdAcceptor: Acceptor = (text) => {
  const m = /\b([A-Z]{2}\s?[0-9A-Z]{8,12}|\d{2}-\d{7}|\d{3}-\d{2}-\d{4}|\d{9,12})\b/.exec(text.toUpperCase());
  return m?.[1]?.replace(/\s/g, '');
};

const digitsAcceptor = (min: number, max: number): Acceptor => (text) => {
  const m = new RegExp(`(?:^|\\s)(\\d[\\d\\s-]{${min - 1},${max + 6}}\\d)(?:\\s|$)`).exec(text);
  const digits = m?.[1]?.replace(/\D/g, '');
  return digits && digits.length >= min && digits.length <= max ? digits : undefined;
};

const LABELS = {
  invoiceNumber: ['invoice\\s*(?:number|no\\.?|num\\.?|#|id)', 'inv\\.?\\s*(?:no\\.?|#|number)', 'bill\\s*(?:number|no\\.?)', 'document\\s*(?:number|no\\.?)'],
  invoiceDate: ['invoice\\s*date', 'date\\s*of\\s*invoice', 'bill\\s*date', 'issue\\s*date', 'date\\s*issued', 'invoiced\\s*on', 'date'],
  dueDate: ['due\\s*date', 'payment\\s*due(?:\\s*date)?', 'due\\s*by', 'pay\\s*by', 'date\\s*due', 'due'],
  poNumber: ['p\\.?\\s*o\\.?\\s*(?:number|no\\.?|#|ref(?:erence)?)', 'purchase\\s*order(?:\\s*(?:number|no\\.?|#))?', 'order\\s*ref(?:erence)?', 'your\\s*order(?:\\s*(?:number|no\\.?))?', 'customer\\s*po'],
  subtotal: ['sub-?\\s*total', 'net\\s*(?:amount|total)', 'total\\s*net', 'amount\\s*before\\s*tax', 'total\\s*(?:excl\\.?|excluding|before)\\s*(?:vat|tax)'],
  tax: ['(?:sales\\s*)?tax(?:\\s*amount)?', 'vat(?:\\s*amount)?', 'gst', 'total\\s*(?:tax|vat)'],
  total: ['total\\s*due', 'amount\\s*due', 'balance\\s*due', 'grand\\s*total', 'invoice\\s*total', 'total\\s*amount', 'total\\s*(?:incl\\.?|including)\\s*(?:vat|tax)', 'total'],
  taxId: ['tax\\s*(?:id|identification\\s*number|reg(?:istration)?\\s*(?:no\\.?|number))', 'vat\\s*(?:reg(?:istration)?\\.?\\s*)?(?:no\\.?|number|id)', 'ein', 'tin', 'fein'],
  bankAccount: ['(?:bank\\s*)?account\\s*(?:number|no\\.?|#)', 'acct\\.?\\s*(?:no\\.?|#)?', 'account'],
  bankRouting: ['routing\\s*(?:number|no\\.?|#)?', 'aba(?:\\s*(?:number|no\\.?))?', 'sort\\s*code'],
  currency: ['currency'],
  remitTo: ['(?:please\\s*)?remit\\s*(?:payment\\s*)?to', 'remittance\\s*address', 'pay\\s*to'],
} as const;

/** Label words that look like a value's label but belong to another field. */
const NOT_TAX_AMOUNT = /^(?:tax|vat)\s*(?:id|reg|no|number|identification)/i;
const NOT_TOTAL = /^total\s*(?:tax|vat|net|excl)/i;
const NOT_INVOICE_DATE = /^(?:due\s*date|date\s*due)/i;

function currencyOf(rows: readonly Row[], totalRow: Row | undefined): ExtractedField | undefined {
  const codeIn = (text: string): string | undefined => CURRENCY_CODES.find((c) => new RegExp(`\\b${c}\\b`).test(text));
  // Beside a "Currency" label any case will do (OCR reads "USD" as "usD"); elsewhere only capitals.
  const labelled = findLabelled(rows, LABELS.currency, (text) => codeIn(text.toUpperCase()));
  if (labelled) return { value: labelled.value, confidence: 0.96, source: labelled.source };
  const onTotal = totalRow && codeIn(totalRow.text);
  if (onTotal) return { value: onTotal, confidence: 0.93, source: 'label-right' };
  const all = rows.map((r) => r.text).join('\n');
  const code = codeIn(all);
  if (code) return { value: code, confidence: 0.85, source: 'pattern' };
  const symbol = Object.keys(CURRENCY_SYMBOLS).find((s) => all.includes(s));
  // `$` is shared by many currencies: below the review threshold unless something else confirms it.
  if (symbol) return { value: CURRENCY_SYMBOLS[symbol]!, confidence: symbol === '$' ? 0.7 : 0.85, source: 'pattern' };
  return undefined;
}

function ibanOf(rows: readonly Row[]): ExtractedField | undefined {
  for (const row of rows) {
    for (const m of row.text.toUpperCase().matchAll(/\b[A-Z]{2}\d{2}(?:\s?[A-Z0-9]{4}){2,7}(?:\s?[A-Z0-9]{1,4})?\b/g)) {
      const iban = m[0].replace(/\s/g, '');
      if (isValidIban(iban)) return { value: iban, confidence: 0.97, source: 'pattern' };
    }
  }
  return undefined;
}

const strip = ({ value, confidence, source }: ExtractedField): ExtractedField => ({ value, confidence, source });

/** Every header field the rows yield (the supplier name is found separately, by layout). */
export function extractHeaderFields(rows: readonly Row[], style: NumberStyle): Fields {
  const amount = amountAcceptor(style);
  const date = dateAcceptor(style);
  const total = findLabelled(rows, LABELS.total, amount, { last: true, exclude: NOT_TOTAL });
  const found: Fields = {
    invoiceNumber: findLabelled(rows, LABELS.invoiceNumber, idAcceptor),
    invoiceDate: findLabelled(rows, LABELS.invoiceDate, date, { exclude: NOT_INVOICE_DATE }),
    dueDate: findLabelled(rows, LABELS.dueDate, date),
    poNumber: findLabelled(rows, LABELS.poNumber, idAcceptor),
    subtotal: findLabelled(rows, LABELS.subtotal, amount, { last: true }),
    tax: findLabelled(rows, LABELS.tax, amount, { last: true, exclude: NOT_TAX_AMOUNT }),
    total,
    taxId: findLabelled(rows, LABELS.taxId, taxIdAcceptor),
    bankAccount: findLabelled(rows, LABELS.bankAccount, digitsAcceptor(6, 17)),
    bankRouting: findLabelled(rows, LABELS.bankRouting, digitsAcceptor(6, 9)),
    currency: currencyOf(rows, total?.row),
    iban: ibanOf(rows),
  };
  const remit = blockBelow(rows, LABELS.remitTo);
  if (remit) found.remitTo = { value: remit.text, confidence: 0.85, source: 'label-below' };
  return Object.fromEntries(Object.entries(found).filter(([, v]) => v !== undefined).map(([k, v]) => [k, strip(v!)])) as Fields;
}
