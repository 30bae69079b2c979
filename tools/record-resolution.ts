import { z } from 'zod';
import { Decision, ExceptionType } from '../src/domain/vocabulary.js';
import { defineTool } from '../src/guard/tool.js';

export const recordResolution = defineTool({
  name: 'record_resolution',
  title: 'Record resolution',
  description:
    "Write a settled exception back to Settle's memory so it becomes a searchable past resolution (a person's final decision supersedes the agent's). Writes nothing to Coupa.",
  inputSchema: z.strictObject({
    invoice_id: z.number().int().positive(),
    exception_type: ExceptionType,
    decision: Decision,
    summary: z.string().trim().min(10).max(4_000),
    supplier_id: z.number().int().positive().optional(),
    supplier_name: z.string().min(1).max(200).optional(),
  }),
  outputSchema: z.object({
    status: z.literal('executed'),
    document_id: z.string(),
    superseded: z.boolean(),
    detail: z.string(),
  }),
  guardClass: 'memory',
  invoiceIdOf: (i) => i.invoice_id,
  async handler(input, ctx) {
    const { documentId, superseded } = await ctx.knowledge.recordResolution({
      invoiceId: input.invoice_id,
      exceptionType: input.exception_type,
      decision: input.decision,
      summary: input.summary,
      decidedBy: ctx.identity.id,
      source: ctx.identity.kind === 'person' ? 'human' : 'agent',
      ...(input.supplier_id ? { supplierId: input.supplier_id } : {}),
      ...(input.supplier_name ? { supplierName: input.supplier_name } : {}),
      decidedAt: ctx.now().toISOString(),
    });
    const detail = `Resolution for invoice ${input.invoice_id} recorded as ${documentId}${superseded ? ' (superseded an earlier one)' : ''}.`;
    return {
      data: { status: 'executed' as const, document_id: documentId, superseded, detail },
      text: detail,
      invoiceId: input.invoice_id,
    };
  },
});
