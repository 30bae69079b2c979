/**
 * Reading the GR/IR book from Coupa incrementally: for each resource, every record whose
 * `updated-at` is after the newest one read last time (`updated-at[gt]`), page by page through the
 * record source's client (so the calls count against the tenant's rate limit and show in its call
 * stats), turned into facts and upserted in Postgres. The first run reads everything.
 */
import { query, type CoupaClient } from '../coupa/index.js';
import type { Contract, Invoice, PurchaseOrder, ReceivingTransaction } from '../coupa/schemas.js';
import type { RecordSource } from '../coupa/record-source.js';
import { contractPriceFacts, invoiceLineFacts, poLineFacts, receiptFact } from './facts.js';
import type { GrirResource, GrirStore } from './store.js';

/** Records per flush to Postgres: bounds memory whatever the size of the change. */
const FLUSH_EVERY = 2000;

export type SyncProgress = (event: { resource: GrirResource; read: number }) => void;

interface Reader<T> {
  resource: GrirResource;
  list(coupa: CoupaClient, since: string | null): AsyncIterable<T>;
  updatedAt(record: T): string | null | undefined;
  flush(store: GrirStore, source: string, batch: T[]): Promise<void>;
}

function since<Q extends ReturnType<typeof query>>(q: Q, cursor: string | null): Q {
  return (cursor ? q.where('updated-at', 'gt', cursor).orderBy('id') : q.orderBy('id')) as Q;
}

const READERS = [
  {
    resource: 'purchase_orders',
    list: (coupa, cursor) => coupa.listPurchaseOrders(since(query(), cursor)),
    updatedAt: (po) => po.updatedAt,
    flush: (store, source, batch) =>
      store.putPurchaseOrderLines(
        source,
        batch.map((po) => po.id),
        batch.flatMap(poLineFacts),
      ),
  } satisfies Reader<PurchaseOrder>,
  {
    resource: 'receiving_transactions',
    list: (coupa, cursor) => coupa.listReceivingTransactions(since(query(), cursor)),
    updatedAt: (r) => (r as unknown as { updatedAt?: string }).updatedAt ?? r.createdAt,
    flush: (store, source, batch) => store.putReceipts(source, batch.map(receiptFact)),
  } satisfies Reader<ReceivingTransaction>,
  {
    resource: 'invoices',
    list: (coupa, cursor) => coupa.listInvoices(since(query(), cursor)),
    updatedAt: (i) => i.updatedAt,
    flush: (store, source, batch) =>
      store.putInvoiceLines(
        source,
        batch.map((i) => i.id),
        batch.flatMap(invoiceLineFacts),
      ),
  } satisfies Reader<Invoice>,
  {
    resource: 'contracts',
    list: (coupa, cursor) => coupa.listContracts(since(query(), cursor)),
    updatedAt: (c) => (c as unknown as { updatedAt?: string }).updatedAt,
    flush: (store, source, batch) =>
      store.putContractPrices(
        source,
        batch.map((c) => ({ contractId: c.id, supplierId: c.supplier?.id ?? null, facts: contractPriceFacts(c) })),
      ),
  } satisfies Reader<Contract>,
] as const;

/** Newest of two ISO times (compared as instants: Coupa mixes offsets). */
function newest(a: string | null, b: string | null | undefined): string | null {
  if (!b) return a;
  if (!a) return b;
  return Date.parse(b) > Date.parse(a) ? b : a;
}

async function syncOne<T>(
  reader: Reader<T>,
  source: RecordSource,
  store: GrirStore,
  key: string,
  now: Date,
  onProgress?: SyncProgress,
): Promise<number> {
  const cursor = await store.cursor(key, reader.resource);
  let latest = cursor;
  let read = 0;
  let batch: T[] = [];
  onProgress?.({ resource: reader.resource, read });
  for await (const record of reader.list(source.coupa, cursor)) {
    batch.push(record);
    latest = newest(latest, reader.updatedAt(record));
    if (batch.length >= FLUSH_EVERY) {
      await reader.flush(store, key, batch);
      read += batch.length;
      batch = [];
      onProgress?.({ resource: reader.resource, read });
    }
  }
  if (batch.length) await reader.flush(store, key, batch);
  read += batch.length;
  onProgress?.({ resource: reader.resource, read });
  // The cursor moves only after everything up to it is stored: a failed run re-reads, never skips.
  // It never passes the tenant's clock: a record stamped in the future would otherwise hide every
  // change made before that time (such a record is read again until the clock passes it).
  const capped = latest !== null && Date.parse(latest) > now.getTime() ? now.toISOString() : latest;
  await store.setCursor(key, reader.resource, capped, now);
  return read;
}

/** Bring the stored book up to date with Coupa (`now`: the tenant's clock); returns the records read per resource. */
export async function syncBook(
  source: RecordSource,
  store: GrirStore,
  key: string,
  now: Date,
  onProgress?: SyncProgress,
): Promise<Record<GrirResource, number>> {
  const out = {} as Record<GrirResource, number>;
  for (const reader of READERS)
    out[reader.resource] = await syncOne(reader as Reader<unknown>, source, store, key, now, onProgress);
  return out;
}
