import { z } from 'zod';
import { assessInvoice } from '../src/domain/index.js';
import { READ_ANNOTATIONS, defineTool } from '../src/guard/tool.js';
import { ControlOut, FindingOut, controlOut, findingsOut, requireContext } from './findings-output.js';

export const AssessmentOut = z.object({
  invoice_id: z.number(),
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
});

export const classifyException = defineTool({
  name: 'classify_exception',
  title: 'Classify exception',
  description:
    'Run every deterministic check on the invoice and classify the exception from the records (the event code may be missing or wrong): ' +
    'exception type, the suggested decision by the precedence rules (riskiest finding first), who to route to, the root cause with numbers, and the controls applied.',
  inputSchema: z.strictObject({
    invoice_id: z.number().int().positive(),
    exception_code: z.string().max(100).optional().describe("the event's exception_code hint, if any"),
  }),
  outputSchema: AssessmentOut,
  annotations: READ_ANNOTATIONS,
  guardClass: 'analysis',
  invoiceIdOf: (i) => i.invoice_id,
  async handler({ invoice_id, exception_code }, ctx) {
    const invoiceCtx = await requireContext(ctx, invoice_id);
    if (exception_code) invoiceCtx.event = { exceptionCode: exception_code };
    const a = assessInvoice(invoiceCtx, ctx.controls, ctx.now());
    const data = {
      invoice_id,
      exception_type: a.exceptionType,
      suggested_decision: a.decision,
      route_to: a.routeTo ?? null,
      dispute_reason: a.disputeReason ?? null,
      root_cause: a.rootCause,
      rule: a.rule,
      confidence: a.confidence,
      invoice_total: a.invoiceTotal,
      currency: a.currency,
      hint: { text: a.hint.text, type: a.hint.type ?? null, agrees: a.hint.agrees },
      findings: findingsOut(a.findings, ctx.controls),
      controls_applied: a.controlsApplied.map(controlOut),
    };
    return {
      data,
      text: `${a.exceptionType} → suggested ${a.decision}${a.routeTo ? ` to ${a.routeTo}` : ''}${a.disputeReason ? ` (${a.disputeReason})` : ''}: ${a.rootCause}`,
      invoiceId: invoice_id,
    };
  },
});
