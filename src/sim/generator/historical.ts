/**
 * Past exceptions: the same scenarios as open ones, dated months ago and then settled the way the
 * AP team settled them — paid after a resolve or a routing, disputed back, voided after a hold,
 * paid once the supplier sent what was missing. They feed the past-resolution memory.
 */
import { DAY_MS, isoSeconds, type GenContext, type UserRef } from './context.js';
import { paymentDate } from './invoices.js';
import { decide } from './labels.js';
import { receive, syncOrderLine } from './purchase-orders.js';
import { exceptionDate, type Scenario } from './scenario-kit.js';
import type { SupplierPools } from './supplier-profile.js';

function decider(ctx: GenContext, decision: string): UserRef {
  const { people, rng } = ctx;
  if (decision === 'hold') return rng.chance(0.6) ? people.apManager : people.apReviewer;
  if (decision === 'dispute') return rng.chance(0.7) ? people.apReviewer : rng.pick(people.clerks);
  if (decision === 'request_info') return rng.pick(people.clerks);
  return rng.chance(0.5) ? people.apReviewer : rng.pick(people.clerks);
}

/** Runs `scenario` in the past and settles it; returns how many invoices it created. */
export function settledException(ctx: GenContext, pools: SupplierPools, scenario: Scenario): number {
  const createdMs = exceptionDate(ctx, true);
  const result = scenario(ctx, pools, { createdMs, historical: true });
  const verdict = decide(
    result.findings,
    {
      grossTotal: result.totals.gross,
      supplierIsNew: result.supplier.createdMs > createdMs - ctx.controls.new_supplier_days * DAY_MS,
    },
    ctx.controls,
  );
  const record = result.draft.record;
  const who = decider(ctx, verdict.decision);
  const decidedMs = Math.min(createdMs + ctx.rng.int(1, 6) * DAY_MS, ctx.nowMs - DAY_MS);
  const releases =
    verdict.decision === 'resolve' || verdict.decision === 'route' || verdict.decision === 'request_info';
  if (releases) {
    const old = ctx.nowMs - createdMs > 40 * DAY_MS;
    record.status = 'approved';
    record.paid = old;
    record['payment-date'] = old ? paymentDate(ctx, createdMs, result.supplier.paymentTerm.days) : null;
    record['tolerance-failures'] = null;
    for (const { record: tolerance } of result.draft.tolerances) {
      tolerance.resolved = true;
      tolerance['resolution-strategy'] =
        verdict.decision === 'resolve' ? 'accepted_within_tolerance' : 'approved_by_owner';
    }
    fillMissing(record, result.supplier.remitTo, result.supplier.paymentTerm);
    for (const line of result.lines) {
      const ol = line.orderLine;
      if (!ol) continue;
      const billed = line.amountLine ? line.price : line.quantity;
      // A missing receipt was settled by the requester confirming delivery.
      if (ol.matchType === '3-way' && ol.received < ol.invoiced + billed)
        receive(ctx, ol, ol.invoiced + billed - ol.received, decidedMs);
      ol.invoiced += billed;
      syncOrderLine(ol);
    }
  } else {
    record.status = verdict.decision === 'dispute' ? 'disputed' : 'voided';
    if (verdict.disputeReason) record['dispute-reasons'] = [{ code: verdict.disputeReason }];
  }
  record['updated-at'] = isoSeconds(decidedMs);
  (result.draft.comments ??= []).push({
    comments: `${verdict.exceptionType.replace(/_/g, ' ')}: ${result.note} Decision: ${verdict.decision}${verdict.routeTo ? ` to ${verdict.routeTo}` : ''}.`,
    'commentable-type': 'InvoiceHeader',
    'to-supplier': false,
    'created-at': isoSeconds(decidedMs),
    'created-by': { id: who.id, login: who.login },
  });
  if (verdict.decision === 'dispute' || verdict.decision === 'request_info') {
    (result.draft.comments ??= []).push({
      comments:
        verdict.decision === 'dispute'
          ? `Disputed: ${result.holdReason}. Please send a corrected invoice or credit note.`
          : `Please send the missing information: ${result.holdReason}.`,
      'commentable-type': 'InvoiceHeader',
      'to-supplier': true,
      'created-at': isoSeconds(decidedMs),
      'created-by': { id: who.id, login: who.login },
    });
  }
  ctx.history.push({
    draft: result.draft,
    entry: {
      supplierId: result.supplier.id,
      exceptionType: verdict.exceptionType,
      decision: verdict.decision,
      decidedBy: who.login,
      decidedAt: isoSeconds(decidedMs),
      facts: {
        ...result.facts,
        invoiceNumber: String(record['invoice-number']),
        supplierName: result.supplier.name,
        variant: result.tags[0] ?? '',
        ...(verdict.routeTo ? { routeTo: verdict.routeTo } : {}),
        ...(verdict.disputeReason ? { disputeReason: verdict.disputeReason } : {}),
      },
    },
  });
  return 1 + result.extraInvoices;
}

/** What the supplier sent after being asked: the date, the term, the VAT id, the backup. */
function fillMissing(
  record: Record<string, unknown>,
  remitTo: Record<string, unknown>,
  term: { code: string; days: number },
): void {
  if (record['invoice-date'] === null) record['invoice-date'] = String(record['created-at']).slice(0, 10);
  if (record['payment-term'] === null) record['payment-term'] = { code: term.code, 'days-for-net-payment': term.days };
  const remit = record['remit-to-address'] as Record<string, unknown>;
  if (remit['vat-number'] === null && remitTo['vat-number'])
    record['remit-to-address'] = { ...remit, 'vat-number': remitTo['vat-number'] };
  if (Array.isArray(record.attachments) && record.attachments.length === 0) {
    record.attachments = [{ type: 'AttachmentFile', intent: 'Supplier', 'file-file-name': 'statement-of-work.pdf' }];
  }
}
