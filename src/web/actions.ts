/**
 * The review app's POST actions: approve, reject, change the action, switch the mode. Each needs a
 * valid CSRF token, a signed-in person and the role for it (checked here, on the server), then
 * redirects (303) to a page that shows the outcome.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import type { Runtime } from '../app/runtime.js';
import { Mode } from '../domain/controls.js';
import { requireIdentity, requireScope, setFlash } from './auth.js';
import { ChangeRequest, describeIssues } from './change-request.js';
import { approveProposal, changeAction, rejectProposal, type DecisionOutcome } from './decisions.js';
import { BASE } from './layout.js';
import { ExceptionType } from '../domain/vocabulary.js';
import { changeSliceMode } from '../app/autonomy-actions.js';
import { QaVerdictInput, submitQaVerdict } from '../app/qa-review.js';
import { label } from './format.js';

const ProposalParam = z.object({ id: z.string().min(1).max(100) });
const ApproveBody = z.object({ note: z.string().trim().max(2_000).default('') });
const RejectBody = z.object({ reason: z.string().trim().min(3, 'give a reason of at least 3 characters').max(2_000) });
const ModeBody = z.object({ mode: Mode });
const PromoteBody = z.object({ exception_type: ExceptionType, mode: Mode });

function done(request: FastifyRequest, reply: FastifyReply, outcome: DecisionOutcome, to: string): FastifyReply {
  setFlash(request, { kind: outcome.kind, text: outcome.message });
  return reply.redirect(to, 303);
}

/** The page to return to: the invoice of the proposal, else the queue. */
async function pageOfProposal(runtime: Runtime, id: string): Promise<string> {
  const p = await runtime.proposals.get(id);
  return p?.invoiceId ? `${BASE}/exceptions/${p.invoiceId}` : BASE;
}

export function registerActions(app: FastifyInstance, runtime: Runtime): void {
  // preHandler, not onRequest: the token travels in the form body, parsed by then.
  const guarded = { preHandler: app.csrfProtection };

  app.post(`${BASE}/proposals/:id/approve`, guarded, async (request, reply) => {
    const identity = requireIdentity(request, reply);
    if (!identity || !requireScope(identity, 'proposals:decide', reply, 'approve proposals')) return reply;
    const { id } = ProposalParam.parse(request.params);
    const body = ApproveBody.safeParse(request.body ?? {});
    return done(
      request,
      reply,
      await approveProposal(runtime, identity, id, body.data?.note ?? ''),
      await pageOfProposal(runtime, id),
    );
  });

  app.post(`${BASE}/proposals/:id/reject`, guarded, async (request, reply) => {
    const identity = requireIdentity(request, reply);
    if (!identity || !requireScope(identity, 'proposals:decide', reply, 'reject proposals')) return reply;
    const { id } = ProposalParam.parse(request.params);
    const to = await pageOfProposal(runtime, id);
    const body = RejectBody.safeParse(request.body ?? {});
    if (!body.success)
      return done(request, reply, { kind: 'error', message: `Not rejected: ${describeIssues(body.error)}` }, to);
    return done(request, reply, await rejectProposal(runtime, identity, id, body.data.reason), to);
  });

  app.post(`${BASE}/exceptions/:invoiceId/change`, guarded, async (request, reply) => {
    const identity = requireIdentity(request, reply);
    if (!identity || !requireScope(identity, 'proposals:decide', reply, 'change the action')) return reply;
    const invoiceId = z.coerce
      .number()
      .int()
      .positive()
      .safeParse((request.params as { invoiceId?: unknown }).invoiceId);
    if (!invoiceId.success) return reply.code(404).type('text/plain').send('No such invoice id.');
    const to = `${BASE}/exceptions/${invoiceId.data}`;
    const change = ChangeRequest.safeParse({ ...(request.body as object), invoice_id: invoiceId.data });
    if (!change.success)
      return done(request, reply, { kind: 'error', message: `Nothing done: ${describeIssues(change.error)}` }, to);
    return done(request, reply, await changeAction(runtime, identity, change.data), to);
  });

  app.post(`${BASE}/autonomy/promote`, guarded, async (request, reply) => {
    const identity = requireIdentity(request, reply);
    if (!identity || !requireScope(identity, 'proposals:decide', reply, 'change autonomy')) return reply;
    const to = `${BASE}/autonomy`;
    const body = PromoteBody.safeParse(request.body ?? {});
    if (!body.success)
      return done(request, reply, { kind: 'error', message: `Nothing changed: ${describeIssues(body.error)}` }, to);
    const rule = { exception_type: body.data.exception_type, mode: body.data.mode };
    const change = await changeSliceMode(
      { store: runtime.autonomy, audit: runtime.audit, controls: runtime.controls },
      identity,
      rule,
      `set on the review page by ${identity.id}`,
    );
    return done(
      request,
      reply,
      {
        kind: 'ok',
        message: `${label(body.data.exception_type)} is now ${body.data.mode} (${change.kind}), audited under your name.`,
      },
      to,
    );
  });

  app.post(`${BASE}/qa/:id`, guarded, async (request, reply) => {
    const identity = requireIdentity(request, reply);
    if (!identity) return reply;
    if (
      !identity.scopes.has('invoices:comment') &&
      !requireScope(identity, 'proposals:decide', reply, 'record QA verdicts')
    )
      return reply;
    const to = `${BASE}/autonomy`;
    const id = z.coerce
      .number()
      .int()
      .positive()
      .safeParse((request.params as { id?: unknown }).id);
    if (!id.success) return reply.code(404).type('text/plain').send('No such QA sample.');
    const raw = { ...(request.body as Record<string, unknown>) };
    if (raw.correct_decision === '') delete raw.correct_decision;
    const body = QaVerdictInput.safeParse(raw);
    if (!body.success)
      return done(request, reply, { kind: 'error', message: `Not recorded: ${describeIssues(body.error)}` }, to);
    const outcome = await submitQaVerdict(runtime, identity, id.data, body.data);
    return done(request, reply, { kind: outcome.ok ? 'ok' : 'warn', message: outcome.message }, to);
  });

  app.post(`${BASE}/mode`, guarded, async (request, reply) => {
    const identity = requireIdentity(request, reply);
    if (!identity || !requireScope(identity, 'settings:mode', reply, 'switch the mode')) return reply;
    const body = ModeBody.safeParse(request.body ?? {});
    const to = `${BASE}/dashboard`;
    if (!body.success)
      return done(request, reply, { kind: 'error', message: 'Choose monitor, assisted or autonomous.' }, to);
    const from = await runtime.mode.get();
    if (from === body.data.mode)
      return done(request, reply, { kind: 'warn', message: `The mode is already ${from}.` }, to);
    await runtime.mode.set(body.data.mode, identity.id);
    await runtime.audit.append({
      actor: identity.id,
      actorKind: 'person',
      tool: 'set_mode',
      input: { from, to: body.data.mode },
      decision: 'executed',
      reason: `mode changed from ${from} to ${body.data.mode} on the review page`,
      coupaCalls: 0,
      resultSummary: `mode ${body.data.mode}`,
      idempotencyKey: null,
      invoiceId: null,
    });
    return done(request, reply, { kind: 'ok', message: `Mode switched from ${from} to ${body.data.mode}.` }, to);
  });
}
