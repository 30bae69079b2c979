/**
 * Invoice attachments: Coupa takes them as `multipart/form-data` (`attachment[file]`,
 * `attachment[type]=file`) and lists them under the parent record.
 */
import { z } from 'zod';
import type { Transport } from './http.js';
import { parseRecord, type Resource } from './resources.js';

export const Attachment = z.looseObject({
  id: z.number().int(),
  type: z.string().nullish(),
  intent: z.string().nullish(),
  fileFileName: z.string().nullish(),
  fileContentType: z.string().nullish(),
  fileFileSize: z.number().nullish(),
  createdAt: z.string().nullish(),
});
export type Attachment = z.infer<typeof Attachment>;

function attachmentResource(path: string): Resource<typeof Attachment> {
  return { name: 'attachment', path, schema: Attachment };
}

/** Upload one file to `path` (e.g. `/api/invoices/5/attachments`). */
export async function postAttachment(
  transport: Transport,
  path: string,
  filename: string,
  bytes: Uint8Array,
  contentType: string,
): Promise<Attachment> {
  const form = new FormData();
  form.set('attachment[type]', 'file');
  // Copy: a Blob needs an ArrayBuffer-backed view, and the caller's buffer may be shared.
  form.set('attachment[file]', new Blob([new Uint8Array(bytes)], { type: contentType }), filename);
  const body = await transport.request({ method: 'POST', path, multipart: form });
  return parseRecord(attachmentResource(path), body);
}

/** Every attachment under `path` (a handful per invoice, one page). */
export async function collectAttachments(transport: Transport, path: string): Promise<Attachment[]> {
  const body = await transport.request({ method: 'GET', path });
  if (!Array.isArray(body)) return [];
  return body.map((wire) => parseRecord(attachmentResource(path), wire));
}
