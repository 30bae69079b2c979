/**
 * `extract_invoice`: read a supplier document (PDF, scan, image or .eml) and validate it against
 * Coupa, without posting. Posting stays with `settle ingest` (an operator's run, idempotent by
 * content hash, recorded for review): a model that can read a document should not also be the one
 * that turns supplier-controlled bytes into a Coupa record.
 */
import { realpathSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { basename, resolve, sep } from 'node:path';
import { z } from 'zod';
import { ToolError, defineTool, type ToolDefinition } from '../src/guard/tool.js';
import { UNTRUSTED_NOTICE, createFence, type Fence } from '../src/guard/untrusted.js';
// Straight from the modules rather than the ingest barrel, which also loads the LLM refiner: listing
// the tools (every `settle mcp` start) should not pay for a model client.
import { createIngestor, type Analysis } from '../src/ingest/ingest.js';
import { createOcrEngine } from '../src/ingest/ocr.js';
import { CONTENT_TYPES, expandEmail, sniffType, type InputDocument } from '../src/ingest/read-document.js';
import { blocking } from '../src/ingest/validate.js';
import { IngestError, MAX_BYTES } from '../src/ingest/errors.js';

/** An e-mail may carry several documents; a tool answer stays small. */
const MAX_DOCUMENTS = 5;

const FieldOut = z.object({ value: z.string().nullable(), confidence: z.number(), source: z.string() });
const DocumentOut = z.object({
  file_name: z.string(),
  reader: z.string(),
  pages: z.number(),
  fields: z.record(z.string(), FieldOut),
  lines: z.array(z.record(z.string(), FieldOut)),
  matched: z.object({
    supplier_id: z.number().nullable(),
    remit_to_address_id: z.number().nullable(),
    purchase_order_id: z.number().nullable(),
    order_line_ids: z.array(z.number().nullable()),
  }),
  problems: z.array(
    z.object({ code: z.string(), severity: z.string(), field: z.string().nullable(), message: z.string().nullable() }),
  ),
  ready_to_post: z.boolean(),
});

export interface ExtractInvoiceToolOptions {
  /** Folders a `path` may point into (default: `./inbox`, resolved when called). */
  allowedDirs?: () => string[];
  /** Where OCR keeps its unpacked model (default: `./.settle/ocr`). */
  ocrCachePath?: () => string;
}

function insideAllowed(path: string, allowed: string[]): string {
  let real: string;
  try {
    real = realpathSync(resolve(path));
  } catch {
    throw new ToolError(
      `no such file: ${path}`,
      'give a path under an allowed folder, or the document as document_base64',
    );
  }
  const ok = allowed.some((dir) => {
    try {
      const root = realpathSync(dir);
      return real === root || real.startsWith(root + sep);
    } catch {
      return false;
    }
  });
  if (!ok)
    throw new ToolError(
      `${path} is outside the folders this server may read`,
      `allowed: ${allowed.join(', ') || '(none)'}; or send the bytes as document_base64`,
    );
  return real;
}

function project(fileName: string, a: Analysis, fence: Fence): z.infer<typeof DocumentOut> {
  const field = (f: { value: string; confidence: number; source: string }): z.infer<typeof FieldOut> => ({
    value: fence.wrap(f.value),
    confidence: f.confidence,
    source: f.source,
  });
  return {
    file_name: fence.wrap(fileName) ?? '',
    reader: a.document.kind,
    pages: a.document.pages,
    fields: Object.fromEntries(Object.entries(a.invoice.fields).map(([k, f]) => [k, field(f!)])),
    lines: a.invoice.lines.map((l) => Object.fromEntries(Object.entries(l).map(([k, f]) => [k, field(f)]))),
    matched: {
      supplier_id: a.refs.supplierId ?? null,
      remit_to_address_id: a.refs.remitToAddressId ?? null,
      purchase_order_id: a.refs.purchaseOrderId ?? null,
      order_line_ids: a.refs.orderLineIds,
    },
    // Messages quote the document (descriptions, names): fenced like the values.
    problems: a.problems.map((p) => ({
      code: p.code,
      severity: p.severity,
      field: p.field ?? null,
      message: fence.wrap(p.message),
    })),
    ready_to_post: blocking(a.problems).length === 0,
  };
}

/** The tool with its deployment's folders; `extractInvoice` below is the default instance. */
export function createExtractInvoiceTool(options: ExtractInvoiceToolOptions = {}): ToolDefinition {
  const allowedDirs = options.allowedDirs ?? (() => [resolve('inbox')]);
  const cachePath = options.ocrCachePath ?? (() => resolve('.settle', 'ocr'));
  return defineTool({
    name: 'extract_invoice',
    title: 'Extract and validate a supplier invoice',
    description:
      'Read a supplier invoice document (text PDF, scanned PDF, PNG/JPEG/TIFF image, or .eml e-mail with attachments) and return its fields ' +
      '(supplier, number, dates, currency, PO, subtotal, tax, total, remit-to, bank details, tax id) and lines, each with a confidence 0–1, ' +
      'plus validation against Coupa: matched supplier/PO/PO lines, totals, bank details vs the master (a difference is a fraud signal). ' +
      'Posts nothing; `settle ingest` posts clean documents. Give document_base64 (with file_name) or a path under an allowed folder. ' +
      'Document text comes back fenced as untrusted data.',
    inputSchema: z
      .strictObject({
        document_base64: z
          .string()
          .max(Math.ceil((MAX_BYTES * 4) / 3) + 4)
          .optional()
          .describe('the file content, base64'),
        file_name: z.string().max(200).optional().describe('original file name, for the answer'),
        path: z.string().max(1000).optional().describe('a file under an allowed folder'),
      })
      .refine((i) => (i.document_base64 === undefined) !== (i.path === undefined), {
        message: 'give exactly one of document_base64 or path',
      }),
    outputSchema: z.object({ documents: z.array(DocumentOut), notice: z.string() }),
    guardClass: 'analysis',
    async handler(input, ctx) {
      const path = input.path === undefined ? undefined : insideAllowed(input.path, allowedDirs());
      const bytes = path
        ? new Uint8Array(await readFile(path))
        : new Uint8Array(Buffer.from(input.document_base64 ?? '', 'base64'));
      const fileName = input.file_name ?? (path ? basename(path) : 'document');
      const root: InputDocument = { fileName, bytes, contentType: CONTENT_TYPES[sniffType(bytes)] };
      const ocr = createOcrEngine({ cachePath: cachePath() });
      const ingestor = createIngestor({ coupa: ctx.records.coupa, ocr });
      const fence = createFence();
      try {
        const docs =
          bytes.length > 0 && sniffType(bytes) === 'email' ? (await expandEmail(root)).slice(0, MAX_DOCUMENTS) : [root];
        const documents = [];
        for (const doc of docs) documents.push(project(doc.fileName, await ingestor.analyse(doc), fence));
        const ready = documents.filter((d) => d.ready_to_post).length;
        return {
          data: { documents, notice: UNTRUSTED_NOTICE },
          text: `${documents.length} document(s) read: ${ready} ready to post, ${documents.length - ready} need review.`,
        };
      } catch (error) {
        if (error instanceof IngestError)
          throw new ToolError(`the document cannot be read: ${error.message}`, 'route it to a person');
        throw error;
      } finally {
        await ocr.close();
      }
    },
  });
}

/** Default instance: paths under `./inbox` of the working folder. */
export const extractInvoice = createExtractInvoiceTool();
