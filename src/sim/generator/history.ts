/**
 * The company's ordinary flow: clean PO-backed invoices (full and partial deliveries, a PO billed
 * in two parts), approved non-PO invoices, monthly rent (same amount every month — a near-duplicate
 * that is not one), and open POs not yet invoiced. Status follows age: paid, approved, pending.
 */
import { DAY_MS, isoSeconds, type GenContext, type InvoiceDraft } from './context.js';
import { createInvoice, type InvoiceLineSpec, type InvoiceSpec } from './invoices.js';
import { createPurchaseOrder, receive } from './purchase-orders.js';
import { between, buildOrder, hasAmountItems, hasQuantityItems, receiveAll } from './scenario-kit.js';
import { nextInvoiceNumber, type SupplierPools, type SupplierProfile } from './supplier-profile.js';

/** Status of a settled, clean invoice of a given age. */
function statusForAge(ctx: GenContext, createdMs: number): InvoiceSpec['status'] {
  const ageDays = (ctx.nowMs - createdMs) / DAY_MS;
  if (ageDays > 40) return 'paid';
  if (ageDays > 12) return ctx.rng.chance(0.6) ? 'paid' : 'approved';
  return ctx.rng.chance(0.85) ? 'pending_approval' : 'approved';
}

/** An approval by the budget owner: pending while the invoice waits, approved once it moved on. */
function addApproval(ctx: GenContext, draft: InvoiceDraft, accountCode: string): void {
  const status = draft.record.status;
  // Paid invoices were approved long ago; their approvals are left out to keep big companies lean.
  if ((status !== 'pending_approval' && status !== 'approved') || draft.record.paid === true) return;
  const ownerLogin = ctx.glAccounts.find((a) => a.code === accountCode)?.ownerLogin;
  const owner = ctx.people.owners.find((o) => o.login === ownerLogin) ?? ctx.people.apReviewer;
  const approved = status === 'approved';
  (draft.approvals ??= []).push({
    id: 0,
    position: 1,
    status: approved ? 'approved' : 'pending_approval',
    type: 'ManagementHierarchyApproval',
    'approvable-type': 'InvoiceHeader',
    'approvable-id': 0,
    approver: { ...owner },
    'approver-id': owner.id,
    'approver-type': 'User',
    'approval-date': approved ? isoSeconds(draft.createdMs + 2 * DAY_MS) : null,
    'created-at': isoSeconds(draft.createdMs + DAY_MS),
    'updated-at': isoSeconds(draft.createdMs + (approved ? 2 : 1) * DAY_MS),
  });
}

/** A date in the last year at which this supplier could have billed (after it was created). */
function historyDate(ctx: GenContext, supplier: SupplierProfile): number {
  const earliest = Math.max(supplier.createdMs + 7 * DAY_MS, ctx.nowMs - 365 * DAY_MS);
  const latest = supplier.onHold || supplier.inactive ? ctx.nowMs - 60 * DAY_MS : ctx.nowMs - DAY_MS / 2;
  if (latest <= earliest) return latest;
  return earliest + Math.floor(((ctx.rng.int(0, 1_000_000) / 1_000_000) * (latest - earliest)) / 1000) * 1000;
}

/** Log-spread target: most invoices are a few hundred to a few thousand, some much larger. */
function targetCents(ctx: GenContext): number {
  return Math.round(Math.exp(ctx.rng.int(460, 1080) / 100)) * 100;
}

/** One clean invoice (two when a PO is billed in parts and `allowTwo`); returns how many it created. */
export function cleanInvoice(ctx: GenContext, pools: SupplierPools, allowTwo = true): number {
  const { rng } = ctx;
  const supplier = rng.pick(pools.billable);
  const createdMs = historyDate(ctx, supplier);
  const kind = rng.weighted([
    ['po', 75],
    ['partial', 8],
    ['split', allowTwo ? 7 : 0],
    ['non_po', 10],
  ] as const);
  const status = statusForAge(ctx, createdMs);
  if (kind === 'non_po' || supplier.catalog.length === 0) {
    const requester = rng.pick(ctx.people.requesters);
    const item = rng.pick(supplier.catalog);
    const lines: InvoiceLineSpec[] = [
      {
        quantity: 1,
        price: targetCents(ctx),
        amountLine: true,
        description: item?.description ?? 'Services',
        account: supplier.accountCode,
      },
    ];
    const { draft } = createInvoice(ctx, {
      supplier,
      number: nextInvoiceNumber(supplier),
      createdMs,
      status,
      lines,
      requestedBy: requester,
    });
    addApproval(ctx, draft, supplier.accountCode);
    return 1;
  }
  const lineType =
    hasQuantityItems(supplier) && (kind !== 'po' || rng.chance(0.8) || !hasAmountItems(supplier))
      ? 'quantity'
      : 'amount';
  const ordered = kind === 'po' ? undefined : rng.int(4, 60);
  const { po, lines } = buildOrder(ctx, supplier, createdMs, {
    target: targetCents(ctx),
    lineCount: rng.int(1, 4),
    lineType,
    subjectQuantity: lineType === 'quantity' ? ordered : undefined,
  });
  const subject = lines[0];
  if (kind === 'partial' && lineType === 'quantity' && subject?.orderLine?.matchType === '3-way') {
    // Delivered in part; the supplier bills exactly what arrived.
    const arrived = rng.int(1, subject.quantity - 1);
    receive(ctx, subject.orderLine, arrived, between(ctx, po.createdMs, createdMs));
    subject.quantity = arrived;
    for (const other of po.lines.slice(1))
      if (other.matchType === '3-way')
        receive(ctx, other, other.ordered - other.received, between(ctx, po.createdMs, createdMs));
  } else {
    receiveAll(ctx, po, createdMs);
  }
  if (kind === 'split' && lineType === 'quantity' && subject) {
    const firstPart = rng.int(1, subject.quantity - 1);
    const firstMs = between(ctx, po.createdMs, createdMs);
    const first = createInvoice(ctx, {
      supplier,
      number: nextInvoiceNumber(supplier),
      createdMs: firstMs,
      status: statusForAge(ctx, firstMs),
      lines: [{ ...subject, quantity: firstPart }],
    });
    addApproval(ctx, first.draft, supplier.accountCode);
    subject.quantity -= firstPart;
    const { draft } = createInvoice(ctx, { supplier, number: nextInvoiceNumber(supplier), createdMs, status, lines });
    addApproval(ctx, draft, supplier.accountCode);
    return 2;
  }
  const { draft } = createInvoice(ctx, { supplier, number: nextInvoiceNumber(supplier), createdMs, status, lines });
  addApproval(ctx, draft, supplier.accountCode);
  return 1;
}

/** Monthly rent: the same amount every month under a blanket PO. Returns invoices created. */
export function rentHistory(ctx: GenContext, landlord: SupplierProfile, months: number): number {
  const lease = landlord.catalog[0];
  if (!lease) return 0;
  const now = new Date(ctx.nowMs);
  const startMs = Date.UTC(now.getUTCFullYear(), now.getUTCMonth() - months + 1, 1, 9);
  const po = createPurchaseOrder(ctx, landlord, startMs - 20 * DAY_MS, [
    { item: lease, quantity: 1, amount: lease.price * (months + 12) },
  ]);
  const line = po.lines[0];
  if (!line) return 0;
  for (let m = 0; m < months; m++) {
    const monthStart = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() - months + 1 + m, 1, 9));
    const label = `${monthStart.getUTCFullYear()}-${String(monthStart.getUTCMonth() + 1).padStart(2, '0')}`;
    const createdMs = Math.min(monthStart.getTime(), ctx.nowMs - DAY_MS);
    const status = m === months - 1 && ctx.nowMs - createdMs < 30 * DAY_MS ? 'pending_approval' : 'paid';
    const { draft } = createInvoice(ctx, {
      supplier: landlord,
      number: `RENT-${label}`,
      createdMs,
      status,
      invoiceDateMs: createdMs,
      lines: [
        {
          orderLine: line,
          quantity: 1,
          price: lease.price,
          amountLine: true,
          description: `${lease.description} — ${label}`,
        },
      ],
    });
    addApproval(ctx, draft, landlord.accountCode);
  }
  return months;
}

/** POs issued recently and not invoiced yet: some received in full, some in part, some not at all. */
export function openPurchaseOrder(ctx: GenContext, pools: SupplierPools): void {
  const supplier = ctx.rng.pick(pools.established);
  const { po } = buildOrder(ctx, supplier, ctx.nowMs - DAY_MS / 2, {
    target: targetCents(ctx),
    lineCount: ctx.rng.int(1, 3),
    lineType: hasQuantityItems(supplier) ? 'quantity' : 'amount',
  });
  const share = ctx.rng.weighted([
    ['none', 40],
    ['partial', 25],
    ['full', 35],
  ] as const);
  for (const line of po.lines) {
    if (line.matchType !== '3-way' || share === 'none') continue;
    const full = line.item.lineType === 'amount' ? line.price : line.ordered;
    receive(
      ctx,
      line,
      share === 'full' ? full : Math.max(1, Math.floor(full / 2)),
      Math.min(ctx.nowMs - DAY_MS / 4, po.createdMs + 2 * DAY_MS),
    );
  }
}
