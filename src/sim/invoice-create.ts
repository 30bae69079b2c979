/**
 * `POST /api/invoices`: a draft invoice from a client's JSON (coupa-api.md §8.2 create body).
 * References (supplier, requester, PO lines) must already exist, as in Coupa; the simulator
 * computes line totals and the header totals from them.
 */
import { z } from 'zod';
import type { WireObject } from './collection.js';
import { badRequest, parseBody } from './errors.js';
import type { SimStore } from './store.js';
import {
  DateInput,
  DecimalInput,
  Id,
  LIMITS,
  LongText,
  RefInput,
  ShortText,
  lineTotal,
  sumDecimals,
} from './wire-input.js';

const CreateLine = z.looseObject({
  'line-num': z.union([z.number().int(), z.string().max(10)]).optional(),
  type: z.enum(['InvoiceQuantityLine', 'InvoiceAmountLine']).optional(),
  description: ShortText.min(1),
  quantity: DecimalInput.optional(),
  price: DecimalInput,
  uom: RefInput.optional(),
  account: RefInput.optional(),
  'order-line-id': Id.optional(),
  'source-part-num': ShortText.optional(),
  'match-reference': ShortText.optional(),
  'tax-amount': DecimalInput.optional(),
});

const CreateInvoice = z.looseObject({
  'invoice-number': z.string().trim().min(1).max(LIMITS.invoiceNumber),
  'invoice-date': DateInput,
  supplier: RefInput,
  currency: RefInput.optional(),
  'account-type': RefInput.optional(),
  'line-level-taxation': z.boolean().optional(),
  'remit-to-address': RefInput.optional(),
  'requested-by': RefInput.optional(),
  'payment-term': RefInput.optional(),
  'tax-amount': DecimalInput.optional(),
  'shipping-amount': DecimalInput.optional(),
  'handling-amount': DecimalInput.optional(),
  'misc-amount': DecimalInput.optional(),
  'internal-note': LongText.nullish(),
  'supplier-note': LongText.nullish(),
  comments: LongText.nullish(),
  'custom-fields': z.record(z.string().max(200), z.unknown()).optional(),
  'invoice-lines': z.array(CreateLine).max(LIMITS.lines).optional(),
});

const OBJECT = 'invoice-header';

function findBy(store: SimStore, name: 'suppliers' | 'users', ref: RefInput): WireObject | undefined {
  if (ref.id !== undefined) return store.get(name, ref.id);
  const keys = (['name', 'number', 'login', 'email'] as const).filter((k) => ref[k] !== undefined);
  if (keys.length === 0) return undefined;
  for (const record of store.collection(name).values()) {
    if (keys.every((k) => record[k] === ref[k])) return record;
  }
  return undefined;
}

/** Another live invoice from the same supplier already uses this number (Coupa refuses it). */
export function numberTaken(store: SimStore, supplierId: unknown, invoiceNumber: string, exceptId?: number): boolean {
  const ids = store.collection('invoices').lookup('invoice-number', [`s:${invoiceNumber}`]) ?? new Set<number>();
  for (const id of ids) {
    const other = store.get('invoices', id);
    const otherSupplier = (other?.supplier as { id?: unknown } | undefined)?.id;
    if (
      other &&
      id !== exceptId &&
      otherSupplier === supplierId &&
      !['voided', 'abandoned'].includes(String(other.status))
    ) {
      return true;
    }
  }
  return false;
}

function userSimple(user: WireObject): Record<string, unknown> {
  return { id: user.id, login: user.login, email: user.email, firstname: user.firstname, lastname: user.lastname };
}

/** A validated draft invoice record ready to store (not yet stored). */
export function buildDraftInvoice(
  store: SimStore,
  body: unknown,
  meta: { id: number; now: string; actor: Record<string, unknown>; nextLineId: () => number },
): WireObject {
  const input = parseBody(CreateInvoice, body, OBJECT);
  const supplier = findBy(store, 'suppliers', input.supplier);
  if (!supplier) throw badRequest(OBJECT, 'Supplier must exist');
  if (numberTaken(store, supplier.id, input['invoice-number'])) {
    throw badRequest(OBJECT, 'Invoice number has already been taken');
  }
  const requester = input['requested-by'] && findBy(store, 'users', input['requested-by']);
  if (input['requested-by'] && !requester) throw badRequest(OBJECT, 'Requested by must be an existing user');
  const lines = (input['invoice-lines'] ?? []).map((line, i) => {
    const orderLine = line['order-line-id'] === undefined ? undefined : store.get('order-lines', line['order-line-id']);
    if (line['order-line-id'] !== undefined && !orderLine) {
      throw badRequest('invoice-header.invoice-lines', `Order line ${line['order-line-id']} not found`);
    }
    const type = line.type ?? 'InvoiceQuantityLine';
    const total =
      type === 'InvoiceAmountLine' ? lineTotal(line.price, undefined) : lineTotal(line.price, line.quantity ?? '1');
    return {
      ...line,
      id: meta.nextLineId(),
      'line-num': line['line-num'] ?? i + 1,
      type,
      total,
      status: 'draft',
      ...(orderLine
        ? { 'po-number': String(orderLine['order-header-id']), 'order-line-num': String(orderLine['line-num'] ?? '') }
        : {}),
      'failed-tolerances': [],
      'created-at': meta.now,
      'updated-at': meta.now,
    };
  });
  const extras = [input['shipping-amount'], input['handling-amount'], input['misc-amount'], input['tax-amount']];
  const total = sumDecimals([...lines.map((l) => l.total), ...extras]);
  return {
    ...input,
    id: meta.id,
    status: 'draft',
    'document-type': 'Invoice',
    exported: false,
    paid: false,
    supplier: { id: supplier.id, name: supplier.name, number: supplier.number ?? null },
    currency: input.currency ?? supplier.currency ?? { code: 'USD' },
    'requested-by': requester ? userSimple(requester) : null,
    'gross-total': total,
    'total-with-taxes': total,
    'tolerance-failures': null,
    'failed-tolerances': [],
    approvals: [],
    attachments: [],
    'dispute-reasons': [],
    'invoice-lines': lines,
    'created-at': meta.now,
    'updated-at': meta.now,
    'created-by': meta.actor,
    'updated-by': meta.actor,
  };
}
