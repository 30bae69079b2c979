/**
 * Findings as the analysis tools return them: the numbers side by side, the evidence, and the
 * control that applies with its limit — so a model explains, but never does the money math.
 */
import { z } from 'zod';
import { checkTolerance, type Controls, type Finding } from '../../src/domain/index.js';
import { defineTool, type ToolDefinition } from '../../src/guard/tool.js';
import type { ControlApplied } from '../../src/domain/tolerance.js';
import { ToolError } from '../../src/guard/tool.js';
import type { ToolContext } from '../../src/guard/context.js';
import { createFence } from '../../src/guard/untrusted.js';
import { loadInvoiceContext } from './invoice-context.js';
import type { InvoiceContext } from '../../src/domain/index.js';

import { ControlOut, FindingOut } from './output-schemas.js';

export { ControlOut, FindingOut };

/** Kinds whose evidence quotes supplier-written text: fenced as untrusted. */
const QUOTES_SUPPLIER_TEXT = new Set(['bank_change_request', 'supplier_text_instruction']);

export function controlOut(c: ControlApplied): z.infer<typeof ControlOut> {
  return { control: c.control, limit: c.limit, actual: c.actual, within: c.within, reason: c.reason };
}

export function findingsOut(findings: readonly Finding[], controls: Controls): FindingOut[] {
  const fence = createFence();
  return findings.map((f) => {
    const verdict = checkTolerance(f, controls);
    const quotes = QUOTES_SUPPLIER_TEXT.has(f.kind);
    return {
      kind: f.kind,
      exception_type: f.exceptionType,
      summary: quotes ? (fence.wrap(f.summary) ?? f.summary) : f.summary,
      line: f.lineNum ?? null,
      figures: f.figures,
      evidence: quotes ? f.evidence.map((e) => fence.wrap(e) ?? e) : f.evidence,
      within_tolerance: verdict.governed ? verdict.within : null,
      controls: verdict.checks.map(controlOut),
    };
  });
}

/** Load the invoice's records or fail with a clear tool error. */
export async function requireContext(
  ctx: ToolContext,
  invoiceId: number,
  options: { freshBank?: boolean } = {},
): Promise<InvoiceContext> {
  const invoiceCtx = await loadInvoiceContext(ctx, invoiceId, options);
  if (!invoiceCtx)
    throw new ToolError(`invoice ${invoiceId} was not found in Coupa`, 'check the id; it may have been deleted');
  return invoiceCtx;
}

export const AnalysisInput = z.strictObject({ invoice_id: z.number().int().positive().describe('Coupa invoice id') });
export const AnalysisOutput = z.object({ invoice_id: z.number(), findings: z.array(FindingOut) });

export function findingsText(label: string, findings: readonly FindingOut[]): string {
  if (findings.length === 0) return `${label}: no findings.`;
  return `${label}: ${findings.map((f) => `${f.kind}${f.line ? ` (line ${f.line})` : ''}${f.within_tolerance === null ? '' : f.within_tolerance ? ' within tolerance' : ' OUTSIDE tolerance'}`).join('; ')}.`;
}

/**
 * An analysis tool that runs one deterministic check over the invoice's records and returns its
 * findings with the controls that apply: the tool is its description plus the check.
 */
export function defineFindingsTool(spec: {
  name: string;
  title: string;
  description: string;
  label: string;
  check: (invoiceCtx: InvoiceContext, ctx: ToolContext) => Finding[];
}): ToolDefinition<typeof AnalysisInput, typeof AnalysisOutput> {
  return defineTool({
    name: spec.name,
    title: spec.title,
    description: spec.description,
    inputSchema: AnalysisInput,
    outputSchema: AnalysisOutput,
    guardClass: 'analysis',
    invoiceIdOf: (i) => i.invoice_id,
    async handler({ invoice_id }, ctx) {
      const invoiceCtx = await requireContext(ctx, invoice_id);
      const findings = findingsOut(spec.check(invoiceCtx, ctx), ctx.controls);
      return { data: { invoice_id, findings }, text: findingsText(spec.label, findings), invoiceId: invoice_id };
    },
  });
}
