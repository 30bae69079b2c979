/**
 * The slice of the Coupa client ingestion uses, and small read helpers over it. Taking a `Pick`
 * keeps the dependency honest: validation only reads; posting creates a draft and attaches.
 */
import { query, type CoupaClient } from '../coupa/index.js';

export type IngestCoupa = Pick<
  CoupaClient,
  | 'listSuppliers'
  | 'getSupplier'
  | 'getSupplierInformation'
  | 'listPurchaseOrders'
  | 'listInvoices'
  | 'createDraftInvoice'
  | 'attachFile'
>;

/** The first `max` records of a listing (master-data searches need no more). */
export async function firstN<T>(items: AsyncIterable<T>, max: number): Promise<T[]> {
  const out: T[] = [];
  for await (const item of items) {
    out.push(item);
    if (out.length >= max) break;
  }
  return out;
}

/** Live (not voided or abandoned) invoices of a supplier with exactly this number. */
export async function invoicesWithNumber(
  coupa: IngestCoupa,
  supplierId: number,
  invoiceNumber: string,
): Promise<Array<{ id: number; status: string }>> {
  const found = await firstN(
    coupa.listInvoices(query().where('invoice-number', invoiceNumber).where(['supplier', 'id'], supplierId)),
    10,
  );
  return found
    .filter((i) => i.status !== 'voided' && i.status !== 'abandoned')
    .map((i) => ({ id: i.id, status: String(i.status) }));
}
