/**
 * Printed numbers and dates → canonical strings. "1,234.56", "1.234,56", "1 234,56", "$1,234.56",
 * "(12.00)" become decimal strings ("1234.56"); dates become ISO (YYYY-MM-DD). Ambiguous forms
 * ("1.234", "03/04/2026") follow the document's own convention, detected once per document.
 */

/** Whether the document writes decimals with a comma (1.234,56) or a point (1,234.56). */
export type NumberStyle = 'point' | 'comma';

const AMOUNT_BODY = /^[-(]?\s*(?:[A-Z]{3}\s*|[$€£¥]\s*)?[-]?\d[\d.,' \u00a0\u202f]*(?:\s*(?:[A-Z]{3}|[$€£¥]))?\s*[)]?-?$/;

/** The decimal convention most numbers in `texts` follow; 'point' when nothing decides it. */
export function detectNumberStyle(texts: readonly string[]): NumberStyle {
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
  return comma > point ? 'comma' : 'point';
}

/** A printed amount as a plain decimal string, or undefined when `raw` is not an amount. */
export function parseAmount(raw: string, style: NumberStyle = 'point'): string | undefined {
  const text = raw.trim();
  if (!AMOUNT_BODY.test(text)) return undefined;
  const negative = /^\(.*\)$/.test(text) || /^-|-$/.test(text.replace(/^[A-Z]{3}\s*|[$€£¥]\s*/, ''));
  let digits = text.replace(/[^\d.,]/g, '');
  if (digits === '') return undefined;
  const decimalMark = style === 'comma' ? ',' : '.';
  const groupMark = style === 'comma' ? '.' : ',';
  const lastMark = Math.max(digits.lastIndexOf('.'), digits.lastIndexOf(','));
  // A single other-style mark followed by exactly two digits is a decimal mark all the same
  // ("12,50" on a point-style page): group separators are always followed by three digits.
  if (lastMark >= 0 && digits[lastMark] === groupMark && digits.length - lastMark - 1 === 2 && !digits.slice(0, lastMark).includes(groupMark)) {
    digits = digits.slice(0, lastMark).replaceAll(decimalMark, '') + '.' + digits.slice(lastMark + 1);
  } else {
    const parts = digits.split(decimalMark);
    if (parts.length > 2) return undefined;
    const whole = (parts[0] ?? '').replaceAll(groupMark, '');
    if (parts[0]?.includes(groupMark) && !/^\d{1,3}(\d{3})*$/.test(whole) && !/^\d{1,3}([.,]\d{3})+$/.test(parts[0] ?? '')) return undefined;
    digits = parts.length === 2 ? `${whole}.${parts[1]}` : whole;
  }
  if (!/^\d+(\.\d+)?$/.test(digits)) return undefined;
  const canonical = digits.replace(/^0+(?=\d)/, '');
  return negative && canonical !== '0' ? `-${canonical}` : canonical;
}

const MONTHS = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];

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
export function parseDate(raw: string, style: NumberStyle = 'point'): string | undefined {
  const text = raw.trim().replace(/(\d)(st|nd|rd|th)\b/gi, '$1');
  let m = /(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})/.exec(text);
  if (m) return iso(Number(m[1]), Number(m[2]), Number(m[3]));
  m = /(\d{1,2})[-/.](\d{1,2})[-/.](\d{4}|\d{2})(?!\d)/.exec(text);
  if (m) {
    const [a, b, y] = [Number(m[1]), Number(m[2]), Number(m[3])];
    const dayFirst = a > 12 ? true : b > 12 ? false : style === 'comma' || m[0].includes('.');
    return dayFirst ? iso(y, b, a) : iso(y, a, b);
  }
  m = /(\d{1,2})[\s-]+([A-Za-z]{3,9})\.?[\s-,]+(\d{4})/.exec(text);
  if (m) {
    const month = MONTHS.indexOf((m[2] ?? '').slice(0, 3).toLowerCase()) + 1;
    return month > 0 ? iso(Number(m[3]), month, Number(m[1])) : undefined;
  }
  m = /([A-Za-z]{3,9})\.?\s+(\d{1,2}),?\s+(\d{4})/.exec(text);
  if (m) {
    const month = MONTHS.indexOf((m[1] ?? '').slice(0, 3).toLowerCase()) + 1;
    return month > 0 ? iso(Number(m[3]), month, Number(m[2])) : undefined;
  }
  return undefined;
}

/** Currency codes and the symbols that name one without doubt (`$` alone is not one of them). */
export const CURRENCY_SYMBOLS: Readonly<Record<string, string>> = { '€': 'EUR', '£': 'GBP', '¥': 'JPY', $: 'USD' };
export const CURRENCY_CODES = ['USD', 'EUR', 'GBP', 'CAD', 'AUD', 'CHF', 'JPY', 'SEK', 'NOK', 'DKK', 'PLN', 'MXN', 'INR', 'CNY'] as const;
