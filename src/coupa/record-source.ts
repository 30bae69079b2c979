/**
 * Cached Coupa reads for the tools. Coupa allows 25 requests/s per tenant, so calls per exception
 * bound throughput: supplier, supplier-information, contract and user records change rarely and are
 * cached for minutes; invoice-scoped records (invoice, PO, receipts, history) for seconds, and a
 * write drops the invoice's entries so the guard always re-derives controls from fresh state.
 */
import { LRUCache } from 'lru-cache';
import { CoupaNotFoundError, query, type CoupaClient } from './index.js';
import type { Comment, Contract, Invoice, PurchaseOrder, ReceivingTransaction, Supplier, SupplierInformation, User } from './schemas.js';

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
  supplier(id: number): Promise<Supplier | null>;
  supplierInformation(supplierId: number): Promise<SupplierInformation | null>;
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
}

async function orNull<T>(promise: Promise<T>): Promise<T | null> {
  try {
    return await promise;
  } catch (error) {
    if (error instanceof CoupaNotFoundError) return null;
    throw error;
  }
}

async function collect<T>(items: AsyncIterable<T>, max = 500): Promise<T[]> {
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

  return {
    coupa,
    invoice(id, opts = {}) {
      if (opts.fresh) txn.delete(`invoice:${id}`);
      return cached(txn, `invoice:${id}`, () => orNull(coupa.getInvoice(id)));
    },
    purchaseOrder: (id) => cached(txn, `po:${id}`, () => orNull(coupa.getPurchaseOrder(id))),
    purchaseOrderByNumber: (poNumber) =>
      cached(txn, `po-number:${poNumber}`, async () => {
        const found = await collect(coupa.listPurchaseOrders(query().where('po-number', 'eq', poNumber).limit(1)), 1);
        return found[0] ?? null;
      }),
    purchaseOrdersForOrderLines(ids) {
      const sorted = [...new Set(ids)].sort((a, b) => a - b);
      if (sorted.length === 0) return Promise.resolve([]);
      return cached(txn, `po-lines:${sorted.join(',')}`, () => collect(coupa.listPurchaseOrders(query().where('order-lines[id]', 'in', sorted))));
    },
    receiptsForOrderLines(ids) {
      const sorted = [...new Set(ids)].sort((a, b) => a - b);
      if (sorted.length === 0) return Promise.resolve([]);
      return cached(txn, `receipts:${sorted.join(',')}`, () => collect(coupa.listReceipts({ orderLineIds: sorted })));
    },
    supplier: (id) => cached(master, `supplier:${id}`, () => orNull(coupa.getSupplier(id))),
    supplierInformation: (id) => cached(master, `sim:${id}`, () => orNull(coupa.getSupplierInformation(id))),
    contractsForSupplier: (id) =>
      cached(master, `contracts:${id}`, () => collect(coupa.listContracts(query().where('supplier[id]', 'eq', id)))),
    userByLogin: (login) => cached(master, `user:${login}`, () => coupa.findUserByLogin(login)),
    userById: (id) => cached(master, `user-id:${id}`, () => orNull(coupa.getUser(id))),
    async supplierInvoices(supplierId, since) {
      // Keyed by the month the window opens in, so exceptions of one supplier in a batch share a read.
      const from = `${since.slice(0, 7)}-01`;
      const invoices = await cached(history, `${supplierId}:${from}`, () =>
        collect(coupa.listInvoices(query().where('supplier[id]', 'eq', supplierId).where('invoice-date', 'gt_or_eq', from))),
      );
      return invoices.filter((i) => !i.invoiceDate || i.invoiceDate.slice(0, 10) >= since);
    },
    invoicesWithTotal: (total, since) =>
      cached(txn, `total:${total}:${since}`, () =>
        collect(coupa.listInvoices(query().where('gross-total', 'eq', total).where('invoice-date', 'gt_or_eq', since)), 200),
      ),
    comments: (invoiceId) => cached(txn, `comments:${invoiceId}`, () => coupa.listComments(invoiceId)),
    afterWrite(id, updated) {
      txn.delete(`comments:${id}`);
      // The written invoice is part of its supplier's history: patch it in, or forget the history.
      const supplierId = updated?.supplier?.id;
      for (const [key, entry] of [...history.entries()]) {
        if (supplierId !== undefined && !key.startsWith(`${supplierId}:`)) continue;
        if (!updated) {
          history.delete(key);
          continue;
        }
        const patched = (entry.value as Promise<Invoice[]>).then((list) => list.map((i) => (i.id === id ? updated : i)));
        history.set(key, { value: patched }, { ttl: history.getRemainingTTL(key) });
      }
      if (updated && updated.id === id) txn.set(`invoice:${id}`, { value: Promise.resolve(updated) });
      else txn.delete(`invoice:${id}`);
    },
  };
}
