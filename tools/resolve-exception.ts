import { z } from 'zod';
import { assessInvoice } from '../src/domain/index.js';
import { ToolError, defineTool, type ControlCheck } from '../src/guard/tool.js';
import type { ToolContext } from '../src/guard/context.js';
import { loadInvoiceContext } from './shared/invoice-context.js';
import { HELD_STATUSES } from '../src/coupa/invoice-statuses.js';
import { WriteOutcome, currentInvoice, requireExceptionStatus } from './shared/write-outcome.js';

/**
 * The guard's control check for releasing money: re-read the invoice, PO, receipts and supplier
 * from Coupa and let the deterministic assessment say whether `resolve` is what the controls allow.
 * Nothing the caller says (amounts, findings, justification) is trusted here.
 */
async function resolveAllowed(invoiceId: number, ctx: ToolContext): Promise<ControlCheck> {
  // Releasing money: the invoice and every bank detail are read from Coupa now, never from a cache.
  const invoiceCtx = await loadInvoiceContext(ctx, invoiceId, { fresh: true, freshBank: true });
  if (!invoiceCtx)
    return {
      ok: false,
      control: 'invoice_exists',
      reason: `invoice ${invoiceId} was not found`,
      instead: 'nothing to resolve',
    };
  if (!HELD_STATUSES.has(invoiceCtx.invoice.status)) {
    return {
      ok: false,
      control: 'invoice_status',
      reason: `invoice is ${invoiceCtx.invoice.status}, not held`,
      instead: 're-read the invoice; nothing to resolve',
    };
  }
  const a = assessInvoice(invoiceCtx, ctx.controls, ctx.now());
  const evidence = a.controlsApplied.map(
    (c) => `${c.control}: ${c.actual} vs limit ${c.limit} — ${c.within ? 'within' : 'EXCEEDED'}`,
  );
  // Tax branch (a): Coupa's rate must be corrected first, so the invoice is released on the right rate.
  const wrongRate = a.findings.filter((f) => f.kind === 'tax_coupa_rate_wrong');
  if (a.decision === 'resolve' && wrongRate.length) {
    return {
      ok: false,
      control: 'tax_coupa_rate_wrong',
      reason: wrongRate.map((f) => f.summary).join(' '),
      instead: `correct_tax_rate for line(s) ${wrongRate.map((f) => `${f.lineNum} → ${f.figures.correctRate}%`).join(', ')}, then resolve`,
      evidence,
    };
  }
  if (a.decision === 'resolve') return { ok: true, evidence };
  const failed = a.controlsApplied.find((c) => !c.within);
  const instead =
    a.decision === 'route'
      ? `route_to_approver to "${a.routeTo}"`
      : a.decision === 'dispute'
        ? `dispute_invoice with ${a.disputeReason}`
        : a.decision === 'hold'
          ? 'hold_invoice with an evidence dossier'
          : 'request_information from the supplier';
  return {
    ok: false,
    control: failed?.control ?? a.deciding[0]?.kind ?? a.rule,
    reason: `${a.rootCause} (rule: ${a.rule})`,
    instead,
    evidence,
  };
}

export const resolveException = defineTool({
  name: 'resolve_exception',
  title: 'Resolve exception',
  description:
    'Clear the exception: mark the failed tolerances resolved with a justification and revalidate, so the invoice leaves the hold and continues to its normal approvals. ' +
    'The server re-reads the invoice, PO, receipts and supplier and refuses (with the control and what to do instead) when any control is exceeded: ' +
    'amount limit, tolerance, new supplier, duplicate or supplier-data risk.',
  inputSchema: z.strictObject({
    invoice_id: z.number().int().positive(),
    justification: z.string().trim().min(20).max(2_000).describe('why this is within policy, citing the section id'),
  }),
  outputSchema: WriteOutcome,
  guardClass: 'state',
  decision: 'resolve',
  invoiceIdOf: (i) => i.invoice_id,
  checkControls: (input, ctx) => resolveAllowed(input.invoice_id, ctx),
  async handler(input, ctx) {
    const invoice = await currentInvoice(ctx, input.invoice_id);
    requireExceptionStatus(invoice, 'resolve');
    // Marks every unresolved failure resolved with the justification, then revalidates.
    const updated = await ctx.records.coupa.resolveFailedTolerances(input.invoice_id, input.justification, invoice);
    ctx.records.afterWrite(input.invoice_id, updated);
    if (HELD_STATUSES.has(updated.status)) {
      throw new ToolError(
        `invoice ${input.invoice_id} is still ${updated.status} after revalidation`,
        'a failure Coupa still reports needs a person: route it to the AP reviewer',
      );
    }
    const detail = `Invoice ${input.invoice_id} resolved: tolerances marked resolved and revalidated; status ${updated.status}.`;
    return {
      data: { status: 'executed' as const, invoice_status: updated.status, detail },
      text: detail,
      invoiceId: input.invoice_id,
    };
  },
});
