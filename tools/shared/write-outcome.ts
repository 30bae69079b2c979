/**
 * Every write tool answers with the same envelope, so a caller handles "done" and "waiting for a
 * person" alike: `executed` (Coupa changed) or `proposed` (stored for an approver).
 */
import { z } from 'zod';
import type { Invoice } from '../../src/coupa/schemas.js';
import type { ToolContext } from '../../src/guard/context.js';
import { ToolError } from '../../src/guard/tool.js';
import { HELD_STATUSES } from '../../src/coupa/invoice-statuses.js';

export const WriteOutcome = z.object({
  status: z
    .enum(['executed', 'proposed', 'shadow'])
    .describe('shadow: decided and recorded in shadow mode; nothing was written to Coupa'),
  proposal_id: z.string().optional(),
  invoice_status: z.string().nullable().optional(),
  detail: z.string(),
  mode: z.string().optional(),
  autonomy_rule: z.string().optional(),
});
export type WriteOutcome = z.infer<typeof WriteOutcome>;

/**
 * The invoice a write concerns, from the short-lived cache (the control check or the
 * investigation read it seconds ago; Coupa's own state machine still refuses an illegal action).
 * A clear error when it is gone.
 */
export async function currentInvoice(ctx: ToolContext, invoiceId: number): Promise<Invoice> {
  const invoice = await ctx.records.invoice(invoiceId);
  if (!invoice)
    throw new ToolError(`invoice ${invoiceId} was not found in Coupa`, 'it may have been deleted; nothing was written');
  return invoice;
}

export function requireExceptionStatus(invoice: Invoice, action: string): void {
  if (!HELD_STATUSES.has(invoice.status)) {
    throw new ToolError(
      `invoice ${invoice.id} is ${invoice.status}, not in an exception status`,
      `${action} applies only to held invoices; re-read it with get_invoice`,
    );
  }
}
