/**
 * A typed builder for Coupa's query string: filters with operators (`status[in]=a,b`),
 * association filters (`supplier[id]=7`), `fields`, `order_by`/`dir`, `limit` and `offset`.
 * Queries are immutable, so a paginator can derive page after page from one base query.
 *
 *   query().where('status', 'in', ['ap_hold', 'pending_receipt']).where('updated-at', 'gt', since)
 *          .fields(['id', 'status', { 'invoice-lines': ['id'] }]).orderBy('id', 'asc')
 */
import { kebabKey } from './wire.js';

/** Coupa's documented maximum page size. */
export const MAX_LIMIT = 50;

export type ScalarOperator =
  'eq' | 'gt' | 'lt' | 'gt_or_eq' | 'lt_or_eq' | 'not_eq' | 'contains' | 'starts_with' | 'ends_with';
export type ListOperator = 'in' | 'not_in';
export type Operator = ScalarOperator | ListOperator | 'blank';

/** A filter value; dates are sent as ISO-8601. */
export type FilterValue = string | number | boolean | Date;

/**
 * An attribute: a wire name (`updated-at`), a camelCase name (`updatedAt`), an association path
 * written Coupa's way (`supplier[id]`) or as segments (`['order-line', 'id']`).
 */
export type Attribute = string | readonly string[];

/** `fields` entries: an attribute name, or an association with its own field list. */
export type FieldSpec = string | { readonly [association: string]: readonly FieldSpec[] };

export type SortDirection = 'asc' | 'desc';

interface Filter {
  key: string;
  value: string;
}

interface QueryState {
  filters: readonly Filter[];
  fields?: readonly FieldSpec[];
  orderBy?: { field: string; dir: SortDirection };
  limit?: number;
  offset?: number;
}

function wireName(name: string): string {
  return kebabKey(name.trim());
}

/** `supplier[id]` / `['supplier','id']` / `supplierId`-free names → `supplier[id]` with each segment kebab-cased. */
function attributeKey(attribute: Attribute): string {
  const segments = typeof attribute === 'string' ? attribute.split(/[[\]]+/).filter(Boolean) : [...attribute];
  if (segments.length === 0 || segments.some((s) => s.trim() === '')) {
    throw new TypeError(`invalid Coupa attribute: ${JSON.stringify(attribute)}`);
  }
  const [head, ...rest] = segments.map(wireName);
  return head + rest.map((s) => `[${s}]`).join('');
}

function encodeValue(value: FilterValue): string {
  if (value instanceof Date) {
    if (Number.isNaN(value.getTime())) throw new RangeError('invalid Date in Coupa filter');
    return value.toISOString();
  }
  return String(value);
}

/** `fields` names as Compass writes them: underscored (`invoice_number`, `invoice_lines`). */
function fieldName(name: string): string {
  return wireName(name).replace(/-/g, '_');
}

function encodeFields(spec: readonly FieldSpec[]): unknown[] {
  return spec.map((f) =>
    typeof f === 'string'
      ? fieldName(f)
      : Object.fromEntries(Object.entries(f).map(([k, v]) => [fieldName(k), encodeFields(v)])),
  );
}

/**
 * An immutable Coupa query. `Projected` becomes `true` once `fields` is set: reads then yield
 * partial records, and the type says so.
 */
export class CoupaQuery<Projected extends boolean = false> {
  private constructor(private readonly state: QueryState) {}

  /** An empty query (every record, default order). */
  static empty(): CoupaQuery<false> {
    return new CoupaQuery<false>({ filters: [] });
  }

  /** Equality filter: `where('status', 'ap_hold')`. */
  where(attribute: Attribute, value: FilterValue): CoupaQuery<Projected>;
  /** Comparison / text filter: `where('updated-at', 'gt', since)`. */
  where(attribute: Attribute, operator: ScalarOperator, value: FilterValue): CoupaQuery<Projected>;
  /** List filter: `where('status', 'in', ['ap_hold', 'disputed'])`. */
  where(attribute: Attribute, operator: ListOperator, values: readonly FilterValue[]): CoupaQuery<Projected>;
  /** Blank filter: `where('po-email', 'blank', true)`. */
  where(attribute: Attribute, operator: 'blank', value: boolean): CoupaQuery<Projected>;
  where(
    attribute: Attribute,
    opOrValue: Operator | FilterValue,
    maybeValue?: FilterValue | readonly FilterValue[],
  ): CoupaQuery<Projected> {
    const key = attributeKey(attribute);
    if (maybeValue === undefined)
      return this.with({ filters: [...this.state.filters, { key, value: encodeValue(opOrValue as FilterValue) }] });
    const op = opOrValue as Operator;
    let value: string;
    if (op === 'in' || op === 'not_in') {
      if (!Array.isArray(maybeValue) || maybeValue.length === 0) throw new RangeError(`[${op}] needs a non-empty list`);
      const parts = (maybeValue as readonly FilterValue[]).map(encodeValue);
      // Coupa splits list values on commas and offers no escape, so such a value cannot be expressed.
      if (parts.some((p) => p.includes(','))) throw new RangeError(`[${op}] values cannot contain commas`);
      value = parts.join(',');
    } else {
      if (Array.isArray(maybeValue)) throw new TypeError(`[${op}] takes a single value`);
      value = encodeValue(maybeValue as FilterValue);
    }
    const filterKey = op === 'eq' ? key : `${key}[${op}]`;
    return this.with({ filters: [...this.state.filters, { key: filterKey, value }] });
  }

  /** Restrict the returned attributes (Coupa `fields`, a JSON array; nested via objects). */
  fields(spec: readonly FieldSpec[]): CoupaQuery<true> {
    if (spec.length === 0) throw new RangeError('fields needs at least one entry');
    return new CoupaQuery<true>({ ...this.state, fields: spec });
  }

  orderBy(field: string, dir: SortDirection = 'asc'): CoupaQuery<Projected> {
    return this.with({ orderBy: { field: wireName(field), dir } });
  }

  /** Page size, 1–50 (Coupa caps pages at 50). */
  limit(n: number): CoupaQuery<Projected> {
    if (!Number.isInteger(n) || n < 1 || n > MAX_LIMIT)
      throw new RangeError(`limit must be an integer 1–${MAX_LIMIT}, got ${n}`);
    return this.with({ limit: n });
  }

  /** Zero-based record offset. */
  offset(n: number): CoupaQuery<Projected> {
    if (!Number.isInteger(n) || n < 0) throw new RangeError(`offset must be a non-negative integer, got ${n}`);
    return this.with({ offset: n });
  }

  get pageSize(): number | undefined {
    return this.state.limit;
  }

  get startOffset(): number {
    return this.state.offset ?? 0;
  }

  get isProjected(): boolean {
    return this.state.fields !== undefined;
  }

  /** The query string parameters, in a stable order (filters as added, then shaping). */
  toParams(): URLSearchParams {
    const params = new URLSearchParams();
    for (const f of this.state.filters) params.append(f.key, f.value);
    if (this.state.fields) params.set('fields', JSON.stringify(encodeFields(this.state.fields)));
    if (this.state.orderBy) {
      params.set('order_by', this.state.orderBy.field);
      params.set('dir', this.state.orderBy.dir);
    }
    if (this.state.limit !== undefined) params.set('limit', String(this.state.limit));
    if (this.state.offset !== undefined) params.set('offset', String(this.state.offset));
    return params;
  }

  /** The encoded query string without `?` (empty when there is nothing to send). */
  toString(): string {
    return this.toParams().toString();
  }

  private with(patch: Partial<QueryState>): CoupaQuery<Projected> {
    return new CoupaQuery<Projected>({ ...this.state, ...patch });
  }
}

/** Start a Coupa query. */
export function query(): CoupaQuery<false> {
  return CoupaQuery.empty();
}
