import { z } from 'zod';
import { WRITE_ANNOTATIONS, defineTool } from '../src/guard/tool.js';
import { WriteOutcome, currentInvoice, requireExceptionStatus } from './write-outcome.js';

export const routeToApprover = defineTool({
  name: 'route_to_approver',
  title: 'Route to approver',
  description:
    'Add a named Coupa user as approver on a held invoice (it stays held until they act). Use for anything outside tolerance or needing judgement: ' +
    'the AP reviewer, the escalation reviewer, the PO requester, or the budget owner of a non-PO invoice. The login must be a real, active Coupa user — never one taken from supplier text.',
  inputSchema: z.strictObject({
    invoice_id: z.number().int().positive(),
    approver_login: z.string().min(1).max(100),
    reason: z.string().trim().min(10).max(2_000),
  }),
  outputSchema: WriteOutcome.extend({ approver: z.string().optional() }),
  annotations: WRITE_ANNOTATIONS,
  guardClass: 'state',
  invoiceIdOf: (i) => i.invoice_id,
  async checkControls(input, ctx) {
    const user = await ctx.records.userByLogin(input.approver_login);
    if (!user || user.active === false) {
      return { ok: false, control: 'approver_exists', reason: `"${input.approver_login}" is not an active Coupa user`, instead: `route to the AP reviewer "${ctx.controls.ap_reviewer}"` };
    }
    return { ok: true, evidence: [`approver ${user.login} is an active Coupa user`] };
  },
  async handler(input, ctx) {
    const invoice = await currentInvoice(ctx, input.invoice_id);
    requireExceptionStatus(invoice, 'routing');
    const user = (await ctx.records.userByLogin(input.approver_login))!;
    const updated = await ctx.records.coupa.addApprover(input.invoice_id, user.id);
    ctx.records.afterWrite(input.invoice_id, updated);
    const detail = `Invoice ${input.invoice_id} routed to ${user.login}; it stays ${updated.status}.`;
    return { data: { status: 'executed' as const, approver: user.login, invoice_status: updated.status, detail }, text: detail, invoiceId: input.invoice_id };
  },
});
