/**
 * The invoice action endpoints, `PUT /api/invoices/:id/<action>`, driven by the transition table
 * in state-machine.ts. Each answers the updated InvoiceHeader, or 400 for an illegal transition.
 *
 * - dispute: body `{"dispute-reason": {"code": "INCORRECT-PRICE"}, "comment": "…"}` (the code may
 *   also be a bare string); the comment, if any, is stored as a supplier-visible comment.
 * - add_approver: `?approver_id=33`, or body `{"approver-id": 33}` / `{"approver": {"id": 33}}` /
 *   `{"approver": {"login": "jlee"}}`, optional `"note"`; creates a pending approval.
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { cloneJson } from '../clone.js';
import type { WireObject } from '../collection.js';
import { actorOf, type SimContext } from '../context.js';
import { badRequest } from '../errors.js';
import {
  DISPUTE_REASON_CODES,
  INVOICE_ACTIONS,
  nextStatus,
  unresolvedToleranceCount,
  type InvoiceAction,
} from '../state-machine.js';
import { LIMITS } from '../wire-input.js';
import { createComment } from './comments.js';
import { bodyObject, findRecord, parseId, queryParams, render } from './common.js';
import { INVOICE_NAMES } from './read.js';

const OBJECT = 'invoice-header';

interface ActionInput {
  ctx: SimContext;
  request: FastifyRequest;
  invoice: WireObject;
  body: Record<string, unknown>;
  now: string;
  actor: Record<string, unknown>;
}

/** Validates the action's input and returns the side effects to run once the status change is stored. */
type Prepare = (input: ActionInput) => () => void;

function disputeCode(body: Record<string, unknown>): string {
  const reason = body['dispute-reason'];
  const code = typeof reason === 'string' ? reason : (reason as { code?: unknown } | undefined)?.code;
  if (code === undefined || code === null || code === '') throw badRequest(OBJECT, 'Dispute reason is required');
  if (typeof code !== 'string' || !(DISPUTE_REASON_CODES as readonly string[]).includes(code)) {
    throw badRequest(OBJECT, `Dispute reason ${String(code).slice(0, 60)} is not an active dispute reason`);
  }
  return code;
}

const prepareDispute: Prepare = ({ ctx, invoice, body, now, actor }) => {
  const code = disputeCode(body);
  const comment = body.comment;
  if (comment !== undefined && (typeof comment !== 'string' || comment.length > LIMITS.text)) {
    throw badRequest(OBJECT, `Comment must be text of at most ${LIMITS.text} characters`);
  }
  const reasons = Array.isArray(invoice['dispute-reasons']) ? invoice['dispute-reasons'] : [];
  invoice['dispute-reasons'] = [...reasons, { code }];
  return () => {
    if (typeof comment === 'string' && comment.trim() !== '') {
      createComment(
        ctx,
        { type: 'InvoiceHeader', id: invoice.id },
        { comments: comment, toSupplier: true, reasonCode: code },
        now,
        actor,
      );
    }
  };
};

function findApprover(ctx: SimContext, request: FastifyRequest, body: Record<string, unknown>): WireObject {
  const ref = body.approver as { id?: unknown; login?: unknown } | undefined;
  const rawId = queryParams(request).get('approver_id') ?? body['approver-id'] ?? ref?.id;
  if (rawId !== undefined && rawId !== null) {
    const id = typeof rawId === 'number' ? rawId : parseId(String(rawId));
    const user = id === undefined ? undefined : ctx.store.get('users', id);
    if (!user) throw badRequest('approval', `Approver ${String(rawId).slice(0, 40)} not found`);
    return user;
  }
  if (typeof ref?.login === 'string') {
    const id = ctx.store
      .collection('users')
      .lookup('login', [`s:${ref.login}`])
      ?.values()
      .next().value;
    const user = id === undefined ? undefined : ctx.store.get('users', id);
    if (!user) throw badRequest('approval', `Approver ${ref.login.slice(0, 40)} not found`);
    return user;
  }
  throw badRequest('approval', 'approver_id (or approver {id|login}) is required');
}

const prepareAddApprover: Prepare = ({ ctx, request, invoice, body, now, actor }) => {
  const user = findApprover(ctx, request, body);
  const chain = (Array.isArray(invoice.approvals) ? invoice.approvals : []) as WireObject[];
  const approverIdOf = (a: WireObject): unknown => a['approver-id'] ?? (a.approver as { id?: unknown } | undefined)?.id;
  if (chain.some((a) => approverIdOf(a) === user.id && a.status === 'pending_approval')) {
    throw badRequest('approval', `${String(user.login)} is already a pending approver`);
  }
  const note = body.note;
  if (note !== undefined && (typeof note !== 'string' || note.length > LIMITS.text))
    throw badRequest('approval', 'Note must be text');
  const approval: WireObject = {
    id: ctx.store.nextId('approvals'),
    position: chain.length + 1,
    status: 'pending_approval',
    'approvable-type': 'InvoiceHeader',
    'approvable-id': invoice.id,
    'approver-type': 'User',
    'approver-id': user.id,
    approver: { id: user.id, login: user.login, email: user.email, firstname: user.firstname, lastname: user.lastname },
    note: note ?? null,
    'approval-date': null,
    'created-at': now,
    'updated-at': now,
    'created-by': actor,
  };
  invoice.approvals = [...chain, approval];
  return () => ctx.store.put('approvals', cloneJson(approval));
};

const PREPARE: Partial<Record<InvoiceAction, Prepare>> = { dispute: prepareDispute, add_approver: prepareAddApprover };

/** Register `PUT /api/invoices/:id/<action>` for every action in the transition table. */
export function registerInvoiceActionRoutes(app: FastifyInstance, ctx: SimContext): void {
  for (const action of INVOICE_ACTIONS) {
    app.put(`/api/invoices/:id/${action}`, async (request) => {
      const current = findRecord(ctx.store, INVOICE_NAMES, (request.params as { id: string }).id);
      const body = bodyObject(request, OBJECT);
      const move = nextStatus(action, String(current.status), unresolvedToleranceCount(current));
      if (!move.ok) throw badRequest(OBJECT, move.message);
      const now = ctx.clock.now();
      const actor = actorOf(ctx, request);
      const invoice = cloneJson(current);
      const afterStore = PREPARE[action]?.({ ctx, request, invoice, body, now, actor });
      Object.assign(invoice, { status: move.status, 'updated-at': now, 'updated-by': actor });
      ctx.store.put('invoices', invoice);
      afterStore?.();
      ctx.events.invoiceChanged(String(current.status), invoice);
      return render(invoice, queryParams(request));
    });
  }
}
