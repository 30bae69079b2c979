import { z } from 'zod';
import { ToolError, defineTool } from '../src/guard/tool.js';
import { adjustToPoValue, creditNoteRequestText } from '../src/domain/grir/adjustment.js';
import { createGrirProposalStore } from '../src/grir/proposals.js';

const LineOut = z.object({
  line_num: z.string(),
  reasons: z.array(z.string()),
  billed_total: z.string(),
  payable_total: z.string(),
  adjustment: z.string(),
});

export const proposeAdjustment = defineTool({
  name: 'propose_adjustment',
  title: 'Propose an invoice adjustment to the PO value',
  description:
    'For a price or quantity match exception where policy says pay the PO value: compute, per line, what is payable (PO price; ordered, or received for 3-way lines, less what was invoiced before) and propose a short-pay — a credit-note request to the supplier with lines and amounts, and the message that tells them why. Nothing is sent or changed until an accountant approves it.',
  inputSchema: z.strictObject({ invoice_id: z.number().int().positive() }),
  outputSchema: z.object({
    status: z.literal('proposed'),
    proposal_id: z.number(),
    total: z.string(),
    currency: z.string(),
    lines: z.array(LineOut),
    supplier_message: z.string(),
    approvals_needed: z.number(),
    detail: z.string(),
  }),
  guardClass: 'memory',
  requiredScope: 'grir:propose-adjustment',
  invoiceIdOf: (i) => i.invoice_id,
  async handler(input, ctx) {
    if (!ctx.grir) throw new ToolError('no GR/IR store is kept here');
    const invoice = await ctx.records.invoice(input.invoice_id, { fresh: true });
    if (!invoice) throw new ToolError(`invoice ${input.invoice_id} was not found in Coupa`);
    const lineIds = invoice.invoiceLines.map((l) => l.orderLineId).filter((id): id is number => typeof id === 'number');
    if (lineIds.length === 0) throw new ToolError('the invoice bills no PO lines: there is no PO value to adjust to');
    const adjustment = adjustToPoValue(invoice, await ctx.records.purchaseOrdersForOrderLines(lineIds));
    if (adjustment.lines.length === 0)
      throw new ToolError('the invoice does not exceed the PO value: nothing to adjust');
    const message = creditNoteRequestText(adjustment);
    const proposal = await createGrirProposalStore(ctx.grir.db).propose({
      source: ctx.grir.source,
      kind: 'adjustment',
      invoiceId: invoice.id,
      proposedBy: ctx.identity,
      via: 'mcp',
      now: ctx.now(),
      action: {
        kind: 'credit_note_request',
        amount: adjustment.total,
        currency: adjustment.currency,
        reason: message,
        lines: [],
        addressee: invoice.supplier?.name ?? undefined,
      },
    });
    const lines = adjustment.lines.map((l) => ({
      line_num: l.lineNum,
      reasons: l.reasons,
      billed_total: l.billedTotal,
      payable_total: l.payableTotal,
      adjustment: l.adjustment,
    }));
    const detail = `Proposed a credit-note request of ${adjustment.total} ${adjustment.currency} on invoice ${invoice.invoiceNumber} (proposal ${proposal.id}, ${proposal.approvalsNeeded} approval(s) needed).`;
    return {
      data: {
        status: 'proposed' as const,
        proposal_id: proposal.id,
        total: adjustment.total,
        currency: adjustment.currency,
        lines,
        supplier_message: message,
        approvals_needed: proposal.approvalsNeeded,
        detail,
      },
      text: detail,
      invoiceId: invoice.id,
    };
  },
});
