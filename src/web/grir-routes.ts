/**
 * The GR/IR page's routes under /review/grir: the page, proposing an item's action, an
 * accountant's approve/reject (the guard rules live in src/grir), and the journal downloads.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import type { Runtime } from '../app/runtime.js';
import { journalCsv, journalJson } from '../domain/grir/journal.js';
import { createGrirBookLoader } from '../grir/book-loader.js';
import { decideGrirProposal, type DecisionDeps } from '../grir/decisions.js';
import { createGrirProposalStore } from '../grir/proposals.js';
import { grirSourceOf } from '../grir/source.js';
import { createGrirStore } from '../grir/store.js';
import { requireIdentity, requireScope, setFlash } from './auth.js';
import { grirBody } from './grir-page.js';
import { BASE } from './layout.js';
import { send } from './pages.js';

const PAGE = `${BASE}/grir`;
const Id = z.object({ id: z.coerce.number().int().positive() });
const ProposeBody = z.object({ po_line_id: z.coerce.number().int().positive() });

export function registerGrirRoutes(app: FastifyInstance, runtime: Runtime): void {
  const source = grirSourceOf(runtime.config);
  const items = createGrirStore(runtime.db);
  const proposals = createGrirProposalStore(runtime.db);
  // On the embedded default nobody runs `settle grir` first: the page loads the book from the
  // simulator it serves (which carries the sample company's book), and keeps it fresh. A real
  // tenant's book is read by `settle grir` (scheduled), never on a page view.
  const loader = runtime.simulator
    ? createGrirBookLoader({ db: runtime.db, records: runtime.records, source, now: runtime.now })
    : undefined;
  const storedPoOfLine = async (id: number): Promise<{ poId: number; poNumber: string } | null> => {
    const { rows } = await runtime.db.query<{ po_id: string; po_number: string }>(
      `select po_id, fact->>'poNumber' as po_number from grir_po_lines where source = $1 and po_line_id = $2`,
      [source, id],
    );
    return rows[0] ? { poId: Number(rows[0].po_id), poNumber: rows[0].po_number } : null;
  };
  const deps: DecisionDeps = {
    proposals,
    audit: runtime.audit,
    coupa: runtime.coupa,
    now: runtime.now,
    poOfLine: async (id) => {
      const stored = await storedPoOfLine(id);
      if (stored || !loader) return stored;
      await loader.ensureLoaded({ force: true });
      return storedPoOfLine(id);
    },
  };
  const back = (request: FastifyRequest, reply: FastifyReply, kind: 'ok' | 'error', text: string): FastifyReply => {
    setFlash(request, { kind, text });
    return reply.redirect(PAGE, 303);
  };
  const guarded = { preHandler: app.csrfProtection };

  app.get(PAGE, async (request, reply) => {
    const identity = requireIdentity(request, reply);
    if (!identity || !requireScope(identity, 'grir:read', reply, 'read the GR/IR book')) return reply;
    await loader?.ensureLoaded();
    const [open, pending, all] = await Promise.all([
      items.openItems(source, { limit: 300 }),
      proposals.list(source, { status: 'pending' }),
      proposals.list(source, { limit: 5000 }),
    ]);
    const view = {
      items: open,
      pending,
      approved: all.filter((p) => p.status === 'approved').length,
      proposedLines: new Set(
        all.filter((p) => p.status !== 'rejected' && p.poLineId !== null).map((p) => p.poLineId as number),
      ),
    };
    return send(request, reply, {
      title: 'GR/IR clearing',
      current: 'grir',
      body: (csrf) => grirBody(view, identity, csrf),
    });
  });

  app.post(`${PAGE}/propose`, guarded, async (request, reply) => {
    const identity = requireIdentity(request, reply);
    if (!identity || !requireScope(identity, 'grir:propose-clearing', reply, 'propose GR/IR clearings')) return reply;
    const body = ProposeBody.safeParse(request.body ?? {});
    if (!body.success) return back(request, reply, 'error', 'Nothing proposed: no PO line given.');
    const [item] = await items.openItems(source, { poLineId: body.data.po_line_id, limit: 1 });
    if (!item || item.action.kind === 'leave_open')
      return back(request, reply, 'error', 'Nothing proposed: that line has no open item to act on.');
    const p = await proposals.propose({
      source,
      kind: 'clearing',
      poLineId: item.poLineId,
      action: item.action,
      proposedBy: identity,
      via: 'review-site',
      now: runtime.now(),
    });
    await runtime.audit.record({
      actor: identity.id,
      actorKind: identity.kind,
      tool: 'grir_propose',
      input: { po_line_id: item.poLineId },
      decision: 'proposed',
      reason: item.cause,
      coupaCalls: 0,
      resultSummary: `proposal ${p.id}: ${p.action.kind} ${p.amount} ${p.currency}`,
      idempotencyKey: null,
      invoiceId: null,
    });
    return back(
      request,
      reply,
      'ok',
      `Proposal ${p.id} created: ${p.action.kind.replace(/_/g, ' ')} of ${p.amount} ${p.currency}; an accountant approves it.`,
    );
  });

  for (const decision of ['approve', 'reject'] as const) {
    app.post(`${PAGE}/proposals/:id/${decision}`, guarded, async (request, reply) => {
      const identity = requireIdentity(request, reply);
      if (!identity || !requireScope(identity, 'grir:approve', reply, `${decision} GR/IR proposals`)) return reply;
      const id = Id.safeParse(request.params);
      if (!id.success) return reply.code(404).type('text/plain').send('No such proposal.');
      const result = await decideGrirProposal(deps, identity, id.data.id, decision);
      return back(request, reply, result.ok ? 'ok' : 'error', result.message);
    });
  }

  for (const format of ['csv', 'json'] as const) {
    app.get(`${PAGE}/journal.${format}`, async (request, reply) => {
      const identity = requireIdentity(request, reply);
      if (!identity || !requireScope(identity, 'grir:read', reply, 'export the GR/IR journal')) return reply;
      const entries = await proposals.journal(source);
      return reply
        .type(format === 'csv' ? 'text/csv; charset=utf-8' : 'application/json; charset=utf-8')
        .header('content-disposition', `attachment; filename="grir-journal.${format}"`)
        .header('cache-control', 'no-store')
        .send(format === 'csv' ? journalCsv(entries) : journalJson(entries));
    });
  }
}
