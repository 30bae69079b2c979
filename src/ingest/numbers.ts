/**
 * Printed numbers and dates → canonical strings. "1,234.56", "1.234,56", "1 234,56", "$1,234.56",
 * "(12.00)" become decimal strings ("1234.56"); dates become ISO (YYYY-MM-DD). Ambiguous forms
 * ("1.234", "03/04/2026") follow the document's own convention, detected once per document.
 */

/** Whether the document writes decimals with a comma (1.234,56) or a point (1,234.56). */
export type NumberStyle = 'point' | 'comma';

import { currencyWord, monthNumber } from './vocabulary.js';

const AMOUNT_BODY = /^[-(]?\s*[-]?\d[\d.,'’ \u00a0\u202f]*\s*[)]?-?$/;

/**
 * Currency markers printed before or after an amount: ISO codes, symbols, and the local words
 * (Rs, kr, zł, Fr.), plus tax qualifiers that travel with totals (TTC, HT, netto, incl. VAT).
 */
const CURRENCY_MARK = /^(?:[A-Z]{3}|[$€£¥₹₩₺₽]|US\$|C\$|A\$|R\$|Rs\.?|INR|kr\.?|zł|Fr\.?|Kč|Ft|lei)$/iu;
const QUALIFIER =
  /^(?:ttc|ht|hors|taxes|netto|brutto|incl\.?|excl\.?|inkl\.?|exkl\.?|vat|btw|tva|iva|mwst\.?|ust\.?)$/i;

/** The amount's text with currency markers and qualifiers around it removed, or undefined when other words remain. */
function bareAmount(raw: string): string | undefined {
  const tokens = raw
    .trim()
    .replace(/([$€£¥₹])(?=[-\d(])/gu, '$1 ')
    .replace(/(\d)([$€£¥₹])/gu, '$1 $2')
    .split(/\s+/);
  while (tokens.length > 1 && (CURRENCY_MARK.test(tokens[0]!) || QUALIFIER.test(tokens[0]!))) tokens.shift();
  while (tokens.length > 1 && (CURRENCY_MARK.test(tokens.at(-1)!) || QUALIFIER.test(tokens.at(-1)!))) tokens.pop();
  const text = tokens.join(' ');
  return /\p{L}/u.test(text.replace(/^\(|\)$/g, '')) ? undefined : text;
}

/** The decimal convention most numbers in `texts` follow; 'point' when nothing decides it. */
export function detectNumberStyle(texts: readonly string[], fallback: NumberStyle = 'point'): NumberStyle {
  let comma = 0;
  let point = 0;
  for (const t of texts) {
    for (const m of t.matchAll(/\d[\d.,]*[.,]\d{2}(?!\d)/g)) {
      const s = m[0];
      const last = s[s.length - 3];
      if (last === ',') comma += 1;
      else if (last === '.') point += 1;
    }
  }
  return comma > point ? 'comma' : point > comma ? 'point' : fallback;
}

/** A printed amount as a plain decimal string, or undefined when `raw` is not an amount. */
export function parseAmount(raw: string, style: NumberStyle = 'point'): string | undefined {
  const text = bareAmount(raw);
  if (text === undefined || !AMOUNT_BODY.test(text)) return undefined;
  const negative = /^\(.*\)$/.test(text) || /^-|-$/.test(text);
  let digits = text.replace(/[^\d.,]/g, '');
  if (digits === '') return undefined;
  const decimalMark = style === 'comma' ? ',' : '.';
  const groupMark = style === 'comma' ? '.' : ',';
  const lastMark = Math.max(digits.lastIndexOf('.'), digits.lastIndexOf(','));
  // A single other-style mark followed by exactly two digits is a decimal mark all the same
  // ("12,50" on a point-style page): group separators are always followed by three digits.
  if (
    lastMark >= 0 &&
    digits[lastMark] === groupMark &&
    digits.length - lastMark - 1 === 2 &&
    !digits.slice(0, lastMark).includes(groupMark)
  ) {
    digits = digits.slice(0, lastMark).replaceAll(decimalMark, '') + '.' + digits.slice(lastMark + 1);
  } else {
    const parts = digits.split(decimalMark);
    if (parts.length > 2) return undefined;
    const whole = (parts[0] ?? '').replaceAll(groupMark, '');
    if (
      parts[0]?.includes(groupMark) &&
      !/^\d{1,3}(\d{3})*$/.test(whole) &&
      !/^\d{1,3}([.,]\d{3})+$/.test(parts[0] ?? '')
    )
      return undefined;
    digits = parts.length === 2 ? `${whole}.${parts[1]}` : whole;
  }
  if (!/^\d+(\.\d+)?$/.test(digits)) return undefined;
  // A whole number with a leading zero ("0141517") is an account or reference number, never an amount.
  if (/^0\d/.test(digits) && !digits.includes('.')) return undefined;
  const canonical = digits.replace(/^0+(?=\d)/, '');
  return negative && canonical !== '0' ? `-${canonical}` : canonical;
}

function iso(year: number, month: number, day: number): string | undefined {
  if (year < 100) year += 2000;
  const d = new Date(Date.UTC(year, month - 1, day));
  if (d.getUTCFullYear() !== year || d.getUTCMonth() !== month - 1 || d.getUTCDate() !== day) return undefined;
  return `${year}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
}

/**
 * A printed date as YYYY-MM-DD. Numeric day/month order follows `style`: comma-decimal documents
 * (European) write day first, point-decimal ones month first, unless one part exceeds 12.
 */
/** Day or month first in the document's numeric dates, when one of them shows it (a day above 12). */
export type DateOrder = 'day-first' | 'month-first';

export function detectDateOrder(texts: readonly string[]): DateOrder | undefined {
  let dayFirst = false;
  let monthFirst = false;
  for (const t of texts)
    for (const m of t.matchAll(/(?<![\d/.-])(\d{1,2})[-/.](\d{1,2})[-/.](?:\d{4}|\d{2})(?!\d)/g)) {
      if (Number(m[1]) > 12 && Number(m[2]) <= 12) dayFirst = true;
      if (Number(m[2]) > 12 && Number(m[1]) <= 12) monthFirst = true;
    }
  return dayFirst === monthFirst ? undefined : dayFirst ? 'day-first' : 'month-first';
}

/** `order`: the document's own date order (detectDateOrder) settles dates like 11/02/2019. */
export function parseDate(raw: string, style: NumberStyle = 'point', order?: DateOrder): string | undefined {
  const text = raw.trim().replace(/(\d)(st|nd|rd|th|er)\b/gi, '$1');
  let m = /(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})/.exec(text);
  if (m) return iso(Number(m[1]), Number(m[2]), Number(m[3]));
  m = /(\d{1,2})[-/.](\d{1,2})[-/.](\d{4}|\d{2})(?!\d)/.exec(text);
  if (m) {
    const [a, b, y] = [Number(m[1]), Number(m[2]), Number(m[3])];
    const dayFirst =
      a > 12 ? true : b > 12 ? false : order ? order === 'day-first' : style === 'comma' || m[0].includes('.');
    return dayFirst ? iso(y, b, a) : iso(y, a, b);
  }
  // "7. Mai 2014", "02 Juillet 2015", "1er juillet 2015", "3 de agosto de 2014", "19-Apr-2014", "28 Jan 15"
  for (const d of text.matchAll(
    /(\d{1,2})(?:er|\.)?[\s-]+(?:de\s+)?(\p{L}{3,10})\.?[\s,-]+(?:de\s+)?(\d{4}|\d{2})(?!\d)/gu,
  )) {
    const month = monthNumber(d[2]!);
    if (month) return iso(Number(d[3]), month, Number(d[1]));
  }
  // "August 3, 2014", "August 3 , 2014", "Jan 1 2022"
  for (const d of text.matchAll(/(\p{L}{3,10})\.?\s+(\d{1,2})\s*,?\s+(\d{4})/gu)) {
    const month = monthNumber(d[1]!);
    if (month) return iso(Number(d[3]), month, Number(d[2]));
  }
  return undefined;
}

/** Currency codes and the symbols that name one without doubt (`$` alone is not one of them). */
export const CURRENCY_SYMBOLS: Readonly<Record<string, string>> = {
  '€': 'EUR',
  '£': 'GBP',
  '¥': 'JPY',
  '₹': 'INR',
  zł: 'PLN',
  Kč: 'CZK',
  $: 'USD',
};
export const CURRENCY_CODES = [
  'USD',
  'EUR',
  'GBP',
  'CAD',
  'AUD',
  'CHF',
  'JPY',
  'SEK',
  'NOK',
  'DKK',
  'PLN',
  'CZK',
  'HUF',
  'RON',
  'MXN',
  'INR',
  'CNY',
  'NZD',
  'SGD',
  'HKD',
  'ZAR',
  'BRL',
] as const;

/** The currency a local marker names, when it names one: "Rs" → INR; "kr" needs the country, so none. */
export function currencyOfMark(mark: string): string | undefined {
  const m = mark.replace(/\.$/, '');
  if (/^(?:Rs|₹)$/i.test(m)) return 'INR';
  if (/^zł$/i.test(m)) return 'PLN';
  if (/^(?:CHF|Fr|SFr)$/i.test(m)) return 'CHF';
  return CURRENCY_SYMBOLS[m] ?? currencyWord(m);
}
