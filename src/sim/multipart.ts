/**
 * `multipart/form-data` bodies (attachment uploads), parsed with the platform's own WHATWG
 * `Response.formData()` rather than a hand-written parser. Files become small descriptors; the
 * text of text-like files is kept so tests and the eval harness can read an attached dossier.
 */
import { badRequest } from './errors.js';

export interface UploadedFile {
  kind: 'file';
  filename: string;
  'content-type': string;
  size: number;
  /** UTF-8 content of text-like files (text/*, JSON, markdown), up to `TEXT_KEEP_LIMIT`. */
  text?: string;
}

export const MULTIPART_BODY_LIMIT = 10 * 1024 * 1024;
const TEXT_KEEP_LIMIT = 200_000;
const TEXT_LIKE = /^(text\/|application\/(json|xml|markdown))/;

/** Parse a buffered multipart body into `{field: string | UploadedFile}`. */
export async function parseMultipart(
  body: Buffer,
  contentType: string,
): Promise<Record<string, string | UploadedFile>> {
  let form: FormData;
  try {
    form = await new Response(new Uint8Array(body), { headers: { 'content-type': contentType } }).formData();
  } catch {
    throw badRequest('attachment', 'Malformed multipart/form-data body');
  }
  const out: Record<string, string | UploadedFile> = {};
  const files: Array<[string, File]> = [];
  form.forEach((value, name) => {
    if (typeof value === 'string') out[name] = value;
    else files.push([name, value]);
  });
  for (const [name, value] of files) {
    const type = value.type || 'application/octet-stream';
    const file: UploadedFile = { kind: 'file', filename: value.name, 'content-type': type, size: value.size };
    if (TEXT_LIKE.test(type) && value.size <= TEXT_KEEP_LIMIT) file.text = await value.text();
    out[name] = file;
  }
  return out;
}
