import { z } from 'zod';
import { ToolError, defineTool } from '../src/guard/tool.js';
import { createGrirStore } from '../src/grir/store.js';
import { createGrirProposalStore } from '../src/grir/proposals.js';

export const proposeGrirClearing = defineTool({
  name: 'propose_grir_clearing',
  title: 'Propose a GR/IR clearing',
  description:
    'Propose the action the investigation found for one open GR/IR item (a clearing entry with its debit/credit lines, a write-off, a credit-note or receipt request) for an accountant to approve. Amounts and accounts come from the book, never from the caller; a proposal changes nothing until a person with the accountant role approves it on the review site. Writes nothing to Coupa.',
  inputSchema: z.strictObject({
    po_line_id: z.number().int().positive(),
    /** Why you propose it: shown to the accountant beside the evidence. */
    note: z.string().trim().min(3).max(1_000).optional(),
  }),
  outputSchema: z.object({
    status: z.literal('proposed'),
    proposal_id: z.number(),
    action: z.string(),
    amount: z.string(),
    currency: z.string(),
    approvals_needed: z.number(),
    detail: z.string(),
  }),
  guardClass: 'memory',
  requiredScope: 'grir:propose-clearing',
  async handler(input, ctx) {
    if (!ctx.grir) throw new ToolError('no GR/IR book is kept here', 'run `settle grir` first');
    const [item] = await createGrirStore(ctx.grir.db).openItems(ctx.grir.source, {
      poLineId: input.po_line_id,
      limit: 1,
    });
    if (!item)
      throw new ToolError(`PO line ${input.po_line_id} has no open GR/IR item`, 'list them with grir_open_items');
    if (item.action.kind === 'leave_open')
      throw new ToolError(
        `the item on PO ${item.poNumber} line ${item.lineNum} is to be left open until ${item.action.followUp ?? 'its follow-up date'}`,
        'nothing to propose',
      );
    const action = input.note
      ? { ...item.action, reason: `${item.action.reason} Note from ${ctx.identity.id}: ${input.note}` }
      : item.action;
    const proposal = await createGrirProposalStore(ctx.grir.db).propose({
      source: ctx.grir.source,
      kind: 'clearing',
      poLineId: item.poLineId,
      action,
      proposedBy: ctx.identity,
      via: 'mcp',
      now: ctx.now(),
    });
    const detail = `Proposed ${action.kind.replace(/_/g, ' ')} of ${action.amount} ${action.currency} for PO ${item.poNumber} line ${item.lineNum} (proposal ${proposal.id}); it needs ${proposal.approvalsNeeded} accountant approval(s) on the review site.`;
    return {
      data: {
        status: 'proposed' as const,
        proposal_id: proposal.id,
        action: action.kind,
        amount: action.amount,
        currency: action.currency,
        approvals_needed: proposal.approvalsNeeded,
        detail,
      },
      text: detail,
    };
  },
});
