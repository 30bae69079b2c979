/**
 * Purchase orders with quantity and amount lines, and receiving transactions against them.
 * An order line's `received` and `invoiced` are kept in step with the receipts and with the
 * invoices that consume it (pending approval, approved, paid — not held, disputed or voided ones).
 */
import { isoSeconds, DAY_MS, type GenContext, type UserRef } from './context.js';
import { fmt, qty, times, type Cents } from './money.js';
import { codeRef, currencyRef, supplierRef, userRef } from './refs.js';
import type { CatalogItem, SupplierProfile } from './supplier-profile.js';

export interface OrderLineHandle {
  record: Record<string, unknown> & { id: number };
  po: PoHandle;
  item: CatalogItem;
  lineNum: number;
  /** Units for quantity lines; for amount lines, 1. */
  ordered: number;
  price: Cents;
  /** Units (quantity lines) or cents (amount lines). */
  received: number;
  invoiced: number;
  matchType: '2-way' | '3-way';
  account: string;
}

export interface PoHandle {
  record: Record<string, unknown> & { id: number };
  supplier: SupplierProfile;
  requester: UserRef;
  createdMs: number;
  lines: OrderLineHandle[];
}

export interface PoLineSpec {
  item: CatalogItem;
  /** Units ordered (quantity lines). Ignored for amount lines. */
  quantity: number;
  /** Order amount for amount lines (defaults to the item price). */
  amount?: Cents;
  /** Unit price when it differs from the catalog (never for contracted items). */
  price?: Cents;
}

/** A new issued PO for `supplier`, lines matched 3-way when the supplier requires receipts. */
export function createPurchaseOrder(
  ctx: GenContext,
  supplier: SupplierProfile,
  createdMs: number,
  specs: PoLineSpec[],
  requester?: UserRef,
): PoHandle {
  const id = ctx.nextId('purchase-order');
  const who = requester ?? ctx.rng.pick(ctx.people.requesters);
  const po: PoHandle = { record: { id }, supplier, requester: who, createdMs, lines: [] };
  po.lines = specs.map((spec, i) => orderLine(ctx, po, spec, i + 1));
  const total = po.lines.reduce(
    (sum, l) => sum + (l.item.lineType === 'amount' ? l.price : times(l.price, l.ordered)),
    0,
  );
  po.record = {
    id,
    'po-number': String(id),
    status: 'issued',
    version: 1,
    type: 'OrderHeader',
    currency: currencyRef(ctx, supplier.currency),
    supplier: supplierRef(ctx, supplier),
    'payment-term': codeRef(ctx, 'po-term', supplier.paymentTerm.code),
    requester: userRef(ctx, who),
    'created-by': userRef(ctx, who),
    'ship-to-user': userRef(ctx, who),
    total: fmt(total),
    'transmission-status': 'sent_via_email',
    'acknowledged-flag': true,
    'order-lines': po.lines.map((l) => l.record),
    'created-at': isoSeconds(createdMs),
    'updated-at': isoSeconds(createdMs + DAY_MS),
  };
  ctx.dataset['purchase-orders'].push(po.record);
  return po;
}

function orderLine(ctx: GenContext, po: PoHandle, spec: PoLineSpec, lineNum: number): OrderLineHandle {
  const { item, supplier } = { item: spec.item, supplier: po.supplier };
  const isAmount = item.lineType === 'amount';
  const price = isAmount ? (spec.amount ?? item.price) : (spec.price ?? item.price);
  const matchType = supplier.matching === '3-way' && !isAmount ? '3-way' : '2-way';
  const id = ctx.nextId('order-line');
  const handle: OrderLineHandle = {
    record: { id },
    po,
    item,
    lineNum,
    ordered: isAmount ? 1 : spec.quantity,
    price,
    received: 0,
    invoiced: 0,
    matchType,
    account: supplier.accountCode,
  };
  handle.record = {
    id,
    'line-num': String(lineNum),
    type: isAmount ? 'OrderAmountLine' : 'OrderQuantityLine',
    description: item.description,
    'source-part-num': item.partNum,
    quantity: isAmount ? null : qty(spec.quantity),
    price: fmt(price),
    total: fmt(isAmount ? price : times(price, spec.quantity)),
    received: isAmount ? fmt(0) : qty(0),
    invoiced: isAmount ? fmt(0) : qty(0),
    'receipt-required': matchType === '3-way',
    'match-type': matchType,
    'order-header-id': po.record.id,
    uom: isAmount ? null : codeRef(ctx, 'uom', item.uom),
    currency: currencyRef(ctx, supplier.currency),
    account: codeRef(ctx, 'account', handle.account),
    contract:
      item.contracted && supplier.contract ? { id: supplier.contract.id, number: supplier.contract.number } : null,
    status: 'created',
  };
  return handle;
}

/** Writes `received`, `invoiced` and the line status back to the wire record. */
export function syncOrderLine(line: OrderLineHandle): void {
  const isAmount = line.item.lineType === 'amount';
  line.record.received = isAmount ? fmt(line.received) : qty(line.received);
  line.record.invoiced = isAmount ? fmt(line.invoiced) : qty(line.invoiced);
  const full = isAmount ? line.price : line.ordered;
  line.record.status = line.received >= full ? 'received' : line.received > 0 ? 'partially_received' : 'created';
}

/** A receiving transaction for `amount` units (quantity lines) or cents (amount lines). */
export function receive(ctx: GenContext, line: OrderLineHandle, amount: number, atMs: number): void {
  if (amount <= 0) return;
  const id = ctx.nextId('receipt');
  const isAmount = line.item.lineType === 'amount';
  line.received += amount;
  syncOrderLine(line);
  const who = line.po.requester;
  ctx.dataset['receiving-transactions'].push({
    id,
    type: 'InventoryReceipt',
    status: 'created',
    exported: false,
    quantity: isAmount ? null : qty(amount),
    price: fmt(line.price),
    total: fmt(isAmount ? amount : times(line.price, amount)),
    'transaction-date': isoSeconds(atMs),
    'match-reference': null,
    'order-line': {
      id: line.record.id,
      'line-num': String(line.lineNum),
      'order-header-id': line.po.record.id,
      type: line.record.type,
      description: line.item.description,
    },
    uom: isAmount ? null : codeRef(ctx, 'uom', line.item.uom),
    account: codeRef(ctx, 'account', line.account),
    'created-by': userRef(ctx, who),
    'created-at': isoSeconds(atMs),
    'updated-at': isoSeconds(atMs),
  });
}
