import { z } from 'zod';
import { assessInvoice, type Finding } from '../src/domain/index.js';
import { defineTool, ToolError, type ControlCheck } from '../src/guard/tool.js';
import type { ToolContext } from '../src/guard/context.js';
import { loadInvoiceContext } from './shared/invoice-context.js';
import { WriteOutcome, currentInvoice, requireExceptionStatus } from './shared/write-outcome.js';

/**
 * Branch (a) of the tax workflow: the supplier billed the right tax and Coupa's expected rate on a
 * line was wrong. The guard re-reads the invoice, asks the tax engine again and allows exactly the
 * corrections the assessment found (`tax_coupa_rate_wrong`, within the tax tolerance) — the
 * caller's rates are compared with the engine's, never trusted.
 */
const Correction = z.strictObject({
  line_num: z.string().trim().min(1).max(20).describe('invoice line number as Coupa prints it'),
  tax_rate: z
    .string()
    .trim()
    .regex(/^\d+(\.\d+)?$/)
    .describe('the rate the tax engine gives, in percent, e.g. "8.25"'),
});

async function correctionsAllowed(
  input: { invoice_id: number; corrections: Array<z.infer<typeof Correction>> },
  ctx: ToolContext,
): Promise<ControlCheck & { lines?: Array<{ id: number; taxRate: string }> }> {
  const invoiceCtx = await loadInvoiceContext(ctx, input.invoice_id, { fresh: true });
  if (!invoiceCtx)
    return {
      ok: false,
      control: 'invoice_exists',
      reason: `invoice ${input.invoice_id} was not found`,
      instead: 'nothing to correct',
    };
  const a = assessInvoice(invoiceCtx, ctx.controls, ctx.now());
  const found = new Map<string, Finding>(
    a.findings.filter((f) => f.kind === 'tax_coupa_rate_wrong' && f.lineNum).map((f) => [f.lineNum!, f]),
  );
  const lines: Array<{ id: number; taxRate: string }> = [];
  for (const c of input.corrections) {
    const f = found.get(c.line_num);
    if (!f || f.invoiceLineId === undefined) {
      return {
        ok: false,
        control: 'tax_engine_agrees',
        reason: `line ${c.line_num}: the tax engine does not show Coupa's rate to be wrong with the billed tax right (${a.rootCause})`,
        instead:
          a.decision === 'route'
            ? `route_to_approver to "${a.routeTo}"`
            : a.decision === 'dispute'
              ? 'dispute_invoice with TAX-ERROR'
              : 'leave the rate as it is',
      };
    }
    if (Number(f.figures.correctRate) !== Number(c.tax_rate)) {
      return {
        ok: false,
        control: 'tax_engine_rate',
        reason: `line ${c.line_num}: the engine's rate is ${f.figures.correctRate}%, not ${c.tax_rate}%`,
        instead: `correct line ${c.line_num} to ${f.figures.correctRate}%`,
      };
    }
    lines.push({ id: f.invoiceLineId, taxRate: f.figures.correctRate! });
  }
  return { ok: true, evidence: [...found.values()].map((f) => f.summary), lines };
}

export const correctTaxRate = defineTool({
  name: 'correct_tax_rate',
  title: 'Correct tax rate',
  description:
    "Correct Coupa's expected tax rate on invoice lines where the tax engine shows the supplier billed the right tax and the line's rate was wrong (classify_exception finding tax_coupa_rate_wrong), then revalidate. " +
    'Only the rates the engine gives, only within the tax tolerance; billed amounts are never changed. Resolve the exception afterwards.',
  inputSchema: z.strictObject({
    invoice_id: z.number().int().positive(),
    corrections: z.array(Correction).min(1).max(50),
    justification: z
      .string()
      .trim()
      .min(20)
      .max(2_000)
      .describe('the engine, jurisdiction and rate that show the correction'),
  }),
  outputSchema: WriteOutcome.extend({
    corrected: z.array(z.object({ line_num: z.string(), tax_rate: z.string() })).optional(),
  }),
  guardClass: 'state',
  nonDestructive: true,
  invoiceIdOf: (i) => i.invoice_id,
  checkControls: (input, ctx) => correctionsAllowed(input, ctx),
  async handler(input, ctx) {
    const invoice = await currentInvoice(ctx, input.invoice_id);
    requireExceptionStatus(invoice, 'correct_tax_rate');
    const check = await correctionsAllowed(input, ctx);
    if (!check.ok || !check.lines)
      throw new ToolError(check.ok ? 'nothing to correct' : check.reason, check.ok ? undefined : check.instead);
    await ctx.records.coupa.setLineTaxRates(input.invoice_id, check.lines);
    const updated = await ctx.records.coupa.revalidateTolerances(input.invoice_id);
    ctx.records.afterWrite(input.invoice_id, updated);
    const detail = `Invoice ${input.invoice_id}: tax rate corrected on line(s) ${input.corrections.map((c) => `${c.line_num} → ${c.tax_rate}%`).join(', ')}; revalidated, status ${updated.status}.`;
    return {
      data: { status: 'executed' as const, invoice_status: updated.status, detail, corrected: input.corrections },
      text: detail,
      invoiceId: input.invoice_id,
    };
  },
});
