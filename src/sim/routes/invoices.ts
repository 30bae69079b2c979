/**
 * Invoice writes: `POST /api/invoices` (creates a draft, 201) and `PUT|PATCH /api/invoices/:id`
 * (field updates and failed-tolerance resolution, see invoice-update.ts). Reads live in read.ts,
 * actions in invoice-actions.ts.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { actorOf, type SimContext } from '../context.js';
import { buildDraftInvoice } from '../invoice-create.js';
import { applyInvoiceUpdate } from '../invoice-update.js';
import { bodyObject, findRecord, queryParams, render } from './common.js';
import { INVOICE_NAMES } from './read.js';

export function registerInvoiceWriteRoutes(app: FastifyInstance, ctx: SimContext): void {
  app.post('/api/invoices', async (request, reply) => {
    const body = bodyObject(request, 'invoice-header');
    const invoice = buildDraftInvoice(ctx.store, body, {
      id: ctx.store.nextId('invoices'),
      now: ctx.clock.now(),
      actor: actorOf(ctx, request),
      nextLineId: () => ctx.store.nextInvoiceLineId(),
    });
    ctx.store.put('invoices', invoice);
    return reply.code(201).send(render(invoice, queryParams(request)));
  });

  const update = async (request: FastifyRequest, reply: FastifyReply): Promise<FastifyReply> => {
    const current = findRecord(ctx.store, INVOICE_NAMES, (request.params as { id: string }).id);
    const body = bodyObject(request, 'invoice-header');
    const next = applyInvoiceUpdate(ctx.store, current, body, {
      now: ctx.clock.now(),
      actor: actorOf(ctx, request),
      nextLineId: () => ctx.store.nextInvoiceLineId(),
    });
    ctx.store.put('invoices', next);
    return reply.send(render(next, queryParams(request)));
  };
  app.put('/api/invoices/:id', update);
  app.patch('/api/invoices/:id', update);
}
