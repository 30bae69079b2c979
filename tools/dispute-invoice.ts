import { z } from 'zod';
import { filterSupplierText } from '../src/guard/output-filter.js';
import { defineTool } from '../src/guard/tool.js';
import { WriteOutcome, currentInvoice, requireExceptionStatus } from './shared/write-outcome.js';

export const DisputeReason = z.enum([
  'INCORRECT-PRICE',
  'INCORRECT-QUANTITY',
  'DUPLICATE',
  'NOT-RECEIVED',
  'MISSING-PO',
  'TAX-ERROR',
  'OTHER',
]);

export const disputeInvoice = defineTool({
  name: 'dispute_invoice',
  title: 'Dispute invoice',
  description:
    'Send the invoice back to the supplier as disputed, with a reason code and a polite supplier-facing message that says what to correct. ' +
    'Use when the supplier billed beyond what was ordered or above a firm contract price. The message is filtered: no internal data, bank numbers or tax ids.',
  inputSchema: z.strictObject({
    invoice_id: z.number().int().positive(),
    reason_code: DisputeReason,
    supplier_message: z.string().trim().min(20).max(4_000),
  }),
  outputSchema: WriteOutcome.extend({
    reason_code: DisputeReason.optional(),
    redactions: z.array(z.string()).optional(),
  }),
  guardClass: 'state',
  decision: 'dispute',
  invoiceIdOf: (i) => i.invoice_id,
  supplierTextOf: (i) => i.supplier_message,
  async handler(input, ctx) {
    const invoice = await currentInvoice(ctx, input.invoice_id);
    requireExceptionStatus(invoice, 'dispute');
    const { text, redactions } = filterSupplierText(input.supplier_message, { supplierName: invoice.supplier?.name });
    const updated = await ctx.records.coupa.dispute(input.invoice_id, { reasonCode: input.reason_code, comment: text });
    ctx.records.afterWrite(input.invoice_id, updated);
    const detail = `Invoice ${input.invoice_id} disputed (${input.reason_code}); status ${updated.status}.`;
    return {
      data: {
        status: 'executed' as const,
        reason_code: input.reason_code,
        redactions,
        invoice_status: updated.status,
        detail,
      },
      text: detail,
      invoiceId: input.invoice_id,
    };
  },
});
