import { z } from 'zod';
import { defineTool } from '../src/guard/tool.js';

const ProposalOut = z.object({
  id: z.string(),
  created_at: z.string(),
  tool: z.string(),
  invoice_id: z.number().nullable(),
  proposer: z.string(),
  reason: z.string(),
  evidence: z.array(z.string()),
  status: z.string(),
  input: z.record(z.string(), z.unknown()),
});

export const listProposals = defineTool({
  name: 'list_proposals',
  title: 'List proposals',
  description:
    'List writes waiting for a person with the approver role (oldest first), with the evidence behind each. Approver scope required.',
  inputSchema: z.strictObject({
    status: z.enum(['pending', 'approved', 'rejected', 'executed', 'failed']).default('pending'),
    invoice_id: z.number().int().positive().optional(),
    limit: z.number().int().min(1).max(100).default(25),
  }),
  outputSchema: z.object({ proposals: z.array(ProposalOut) }),
  // A read (never replayed from an idempotency key, visible in read-only deployments) that only
  // approvers may run.
  guardClass: 'read',
  requiredScope: 'proposals:decide',
  async handler(input, ctx) {
    const list = await ctx.proposals.list({
      status: input.status,
      ...(input.invoice_id ? { invoiceId: input.invoice_id } : {}),
      limit: input.limit,
    });
    const proposals = list.map((p) => ({
      id: p.id,
      created_at: p.createdAt,
      tool: p.tool,
      invoice_id: p.invoiceId,
      proposer: p.proposer,
      reason: p.reason,
      evidence: p.evidence,
      status: p.status,
      input: p.input,
    }));
    return { data: { proposals }, text: `${proposals.length} ${input.status} proposal(s).` };
  },
});
