/**
 * The `ingested_documents` table: idempotency by content hash, and the review queue. A run
 * claims a document (status `posting`) before creating its draft, so two runs never post the
 * same document; `listDocumentsForReview` is what the review page renders.
 */
import { z } from 'zod';
import type { Db } from '../db/connection.js';
import { ExtractedInvoice, MatchedRefs, ValidationProblem, type DocumentStatus } from './types.js';

/** A claim older than this was left by a run that died; the next run may reconcile it. */
const STALE_CLAIM_MS = 10 * 60_000;

export interface StoredDocument {
  id: number;
  contentHash: string;
  fileName: string;
  status: DocumentStatus | 'posting' | 'dismissed';
  /** Who marked it handled on the review page (status `dismissed`). */
  handledBy: string | null;
  coupaInvoiceId: number | null;
  updatedAt: Date;
}

export interface DocumentRecord {
  contentHash: string;
  fileName: string;
  contentType: string;
  status: DocumentStatus;
  /** Kept for documents a person must look at; not for posted ones. */
  document?: Uint8Array;
  readerKind?: string;
  pages?: number;
  extracted?: ExtractedInvoice;
  problems: ValidationProblem[];
  refs?: MatchedRefs;
  error?: string;
  coupaInvoiceId?: number;
}

export interface IngestStore {
  find(contentHash: string): Promise<StoredDocument | undefined>;
  /** Claim for posting; false when another run holds a live claim or the document is posted. */
  claim(contentHash: string, fileName: string, contentType: string): Promise<boolean>;
  record(doc: DocumentRecord): Promise<void>;
}

const row = (r: Record<string, unknown>): StoredDocument => ({
  id: Number(r.id),
  contentHash: String(r.content_hash),
  fileName: String(r.file_name),
  status: r.status as StoredDocument['status'],
  coupaInvoiceId: r.coupa_invoice_id === null ? null : Number(r.coupa_invoice_id),
  updatedAt: new Date(String(r.updated_at)),
  handledBy: r.handled_by == null ? null : String(r.handled_by),
});

/** The store over an open database (migrations applied). */
export function createIngestStore(db: Db): IngestStore {
  return {
    async find(contentHash) {
      const { rows } = await db.query(
        'select id, content_hash, file_name, status, coupa_invoice_id, updated_at, handled_by from ingested_documents where content_hash = $1',
        [contentHash],
      );
      return rows[0] ? row(rows[0]) : undefined;
    },
    async claim(contentHash, fileName, contentType) {
      const staleBefore = new Date(Date.now() - STALE_CLAIM_MS);
      const { rowCount } = await db.query(
        `insert into ingested_documents (content_hash, file_name, content_type, status) values ($1, $2, $3, 'posting')
         on conflict (content_hash) do update set status = 'posting', updated_at = now()
         where ingested_documents.status in ('needs_review', 'failed')
            or (ingested_documents.status = 'posting' and ingested_documents.updated_at < $4)`,
        [contentHash, fileName, contentType, staleBefore],
      );
      return rowCount === 1;
    },
    async record(doc) {
      await db.query(
        `insert into ingested_documents (content_hash, file_name, content_type, status, document, reader_kind, pages, extracted, problems, refs, error, coupa_invoice_id)
         values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)
         on conflict (content_hash) do update set file_name = excluded.file_name, status = excluded.status, document = excluded.document,
           reader_kind = excluded.reader_kind, pages = excluded.pages, extracted = excluded.extracted, problems = excluded.problems,
           refs = excluded.refs, error = excluded.error, coupa_invoice_id = excluded.coupa_invoice_id, updated_at = now()
         where ingested_documents.status not in ('posted', 'dismissed')`,
        [
          doc.contentHash,
          doc.fileName,
          doc.contentType,
          doc.status,
          doc.document ? Buffer.from(doc.document) : null,
          doc.readerKind ?? null,
          doc.pages ?? null,
          doc.extracted ? JSON.stringify(doc.extracted) : null,
          JSON.stringify(doc.problems),
          doc.refs ? JSON.stringify(doc.refs) : null,
          doc.error ?? null,
          doc.coupaInvoiceId ?? null,
        ],
      );
    },
  };
}

/** One document awaiting a person, as the review page shows it. */
export const ReviewDocument = z.object({
  id: z.number(),
  fileName: z.string(),
  contentType: z.string(),
  contentHash: z.string(),
  status: z.enum(['needs_review', 'failed']),
  readerKind: z.string().nullable(),
  pages: z.number().nullable(),
  /** Extracted values with per-field confidence: supplier-written text, render as data. */
  extracted: ExtractedInvoice.nullable(),
  problems: z.array(ValidationProblem),
  refs: MatchedRefs.nullable(),
  error: z.string().nullable(),
  updatedAt: z.date(),
});
export type ReviewDocument = z.infer<typeof ReviewDocument>;

const REVIEW_COLUMNS =
  'id, file_name, content_type, content_hash, status, reader_kind, pages, extracted, problems, refs, error, updated_at';

function reviewDocument(r: Record<string, unknown>): ReviewDocument {
  return ReviewDocument.parse({
    id: Number(r.id),
    fileName: r.file_name,
    contentType: r.content_type,
    contentHash: r.content_hash,
    status: r.status,
    readerKind: r.reader_kind,
    pages: r.pages,
    extracted: r.extracted,
    problems: r.problems,
    refs: r.refs,
    error: r.error,
    updatedAt: new Date(String(r.updated_at)),
  });
}

/** Documents that need a person (validation problems or unreadable), newest first. */
export async function listDocumentsForReview(db: Db, options: { limit?: number } = {}): Promise<ReviewDocument[]> {
  const { rows } = await db.query(
    `select ${REVIEW_COLUMNS} from ingested_documents where status in ('needs_review', 'failed') order by updated_at desc, id desc limit $1`,
    [options.limit ?? 100],
  );
  return rows.map(reviewDocument);
}

/** One document waiting for a person, or undefined (unknown id, posted or already handled). */
export async function getDocumentForReview(db: Db, id: number): Promise<ReviewDocument | undefined> {
  const { rows } = await db.query(
    `select ${REVIEW_COLUMNS} from ingested_documents where id = $1 and status in ('needs_review', 'failed')`,
    [id],
  );
  return rows[0] ? reviewDocument(rows[0]) : undefined;
}

/**
 * A person dealt with the document (entered it by hand, asked the supplier, rejected it): it leaves
 * the queue and the same content is not ingested again. False when it was not waiting any more.
 */
export async function markDocumentHandled(db: Db, id: number, by: string, note: string): Promise<boolean> {
  const { rowCount } = await db.query(
    `update ingested_documents set status = 'dismissed', handled_by = $2, handled_note = $3, updated_at = now()
      where id = $1 and status in ('needs_review', 'failed')`,
    [id, by, note],
  );
  return (rowCount ?? 0) === 1;
}

/** The original bytes of a document under review (for the page's side-by-side view). */
export async function getReviewDocumentContent(
  db: Db,
  id: number,
): Promise<{ fileName: string; contentType: string; bytes: Uint8Array } | undefined> {
  const { rows } = await db.query(
    'select file_name, content_type, document from ingested_documents where id = $1 and document is not null',
    [id],
  );
  const r = rows[0];
  return r
    ? {
        fileName: String(r.file_name),
        contentType: String(r.content_type),
        bytes: new Uint8Array(r.document as Buffer),
      }
    : undefined;
}
