/**
 * Tolerant readers for the scalar and reference types of Coupa's API. Coupa documents integers as
 * JSON numbers and decimals as strings (coupa-api.md §1), but real tenants, Coupa's XML default
 * re-serialised by middleware, exports and hand-written records send every benign variant:
 * `"1"` for 1, `425.99` for "425.99", `"true"` for true, `""` or `{"@nil":"true"}` for null,
 * one object where an array belongs, a reference as a bare id. Each reader here accepts those and
 * yields the one shape the domain uses; what still cannot be read fails with a plain message that
 * `parseRecord` turns into a per-field read problem.
 */
import { Decimal as Dec } from 'decimal.js';
import { z } from 'zod';

/** An object that only carries XML attributes / text (`{"#text":"1"}`, `{"@nil":"true"}`). */
function isXmlScalarWrapper(o: Record<string, unknown>): boolean {
  const keys = Object.keys(o);
  return keys.length > 0 && keys.every((k) => /^[@#$_]/.test(k) || k === 'nil' || k === 'type');
}

/** Unwrap an XML-converter scalar wrapper; `{"@nil":"true"}` is null. Anything else is returned as is. */
export function unwrapScalar(value: unknown): unknown {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return value;
  const o = value as Record<string, unknown>;
  if (!isXmlScalarWrapper(o)) return value;
  const nil = o['@nil'] ?? o.nil ?? o['@xsi:nil'] ?? o['$nil'];
  if (nil === true || nil === 'true') return null;
  for (const key of ['#text', '$t', '_', '$', '#value']) {
    if (key in o) return o[key];
  }
  return Object.keys(o).every((k) => k === '@type' || k === 'type' || k === '$type') ? null : value;
}

/** Absent, null, an empty or blank string and an XML nil all mean "no value". */
export function isBlank(value: unknown): boolean {
  const v = unwrapScalar(value);
  return v === undefined || v === null || (typeof v === 'string' && v.trim() === '');
}

/** Optional field: every spelling of "no value" reads as null; anything else must fit `schema`. */
export function opt<T extends z.ZodType>(schema: T) {
  return z.preprocess((v) => (isBlank(v) ? null : unwrapScalar(v)), schema.nullish());
}

/** Optional field whose absence is `undefined` (never null): blank spellings are absent. */
export function absentable<T extends z.ZodType>(schema: T) {
  return z.preprocess((v) => (isBlank(v) ? undefined : unwrapScalar(v)), schema.optional());
}

const INTEGER_TEXT = /^[+-]?\d+(\.0*)?$/;

/** An integer (ids, line numbers, positions): a JSON number or a numeric string such as "12" or "12.0". */
export const Int = z.preprocess(
  (raw) => {
    const v = unwrapScalar(raw);
    if (typeof v === 'string' && INTEGER_TEXT.test(v.trim())) return Number(v.trim().replace(/\.0*$/, ''));
    return v;
  },
  z.number({ error: 'expected an integer' }).int({ error: 'expected an integer' }),
);

const PLAIN_DECIMAL = /^-?\d+(\.\d+)?$/;
const LOOSE_DECIMAL = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;
const GROUPED = /^[+-]?\d{1,3}(,\d{3})+(\.\d+)?$/;

/**
 * A decimal amount as a plain decimal string ("425.99"). A string in the canonical form is kept
 * exactly (trailing zeros matter in messages); other spellings (`+5`, `.5`, `1e3`, `1,234.50`) and
 * JSON numbers are converted by decimal.js from their text — never through float arithmetic (the
 * client parses non-integer JSON numbers to their source text, see http.ts).
 */
export function decimalText(raw: unknown): string | undefined {
  const v = unwrapScalar(raw);
  if (typeof v === 'number') return Number.isFinite(v) ? new Dec(v).toFixed() : undefined;
  if (typeof v !== 'string') return undefined;
  const s = v.trim();
  if (PLAIN_DECIMAL.test(s)) return s;
  const ungrouped = GROUPED.test(s) ? s.replace(/,/g, '') : s;
  if (!LOOSE_DECIMAL.test(ungrouped)) return undefined;
  const text = new Dec(ungrouped).toFixed();
  return text === '-0' ? '0' : text;
}

export const Decimal = z.unknown().transform((v, ctx) => {
  const text = decimalText(v);
  if (text === undefined) {
    ctx.addIssue({ code: 'custom', message: 'expected a decimal number such as "425.99"' });
    return z.NEVER;
  }
  return text;
});

const TRUE = new Set(['true', 't', 'yes', 'y', '1']);
const FALSE = new Set(['false', 'f', 'no', 'n', '0']);

/** A boolean, also as "true"/"false", "yes"/"no", 1/0. */
export const Bool = z.unknown().transform((raw, ctx) => {
  const v = unwrapScalar(raw);
  if (typeof v === 'boolean') return v;
  const key = typeof v === 'number' ? String(v) : typeof v === 'string' ? v.trim().toLowerCase() : undefined;
  if (key !== undefined && TRUE.has(key)) return true;
  if (key !== undefined && FALSE.has(key)) return false;
  ctx.addIssue({ code: 'custom', message: 'expected true or false' });
  return z.NEVER;
});

/** Text; a number is its decimal text (an invoice number `500` is "500"). */
export const Text = z.unknown().transform((raw, ctx) => {
  const v = unwrapScalar(raw);
  if (typeof v === 'string') return v;
  if (typeof v === 'number' && Number.isFinite(v)) return String(v);
  ctx.addIssue({ code: 'custom', message: 'expected text' });
  return z.NEVER;
});

/** Text compared as a code: trimmed. */
export const Code = Text.transform((s) => s.trim());

const DATE_ONLY = /^(\d{4})[-/.](\d{2})[-/.](\d{2})$/;
const COMPACT_DATE = /^(\d{4})(\d{2})(\d{2})$/;

/**
 * A date or timestamp as ISO-8601 text whose first ten characters are the calendar date as
 * written: `2026-03-02`, `2026-03-02T10:00:00-07:00`, `2026-03-02 10:00:00`, `2026/03/02`,
 * `20260302`, or epoch milliseconds.
 */
export function isoText(raw: unknown): string | undefined {
  const v = unwrapScalar(raw);
  if (typeof v === 'number') return Number.isFinite(v) && v > 1e11 ? new Date(v).toISOString() : undefined;
  if (typeof v !== 'string') return undefined;
  const s = v.trim();
  const date = DATE_ONLY.exec(s) ?? COMPACT_DATE.exec(s);
  if (date) {
    const iso = `${date[1]}-${date[2]}-${date[3]}`;
    return Number.isNaN(Date.parse(iso)) ? undefined : iso;
  }
  const withT = s
    .replace(/^(\d{4})[/.](\d{2})[/.](\d{2})/, '$1-$2-$3')
    .replace(/^(\d{4}-\d{2}-\d{2}) +(?=\d)/, '$1T')
    .replace(/ ?UTC$/i, 'Z');
  if (!/^\d{4}-\d{2}-\d{2}T/.test(withT)) return undefined;
  // "+0200" offsets and a decoded "+" (a space) are common; Date.parse wants "+02:00".
  const normal = withT.replace(/ (\d{2}):?(\d{2})$/, '+$1:$2').replace(/([+-]\d{2})(\d{2})$/, '$1:$2');
  return Number.isNaN(Date.parse(normal)) ? undefined : normal;
}

export const DateTime = z.unknown().transform((v, ctx) => {
  const iso = isoText(v);
  if (iso === undefined) {
    ctx.addIssue({ code: 'custom', message: 'expected an ISO date such as "2026-03-02" or "2026-03-02T10:00:00Z"' });
    return z.NEVER;
  }
  return iso;
});

/**
 * Marks a collection element `parseRecord` had to set aside (it could not be read even after
 * dropping the field at fault); `list` leaves it out of the result.
 */
export const SET_ASIDE: unique symbol = Symbol('set aside');

/**
 * A collection as an array: an array; one object where an array belongs; XML converters' wrapper
 * `{"invoice-line": [...]}`; blank = empty. Elements are the caller's objects (not copies).
 */
export function asList(raw: unknown): unknown {
  if (isBlank(raw)) return [];
  const v = unwrapScalar(raw);
  if (Array.isArray(v)) return v;
  if (v !== null && typeof v === 'object') {
    const entries = Object.entries(v as Record<string, unknown>).filter(([k]) => !/^[@#$]/.test(k));
    // `{"invoiceLine": [...]}` or `{"invoiceLine": {...}}`: one wrapper key, no record attributes.
    if (entries.length === 1 && !('id' in v)) {
      const inner = entries[0]![1];
      if (Array.isArray(inner)) return inner;
      if (inner !== null && typeof inner === 'object') return [inner];
      if (isBlank(inner)) return [];
    }
    if (entries.length === 0) return [];
    return [v];
  }
  return v;
}

/** The element schema of each `list(...)` schema, for tools that walk a record's declared fields. */
const LIST_ITEMS = new WeakMap<object, z.ZodType>();
export function listItem(schema: object): z.ZodType | undefined {
  return LIST_ITEMS.get(schema);
}

/** A collection of `item`s, read with `asList`; set-aside elements are left out. */
export function list<T extends z.ZodType>(item: T) {
  const element = z.unknown().transform((v, ctx): unknown => {
    if (v === SET_ASIDE) return SET_ASIDE;
    const parsed = item.safeParse(v);
    if (parsed.success) return parsed.data;
    for (const issue of parsed.error.issues) ctx.addIssue({ ...issue } as Parameters<typeof ctx.addIssue>[0]);
    return z.NEVER;
  });
  const schema = z
    .preprocess(asList, z.array(element))
    .transform((items) => items.filter((i) => i !== SET_ASIDE) as Array<z.output<T>>);
  LIST_ITEMS.set(schema, item);
  return schema;
}

/**
 * A reference to another record: an object, or written as a bare id (`"supplier": 7`) or a bare
 * natural key (`"currency": "USD"` → `{code:"USD"}`).
 */
export function ref<T extends z.ZodType>(shape: T, bareKey: 'code' | 'name' | 'login') {
  return opt(
    z.preprocess((v) => {
      if (typeof v === 'number') return { id: v };
      if (typeof v === 'string') return INTEGER_TEXT.test(v.trim()) ? { id: v } : { [bareKey]: v };
      return v;
    }, shape),
  );
}

/**
 * Natural-language enums (`"AP Hold"`, `"ap-hold"`) → Coupa's snake_case value.
 */
export function snakeValue(value: string): string {
  return value
    .trim()
    .replace(/([a-z])([A-Z])/g, '$1_$2')
    .toLowerCase()
    .replace(/[\s-]+/g, '_');
}
