import { z } from 'zod';
import { assessInvoice, type InvoiceContext } from '../src/domain/index.js';
import { defineTool } from '../src/guard/tool.js';
import type { ToolContext } from '../src/guard/context.js';
import { SuggestedCoding, suggestCoding } from './shared/coding.js';
import { ControlOut, FindingOut, controlOut, findingsOut, requireContext } from './shared/findings-output.js';

export const AssessmentOut = z.object({
  invoice_id: z.number(),
  invoice_number: z.string(),
  status: z
    .string()
    .describe('Coupa status; only held invoices (ap_hold, pending_receipt, …) have an exception to settle'),
  supplier_id: z.number().nullable(),
  supplier_name: z.string().nullable(),
  exception_type: z.string(),
  suggested_decision: z.enum(['resolve', 'route', 'dispute', 'hold', 'request_info']),
  route_to: z.string().nullable(),
  dispute_reason: z.string().nullable(),
  root_cause: z.string(),
  rule: z.string().describe('the precedence rule that decided'),
  confidence: z.number(),
  invoice_total: z.string(),
  currency: z.string(),
  hint: z.object({ text: z.string(), type: z.string().nullable(), agrees: z.boolean().nullable() }),
  findings: z.array(FindingOut),
  controls_applied: z.array(ControlOut),
  suggested_coding: SuggestedCoding.nullable().describe(
    'for non-PO invoices: GL account from the supplier history and its budget owner',
  ),
  correction: z
    .object({
      invoice_id: z.number(),
      decision: z.string(),
      route_to: z.string().nullable(),
      dispute_reason: z.string().nullable(),
      decided_by: z.string(),
      decided_at: z.string(),
    })
    .nullable()
    .optional()
    .describe(
      "a person overruled this same suggestion for this supplier and exception type before: follow that person's decision (the guard still checks it)",
    ),
});

/** Findings read from bank details and supplier payment data (Supplier Information). */
const BANK_FINDINGS = new Set([
  'remit_to_not_on_file',
  'tax_id_mismatch',
  'bank_change_request',
  'bank_details_not_on_file',
  'duplicate',
  'missing_vat_id',
]);

/**
 * A hold or a fraud signal must not rest on a cached bank detail (master data is cached for
 * minutes across a run): such an assessment is made again on bank details read from Coupa now.
 */
function restsOnBankDetails(a: ReturnType<typeof assessInvoice>): boolean {
  return a.decision === 'hold' || a.findings.some((f) => BANK_FINDINGS.has(f.kind));
}

const supplierIdOf = (c: InvoiceContext): number | null => c.invoice.supplier?.id ?? null;

/** A person's earlier correction of the same suggestion for this supplier and type (learning from disagreements). */
async function correctionFor(
  ctx: ToolContext,
  exceptionType: string,
  supplierId: number | null,
  decision: string,
): Promise<z.infer<typeof AssessmentOut>['correction']> {
  if (supplierId === null) return null;
  const c = await ctx.knowledge.findCorrection({ exceptionType, supplierId, agentDecision: decision });
  return c
    ? {
        invoice_id: c.invoiceId,
        decision: c.decision,
        route_to: c.routeTo,
        dispute_reason: c.disputeReason,
        decided_by: c.decidedBy,
        decided_at: c.decidedAt,
      }
    : null;
}

export const classifyException = defineTool({
  name: 'classify_exception',
  title: 'Classify exception',
  description:
    'Run every deterministic check on the invoice and classify the exception from the records (the event code may be missing or wrong): ' +
    'exception type, the suggested decision by the precedence rules (riskiest finding first), who to route to, the root cause with numbers, and the controls applied.',
  inputSchema: z.strictObject({
    invoice_id: z.number().int().positive(),
    exception_code: z.string().max(100).optional().describe("the event's exception_code hint, if any"),
    hold_reason: z.string().max(1_000).optional().describe("the event's hold_reason, if any"),
  }),
  outputSchema: AssessmentOut,
  guardClass: 'analysis',
  invoiceIdOf: (i) => i.invoice_id,
  async handler({ invoice_id, exception_code, hold_reason }, ctx) {
    const event =
      exception_code || hold_reason
        ? { exceptionCode: exception_code ?? null, holdReason: hold_reason ?? null }
        : undefined;
    let invoiceCtx = await requireContext(ctx, invoice_id);
    if (event) invoiceCtx.event = event;
    let a = assessInvoice(invoiceCtx, ctx.controls, ctx.now());
    if (restsOnBankDetails(a)) {
      invoiceCtx = await requireContext(ctx, invoice_id, { freshBank: true });
      if (event) invoiceCtx.event = event;
      a = assessInvoice(invoiceCtx, ctx.controls, ctx.now());
    }
    const coding = a.exceptionType === 'missing_po' ? suggestCoding(invoiceCtx) : null;
    // A non-PO invoice with no requester and no coded line goes to the owner of the account the
    // supplier is usually coded to, rather than falling back to the AP reviewer.
    const routeTo =
      a.decision === 'route' &&
      a.exceptionType === 'missing_po' &&
      a.routeTo === ctx.controls.ap_reviewer &&
      coding?.owner
        ? coding.owner
        : a.routeTo;
    const data = {
      invoice_id,
      invoice_number: invoiceCtx.invoice.invoiceNumber,
      status: invoiceCtx.invoice.status,
      supplier_id: invoiceCtx.invoice.supplier?.id ?? null,
      supplier_name: invoiceCtx.supplier?.name ?? invoiceCtx.invoice.supplier?.name ?? null,
      exception_type: a.exceptionType,
      suggested_decision: a.decision,
      route_to: routeTo ?? null,
      dispute_reason: a.disputeReason ?? null,
      root_cause: a.rootCause,
      rule: a.rule,
      confidence: a.confidence,
      invoice_total: a.invoiceTotal,
      currency: a.currency,
      hint: { text: a.hint.text, type: a.hint.type ?? null, agrees: a.hint.agrees },
      findings: findingsOut(a.findings, ctx.controls),
      controls_applied: a.controlsApplied.map(controlOut),
      suggested_coding: coding,
      correction: await correctionFor(ctx, a.exceptionType, supplierIdOf(invoiceCtx), a.decision),
    };
    return {
      data,
      text: `${a.exceptionType} → suggested ${a.decision}${routeTo ? ` to ${routeTo}` : ''}${a.disputeReason ? ` (${a.disputeReason})` : ''}: ${a.rootCause}`,
      invoiceId: invoice_id,
    };
  },
});
