import { z } from 'zod';
import { filterSupplierText } from '../src/guard/output-filter.js';
import { ToolError, defineTool } from '../src/guard/tool.js';
import { WriteOutcome, currentInvoice, requireExceptionStatus } from './shared/write-outcome.js';

export const requestInformation = defineTool({
  name: 'request_information',
  title: 'Request information from the supplier',
  description:
    'Ask the supplier, in a supplier-visible comment and by e-mail to the contact on the Supplier record, for what is missing (tax id / VAT number, payment terms, invoice date, backup documents). ' +
    'The invoice stays held; each item is tracked until the supplier answers, is reminded, then escalated. An item already pending is not asked again. ' +
    'The message is filtered: no internal data, bank numbers or tax ids.',
  inputSchema: z.strictObject({
    invoice_id: z.number().int().positive(),
    missing: z.array(z.string().min(2).max(200)).min(1).max(10),
    supplier_message: z.string().trim().min(20).max(4_000),
  }),
  outputSchema: WriteOutcome.extend({
    redactions: z.array(z.string()).optional(),
    pending_requests: z.array(z.number()).optional(),
  }),
  guardClass: 'comment',
  decision: 'request_info',
  invoiceIdOf: (i) => i.invoice_id,
  supplierTextOf: (i) => i.supplier_message,
  async handler(input, ctx) {
    const invoice = await currentInvoice(ctx, input.invoice_id);
    requireExceptionStatus(invoice, 'request_information');
    const requests = ctx.supplierRequests;
    const plan = requests ? await requests.plan(input.invoice_id, input.missing) : undefined;
    if (plan?.answered.length && plan.fresh.length === 0) {
      // The supplier's answer is in Settle (untrusted, never applied by itself): a person applies it in Coupa.
      throw new ToolError(
        `the supplier already answered ${plan.answered.map((r) => r.asked).join(', ')} (${plan.answered.map((r) => `request ${r.id}`).join(', ')}); Coupa does not show it yet`,
        `route_to_approver to the AP reviewer "${ctx.controls.ap_reviewer}" to check the answer and apply it; do not ask again`,
      );
    }
    if (plan && plan.fresh.length === 0) {
      const since = plan.pending[0]!.askedAt.toISOString().slice(0, 10);
      const detail = `Already asked the supplier for ${plan.pending.map((r) => r.asked).join(', ')} on ${since}; still pending, nothing sent again. Invoice ${input.invoice_id} stays ${invoice.status}.`;
      return {
        data: {
          status: 'executed' as const,
          invoice_status: invoice.status,
          detail,
          pending_requests: plan.pending.map((r) => r.id),
        },
        text: detail,
        invoiceId: input.invoice_id,
      };
    }
    const { text, redactions } = filterSupplierText(input.supplier_message, { supplierName: invoice.supplier?.name });
    await ctx.records.coupa.addComment(input.invoice_id, { text, toSupplier: true });
    ctx.records.afterWrite(input.invoice_id, invoice);
    let mailNote = '';
    let recorded: number[] = [];
    if (requests && plan) {
      const supplier = invoice.supplier?.id ? await ctx.records.supplier(invoice.supplier.id) : null;
      // The item names reach the supplier too (the mail's list, reminders): filtered like the message.
      const items = plan.fresh.map((i) => ({
        ...i,
        asked: filterSupplierText(i.asked, { supplierName: invoice.supplier?.name }).text,
      }));
      const sent = await requests.ask({
        invoiceId: input.invoice_id,
        invoiceNumber: invoice.invoiceNumber ?? null,
        supplier,
        items,
        message: text,
      });
      recorded = sent.recorded.map((r) => r.id);
      mailNote = sent.emailedTo
        ? ' Also sent by e-mail to the supplier contact.'
        : ` Not e-mailed: ${sent.emailProblem}.`;
    }
    const asked = plan ? plan.fresh.map((i) => i.asked) : input.missing;
    const detail = `Asked the supplier for: ${asked.join(', ')}.${mailNote} Invoice ${input.invoice_id} stays ${invoice.status}.`;
    return {
      data: {
        status: 'executed' as const,
        redactions,
        invoice_status: invoice.status,
        detail,
        ...(plan ? { pending_requests: recorded } : {}),
      },
      text: detail,
      invoiceId: input.invoice_id,
    };
  },
});
