/**
 * The review app's supplier-document routes: the list, one document, its page images, the original
 * file (always as a download), and marking a document handled (audited under the person's name).
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import type { Runtime } from '../app/runtime.js';
import { describeError } from '../errors.js';
import {
  getDocumentForReview,
  getReviewDocumentContent,
  listDocumentsForReview,
  markDocumentHandled,
  previewPage,
  previewPageCount,
} from '../ingest/index.js';
import { requireIdentity, requireScope, setFlash } from './auth.js';
import { DOCUMENTS, documentBody, documentsListBody } from './documents-page.js';
import { send } from './pages.js';
import { formatIssues } from '../issues.js';

const DocumentParam = z.object({ id: z.coerce.number().int().positive().max(Number.MAX_SAFE_INTEGER) });
const PageParam = DocumentParam.extend({ page: z.coerce.number().int().min(1).max(100) });
const HandledBody = z.object({
  note: z.string().trim().min(3, 'say in at least 3 characters what you did').max(2_000),
});

/** A file name safe inside a Content-Disposition header (the original is supplier-chosen). */
function downloadName(fileName: string): string {
  const base = fileName.split(/[/\\#]/).pop() || 'document';
  return base.replace(/[^\w.\- ]+/g, '_').slice(0, 120) || 'document';
}

const notFound = (reply: FastifyReply): FastifyReply =>
  reply.code(404).type('text/plain').send('No such document waiting for review.');

export function registerDocumentRoutes(app: FastifyInstance, runtime: Runtime): void {
  const { db } = runtime;

  app.get(DOCUMENTS, async (request, reply) => {
    const identity = requireIdentity(request, reply);
    if (!identity) return reply;
    const docs = await listDocumentsForReview(db);
    return send(request, reply, {
      title: 'Supplier documents',
      current: 'documents',
      body: () => documentsListBody(docs, runtime.now().getTime()),
    });
  });

  app.get(`${DOCUMENTS}/:id`, async (request, reply) => {
    const identity = requireIdentity(request, reply);
    if (!identity) return reply;
    const params = DocumentParam.safeParse(request.params);
    const doc = params.success ? await getDocumentForReview(db, params.data.id) : undefined;
    if (!doc) return notFound(reply);
    const content = await getReviewDocumentContent(db, doc.id);
    const previewPages = content ? await previewPageCount(content.bytes) : 0;
    const canHandle = identity.scopes.has('invoices:write');
    return send(request, reply, {
      title: doc.fileName,
      current: 'documents',
      body: (csrf) => documentBody(doc, previewPages, canHandle, csrf),
    });
  });

  app.get(`${DOCUMENTS}/:id/pages/:page.png`, async (request, reply) => {
    const identity = requireIdentity(request, reply);
    if (!identity) return reply;
    const params = PageParam.safeParse(request.params);
    const content = params.success ? await getReviewDocumentContent(db, params.data.id) : undefined;
    if (!params.success || !content) return notFound(reply);
    try {
      const png = await previewPage(content.bytes, params.data.page);
      return reply.type('image/png').header('cache-control', 'private, max-age=300').send(Buffer.from(png));
    } catch (error) {
      return reply
        .code(404)
        .type('text/plain')
        .send(`No image of page ${params.data.page}: ${describeError(error)}`);
    }
  });

  // Always a download with a neutral type: the browser never interprets supplier bytes in our origin.
  app.get(`${DOCUMENTS}/:id/original`, async (request, reply) => {
    const identity = requireIdentity(request, reply);
    if (!identity) return reply;
    const params = DocumentParam.safeParse(request.params);
    const content = params.success ? await getReviewDocumentContent(db, params.data.id) : undefined;
    if (!content) return notFound(reply);
    return reply
      .type('application/octet-stream')
      .header('content-disposition', `attachment; filename="${downloadName(content.fileName)}"`)
      .header('cache-control', 'no-store')
      .send(Buffer.from(content.bytes));
  });

  app.post(
    `${DOCUMENTS}/:id/handled`,
    { preHandler: app.csrfProtection },
    async (request: FastifyRequest, reply: FastifyReply) => {
      const identity = requireIdentity(request, reply);
      if (!identity || !requireScope(identity, 'invoices:write', reply, 'mark documents handled')) return reply;
      const params = DocumentParam.safeParse(request.params);
      const doc = params.success ? await getDocumentForReview(db, params.data.id) : undefined;
      if (!doc) {
        setFlash(request, {
          kind: 'warn',
          text: 'That document is no longer waiting: someone has handled it, or it was ingested again.',
        });
        return reply.redirect(DOCUMENTS, 303);
      }
      const body = HandledBody.safeParse(request.body ?? {});
      if (!body.success) {
        setFlash(request, {
          kind: 'error',
          text: `Not marked handled: ${formatIssues(body.error, { root: 'form' })}.`,
        });
        return reply.redirect(`${DOCUMENTS}/${doc.id}`, 303);
      }
      if (!(await markDocumentHandled(db, doc.id, identity.id, body.data.note))) {
        setFlash(request, { kind: 'warn', text: `${doc.fileName} was handled by someone else in the meantime.` });
        return reply.redirect(DOCUMENTS, 303);
      }
      await runtime.audit.append({
        actor: identity.id,
        actorKind: 'person',
        tool: 'mark_document_handled',
        input: { document_id: doc.id, file_name: doc.fileName, content_hash: doc.contentHash, note: body.data.note },
        decision: 'executed',
        reason: `supplier document marked handled on the review page: ${body.data.note}`.slice(0, 2_000),
        coupaCalls: 0,
        resultSummary: `document ${doc.id} (${doc.fileName}) handled`,
        idempotencyKey: null,
        invoiceId: null,
      });
      setFlash(request, { kind: 'ok', text: `${doc.fileName} marked handled.` });
      return reply.redirect(DOCUMENTS, 303);
    },
  );
}
