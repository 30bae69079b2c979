/**
 * Invoice attachments (coupa-api.md §5.6). `POST /api/invoices/:id/attachments` takes Coupa's
 * multipart form (`attachment[file]`, `attachment[type]`, `attachment[intent]`, `attachment[url]`,
 * `attachment[text]`) or the same fields as JSON (`{"type":"text","text":"…"}`,
 * `{"type":"url","url":"https://…"}`, `{"type":"file","file-name":"dossier.md","content-type":"text/markdown","content":"<base64>"}`).
 * The attachment is appended to the invoice's `attachments`; `GET` lists them.
 */
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { cloneJson } from '../clone.js';
import type { WireObject } from '../collection.js';
import { actorOf, type SimContext } from '../context.js';
import { badRequest, parseBody } from '../errors.js';
import { ShortText } from '../wire-input.js';
import { bodyObject, findRecord, queryParams, render } from './common.js';
import { INVOICE_NAMES } from './read.js';

const UploadedFile = z.object({
  kind: z.literal('file'),
  filename: ShortText,
  'content-type': ShortText,
  size: z.number(),
  text: z.string().optional(),
});
const AttachmentInput = z.looseObject({
  type: z.enum(['file', 'url', 'text']).optional(),
  intent: ShortText.optional(),
  'linked-to': ShortText.optional(),
  url: z
    .url({ protocol: /^https?$/ })
    .max(2_000)
    .optional(),
  text: z.string().max(200_000).optional(),
  file: UploadedFile.optional(),
  'file-name': ShortText.optional(),
  'content-type': ShortText.optional(),
  content: z.base64().max(14_000_000).optional(),
});
type AttachmentInput = z.infer<typeof AttachmentInput>;

/** `{"attachment": {...}}` or `attachment[type]=…` form keys → the plain field names. */
function unwrap(body: Record<string, unknown>): Record<string, unknown> {
  const nested = body.attachment;
  if (nested !== null && typeof nested === 'object' && !Array.isArray(nested)) return nested as Record<string, unknown>;
  return Object.fromEntries(Object.entries(body).map(([k, v]) => [k.replace(/^attachment\[(.+)\]$/, '$1'), v]));
}

function describe(input: AttachmentInput): Record<string, unknown> {
  const type = input.type ?? (input.file || input.content ? 'file' : input.url ? 'url' : 'text');
  if (type === 'url') {
    if (!input.url) throw badRequest('attachment', 'url is required for a URL attachment');
    return { type: 'AttachmentUrl', url: input.url };
  }
  if (type === 'text') {
    if (!input.text) throw badRequest('attachment', 'text is required for a text attachment');
    return { type: 'AttachmentText', text: input.text };
  }
  if (input.file) {
    const { filename, size, text } = input.file;
    return {
      type: 'AttachmentFile',
      'file-file-name': filename,
      'file-content-type': input.file['content-type'],
      'file-file-size': size,
      text: text ?? null,
    };
  }
  if (input.content === undefined || !input['file-name'])
    throw badRequest('attachment', 'file (or file-name and content) is required');
  const bytes = Buffer.from(input.content, 'base64');
  const contentType = input['content-type'] ?? 'application/octet-stream';
  const text = /^(text\/|application\/(json|markdown))/.test(contentType) ? bytes.toString('utf8') : null;
  return {
    type: 'AttachmentFile',
    'file-file-name': input['file-name'],
    'file-content-type': contentType,
    'file-file-size': bytes.length,
    text,
  };
}

export function registerAttachmentRoutes(app: FastifyInstance, ctx: SimContext): void {
  app.get('/api/invoices/:id/attachments', async (request) => {
    const invoice = findRecord(ctx.store, INVOICE_NAMES, (request.params as { id: string }).id);
    return Array.isArray(invoice.attachments) ? invoice.attachments : [];
  });

  app.post('/api/invoices/:id/attachments', async (request, reply) => {
    const current = findRecord(ctx.store, INVOICE_NAMES, (request.params as { id: string }).id);
    const input = parseBody(AttachmentInput, unwrap(bodyObject(request, 'attachment')), 'attachment');
    const now = ctx.clock.now();
    const actor = actorOf(ctx, request);
    const id = ctx.store.nextId('attachments');
    const attachment: WireObject = {
      id,
      ...describe(input),
      intent: input.intent ?? null,
      'linked-to': input['linked-to'] ?? null,
      'attachable-type': 'InvoiceHeader',
      'attachable-id': current.id,
      'created-at': now,
      'updated-at': now,
      'created-by': actor,
    };
    const invoice = cloneJson(current);
    invoice.attachments = [...(Array.isArray(current.attachments) ? current.attachments : []), attachment];
    invoice['updated-at'] = now;
    ctx.store.put('attachments', attachment);
    ctx.store.put('invoices', invoice);
    return reply.code(201).send(render(attachment, queryParams(request)));
  });
}
