/**
 * How filter values compare with stored wire values. Stored JSON numbers compare as numbers,
 * decimal strings ("425.99") as exact decimals, timestamps as instants (a date-only query means
 * midnight UTC, coupa-api.md §3; `=2026-02-10` matches that calendar date), other strings as text.
 * Missing values behave like SQL NULL: they match nothing but `[blank]=true`.
 *
 * A query value is compiled once per request; decimals compare through doubles first (rounding is
 * monotonic, so differing doubles order exactly) and fall back to decimal.js only on a tie.
 */
import { Decimal } from 'decimal.js';

export const OPERATORS = [
  'contains',
  'starts_with',
  'ends_with',
  'gt',
  'lt',
  'gt_or_eq',
  'lt_or_eq',
  'not_eq',
  'in',
  'not_in',
  'blank',
] as const;
export type Operator = (typeof OPERATORS)[number] | 'eq';

const DECIMAL = /^-?\d+(\.\d+)?$/;
const DATE_ONLY = /^\d{4}-\d{2}-\d{2}$/;
const DATE_LIKE = /^\d{4}-\d{2}-\d{2}/;

/** A query value, pre-parsed for every way it may be compared. */
export interface QueryValue {
  raw: string;
  lower: string;
  /** NaN unless the text is a number. */
  num: number;
  decimal: boolean;
  dateOnly: boolean;
  /** NaN unless the text is a timestamp; `+` in an offset often arrives decoded as a space. */
  instant: number;
}

export function compileValue(raw: string): QueryValue {
  const instant = Date.parse(raw);
  return {
    raw,
    lower: raw.toLowerCase(),
    num: raw.trim() === '' ? Number.NaN : Number(raw),
    decimal: DECIMAL.test(raw),
    dateOnly: DATE_ONLY.test(raw),
    instant: Number.isNaN(instant) ? Date.parse(raw.replace(/ /g, '+')) : instant,
  };
}

function isBlank(value: unknown): boolean {
  return value === undefined || value === null || value === '' || (Array.isArray(value) && value.length === 0);
}

function equals(stored: unknown, q: QueryValue): boolean {
  if (typeof stored === 'number') return q.num === stored;
  if (typeof stored === 'boolean') return q.raw === String(stored);
  if (typeof stored !== 'string') return false;
  if (q.dateOnly && stored.length > 10 && DATE_LIKE.test(stored)) return stored.slice(0, 10) === q.raw;
  return stored === q.raw;
}

/** Sign of stored − query, or undefined when the two cannot be ordered. */
function compare(stored: unknown, q: QueryValue): number | undefined {
  if (typeof stored === 'number') return Number.isNaN(q.num) ? undefined : Math.sign(stored - q.num);
  if (typeof stored !== 'string') return undefined;
  if (q.decimal && DECIMAL.test(stored)) {
    const n = Number(stored);
    return n !== q.num ? Math.sign(n - q.num) : stored === q.raw ? 0 : new Decimal(stored).cmp(q.raw);
  }
  if (DATE_LIKE.test(stored)) {
    const at = Date.parse(stored);
    return Number.isNaN(at) || Number.isNaN(q.instant) ? undefined : Math.sign(at - q.instant);
  }
  return stored < q.raw ? -1 : stored > q.raw ? 1 : 0;
}

function textOf(value: unknown): string | undefined {
  if (typeof value === 'string') return value.toLowerCase();
  return typeof value === 'number' ? String(value) : undefined;
}

/** A predicate over the values found at a filter's path (any value matching is enough). */
export function compileMatcher(op: Operator, raw: string): (values: readonly unknown[]) => boolean {
  if (op === 'blank') {
    const wantBlank = raw.toLowerCase() !== 'false';
    return (values) => values.every(isBlank) === wantBlank;
  }
  const q = compileValue(raw);
  const list = op === 'in' || op === 'not_in' ? raw.split(',').map((v) => compileValue(v.trim())) : [];
  const leaf = leafMatcher(op, q, list);
  return (values) => values.some((v) => v !== undefined && v !== null && leaf(v));
}

function leafMatcher(op: Exclude<Operator, 'blank'>, q: QueryValue, list: QueryValue[]): (v: unknown) => boolean {
  switch (op) {
    case 'eq':
      return (v) => equals(v, q);
    case 'not_eq':
      return (v) => !equals(v, q);
    case 'in':
      return (v) => list.some((item) => equals(v, item));
    case 'not_in':
      return (v) => !list.some((item) => equals(v, item));
    case 'contains':
      return (v) => textOf(v)?.includes(q.lower) ?? false;
    case 'starts_with':
      return (v) => textOf(v)?.startsWith(q.lower) ?? false;
    case 'ends_with':
      return (v) => textOf(v)?.endsWith(q.lower) ?? false;
    case 'gt':
      return (v) => (compare(v, q) ?? 0) > 0;
    case 'lt':
      return (v) => (compare(v, q) ?? 0) < 0;
    case 'gt_or_eq':
      return (v) => {
        const s = compare(v, q);
        return s !== undefined && s >= 0;
      };
    case 'lt_or_eq':
      return (v) => {
        const s = compare(v, q);
        return s !== undefined && s <= 0;
      };
  }
}

/** A precomputed `order_by` key: numbers, decimals and dates by value, then text, blanks last. */
export interface SortKey {
  rank: 0 | 1 | 2;
  num: number;
  text: string;
}

export function sortKey(value: unknown): SortKey {
  if (isBlank(value)) return { rank: 2, num: 0, text: '' };
  if (typeof value === 'number') return { rank: 0, num: value, text: '' };
  const text = typeof value === 'string' ? value : JSON.stringify(value);
  if (DECIMAL.test(text)) return { rank: 0, num: Number(text), text };
  const at = DATE_LIKE.test(text) ? Date.parse(text) : Number.NaN;
  return Number.isNaN(at) ? { rank: 1, num: 0, text } : { rank: 0, num: at, text: '' };
}

export function compareSortKeys(a: SortKey, b: SortKey): number {
  if (a.rank !== b.rank) return a.rank - b.rank;
  if (a.rank === 0) {
    if (a.num !== b.num) return a.num < b.num ? -1 : 1;
    // Equal doubles: only two long decimals can still differ.
    return a.text && b.text && a.text !== b.text ? new Decimal(a.text).cmp(b.text) : 0;
  }
  return a.text < b.text ? -1 : a.text > b.text ? 1 : 0;
}
