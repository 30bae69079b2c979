import { z } from 'zod';
import { defineTool } from '../src/guard/tool.js';
import { WriteOutcome, currentInvoice, requireExceptionStatus } from './shared/write-outcome.js';

export const holdInvoice = defineTool({
  name: 'hold_invoice',
  title: 'Keep invoice on hold with a dossier',
  description:
    'Keep a held invoice on hold (nothing advances it) and attach an internal evidence dossier for AP: use for suspected duplicates and fraud signals ' +
    '(bank-change requests, remit-to not on file, supplier on hold). Never releases money.',
  inputSchema: z.strictObject({
    invoice_id: z.number().int().positive(),
    dossier: z.string().trim().min(20).max(10_000),
  }),
  outputSchema: WriteOutcome,
  guardClass: 'comment',
  decision: 'hold',
  invoiceIdOf: (i) => i.invoice_id,
  async handler(input, ctx) {
    const invoice = await currentInvoice(ctx, input.invoice_id);
    requireExceptionStatus(invoice, 'hold');
    await ctx.records.coupa.addComment(input.invoice_id, { text: input.dossier, toSupplier: false });
    ctx.records.afterWrite(input.invoice_id, invoice);
    const detail = `Invoice ${input.invoice_id} kept on hold (${invoice.status}) with an evidence dossier.`;
    return {
      data: { status: 'executed' as const, invoice_status: invoice.status, detail },
      text: detail,
      invoiceId: input.invoice_id,
    };
  },
});
