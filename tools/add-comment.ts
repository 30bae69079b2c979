import { z } from 'zod';
import { filterSupplierText } from '../src/guard/output-filter.js';
import { defineTool } from '../src/guard/tool.js';
import { WriteOutcome, currentInvoice } from './shared/write-outcome.js';

export const addComment = defineTool({
  name: 'add_comment',
  title: 'Add comment',
  description:
    'Add a comment to a Coupa invoice: internal (AP team only) or to_supplier (visible to the supplier). ' +
    "Supplier-visible text passes a filter that removes bank numbers, tax ids and other suppliers' data.",
  inputSchema: z.strictObject({
    invoice_id: z.number().int().positive(),
    text: z.string().trim().min(1).max(10_000),
    to_supplier: z.boolean().default(false),
  }),
  outputSchema: WriteOutcome.extend({
    comment_id: z.number().nullable().optional(),
    redactions: z.array(z.string()).optional(),
  }),
  guardClass: 'comment',
  invoiceIdOf: (i) => i.invoice_id,
  supplierTextOf: (i) => (i.to_supplier ? i.text : undefined),
  async handler(input, ctx) {
    const invoice = await currentInvoice(ctx, input.invoice_id);
    const { text, redactions } = input.to_supplier
      ? filterSupplierText(input.text, { supplierName: invoice.supplier?.name })
      : { text: input.text, redactions: [] };
    const comment = await ctx.records.coupa.addComment(input.invoice_id, { text, toSupplier: input.to_supplier });
    ctx.records.afterWrite(input.invoice_id, invoice);
    const detail = `${input.to_supplier ? 'Supplier-visible' : 'Internal'} comment added to invoice ${input.invoice_id}${redactions.length ? ` (redacted: ${redactions.join(', ')})` : ''}.`;
    return {
      data: {
        status: 'executed' as const,
        comment_id: comment.id ?? null,
        redactions,
        invoice_status: invoice.status,
        detail,
      },
      text: detail,
      invoiceId: input.invoice_id,
    };
  },
});
