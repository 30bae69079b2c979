import { z } from 'zod';
import { ToolError, defineTool } from '../src/guard/tool.js';

export const decideProposal = defineTool({
  name: 'decide_proposal',
  title: 'Approve or reject a proposal',
  description:
    'Approve (execute exactly the stored write, once) or reject a pending proposal. Approver scope required; the identity that proposed an action cannot approve it.',
  inputSchema: z.strictObject({
    proposal_id: z.string().min(1).max(100),
    decision: z.enum(['approve', 'reject']),
    reason: z.string().trim().min(3).max(2_000),
  }),
  outputSchema: z.object({ status: z.string(), proposal_id: z.string(), detail: z.string() }),
  guardClass: 'review',
  async handler(input, ctx) {
    const result = await ctx.decideProposal(input.proposal_id, input.decision, input.reason);
    if (result.isError) throw new ToolError(result.text);
    return {
      data: {
        status: input.decision === 'approve' ? 'approved' : 'rejected',
        proposal_id: input.proposal_id,
        detail: result.text,
      },
      text: result.text,
    };
  },
});
