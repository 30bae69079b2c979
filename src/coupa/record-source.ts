/**
 * Cached Coupa reads for the tools. Coupa allows 25 requests/s per tenant, so calls per exception
 * bound throughput: supplier, supplier-information, contract and user records change rarely and are
 * cached for minutes; invoice-scoped records (invoice, PO, receipts, history) for seconds, and a
 * write drops the invoice's entries so the guard always re-derives controls from fresh state.
 */
import { LRUCache } from 'lru-cache';
import { CoupaNotFoundError, query, type CoupaClient } from './index.js';
import type {
  Comment,
  Contract,
  Invoice,
  PurchaseOrder,
  ReceivingTransaction,
  Supplier,
  SupplierInformation,
  User,
} from './schemas.js';

export interface RecordSourceOptions {
  /** TTL for master data (suppliers, users, contracts). Default 10 minutes. */
  masterTtlMs?: number;
  /** TTL for transactional reads (invoices, POs, receipts, history). Default 30 seconds. */
  transactionTtlMs?: number;
}

export interface RecordSource {
  readonly coupa: CoupaClient;
  /** The invoice, or null when Coupa has no such invoice. `fresh` bypasses the cache. */
  invoice(id: number, options?: { fresh?: boolean }): Promise<Invoice | null>;
  purchaseOrder(id: number): Promise<PurchaseOrder | null>;
  purchaseOrderByNumber(poNumber: string): Promise<PurchaseOrder | null>;
  /** The POs that own these order lines (one query, association filter). */
  purchaseOrdersForOrderLines(orderLineIds: readonly number[]): Promise<PurchaseOrder[]>;
  receiptsForOrderLines(orderLineIds: readonly number[]): Promise<ReceivingTransaction[]>;
  /** `fresh` re-reads from Coupa (a decision about to rest on the record). */
  supplier(id: number, options?: { fresh?: boolean }): Promise<Supplier | null>;
  /** The supplier's bank details; `fresh` re-reads them (never decide a hold, a fraud signal or a release on a cached bank detail). */
  supplierInformation(supplierId: number, options?: { fresh?: boolean }): Promise<SupplierInformation | null>;
  contractsForSupplier(supplierId: number): Promise<Contract[]>;
  userByLogin(login: string): Promise<User | null>;
  /** A user by id (a comment's author may come as `{id}` only), or null. */
  userById(id: number): Promise<User | null>;
  /** Invoices of one supplier dated on or after `sinceDate` (YYYY-MM-DD); dropped from cache by a write to any of them. */
  supplierInvoices(supplierId: number, sinceDate: string): Promise<Invoice[]>;
  /** Invoices of any supplier with exactly this gross total dated on or after `sinceDate`. */
  invoicesWithTotal(total: string, sinceDate: string): Promise<Invoice[]>;
  comments(invoiceId: number): Promise<Comment[]>;
  /** After a write: keep the invoice Coupa returned (or forget it) and forget its comments. */
  afterWrite(id: number, updated?: Invoice): void;
  /**
   * Seed a cache with records read in bulk (a run's batched reads), under the key the single read
   * uses (`recordKeys`). An entry already cached is kept: it is at least as fresh as the batch.
   */
  prime(cache: CacheName, key: string, value: unknown): void;
  /** Forget cached entries (master data Coupa reports changed). */
  forget(cache: CacheName, keys: readonly string[]): void;
}

/** The three caches: master data (minutes), transactional reads and supplier history (seconds). */
export type CacheName = 'master' | 'txn' | 'history';

/** The cache key of each read, shared with the batched reads that prime them. */
export const recordKeys = {
  invoice: (id: number) => `invoice:${id}`,
  poNumber: (poNumber: string) => `po-number:${poNumber}`,
  poLines: (sortedIds: readonly number[]) => `po-lines:${sortedIds.join(',')}`,
  receipts: (sortedIds: readonly number[]) => `receipts:${sortedIds.join(',')}`,
  supplier: (id: number) => `supplier:${id}`,
  supplierInformation: (supplierId: number) => `sim:${supplierId}`,
  contracts: (supplierId: number) => `contracts:${supplierId}`,
  userByLogin: (login: string) => `user:${login}`,
  userById: (id: number) => `user-id:${id}`,
  /** Supplier history keyed by the month the window opens in. */
  history: (supplierId: number, fromMonthStart: string) => `${supplierId}:${fromMonthStart}`,
  total: (total: string, since: string) => `total:${total}:${since}`,
  comments: (invoiceId: number) => `comments:${invoiceId}`,
};

/** The first day of the month `since` (YYYY-MM-DD) falls in: supplier history is read from there. */
export function historyFrom(since: string): string {
  return `${since.slice(0, 7)}-01`;
}

/** Caps of the single reads, which the batched reads respect when priming. */
export const READ_CAPS = { list: 500, sameTotal: 200 } as const;

async function orNull<T>(promise: Promise<T>): Promise<T | null> {
  try {
    return await promise;
  } catch (error) {
    if (error instanceof CoupaNotFoundError) return null;
    throw error;
  }
}

async function collect<T>(items: AsyncIterable<T>, max: number = READ_CAPS.list): Promise<T[]> {
  const out: T[] = [];
  for await (const item of items) {
    out.push(item);
    if (out.length >= max) break;
  }
  return out;
}

export function createRecordSource(coupa: CoupaClient, options: RecordSourceOptions = {}): RecordSource {
  const master = new LRUCache<string, { value: unknown }>({ max: 5_000, ttl: options.masterTtlMs ?? 600_000 });
  const txn = new LRUCache<string, { value: unknown }>({ max: 5_000, ttl: options.transactionTtlMs ?? 30_000 });

  // Supplier history, keyed `supplierId:YYYY-MM-01`, kept apart so a write can find its supplier's entries.
  const history = new LRUCache<string, { value: unknown }>({ max: 1_000, ttl: options.transactionTtlMs ?? 30_000 });

  /** Single-flight cached read: concurrent callers share one request. */
  function cached<T>(cache: LRUCache<string, { value: unknown }>, key: string, load: () => Promise<T>): Promise<T> {
    const hit = cache.get(key);
    if (hit) return hit.value as Promise<T>;
    const value = load();
    cache.set(key, { value });
    value.catch(() => cache.delete(key));
    return value;
  }

  const caches = { master, txn, history };
  const k = recordKeys;

  return {
    coupa,
    invoice(id, opts = {}) {
      if (opts.fresh) txn.delete(k.invoice(id));
      return cached(txn, k.invoice(id), () => orNull(coupa.getInvoice(id)));
    },
    purchaseOrder: (id) => cached(txn, `po:${id}`, () => orNull(coupa.getPurchaseOrder(id))),
    purchaseOrderByNumber: (poNumber) =>
      cached(txn, k.poNumber(poNumber), async () => {
        const found = await collect(coupa.listPurchaseOrders(query().where('po-number', 'eq', poNumber).limit(1)), 1);
        return found[0] ?? null;
      }),
    purchaseOrdersForOrderLines(ids) {
      const sorted = [...new Set(ids)].sort((a, b) => a - b);
      if (sorted.length === 0) return Promise.resolve([]);
      return cached(txn, k.poLines(sorted), () =>
        collect(coupa.listPurchaseOrders(query().where('order-lines[id]', 'in', sorted))),
      );
    },
    receiptsForOrderLines(ids) {
      const sorted = [...new Set(ids)].sort((a, b) => a - b);
      if (sorted.length === 0) return Promise.resolve([]);
      return cached(txn, k.receipts(sorted), () => collect(coupa.listReceipts({ orderLineIds: sorted })));
    },
    supplier(id, opts = {}) {
      if (opts.fresh) master.delete(k.supplier(id));
      return cached(master, k.supplier(id), () => orNull(coupa.getSupplier(id)));
    },
    supplierInformation(id, opts = {}) {
      if (opts.fresh) master.delete(k.supplierInformation(id));
      return cached(master, k.supplierInformation(id), () => orNull(coupa.getSupplierInformation(id)));
    },
    contractsForSupplier: (id) =>
      cached(master, k.contracts(id), () => collect(coupa.listContracts(query().where('supplier[id]', 'eq', id)))),
    userByLogin: (login) => cached(master, k.userByLogin(login), () => coupa.findUserByLogin(login)),
    userById: (id) => cached(master, k.userById(id), () => orNull(coupa.getUser(id))),
    async supplierInvoices(supplierId, since) {
      // Keyed by the month the window opens in, so exceptions of one supplier in a batch share a read.
      const from = historyFrom(since);
      const invoices = await cached(history, k.history(supplierId, from), () =>
        collect(
          coupa.listInvoices(query().where('supplier[id]', 'eq', supplierId).where('invoice-date', 'gt_or_eq', from)),
        ),
      );
      return invoices.filter((i) => !i.invoiceDate || i.invoiceDate.slice(0, 10) >= since);
    },
    invoicesWithTotal: (total, since) =>
      cached(txn, k.total(total, since), () =>
        collect(
          coupa.listInvoices(query().where('gross-total', 'eq', total).where('invoice-date', 'gt_or_eq', since)),
          READ_CAPS.sameTotal,
        ),
      ),
    comments: (invoiceId) => cached(txn, k.comments(invoiceId), () => coupa.listComments(invoiceId)),
    prime(name, key, value) {
      const cache = caches[name];
      if (!cache.has(key)) cache.set(key, { value: Promise.resolve(value) });
    },
    forget(name, keys) {
      for (const key of keys) caches[name].delete(key);
    },
    afterWrite(id, updated) {
      txn.delete(k.comments(id));
      // The written invoice is part of its supplier's history: patch it in, or forget the history.
      const supplierId = updated?.supplier?.id;
      for (const [key, entry] of [...history.entries()]) {
        if (supplierId !== undefined && !key.startsWith(`${supplierId}:`)) continue;
        if (!updated) {
          history.delete(key);
          continue;
        }
        const patched = (entry.value as Promise<Invoice[]>).then((list) =>
          list.map((i) => (i.id === id ? updated : i)),
        );
        history.set(key, { value: patched }, { ttl: history.getRemainingTTL(key) });
      }
      if (updated && updated.id === id) txn.set(k.invoice(id), { value: Promise.resolve(updated) });
      else txn.delete(k.invoice(id));
    },
  };
}
