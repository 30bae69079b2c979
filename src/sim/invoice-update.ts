/**
 * `PUT /api/invoices/:id`: change the writable header fields and lines, and — what Settle needs
 * most — mark failed tolerances resolved with a resolution strategy:
 *
 *   {"failed-tolerances": [{"id": 55, "resolved": true, "resolution-strategy": "…"}],
 *    "invoice-lines": [{"id": 7, "failed-tolerances": [{"id": 56, "resolved": true, "resolution-strategy": "…"}]}]}
 *
 * A header-level entry may name any tolerance on the invoice (header or line); a line-level entry
 * must name one on that line. Read-only attributes (status, totals, ids) are ignored as in Coupa.
 * The update is applied to a copy and stored only when all of it is valid.
 */
import { z } from 'zod';
import { cloneJson } from './clone.js';
import type { WireObject } from './collection.js';
import { badRequest, parseBody } from './errors.js';
import { numberTaken } from './invoice-create.js';
import { allFailedTolerances } from './state-machine.js';
import type { SimStore } from './store.js';
import { DateInput, DecimalInput, Id, LIMITS, LongText, ShortText, lineTotal, sumDecimals } from './wire-input.js';

const ToleranceUpdate = z.looseObject({
  id: Id,
  resolved: z.boolean().optional(),
  'resolution-strategy': LongText.nullish(),
});
type ToleranceUpdate = z.infer<typeof ToleranceUpdate>;

const LineUpdate = z.looseObject({
  id: Id.optional(),
  description: ShortText.optional(),
  quantity: DecimalInput.optional(),
  price: DecimalInput.optional(),
  /** Coupa's expected tax rate (and code) of the line; changing it leaves the billed amounts alone. */
  'tax-rate': DecimalInput.optional(),
  'tax-code': z.looseObject({ code: ShortText }).optional(),
  'failed-tolerances': z.array(ToleranceUpdate).max(LIMITS.lines).optional(),
});

const InvoiceUpdate = z.looseObject({
  'invoice-number': z.string().trim().min(1).max(LIMITS.invoiceNumber).optional(),
  'invoice-date': DateInput.optional(),
  'internal-note': LongText.nullish(),
  'supplier-note': LongText.nullish(),
  comments: LongText.nullish(),
  'payment-notes': LongText.nullish(),
  'tax-amount': DecimalInput.optional(),
  'shipping-amount': DecimalInput.optional(),
  'handling-amount': DecimalInput.optional(),
  'misc-amount': DecimalInput.optional(),
  exported: z.boolean().optional(),
  'custom-fields': z.record(z.string().max(200), z.unknown()).optional(),
  'failed-tolerances': z.array(ToleranceUpdate).max(LIMITS.lines).optional(),
  'invoice-lines': z.array(LineUpdate).max(LIMITS.lines).optional(),
});

const OBJECT = 'invoice-header';
const SCALARS = [
  'invoice-number',
  'invoice-date',
  'internal-note',
  'supplier-note',
  'comments',
  'payment-notes',
  'tax-amount',
  'shipping-amount',
  'handling-amount',
  'misc-amount',
  'exported',
] as const;
const LOCKED_STATUSES = ['voided', 'abandoned'];
const EDITABLE_LINE_STATUSES = ['new', 'draft', 'save_as_draft'];

type Line = Record<string, unknown>;

function applyTolerance(
  pool: Array<Record<string, unknown>>,
  update: ToleranceUpdate,
  where: string,
  now: string,
): void {
  const target = pool.find((t) => t.id === update.id);
  if (!target) throw badRequest(`${OBJECT}.failed-tolerances`, `Failed tolerance ${update.id} not found on ${where}`);
  if (update.resolved !== undefined) target.resolved = update.resolved;
  if (update['resolution-strategy'] !== undefined) target['resolution-strategy'] = update['resolution-strategy'];
  target['updated-at'] = now;
}

function updateLines(invoice: WireObject, updates: z.infer<typeof LineUpdate>[], ctx: UpdateMeta): boolean {
  const lines = (Array.isArray(invoice['invoice-lines']) ? invoice['invoice-lines'] : []) as Line[];
  let amountsChanged = false;
  for (const update of updates) {
    let line = update.id === undefined ? undefined : lines.find((l) => l.id === update.id);
    if (update.id !== undefined && !line)
      throw badRequest(`${OBJECT}.invoice-lines`, `Invoice line ${update.id} not found`);
    if (!line) {
      if (!EDITABLE_LINE_STATUSES.includes(String(invoice.status))) {
        throw badRequest(`${OBJECT}.invoice-lines`, 'Lines can only be added to draft invoices');
      }
      if (update.price === undefined || !update.description) {
        throw badRequest(`${OBJECT}.invoice-lines`, 'A new line needs description and price');
      }
      line = {
        id: ctx.nextLineId(),
        'line-num': lines.length + 1,
        type: 'InvoiceQuantityLine',
        'failed-tolerances': [],
        'created-at': ctx.now,
      };
      lines.push(line);
    }
    const { 'failed-tolerances': tolerances, id: _id, ...fields } = update;
    for (const key of ['description', 'quantity', 'price'] as const) {
      if (fields[key] === undefined) continue;
      line[key] = fields[key];
      if (key !== 'description') amountsChanged = true;
    }
    if (fields['tax-rate'] !== undefined) line['tax-rate'] = fields['tax-rate'];
    if (fields['tax-code'] !== undefined) line['tax-code'] = fields['tax-code'];
    const pool = (Array.isArray(line['failed-tolerances']) ? line['failed-tolerances'] : []) as Line[];
    for (const t of tolerances ?? []) applyTolerance(pool, t, `invoice line ${String(line.id)}`, ctx.now);
    line['updated-at'] = ctx.now;
  }
  invoice['invoice-lines'] = lines;
  return amountsChanged;
}

function recomputeTotals(invoice: WireObject): void {
  const lines = invoice['invoice-lines'] as Line[];
  for (const line of lines) {
    if (typeof line.price !== 'string') continue;
    const quantity = line.type === 'InvoiceAmountLine' || typeof line.quantity !== 'string' ? undefined : line.quantity;
    line.total = lineTotal(line.price, quantity);
  }
  const extras = ['shipping-amount', 'handling-amount', 'misc-amount', 'tax-amount'].map((k) => invoice[k]);
  const total = sumDecimals([...lines.map((l) => l.total), ...extras]);
  invoice['gross-total'] = total;
  invoice['total-with-taxes'] = total;
}

export interface UpdateMeta {
  now: string;
  actor: Record<string, unknown>;
  nextLineId: () => number;
}

/** The invoice after applying `body`; throws a Coupa 400 (nothing applied) when any part is invalid. */
export function applyInvoiceUpdate(store: SimStore, current: WireObject, body: unknown, meta: UpdateMeta): WireObject {
  const input = parseBody(InvoiceUpdate, body, OBJECT);
  if (LOCKED_STATUSES.includes(String(current.status))) {
    throw badRequest(OBJECT, `Invoice in status ${String(current.status)} cannot be edited`);
  }
  const next = cloneJson(current);
  for (const key of SCALARS) if (input[key] !== undefined) next[key] = input[key];
  const number = input['invoice-number'];
  const supplierId = (current.supplier as { id?: unknown } | undefined)?.id;
  if (
    number !== undefined &&
    number !== current['invoice-number'] &&
    numberTaken(store, supplierId, number, current.id)
  ) {
    throw badRequest(OBJECT, 'Invoice number has already been taken');
  }
  if (input['custom-fields']) {
    next['custom-fields'] = {
      ...(next['custom-fields'] as Record<string, unknown> | undefined),
      ...input['custom-fields'],
    };
  }
  const everyTolerance = allFailedTolerances(next);
  for (const t of input['failed-tolerances'] ?? [])
    applyTolerance(everyTolerance, t, `invoice ${current.id}`, meta.now);
  const amountsChanged = input['invoice-lines'] ? updateLines(next, input['invoice-lines'], meta) : false;
  const extrasChanged = ['tax-amount', 'shipping-amount', 'handling-amount', 'misc-amount'].some((k) => k in input);
  if (amountsChanged || extrasChanged) recomputeTotals(next);
  next['updated-at'] = meta.now;
  next['updated-by'] = meta.actor;
  return next;
}
