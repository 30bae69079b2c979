import { z } from 'zod';
import { ToolError, defineTool } from '../src/guard/tool.js';
import { PurchaseOrderOut, projectPurchaseOrder } from './shared/projections.js';

export const getPurchaseOrder = defineTool({
  name: 'get_purchase_order',
  title: 'Get purchase order',
  description:
    'Read one Coupa purchase order by id or PO number: requester, lines with ordered quantity, price, received and invoiced amounts, and match type.',
  inputSchema: z
    .strictObject({
      purchase_order_id: z.number().int().positive().optional(),
      po_number: z.string().min(1).max(40).optional(),
    })
    .refine((v) => v.purchase_order_id !== undefined || v.po_number !== undefined, {
      message: 'give purchase_order_id or po_number',
    }),
  outputSchema: z.object({ purchase_order: PurchaseOrderOut }),
  guardClass: 'read',
  async handler(input, ctx) {
    const po =
      input.purchase_order_id !== undefined
        ? await ctx.records.purchaseOrder(input.purchase_order_id)
        : await ctx.records.purchaseOrderByNumber(input.po_number!);
    if (!po)
      throw new ToolError(
        `purchase order ${input.purchase_order_id ?? input.po_number} was not found`,
        'the invoice may reference a PO that does not exist (missing_po)',
      );
    const out = projectPurchaseOrder(po);
    return {
      data: { purchase_order: out },
      text: `PO ${out.po_number} (${out.status}), requester ${out.requester ?? 'unknown'}, ${out.lines.length} line(s).`,
    };
  },
});
