/**
 * Past resolutions as documents: one short chunk each, with the facts the agent filters on
 * (exception type, supplier, decision, invoice) in metadata. Shared by the JSONL loader and the
 * resolution memory, so a written-back decision reads exactly like a historical one.
 */
import { z } from 'zod';
import { Decision, ExceptionType } from '../domain/vocabulary.js';
import { chunkMarkdown } from './chunker.js';
import { KnowledgeInputError } from './text.js';
import type { PreparedDocument } from './writer.js';
import { formatIssues } from '../issues.js';

/** One line of `knowledge/resolutions/*.jsonl` (snake_case, like the case format's knowledge block). */
export const ResolutionRecord = z.object({
  id: z.string().min(1),
  invoice_id: z.number().int().positive(),
  supplier_id: z.number().int().positive().optional(),
  supplier_name: z.string().optional(),
  exception_type: ExceptionType,
  decision: Decision,
  decided_by: z.string().min(1),
  decided_at: z.string().min(1),
  summary: z.string().min(1),
});
export type ResolutionRecord = z.infer<typeof ResolutionRecord>;

/** A resolution as the rest of the code holds it (camelCase), for `toResolutionRecord`. */
export interface ResolutionFields {
  id: string;
  invoiceId: number;
  supplierId?: number | undefined;
  supplierName?: string | undefined;
  exceptionType: ResolutionRecord['exception_type'];
  decision: ResolutionRecord['decision'];
  decidedBy: string;
  decidedAt: string;
  summary: string;
}

/** The stored (snake_case) record of a resolution, validated so nothing writes one the loader rejects. */
export function toResolutionRecord(r: ResolutionFields): ResolutionRecord {
  return ResolutionRecord.parse({
    id: r.id, invoice_id: r.invoiceId, supplier_id: r.supplierId, supplier_name: r.supplierName, exception_type: r.exceptionType,
    decision: r.decision, decided_by: r.decidedBy, decided_at: r.decidedAt, summary: r.summary,
  });
}

const words = (s: string): string => s.replace(/_/g, ' ');

/**
 * `2026-03-01T09:00:00+02:00` → `2026-03-01T07:00:00.000Z`: one offset (UTC), so the date filter
 * can compare the text. UTC values are kept as written; text that is no timestamp is kept.
 */
function utcTimestamp(value: string): string {
  const ms = Date.parse(value);
  return value.endsWith('Z') || !Number.isFinite(ms) ? value : new Date(ms).toISOString();
}

/**
 * A resolution as a prepared document. `source` is `history`, `agent` or `human`. Whether it is
 * superseded is not part of the document: `markSuperseded` keeps that flag on the chunks.
 */
export function resolutionDocument(record: ResolutionRecord, origin: string, source: string): PreparedDocument {
  const supplier = record.supplier_name ? `${record.supplier_name}${record.supplier_id ? ` (supplier ${record.supplier_id})` : ''}` : record.supplier_id ? `supplier ${record.supplier_id}` : 'unknown supplier';
  const title = `${words(record.exception_type)} — ${words(record.decision)} — ${supplier}`;
  const text = [
    `Past resolution ${record.id}: ${words(record.exception_type)} on invoice ${record.invoice_id} from ${supplier}.`,
    `Decision: ${words(record.decision)}, by ${record.decided_by} (${source}) on ${record.decided_at.slice(0, 10)}.`,
    record.summary,
  ].join('\n');
  const { chunks } = chunkMarkdown(text, { title, maxChars: 4000 });
  return {
    id: record.id,
    kind: 'resolution',
    title,
    origin,
    metadata: {
      exception_type: record.exception_type,
      decision: record.decision,
      supplier_id: record.supplier_id === undefined ? null : String(record.supplier_id),
      invoice_id: String(record.invoice_id),
      decided_by: record.decided_by,
      decided_at: utcTimestamp(record.decided_at),
      source,
    },
    chunks,
  };
}

/** Parse a JSONL file of resolutions; a bad line is an error naming the file and line. */
export function parseResolutionLines(name: string, text: string): ResolutionRecord[] {
  const out: ResolutionRecord[] = [];
  text.split('\n').forEach((line, i) => {
    if (line.trim() === '') return;
    let json: unknown;
    try {
      json = JSON.parse(line);
    } catch {
      throw new KnowledgeInputError(`${name} line ${i + 1}: not valid JSON`);
    }
    const parsed = ResolutionRecord.safeParse(json);
    if (!parsed.success) {
      throw new KnowledgeInputError(`${name} line ${i + 1}: ${formatIssues(parsed.error, { root: 'record', limit: 1 })}`);
    }
    out.push(parsed.data);
  });
  return out;
}
