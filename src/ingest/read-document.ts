/**
 * One entry point for every file type: sniff the bytes (not the name), read PDFs and images into
 * positioned text, and open e-mails into the documents they carry (attachments, and attached
 * e-mails recursively).
 */
import { IngestError, MAX_BYTES } from './errors.js';
import { recogniseInLanguage, type OcrEngine } from './ocr.js';
import { readPdf } from './read-pdf.js';
import { buildRows } from './rows.js';
import type { DocumentText } from './types.js';

export interface InputDocument {
  fileName: string;
  bytes: Uint8Array;
  contentType: string;
}

export type DocumentType = 'pdf' | 'image' | 'email' | 'xml' | 'unknown';

/** Forwarded mail nests mail; beyond this depth it is a loop or an attack, not an invoice. */
const MAX_EMAIL_DEPTH = 3;

const startsWith = (bytes: Uint8Array, sig: number[], at = 0): boolean => sig.every((b, i) => bytes[at + i] === b);

/** What a file is, by its leading bytes (names and extensions are supplier-controlled). */
export function sniffType(bytes: Uint8Array): DocumentType {
  const head = Buffer.from(bytes.subarray(0, 1024)).toString('latin1');
  if (head.includes('%PDF-')) return 'pdf';
  if (startsWith(bytes, [0x89, 0x50, 0x4e, 0x47]) || startsWith(bytes, [0xff, 0xd8, 0xff])) return 'image';
  if (startsWith(bytes, [0x49, 0x49, 0x2a, 0x00]) || startsWith(bytes, [0x4d, 0x4d, 0x00, 0x2a])) return 'image';
  if (startsWith(bytes, [0x42, 0x4d]) || (startsWith(bytes, [0x52, 0x49, 0x46, 0x46]) && head.slice(8, 12) === 'WEBP'))
    return 'image';
  // XML (an e-invoice: UBL, CII, cXML), after an optional byte-order mark and any leading comments
  // (sample sets and some senders open the file with a licence or generator comment).
  if (
    /^\uFEFF?\s*(?:<!--[\s\S]*?-->\s*)*<(?:\?xml|!DOCTYPE|[A-Za-z_][\w.-]*:?[\w.-]*[\s>])/.test(
      Buffer.from(bytes.subarray(0, 4096)).toString('utf8'),
    )
  )
    return 'xml';
  if (
    /^(?:[\w-]+:[^\n]*\r?\n)+/i.test(head) &&
    /^(?:from|to|subject|mime-version|received|date|message-id|return-path):/im.test(head)
  )
    return 'email';
  return 'unknown';
}

export const CONTENT_TYPES: Record<DocumentType, string> = {
  pdf: 'application/pdf',
  image: 'image/png',
  email: 'message/rfc822',
  xml: 'application/xml',
  unknown: 'application/octet-stream',
};

function assertReadable(doc: InputDocument): void {
  if (doc.bytes.length === 0) throw new IngestError('empty_file', 'the file is empty');
  if (doc.bytes.length > MAX_BYTES)
    throw new IngestError(
      'too_large',
      `the file is ${(doc.bytes.length / 2 ** 20).toFixed(1)} MB; the limit is ${MAX_BYTES / 2 ** 20} MB`,
    );
}

/** Read a PDF or image into positioned text. */
export async function readDocument(doc: InputDocument, ocr: OcrEngine): Promise<DocumentText> {
  assertReadable(doc);
  const type = sniffType(doc.bytes);
  if (type === 'pdf') return readPdf(doc.bytes, ocr);
  if (type === 'image') {
    const [page] = await recogniseInLanguage(ocr, [{ n: 1, png: doc.bytes }]).catch((error: unknown) => {
      throw new IngestError('unsupported_type', `the image cannot be decoded (${(error as Error).message})`);
    });
    if (!page) throw new IngestError('unsupported_type', 'the image cannot be decoded');
    return { kind: 'image', pages: 1, rows: buildRows(page.fragments), textConfidence: page.confidence };
  }
  if (type === 'xml') {
    const text = new TextDecoder('utf-8').decode(doc.bytes).replace(/^\uFEFF/, '');
    return { kind: 'xml', pages: 0, rows: [], textConfidence: 1, xml: [{ name: doc.fileName, text, embedded: false }] };
  }
  if (type === 'email') throw new TypeError('e-mails are opened with expandEmail');
  throw new IngestError('unsupported_type', 'not a PDF, image, e-invoice XML or e-mail (.eml) file');
}

/** The documents an e-mail carries: PDF and image attachments, attached e-mails opened in turn. */
export async function expandEmail(doc: InputDocument, depth = 0): Promise<InputDocument[]> {
  assertReadable(doc);
  if (depth >= MAX_EMAIL_DEPTH)
    throw new IngestError('corrupt_email', `e-mails nested more than ${MAX_EMAIL_DEPTH} deep`);
  const { simpleParser } = await import('mailparser');
  const mail = await simpleParser(Buffer.from(doc.bytes)).catch((error: unknown) => {
    throw new IngestError('corrupt_email', `the e-mail cannot be parsed (${(error as Error).message})`);
  });
  const out: InputDocument[] = [];
  for (const [i, att] of mail.attachments.entries()) {
    const bytes = new Uint8Array(att.content);
    const fileName = `${doc.fileName}#${att.filename ?? `attachment-${i + 1}`}`;
    const type = att.contentType === 'message/rfc822' ? 'email' : sniffType(bytes);
    if (type === 'email')
      out.push(...(await expandEmail({ fileName, bytes, contentType: 'message/rfc822' }, depth + 1)));
    else if (type === 'pdf' || type === 'image' || type === 'xml')
      out.push({ fileName, bytes, contentType: att.contentType || CONTENT_TYPES[type] });
  }
  if (out.length === 0 && depth === 0)
    throw new IngestError('not_an_invoice', 'the e-mail has no PDF, image or e-invoice XML attachment');
  return out;
}
