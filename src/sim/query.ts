/**
 * Parsing Coupa's query-string language (coupa-api.md §3) into a `ListQuery`:
 * `attr=v`, `attr[op]=v`, association paths `supplier[name]=CDW`, `account-type[name][in]=a,b`,
 * dash or underscore spellings, plus `limit` (clamped to 50), `offset`, `order_by`/`dir` and
 * `fields`. Malformed input becomes a Coupa 400, never an exception.
 */
import { badRequest } from './errors.js';
import { parseFields, type FieldSpec } from './fields.js';
import { OPERATORS, type Operator } from './query-match.js';
import { dashed } from './record-path.js';

export const MAX_LIMIT = 50;

export interface Filter {
  /** Hyphenated attribute path, e.g. `['supplier', 'id']`. */
  path: string[];
  op: Operator;
  value: string;
}

export interface ListQuery {
  filters: Filter[];
  limit: number;
  offset: number;
  orderBy: string[];
  dir: 'asc' | 'desc';
  fields?: FieldSpec;
}

/** Arguments that shape the answer rather than filter it. */
const RESERVED = new Set([
  'limit',
  'offset',
  'order_by',
  'dir',
  'fields',
  'return_object',
  'filter',
  'show_deleted_lines',
]);
const OPERATOR_SET: ReadonlySet<string> = new Set(OPERATORS);
const KEY_SHAPE = /^([^[\]]+)((?:\[[^[\]]+\])*)$/;

/** `supplier[name][in]` → `['supplier', 'name', 'in']`; undefined when the brackets are malformed. */
export function splitKey(key: string): string[] | undefined {
  const match = KEY_SHAPE.exec(key);
  if (!match) return undefined;
  const rest = [...(match[2] ?? '').matchAll(/\[([^[\]]+)\]/g)].map((m) => m[1] as string);
  return [match[1] as string, ...rest];
}

function parseFilter(key: string, value: string): Filter {
  const parts = splitKey(key);
  if (!parts) throw badRequest('filter', `Invalid filter parameter "${key.slice(0, 100)}"`);
  const last = parts[parts.length - 1] as string;
  const op = parts.length > 1 && OPERATOR_SET.has(last) ? (last as Operator) : 'eq';
  const path = (op === 'eq' ? parts : parts.slice(0, -1)).map(dashed);
  return { path, op, value };
}

function parseCount(raw: string | null, fallback: number): number {
  if (raw === null || raw.trim() === '') return fallback;
  const n = Number(raw);
  return Number.isInteger(n) ? n : fallback;
}

/** Parse a request's query string (the part after `?`). */
export function parseListQuery(params: URLSearchParams): ListQuery {
  const filters: Filter[] = [];
  for (const [key, value] of params) {
    if (!RESERVED.has(key)) filters.push(parseFilter(key, value));
  }
  const limit = Math.min(MAX_LIMIT, Math.max(1, parseCount(params.get('limit'), MAX_LIMIT)));
  const offset = Math.max(0, parseCount(params.get('offset'), 0));
  const orderRaw = params.get('order_by');
  const orderParts = orderRaw ? splitKey(orderRaw) : ['id'];
  if (!orderParts) throw badRequest('order_by', `Invalid order_by "${String(orderRaw).slice(0, 100)}"`);
  const dir = params.get('dir')?.toLowerCase() === 'desc' ? 'desc' : 'asc';
  const fieldsRaw = params.get('fields');
  const fields = fieldsRaw === null ? undefined : parseFields(fieldsRaw);
  return { filters, limit, offset, orderBy: orderParts.map(dashed), dir, fields };
}
