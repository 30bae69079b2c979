import { z } from 'zod';
import { filterSupplierText } from '../src/guard/output-filter.js';
import { defineTool } from '../src/guard/tool.js';
import { WriteOutcome, currentInvoice, requireExceptionStatus } from './shared/write-outcome.js';

export const requestInformation = defineTool({
  name: 'request_information',
  title: 'Request information from the supplier',
  description:
    'Ask the supplier, in a supplier-visible comment, for what is missing (tax id / VAT number, payment terms, invoice date, backup documents). ' +
    'The invoice stays held. The message is filtered: no internal data, bank numbers or tax ids.',
  inputSchema: z.strictObject({
    invoice_id: z.number().int().positive(),
    missing: z.array(z.string().min(2).max(200)).min(1).max(10),
    supplier_message: z.string().trim().min(20).max(4_000),
  }),
  outputSchema: WriteOutcome.extend({ redactions: z.array(z.string()).optional() }),
  guardClass: 'comment',
  decision: 'request_info',
  invoiceIdOf: (i) => i.invoice_id,
  supplierTextOf: (i) => i.supplier_message,
  async handler(input, ctx) {
    const invoice = await currentInvoice(ctx, input.invoice_id);
    requireExceptionStatus(invoice, 'request_information');
    const { text, redactions } = filterSupplierText(input.supplier_message, { supplierName: invoice.supplier?.name });
    await ctx.records.coupa.addComment(input.invoice_id, { text, toSupplier: true });
    ctx.records.afterWrite(input.invoice_id, invoice);
    const detail = `Asked the supplier for: ${input.missing.join(', ')}. Invoice ${input.invoice_id} stays ${invoice.status}.`;
    return { data: { status: 'executed' as const, redactions, invoice_status: invoice.status, detail }, text: detail, invoiceId: input.invoice_id };
  },
});
