/**
 * Comments (coupa-api.md §5.5): `GET|POST /api/invoices/:id/comments` with `{"comments": "…",
 * "to-supplier": false}`, and `POST /api/comments` naming `commentable-type` + `commentable-id`.
 * Comments are their own collection, linked to the commented record; creating one does not
 * change the invoice.
 */
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import type { WireObject } from '../collection.js';
import { actorOf, type SimContext } from '../context.js';
import { badRequest, notFound, parseBody } from '../errors.js';
import { project } from '../fields.js';
import { runList } from '../list.js';
import { parseListQuery } from '../query.js';
import type { CollectionName } from '../store.js';
import { Id, LIMITS, ShortText } from '../wire-input.js';
import { bodyObject, findRecord, queryParams, render } from './common.js';
import { INVOICE_NAMES } from './read.js';

const CommentText = z
  .string()
  .refine((s) => s.trim() !== '', "can't be blank")
  .pipe(z.string().max(LIMITS.text));
const CommentBody = z.looseObject({
  comments: CommentText,
  'to-supplier': z.boolean().optional(),
  'comment-type': ShortText.optional(),
});
const TopLevelCommentBody = CommentBody.extend({ 'commentable-type': ShortText, 'commentable-id': Id });

/** What can be commented on, by Coupa type name. */
const COMMENTABLE: Record<string, CollectionName> = {
  InvoiceHeader: 'invoices',
  OrderHeader: 'purchase-orders',
  Contract: 'contracts',
  User: 'users',
  Supplier: 'suppliers',
};

export interface CommentInput {
  comments: string;
  toSupplier: boolean;
  commentType?: string;
  reasonCode?: string;
}

/** Store a comment on `target` and return it. */
export function createComment(
  ctx: SimContext,
  target: { type: string; id: number },
  input: CommentInput,
  now: string,
  actor: Record<string, unknown>,
): WireObject {
  const comment: WireObject = {
    id: ctx.store.nextId('comments'),
    comments: input.comments,
    'commentable-type': target.type,
    'commentable-id': target.id,
    'to-supplier': input.toSupplier,
    'comment-type': input.commentType ?? null,
    'reason-code': input.reasonCode ?? null,
    attachments: [],
    'created-at': now,
    'updated-at': now,
    'created-by': actor,
    'updated-by': actor,
  };
  ctx.store.put('comments', comment);
  return comment;
}

export function registerCommentRoutes(app: FastifyInstance, ctx: SimContext): void {
  app.get('/api/invoices/:id/comments', async (request) => {
    const invoice = findRecord(ctx.store, INVOICE_NAMES, (request.params as { id: string }).id);
    const query = parseListQuery(queryParams(request));
    query.filters.push(
      { path: ['commentable-id'], op: 'eq', value: String(invoice.id) },
      { path: ['commentable-type'], op: 'eq', value: 'InvoiceHeader' },
    );
    const page = runList(ctx.store.collection('comments'), query);
    const fields = query.fields;
    return fields ? page.map((c) => project(c, fields)) : page;
  });

  app.post('/api/invoices/:id/comments', async (request, reply) => {
    const invoice = findRecord(ctx.store, INVOICE_NAMES, (request.params as { id: string }).id);
    const body = parseBody(CommentBody, bodyObject(request, 'comment'), 'comment');
    const input = {
      comments: body.comments,
      toSupplier: body['to-supplier'] ?? false,
      commentType: body['comment-type'],
    };
    const comment = createComment(
      ctx,
      { type: 'InvoiceHeader', id: invoice.id },
      input,
      ctx.clock.now(),
      actorOf(ctx, request),
    );
    return reply.code(201).send(render(comment, queryParams(request)));
  });

  app.post('/api/comments', async (request, reply) => {
    const body = parseBody(TopLevelCommentBody, bodyObject(request, 'comment'), 'comment');
    const type = body['commentable-type'];
    const collection = COMMENTABLE[type];
    if (!collection) throw badRequest('comment', `Commentable type ${type.slice(0, 60)} is not supported`);
    if (!ctx.store.get(collection, body['commentable-id'])) throw notFound('comment', type, body['commentable-id']);
    const input = {
      comments: body.comments,
      toSupplier: body['to-supplier'] ?? false,
      commentType: body['comment-type'],
    };
    const comment = createComment(
      ctx,
      { type, id: body['commentable-id'] },
      input,
      ctx.clock.now(),
      actorOf(ctx, request),
    );
    return reply.code(201).send(render(comment, queryParams(request)));
  });
}
