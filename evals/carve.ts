/**
 * Carve a self-contained replay case out of the sample company: the labelled exception invoice
 * plus exactly the records the decision depends on — what the agent can look up about it (its
 * supplier and bank details, contracts, POs and receipts, the supplier's invoices and same-amount
 * invoices inside the duplicate window, invoices on the same PO lines, comments, approvals) and
 * the users those records name — plus a few older invoices of the supplier as plain history.
 */
import { DEFAULT_CONTROLS } from '../src/domain/controls.js';
import { emptyDataset, type CoupaDataset, type WireRecord } from '../src/sim/dataset.js';
import type { ExceptionLabel, SampleCompany } from '../src/sim/generator/index.js';

const DAY_MS = 86_400_000;
/** Older invoices of the supplier kept as background history (outside the duplicate window). */
const BACKGROUND_HISTORY = 3;

type Rec = Record<string, unknown>;

const idOf = (v: unknown): number | undefined => {
  const id = (v as Rec | null | undefined)?.id;
  return typeof id === 'number' ? id : undefined;
};
const linesOf = (invoice: Rec): Rec[] =>
  Array.isArray(invoice['invoice-lines']) ? (invoice['invoice-lines'] as Rec[]) : [];
const dateMs = (v: unknown): number => (typeof v === 'string' ? Date.parse(v) : NaN);
const squashNumber = (v: unknown): string =>
  String(v ?? '')
    .toUpperCase()
    .replace(/[^A-Z0-9]/g, '');

/** Every `login` named anywhere inside the records (requesters, comment authors, approvers…). */
function loginsIn(value: unknown, out: Set<string>): Set<string> {
  if (Array.isArray(value)) for (const v of value) loginsIn(v, out);
  else if (value && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) {
      if (k === 'login' && typeof v === 'string') out.add(v);
      else loginsIn(v, out);
    }
  }
  return out;
}

function purchaseOrdersFor(data: CoupaDataset, invoice: Rec): WireRecord[] {
  const numbers = new Set<unknown>(
    linesOf(invoice)
      .map((l) => l['po-number'] ?? l['order-header-num'])
      .filter((n) => typeof n === 'string'),
  );
  const lineIds = new Set<unknown>(
    linesOf(invoice)
      .map((l) => l['order-line-id'])
      .filter((n) => typeof n === 'number'),
  );
  return data['purchase-orders'].filter(
    (po) =>
      numbers.has(po['po-number']) ||
      (Array.isArray(po['order-lines']) && (po['order-lines'] as Rec[]).some((l) => lineIds.has(l.id))),
  );
}

/** Invoices the decision may depend on, the exception itself first. */
function relatedInvoices(data: CoupaDataset, invoice: WireRecord, orderLineIds: Set<unknown>): WireRecord[] {
  const supplierId = idOf(invoice.supplier);
  const since = (dateMs(invoice['invoice-date']) || Date.now()) - DEFAULT_CONTROLS.duplicate_window_days * DAY_MS;
  const total = invoice['gross-total'] ?? invoice['total-with-taxes'];
  const number = squashNumber(invoice['invoice-number']);
  const inWindow = (i: Rec): boolean => dateMs(i['invoice-date']) >= since;
  const related = data.invoices.filter(
    (i) =>
      i.id !== invoice.id &&
      ((idOf(i.supplier) === supplierId && inWindow(i)) ||
        (total !== undefined && i['gross-total'] === total && inWindow(i)) ||
        (number !== '' && squashNumber(i['invoice-number']) === number) ||
        linesOf(i).some((l) => orderLineIds.has(l['order-line-id']))),
  );
  const relatedIds = new Set(related.map((i) => i.id));
  const background = data.invoices
    .filter((i) => idOf(i.supplier) === supplierId && i.id !== invoice.id && !relatedIds.has(i.id))
    .sort((a, b) => dateMs(b['invoice-date']) - dateMs(a['invoice-date']))
    .slice(0, BACKGROUND_HISTORY);
  return [invoice, ...[...related, ...background].sort((a, b) => a.id - b.id)];
}

/** The case's `coupa` block for one labelled exception. */
export function carveRecords(company: SampleCompany, label: ExceptionLabel): CoupaDataset {
  const data = company.dataset;
  const invoice = data.invoices.find((i) => i.id === label.invoiceId);
  if (!invoice) throw new Error(`label names invoice ${label.invoiceId}, which is not in the dataset`);
  const pos = purchaseOrdersFor(data, invoice);
  const orderLineIds = new Set(
    pos.flatMap((po) => (Array.isArray(po['order-lines']) ? (po['order-lines'] as Rec[]) : []).map((l) => l.id)),
  );
  const invoices = relatedInvoices(data, invoice, orderLineIds);
  const invoiceIds = new Set(invoices.map((i) => i.id));
  const supplierIds = new Set(invoices.map((i) => idOf(i.supplier)).filter((id): id is number => id !== undefined));
  const out = emptyDataset();
  out.invoices = invoices;
  out['purchase-orders'] = pos;
  out['receiving-transactions'] = data['receiving-transactions'].filter((r) => orderLineIds.has(idOf(r['order-line'])));
  out.suppliers = data.suppliers.filter((s) => supplierIds.has(s.id));
  out['supplier-information'] = data['supplier-information'].filter((s) =>
    supplierIds.has(idOf(s.supplier) ?? (s['supplier-id'] as number)),
  );
  out.contracts = data.contracts.filter((c) => supplierIds.has(idOf(c.supplier) ?? -1));
  out.comments = data.comments.filter(
    (c) => c['commentable-type'] === 'InvoiceHeader' && invoiceIds.has(c['commentable-id'] as number),
  );
  out.approvals = data.approvals.filter((a) => invoiceIds.has(a['approvable-id'] as number));

  const logins = loginsIn(
    [out.invoices, out['purchase-orders'], out['receiving-transactions'], out.comments, out.approvals],
    new Set<string>(),
  );
  for (const login of [DEFAULT_CONTROLS.ap_reviewer, DEFAULT_CONTROLS.escalation_reviewer, label.routeTo])
    if (login) logins.add(login);
  // A registry mismatch's change request waits for the supplier-master approver.
  if (label.tags.includes('registry')) logins.add(DEFAULT_CONTROLS.supplier_master_approver);
  // Non-PO invoices are routed to the owner of the GL account they are coded to.
  const accounts = new Set(linesOf(invoice).map((l) => (l.account as Rec | undefined)?.code));
  for (const gl of company.glAccounts) if (accounts.has(gl.code)) logins.add(gl.ownerLogin);
  out.users = data.users.filter((u) => logins.has(u.login as string));
  return out;
}
