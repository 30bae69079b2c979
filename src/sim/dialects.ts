/**
 * Dialects: the simulator can serve the same company in the variant shapes real tenants and
 * integration paths produce, so Settle's reader, tests and replay cases run against more than the
 * shape the simulator was born with. A dialect rewrites every JSON answer of the API on its way
 * out (the store keeps the canonical records); it never changes what a record says, only how.
 *
 *   coupa       as documented: hyphenated keys, integers as numbers, decimals as strings
 *   strings     integers and booleans as strings ("12", "true") — exports, spreadsheets
 *   numbers     money and quantities as JSON numbers (425.50 written as 425.50)
 *   sparse      null fields and empty collections left out
 *   custom      `custom-fields` blocks, legacy custom keys and unknown attributes on every record
 *   refs        user/account-type references by id only, ids in references as strings
 *   underscore  snake_case keys (invoice_number) — iPaaS re-serialisation
 *   xml         Coupa's XML default turned into JSON by a converter: every scalar a string, nil
 *               as "" or {"@nil":"true"}, one-element collections as a bare object, collections
 *               wrapped in their singular element name
 *   dates       timestamps with other offsets and spellings, date-only fields as timestamps
 *   authorless  supplier-written comments carry no Coupa author (created-by {id:null} or null)
 *   mixed       a seeded mix: every record gets its own random subset of the above
 */
import { createHash } from 'node:crypto';

export const DIALECTS = [
  'coupa',
  'strings',
  'numbers',
  'sparse',
  'custom',
  'refs',
  'underscore',
  'xml',
  'dates',
  'authorless',
  'mixed',
] as const;
export type Dialect = (typeof DIALECTS)[number];

/** The dialects `mixed` draws from (every one but the canonical shape). */
const MIXABLE: readonly Exclude<Dialect, 'coupa' | 'mixed'>[] = [
  'strings',
  'numbers',
  'sparse',
  'custom',
  'refs',
  'underscore',
  'xml',
  'dates',
  'authorless',
];

export function isDialect(value: string): value is Dialect {
  return (DIALECTS as readonly string[]).includes(value);
}

export interface DialectContext {
  /** Logins of the tenant's users: a comment by anyone else is supplier-written. */
  isUserLogin(login: string): boolean;
  /** Seed of `mixed` (default 1). */
  seed?: number;
}

/** A JSON number written with exactly this source text (see `serializeDialect`). */
export class RawNumber {
  constructor(readonly text: string) {}
}

type Json = unknown;
type Obj = Record<string, Json>;

const MONEY_KEYS = new Set([
  'quantity',
  'price',
  'total',
  'tax-amount',
  'tax-rate',
  'shipping-amount',
  'handling-amount',
  'misc-amount',
  'gross-total',
  'total-with-taxes',
  'received',
  'invoiced',
  'amount',
  'accounting-total',
  'supplier-total',
  'breach-amount',
]);
const DECIMAL = /^-?\d+(\.\d+)?$/;
const TIMESTAMP = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})$/;
const DATE_ONLY = /^\d{4}-\d{2}-\d{2}$/;
const USER_REF_KEYS = new Set(['created-by', 'updated-by', 'ship-to-user', 'approver', 'manager']);
const ID_ONLY_REF_KEYS = new Set(['created-by', 'updated-by', 'ship-to-user', 'account-type']);

function isObj(v: Json): v is Obj {
  return v !== null && typeof v === 'object' && !Array.isArray(v) && !(v instanceof RawNumber);
}

/** Deep map over values with the key each sits under. */
function mapValues(value: Json, fn: (v: Json, key: string | undefined) => Json, key?: string): Json {
  const mapped = fn(value, key);
  if (Array.isArray(mapped)) return mapped.map((v) => mapValues(v, fn, key));
  if (isObj(mapped)) return Object.fromEntries(Object.entries(mapped).map(([k, v]) => [k, mapValues(v, fn, k)]));
  return mapped;
}

function strings(value: Json): Json {
  return mapValues(value, (v) =>
    typeof v === 'number' && Number.isInteger(v) ? String(v) : typeof v === 'boolean' ? String(v) : v,
  );
}

function numbers(value: Json): Json {
  return mapValues(value, (v, key) =>
    typeof v === 'string' && key !== undefined && MONEY_KEYS.has(key) && DECIMAL.test(v) ? new RawNumber(v) : v,
  );
}

function sparse(value: Json): Json {
  if (Array.isArray(value)) return value.map(sparse);
  if (!isObj(value)) return value;
  const out: Obj = {};
  for (const [k, v] of Object.entries(value)) {
    if (v === null || (Array.isArray(v) && v.length === 0)) continue;
    out[k] = sparse(v);
  }
  return out;
}

function custom(value: Json): Json {
  if (Array.isArray(value)) return value.map(custom);
  if (!isObj(value)) return value;
  const out: Obj = {};
  for (const [k, v] of Object.entries(value)) out[k] = custom(v);
  if ('id' in value && !('custom-fields' in value)) {
    out['custom-fields'] = {
      'cf-erp-reference': `ERP-${String(value.id)}`,
      'cf-cost-centre': null,
      'cf-approved': true,
      'cf-split': { code: 'A', weight: '0.5' },
    };
    out['lock-version-key'] = 7;
    out['erp-sync-status'] = 'pending';
  }
  return out;
}

function refs(value: Json): Json {
  return mapValues(value, (v, key) => {
    if (!isObj(v) || key === undefined) return v;
    if (ID_ONLY_REF_KEYS.has(key) && v.id !== undefined && v.id !== null) return { id: String(v.id) };
    if (key !== 'custom-fields' && typeof v.id === 'number' && Object.keys(v).length <= 4)
      return { ...v, id: String(v.id) };
    return v;
  });
}

function underscore(value: Json): Json {
  if (Array.isArray(value)) return value.map(underscore);
  if (!isObj(value)) return value;
  return Object.fromEntries(Object.entries(value).map(([k, v]) => [k.replace(/-/g, '_'), underscore(v)]));
}

/** `invoice-lines` → `invoice-line`, `supplier-information-addresses` → `supplier-information-address`. */
function singular(key: string): string {
  if (key.endsWith('addresses')) return key.slice(0, -2);
  if (key.endsWith('ies')) return `${key.slice(0, -3)}y`;
  return key.endsWith('s') ? key.slice(0, -1) : key;
}

function xml(value: Json, key?: string, top = true): Json {
  if (value === null) return (key?.length ?? 0) % 2 === 0 ? '' : { '@nil': 'true' };
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (Array.isArray(value)) {
    const items = value.map((v) => xml(v, key, false));
    // A page of records stays an array; a nested collection is how XML converters see it.
    if (top) return items;
    if (items.length === 0) return '';
    const element = singular(key ?? 'item');
    return { [element]: items.length === 1 ? items[0] : items };
  }
  if (isObj(value)) return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, xml(v, k, false)]));
  return value;
}

function dates(value: Json): Json {
  return mapValues(value, (v, key) => {
    if (typeof v !== 'string') return v;
    if (DATE_ONLY.test(v) && key !== undefined && /date/.test(key)) return `${v}T00:00:00+00:00`;
    if (!TIMESTAMP.test(v)) return v;
    const at = new Date(Date.parse(v));
    if (Number.isNaN(at.getTime())) return v;
    // The same instant, written in UTC with milliseconds and an explicit +00:00 offset.
    return at.toISOString().replace('Z', '+00:00');
  });
}

function authorless(value: Json, ctx: DialectContext): Json {
  return mapValues(value, (v) => {
    if (!isObj(v) || !('comments' in v) || !('created-by' in v)) return v;
    const author = v['created-by'];
    const login = isObj(author) && typeof author.login === 'string' ? author.login : undefined;
    if (login !== undefined && ctx.isUserLogin(login)) return v;
    return { ...v, 'created-by': typeof v.id === 'number' && v.id % 2 === 0 ? null : { id: null, login: null } };
  });
}

function applyOne(dialect: Exclude<Dialect, 'mixed'>, value: Json, ctx: DialectContext): Json {
  switch (dialect) {
    case 'coupa':
      return value;
    case 'strings':
      return strings(value);
    case 'numbers':
      return numbers(value);
    case 'sparse':
      return sparse(value);
    case 'custom':
      return custom(value);
    case 'refs':
      return refs(value);
    case 'underscore':
      return underscore(value);
    case 'xml':
      return xml(value);
    case 'dates':
      return dates(value);
    case 'authorless':
      return authorless(value, ctx);
  }
}

/** A record's own mix: a deterministic subset of the dialects, by seed and record id. */
function mixFor(record: Json, seed: number): Array<Exclude<Dialect, 'coupa' | 'mixed'>> {
  const id = isObj(record) ? String(record.id ?? '') : '';
  const digest = createHash('sha256').update(`${seed}:${id}`).digest();
  const picked = MIXABLE.filter((_, i) => ((digest[i] ?? 0) & 1) === 1);
  // `authorless` and content-neutral ones first, key renaming and xml last (they change the keys the others look for).
  const order: readonly string[] = [
    'authorless',
    'sparse',
    'custom',
    'refs',
    'dates',
    'numbers',
    'strings',
    'xml',
    'underscore',
  ];
  return picked.sort((a, b) => order.indexOf(a) - order.indexOf(b));
}

/** Rewrite one API answer (a record or a page of records) in `dialect`. */
export function applyDialect(dialect: Dialect, body: Json, ctx: DialectContext): Json {
  if (dialect !== 'mixed') return applyOne(dialect, body, ctx);
  const seed = ctx.seed ?? 1;
  const one = (record: Json): Json =>
    mixFor(record, seed).reduce((v, d) => (d === 'xml' ? xml(v, undefined, true) : applyOne(d, v, ctx)), record);
  return Array.isArray(body) ? body.map(one) : one(body);
}

/** JSON text of a dialect answer; `RawNumber`s are written as their exact source text. */
export function serializeDialect(body: Json): string {
  const marker = '\u0000num:';
  const text = JSON.stringify(body, (_key, v: unknown) => (v instanceof RawNumber ? `${marker}${v.text}` : v));
  return text.replace(/"\\u0000num:(-?\d+(?:\.\d+)?)"/g, '$1');
}
