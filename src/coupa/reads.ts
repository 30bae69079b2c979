/**
 * The read half of the client: one record by id, collections as async iterators, and the few
 * lookups Settle needs (receipts of a PO, a supplier's bank details, a user by login).
 */
import type { z } from 'zod';
import type { Transport } from './http.js';
import { query, type CoupaQuery, type FieldSpec } from './query.js';
import {
  RESOURCES,
  collect,
  paginate,
  parseRecord,
  type Projection,
  type ReadProblemSink,
  type Resource,
  type Row,
} from './resources.js';
import type {
  Approval,
  Comment,
  Contract,
  Invoice,
  PurchaseOrder,
  ReceivingTransaction,
  Supplier,
  SupplierInformation,
  User,
} from './schemas.js';

/** Options for single-record reads. */
export interface ReadOptions {
  /** Coupa `fields`: only these attributes come back (and the result is a projection). */
  fields: readonly FieldSpec[];
}

/** Read one record by id; with `fields`, a projection. */
export interface GetById<T> {
  (id: number): Promise<T>;
  (id: number, options: ReadOptions): Promise<Projection<T>>;
}

/** Iterate a collection; a query with `fields` yields projections. */
export type ListWith<T> = <P extends boolean = false>(q?: CoupaQuery<P>) => AsyncIterable<Row<T, P>>;

/** Receipts are looked up by the PO lines they receive against, or by the whole PO. */
export type ReceiptFilter = { orderLineIds: readonly number[] } | { purchaseOrderId: number };

export interface CoupaReads {
  getInvoice: GetById<Invoice>;
  listInvoices: ListWith<Invoice>;
  getPurchaseOrder: GetById<PurchaseOrder>;
  listPurchaseOrders: ListWith<PurchaseOrder>;
  /** Receiving transactions for some order lines or a whole PO (order-line association filters). */
  listReceipts(filter: ReceiptFilter): AsyncIterable<ReceivingTransaction>;
  /** Iterate receiving transactions with any query (`updated-at[gt]` for incremental reads). */
  listReceivingTransactions: ListWith<ReceivingTransaction>;
  getSupplier: GetById<Supplier>;
  /** Iterate suppliers (filter by `name[contains]`, `tax-id`, … to find a master record). */
  listSuppliers: ListWith<Supplier>;
  /** The supplier's Supplier Information record (bank details), or null when it has none. */
  getSupplierInformation(supplierId: number): Promise<SupplierInformation | null>;
  /** Iterate Supplier Information records (`supplier[id][in]` reads many suppliers' bank details at once). */
  listSupplierInformation: ListWith<SupplierInformation>;
  getUser: GetById<User>;
  /** The user with exactly this login, or null. */
  findUserByLogin(login: string): Promise<User | null>;
  listUsers: ListWith<User>;
  getContract: GetById<Contract>;
  listContracts: ListWith<Contract>;
  /** Every comment on an invoice, oldest first. */
  listComments(invoiceId: number): Promise<Comment[]>;
  /**
   * The comments on several records of one type at once (`GET /api/comments` with
   * `commentable-type` and `commentable-id[in]`), oldest first.
   */
  listCommentsOn(commentableType: string, ids: readonly number[]): AsyncIterable<Comment>;
  /** Every approval on an invoice's chain, in chain order. */
  listApprovals(invoiceId: number): Promise<Approval[]>;
}

/** Guard against ids that would change the path (`5/../x`): ids are positive integers. */
export function idSegment(id: number): string {
  if (!Number.isSafeInteger(id) || id <= 0) throw new TypeError(`Coupa ids are positive integers, got ${id}`);
  return String(id);
}

export function createReads(transport: Transport, onReadProblem?: ReadProblemSink): CoupaReads {
  function getter<S extends z.ZodObject>(res: Resource<S>): GetById<z.output<S>> {
    const read = async (id: number, options?: ReadOptions): Promise<z.output<S>> => {
      const params = options ? query().fields(options.fields).toParams() : undefined;
      const body = await transport.request({ method: 'GET', path: `${res.path}/${idSegment(id)}`, query: params });
      return parseRecord(res, body, { projected: options !== undefined, requestedId: id, onReadProblem });
    };
    return read as GetById<z.output<S>>;
  }

  function lister<S extends z.ZodObject>(res: Resource<S>): ListWith<z.output<S>> {
    return <P extends boolean = false>(q?: CoupaQuery<P>) =>
      paginate(transport, res, q ?? (query() as CoupaQuery<boolean> as CoupaQuery<P>), res.path, onReadProblem);
  }

  async function first<S extends z.ZodObject>(res: Resource<S>, q: CoupaQuery): Promise<z.output<S> | null> {
    for await (const record of paginate(transport, res, q.limit(1), res.path, onReadProblem)) return record;
    return null;
  }

  return {
    getInvoice: getter(RESOURCES.invoice),
    listInvoices: lister(RESOURCES.invoice),
    getPurchaseOrder: getter(RESOURCES.purchaseOrder),
    listPurchaseOrders: lister(RESOURCES.purchaseOrder),
    listReceipts(filter: ReceiptFilter): AsyncIterable<ReceivingTransaction> {
      const q =
        'orderLineIds' in filter
          ? query().where(['order-line', 'id'], 'in', filter.orderLineIds)
          : query().where(['order-line', 'order-header-id'], filter.purchaseOrderId);
      return paginate(transport, RESOURCES.receipt, q.orderBy('id'), RESOURCES.receipt.path, onReadProblem);
    },
    listReceivingTransactions: lister(RESOURCES.receipt),
    getSupplier: getter(RESOURCES.supplier),
    listSuppliers: lister(RESOURCES.supplier),
    getSupplierInformation: (supplierId) =>
      first(RESOURCES.supplierInformation, query().where(['supplier', 'id'], supplierId)),
    listSupplierInformation: lister(RESOURCES.supplierInformation),
    getUser: getter(RESOURCES.user),
    findUserByLogin: (login) => first(RESOURCES.user, query().where('login', login)),
    listUsers: lister(RESOURCES.user),
    getContract: getter(RESOURCES.contract),
    listContracts: lister(RESOURCES.contract),
    listComments: (invoiceId) =>
      collect(
        paginate(
          transport,
          RESOURCES.comment,
          query().orderBy('id'),
          `/api/invoices/${idSegment(invoiceId)}/comments`,
          onReadProblem,
        ),
      ),
    listCommentsOn: (commentableType, ids) =>
      paginate(
        transport,
        RESOURCES.comment,
        query().where('commentable-type', commentableType).where('commentable-id', 'in', ids).orderBy('id'),
        RESOURCES.comment.path,
        onReadProblem,
      ),
    listApprovals: (invoiceId) =>
      collect(
        paginate(
          transport,
          RESOURCES.approval,
          query().where('approvable-type', 'InvoiceHeader').where('approvable-id', invoiceId).orderBy('position'),
          RESOURCES.approval.path,
          onReadProblem,
        ),
      ),
  };
}
