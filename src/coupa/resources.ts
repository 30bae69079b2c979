/**
 * Reading Coupa collections: where each resource lives, how a wire record becomes a validated
 * camelCase record, and offset pagination as an async iterator.
 */
import type { z } from 'zod';
import { CoupaRecordError } from './errors.js';
import type { Transport } from './http.js';
import { CoupaQuery, MAX_LIMIT } from './query.js';
import { salvageParse, seenText, type ReadProblem } from './read-problems.js';
import {
  Approval,
  Comment,
  Contract,
  Invoice,
  PurchaseOrder,
  ReceivingTransaction,
  Supplier,
  SupplierInformation,
  User,
  commentText,
  liftFlatRefs,
  liftOrderLineRefs,
} from './schemas.js';
import { fromWire } from './wire.js';

type AnyObjectSchema = z.ZodObject;

/** A Coupa collection and the schema its records parse with. */
export interface Resource<S extends AnyObjectSchema> {
  /** Name used in errors, e.g. `invoice`. */
  name: string;
  /** Collection path, e.g. `/api/invoices`. */
  path: string;
  schema: S;
  /** Reshapes benign variants the object schema cannot express (flat `supplier-id`, `comment` for `comments`). */
  prepare?: (camel: unknown) => unknown;
}

function resource<S extends AnyObjectSchema>(
  name: string,
  path: string,
  schema: S,
  prepare?: (camel: unknown) => unknown,
): Resource<S> {
  return { name, path, schema, prepare };
}

export const RESOURCES = {
  invoice: resource('invoice', '/api/invoices', Invoice, (camel) =>
    liftOrderLineRefs(liftFlatRefs(['supplier', 'currency', 'paymentTerm', 'requestedBy', 'remitToAddress'])(camel)),
  ),
  purchaseOrder: resource(
    'purchase order',
    '/api/purchase_orders',
    PurchaseOrder,
    liftFlatRefs(['supplier', 'currency', 'requester']),
  ),
  receipt: resource(
    'receiving transaction',
    '/api/receiving_transactions',
    ReceivingTransaction,
    liftFlatRefs(['orderLine']),
  ),
  supplier: resource('supplier', '/api/suppliers', Supplier, liftFlatRefs(['paymentTerm'])),
  supplierInformation: resource('supplier information', '/api/supplier_information', SupplierInformation),
  user: resource('user', '/api/users', User),
  contract: resource('contract', '/api/contracts', Contract, liftFlatRefs(['supplier', 'currency'])),
  comment: resource('comment', '/api/comments', Comment, commentText),
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

/** Where read problems go besides the record itself (metrics, logs). */
export type ReadProblemSink = (problem: ReadProblem) => void;

export interface ParseOptions {
  /** The record was read under a `fields` projection: any attribute may be absent. */
  projected?: boolean;
  /** The id the record was asked for by: used when the record's own id cannot be read. */
  requestedId?: number;
  onReadProblem?: ReadProblemSink;
}

/**
 * Camelize and validate one wire record, tolerantly. A field that cannot be read is set aside and
 * named in the record's `readProblems` (and reported to `onReadProblem`): the record is degraded
 * per field, never dropped. Only a record whose identity cannot be read is reported by resource
 * and id as a `CoupaRecordError`.
 */
export function parseRecord<S extends AnyObjectSchema>(
  res: Resource<S>,
  wire: unknown,
  options: ParseOptions | boolean = {},
): z.output<S> {
  const {
    projected = false,
    requestedId,
    onReadProblem,
  } = typeof options === 'boolean' ? { projected: options } : options;
  let camel = fromWire<unknown>(wire);
  if (camel !== null && typeof camel === 'object' && !Array.isArray(camel)) {
    // `readProblems` is Settle's own annotation: never taken from the wire.
    const { readProblems: _ignored, ...rest } = camel as Record<string, unknown>;
    camel = res.prepare ? res.prepare(rest) : rest;
  }
  const rawId = camel !== null && typeof camel === 'object' ? (camel as { id?: unknown }).id : undefined;
  const recordId = typeof rawId === 'number' || typeof rawId === 'string' ? rawId : requestedId;
  const schema = projected ? res.schema.partial() : res.schema;
  let result = salvageParse(schema, camel, { resource: res.name, recordId });
  if (!result.ok && requestedId !== undefined && camel !== null && typeof camel === 'object') {
    // The record's own id is unreadable but we know which record we asked for.
    const withId = { ...(camel as object), id: requestedId };
    const retry = salvageParse(schema, withId, { resource: res.name, recordId });
    if (retry.ok)
      result = { ...retry, problems: [...result.problems.filter((p) => p.field !== 'id'), ...retry.problems] };
  }
  for (const problem of result.problems) onReadProblem?.(problem);
  if (!result.ok) throw new CoupaRecordError(res.name, recordId, result.issues);
  const data = (projected ? keepSentKeys(result.data, camel) : result.data) as z.output<S> & {
    readProblems?: ReadProblem[];
  };
  if (result.problems.length > 0) data.readProblems = result.problems;
  return data;
}

/**
 * Drop what schema defaults added to a projection: a `failedTolerances: []` that Coupa never sent
 * (because `fields` did not ask for it) would read as "no failed tolerances".
 */
function keepSentKeys(parsed: unknown, sent: unknown): unknown {
  if (Array.isArray(parsed) && Array.isArray(sent)) return parsed.map((v, i) => keepSentKeys(v, sent[i]));
  // A collection sent as one object (or an id as a bare value): keep what was parsed.
  if (Array.isArray(parsed) || Array.isArray(sent)) return parsed;
  if (parsed === null || typeof parsed !== 'object' || sent === null || typeof sent !== 'object') return parsed;
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(parsed)) {
    if (key in sent || key === 'readProblems') out[key] = keepSentKeys(value, (sent as Record<string, unknown>)[key]);
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
  onReadProblem?: ReadProblemSink,
): AsyncGenerator<Row<z.output<S>, P>> {
  const limit = q.pageSize ?? MAX_LIMIT;
  for (let offset = q.startOffset; ; offset += limit) {
    const page = await fetchPage(transport, path, q.limit(limit).offset(offset));
    for (const wire of page) {
      const record = readListed(res, wire, q.isProjected, onReadProblem);
      if (record !== undefined) yield record as Row<z.output<S>, P>;
    }
    if (page.length < limit) return;
  }
}

/**
 * One record of a page. A record whose identity cannot be read is left out of the list and
 * reported (with `lost: "element"`), so one broken record never loses its neighbours.
 */
function readListed<S extends AnyObjectSchema>(
  res: Resource<S>,
  wire: unknown,
  projected: boolean,
  onReadProblem?: ReadProblemSink,
): z.output<S> | undefined {
  try {
    return parseRecord(res, wire, { projected, onReadProblem });
  } catch (error) {
    if (!(error instanceof CoupaRecordError)) throw error;
    onReadProblem?.({
      resource: res.name,
      recordId: error.recordId,
      field: '(record)',
      seen: seenText(wire),
      problem: error.issues.slice(0, 3).join('; '),
      lost: 'element',
    });
    return undefined;
  }
}

/** Drain an async iterable into an array (for small, bounded collections). */
export async function collect<T>(items: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const item of items) out.push(item);
  return out;
}
