/**
 * Reading Coupa collections: where each resource lives, how a wire record becomes a validated
 * camelCase record, and offset pagination as an async iterator.
 */
import type { z } from 'zod';
import { CoupaRecordError } from './errors.js';
import type { Transport } from './http.js';
import { CoupaQuery, MAX_LIMIT } from './query.js';
import {
  Approval, Comment, Contract, Invoice, PurchaseOrder, ReceivingTransaction, Supplier, SupplierInformation, User,
} from './schemas.js';
import { fromWire } from './wire.js';
import { issueLines } from '../issues.js';

type AnyObjectSchema = z.ZodObject;

/** A Coupa collection and the schema its records parse with. */
export interface Resource<S extends AnyObjectSchema> {
  /** Name used in errors, e.g. `invoice`. */
  name: string;
  /** Collection path, e.g. `/api/invoices`. */
  path: string;
  schema: S;
}

function resource<S extends AnyObjectSchema>(name: string, path: string, schema: S): Resource<S> {
  return { name, path, schema };
}

export const RESOURCES = {
  invoice: resource('invoice', '/api/invoices', Invoice),
  purchaseOrder: resource('purchase order', '/api/purchase_orders', PurchaseOrder),
  receipt: resource('receiving transaction', '/api/receiving_transactions', ReceivingTransaction),
  supplier: resource('supplier', '/api/suppliers', Supplier),
  supplierInformation: resource('supplier information', '/api/supplier_information', SupplierInformation),
  user: resource('user', '/api/users', User),
  contract: resource('contract', '/api/contracts', Contract),
  comment: resource('comment', '/api/comments', Comment),
  approval: resource('approval', '/api/approvals', Approval),
} as const;

/** A record as returned under a `fields` projection: any attribute, at any depth, may be absent. */
export type Projection<T> = T extends readonly (infer U)[]
  ? Array<Projection<U>>
  : T extends object
    ? { [K in keyof T]?: Projection<T[K]> }
    : T;

/** The record type a query yields: whole records, or projections once `fields` is set. */
export type Row<T, Projected extends boolean> = Projected extends true ? Projection<T> : T;

/**
 * Camelize and validate one wire record. A record that does not fit the schema is reported by
 * resource and id rather than dropped silently: Settle must not decide on half-read data.
 */
export function parseRecord<S extends AnyObjectSchema>(
  res: Resource<S>,
  wire: unknown,
  projected = false,
): z.output<S> {
  const camel = fromWire<Record<string, unknown>>(wire);
  const schema = projected ? res.schema.partial() : res.schema;
  const parsed = schema.safeParse(camel);
  if (parsed.success) return (projected ? keepSentKeys(parsed.data, camel) : parsed.data) as z.output<S>;
  const id = camel !== null && typeof camel === 'object' ? (camel.id as number | string | undefined) : undefined;
  const issues = issueLines(parsed.error, '(record)');
  throw new CoupaRecordError(res.name, id, issues);
}

/**
 * Drop what schema defaults added to a projection: a `failedTolerances: []` that Coupa never sent
 * (because `fields` did not ask for it) would read as "no failed tolerances".
 */
function keepSentKeys(parsed: unknown, sent: unknown): unknown {
  if (Array.isArray(parsed) && Array.isArray(sent)) return parsed.map((v, i) => keepSentKeys(v, sent[i]));
  if (parsed === null || typeof parsed !== 'object' || sent === null || typeof sent !== 'object') return parsed;
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(parsed)) {
    if (key in sent) out[key] = keepSentKeys(value, (sent as Record<string, unknown>)[key]);
  }
  return out;
}

/** GET one page of a collection; Coupa answers a bare JSON array. */
export async function fetchPage(transport: Transport, path: string, q: CoupaQuery<boolean>): Promise<unknown[]> {
  const body = await transport.request({ method: 'GET', path, query: q.toParams() });
  if (!Array.isArray(body)) throw new CoupaRecordError(path, undefined, ['expected a JSON array']);
  return body;
}

/**
 * Every record matching `q`, page by page (`limit` ≤ 50, zero-based `offset`). Coupa sends no
 * total count, so a page shorter than the limit is the last one.
 */
export async function* paginate<S extends AnyObjectSchema, P extends boolean>(
  transport: Transport,
  res: Resource<S>,
  q: CoupaQuery<P>,
  path: string = res.path,
): AsyncGenerator<Row<z.output<S>, P>> {
  const limit = q.pageSize ?? MAX_LIMIT;
  for (let offset = q.startOffset; ; offset += limit) {
    const page = await fetchPage(transport, path, q.limit(limit).offset(offset));
    for (const wire of page) yield parseRecord(res, wire, q.isProjected) as Row<z.output<S>, P>;
    if (page.length < limit) return;
  }
}

/** Drain an async iterable into an array (for small, bounded collections). */
export async function collect<T>(items: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const item of items) out.push(item);
  return out;
}
