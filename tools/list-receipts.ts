import { z } from 'zod';
import { ToolError, defineTool } from '../src/guard/tool.js';
import { ReceiptOut, projectReceipt } from './shared/projections.js';

export const listReceipts = defineTool({
  name: 'list_receipts',
  title: 'List receipts',
  description:
    'List the receiving transactions (goods or services received) for a purchase order, or for the PO lines an invoice bills against.',
  inputSchema: z
    .strictObject({
      purchase_order_id: z.number().int().positive().optional(),
      invoice_id: z.number().int().positive().optional(),
    })
    .refine((v) => (v.purchase_order_id === undefined) !== (v.invoice_id === undefined), {
      message: 'give exactly one of purchase_order_id or invoice_id',
    }),
  outputSchema: z.object({ receipts: z.array(ReceiptOut), order_line_ids: z.array(z.number()) }),
  guardClass: 'read',
  invoiceIdOf: (i) => i.invoice_id,
  async handler(input, ctx) {
    let lineIds: number[];
    if (input.invoice_id !== undefined) {
      const invoice = await ctx.records.invoice(input.invoice_id);
      if (!invoice) throw new ToolError(`invoice ${input.invoice_id} was not found`);
      lineIds = invoice.invoiceLines.map((l) => l.orderLineId).filter((id): id is number => typeof id === 'number');
    } else {
      const po = await ctx.records.purchaseOrder(input.purchase_order_id!);
      if (!po) throw new ToolError(`purchase order ${input.purchase_order_id} was not found`);
      lineIds = po.orderLines.map((l) => l.id);
    }
    const receipts = (await ctx.records.receiptsForOrderLines(lineIds)).map(projectReceipt);
    return {
      data: { receipts, order_line_ids: lineIds },
      text: `${receipts.length} receipt(s) against ${lineIds.length} PO line(s).`,
    };
  },
});
