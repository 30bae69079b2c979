/**
 * How one filter value compares with one stored wire value. Stored JSON numbers compare as
 * numbers, decimal strings ("425.99") as exact decimals, timestamps as instants (a date-only
 * query means midnight UTC, coupa-api.md §3), other strings as text. Missing values behave like
 * SQL NULL: they match nothing but `[blank]=true`.
 */
import { Decimal } from 'decimal.js';

export const OPERATORS = [
  'contains', 'starts_with', 'ends_with', 'gt', 'lt', 'gt_or_eq', 'lt_or_eq', 'not_eq', 'in', 'not_in', 'blank',
] as const;
export type Operator = (typeof OPERATORS)[number] | 'eq';

const DECIMAL = /^-?\d+(\.\d+)?$/;
const DATE_ONLY = /^\d{4}-\d{2}-\d{2}$/;
const DATE_TIME = /^\d{4}-\d{2}-\d{2}T/;

/** Parse a query timestamp; `+` in an offset often arrives decoded as a space. */
function parseInstant(text: string): number {
  const direct = Date.parse(text);
  return Number.isNaN(direct) ? Date.parse(text.replace(/ /g, '+')) : direct;
}

function isBlank(value: unknown): boolean {
  return value === undefined || value === null || value === '' || (Array.isArray(value) && value.length === 0);
}

/** Equality as Coupa's `attr=value` and `[in]` mean it. */
export function valueEquals(stored: unknown, query: string): boolean {
  if (typeof stored === 'number') return query.trim() !== '' && Number(query) === stored;
  if (typeof stored === 'boolean') return query === String(stored);
  if (typeof stored !== 'string') return false;
  if (DATE_ONLY.test(query) && DATE_TIME.test(stored)) return stored.slice(0, 10) === query;
  return stored === query;
}

/** Sign of stored − query, or undefined when the two cannot be ordered. */
export function compareToQuery(stored: unknown, query: string): number | undefined {
  if (typeof stored === 'number') {
    const n = Number(query);
    return query.trim() === '' || Number.isNaN(n) ? undefined : Math.sign(stored - n);
  }
  if (typeof stored !== 'string') return undefined;
  if (DECIMAL.test(stored) && DECIMAL.test(query)) return new Decimal(stored).cmp(query);
  if (DATE_ONLY.test(stored) || DATE_TIME.test(stored)) {
    const a = Date.parse(stored);
    const b = parseInstant(query);
    return Number.isNaN(a) || Number.isNaN(b) ? undefined : Math.sign(a - b);
  }
  return stored < query ? -1 : stored > query ? 1 : 0;
}

function textOf(value: unknown): string | undefined {
  if (typeof value === 'string') return value.toLowerCase();
  if (typeof value === 'number') return String(value);
  return undefined;
}

function leafMatches(stored: unknown, op: Operator, query: string): boolean {
  if (stored === undefined || stored === null) return false;
  switch (op) {
    case 'eq': return valueEquals(stored, query);
    case 'not_eq': return !valueEquals(stored, query);
    case 'in': return query.split(',').some((v) => valueEquals(stored, v.trim()));
    case 'not_in': return !query.split(',').some((v) => valueEquals(stored, v.trim()));
    case 'contains': return textOf(stored)?.includes(query.toLowerCase()) ?? false;
    case 'starts_with': return textOf(stored)?.startsWith(query.toLowerCase()) ?? false;
    case 'ends_with': return textOf(stored)?.endsWith(query.toLowerCase()) ?? false;
    default: {
      const sign = compareToQuery(stored, query);
      if (sign === undefined) return false;
      if (op === 'gt') return sign > 0;
      if (op === 'lt') return sign < 0;
      if (op === 'gt_or_eq') return sign >= 0;
      return op === 'lt_or_eq' ? sign <= 0 : false;
    }
  }
}

/**
 * Whether the values found at a filter's path satisfy it. A path through a collection yields
 * several values; the filter matches when any one does (Coupa joins the association).
 */
export function valuesMatch(values: readonly unknown[], op: Operator, query: string): boolean {
  if (op === 'blank') {
    const wantBlank = query.toLowerCase() !== 'false';
    const allBlank = values.every(isBlank);
    return wantBlank ? allBlank : !allBlank;
  }
  return values.some((value) => leafMatches(value, op, query));
}

/** Total order for `order_by`: typed like the filters, blanks last. */
export function compareStored(a: unknown, b: unknown): number {
  const aBlank = isBlank(a);
  const bBlank = isBlank(b);
  if (aBlank || bBlank) return aBlank === bBlank ? 0 : aBlank ? 1 : -1;
  if (typeof a === 'number' && typeof b === 'number') return Math.sign(a - b);
  if (typeof a === 'string' && typeof b === 'string') return compareToQuery(a, b) ?? 0;
  return String(a) < String(b) ? -1 : String(a) > String(b) ? 1 : 0;
}
