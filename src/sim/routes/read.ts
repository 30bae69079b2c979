/**
 * The read side of every resource: `GET /api/<resource>` (Coupa query language, bare array, `[]`
 * when nothing matches) and `GET /api/<resource>/:id` (bare object or Coupa 404).
 */
import type { FastifyInstance } from 'fastify';
import type { SimContext } from '../context.js';
import { runList } from '../list.js';
import { project } from '../fields.js';
import { parseListQuery } from '../query.js';
import { findRecord, queryParams, render, type ResourceNames } from './common.js';

export interface ResourceSpec extends ResourceNames {
  /** URL segment under /api, as Coupa spells it. */
  path: string;
}

export const RESOURCES: readonly ResourceSpec[] = [
  { path: 'invoices', collection: 'invoices', object: 'invoice-header', typeName: 'InvoiceHeader' },
  { path: 'purchase_orders', collection: 'purchase-orders', object: 'order-header', typeName: 'OrderHeader' },
  { path: 'purchase_order_lines', collection: 'order-lines', object: 'order-line', typeName: 'OrderLine' },
  {
    path: 'receiving_transactions',
    collection: 'receiving-transactions',
    object: 'inventory-transaction',
    typeName: 'InventoryTransaction',
  },
  { path: 'suppliers', collection: 'suppliers', object: 'supplier', typeName: 'Supplier' },
  {
    path: 'supplier_information',
    collection: 'supplier-information',
    object: 'supplier-information',
    typeName: 'SupplierInformation',
  },
  { path: 'users', collection: 'users', object: 'user', typeName: 'User' },
  { path: 'contracts', collection: 'contracts', object: 'contract', typeName: 'Contract' },
  { path: 'approvals', collection: 'approvals', object: 'approval', typeName: 'Approval' },
  { path: 'comments', collection: 'comments', object: 'comment', typeName: 'Comment' },
];

export const INVOICE_NAMES: ResourceNames = RESOURCES[0] as ResourceSpec;

/** Register list and get-one routes for every resource. */
export function registerReadRoutes(app: FastifyInstance, ctx: SimContext): void {
  for (const spec of RESOURCES) {
    app.get(`/api/${spec.path}`, async (request) => {
      const query = parseListQuery(queryParams(request));
      const page = runList(ctx.store.collection(spec.collection), query);
      const fields = query.fields;
      return fields ? page.map((record) => project(record, fields)) : page;
    });
    app.get(`/api/${spec.path}/:id`, async (request) => {
      const record = findRecord(ctx.store, spec, (request.params as { id: string }).id);
      return render(record, queryParams(request));
    });
  }
}
