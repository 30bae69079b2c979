/** Public shapes of the knowledge store: documents in, citations out. */
import { z } from 'zod';
import { Decision, ExceptionType } from '../domain/vocabulary.js';

export const KnowledgeKind = z.enum(['policy', 'resolution', 'case']);
export type KnowledgeKind = z.infer<typeof KnowledgeKind>;

/** Turns texts into vectors. One interface for the offline default and any OpenAI-compatible endpoint. */
export interface Embedder {
  /** Recorded with the index; a different model never mixes into an existing index. */
  readonly model: string;
  readonly dimensions: number;
  embed(texts: string[]): Promise<number[][]>;
}

/** A document as a caller hands it in. `text` as bytes is decoded strictly as UTF-8. */
export interface DocumentInput {
  id: string;
  title: string;
  text: string | Uint8Array;
  kind: KnowledgeKind;
  /** Attached to every chunk; searchable by filter (`exception_type`, `supplier_id`, …). */
  metadata?: Record<string, string | number | boolean | null>;
  /** Who added it; a directory re-ingest prunes only its own origin. Default `api`. */
  origin?: string;
}

/** What one ingestion changed, per document and per chunk. */
export interface IngestReport {
  documents: { added: number; updated: number; unchanged: number; removed: number };
  chunks: { added: number; updated: number; unchanged: number; removed: number };
}

/** A calendar day, `YYYY-MM-DD`: date filters compare against the stored ISO timestamp's text. */
const Day = z.iso.date();

export const SearchOptionsSchema = z.strictObject({
  kind: KnowledgeKind.optional(),
  exceptionType: ExceptionType.optional(),
  supplierId: z.union([z.number().int(), z.string().min(1)]).optional(),
  /** Only chunks decided on or after this day (past resolutions; policies carry no date). */
  decidedFrom: Day.optional(),
  /** Only chunks decided on or before this day. */
  decidedTo: Day.optional(),
  limit: z.number().int().min(1).max(100).default(5),
  /** Include resolutions a human has since overruled (default false). */
  includeSuperseded: z.boolean().default(false),
});
export type SearchOptions = z.input<typeof SearchOptionsSchema>;

/** One search hit, ready to cite: "per AP-TOL-2.1 (Tolerance policy) …". */
export interface Citation {
  document: string;
  sectionId: string | null;
  title: string;
  text: string;
  score: number;
  kind: KnowledgeKind;
  metadata: Record<string, unknown>;
}

export const ResolutionInput = z.strictObject({
  invoiceId: z.number().int().positive(),
  exceptionType: ExceptionType,
  decision: Decision,
  decidedBy: z.string().min(1),
  summary: z.string().min(1).max(4000),
  supplierId: z.number().int().positive().optional(),
  supplierName: z.string().min(1).optional(),
  source: z.enum(['agent', 'human']),
  decidedAt: z.string().datetime({ offset: true }).optional(),
});
export type ResolutionInput = z.input<typeof ResolutionInput>;

export interface KnowledgeStats {
  model: string;
  dimensions: number;
  documents: Record<KnowledgeKind, number>;
  chunks: number;
  /** Chunks per kind (a policy document has many sections; a resolution is one chunk). */
  chunksByKind: Record<KnowledgeKind, number>;
  /** Bytes on disk: the HNSW index, the full-text index, and the chunk table with its TOAST. */
  bytes: { hnsw: number; fullText: number; table: number };
  /** When every embedding was last rebuilt (`settle knowledge reindex`, or first initialisation). */
  reindexedAt: Date | null;
  /** When the planner statistics the full-text side relies on were last gathered. */
  analyzedAt: Date | null;
}

export interface KnowledgeStore {
  readonly embedder: Embedder;
  /** Ingest every `*.md` (policies) and `*.jsonl` (past resolutions) under `dir`. */
  ingestDirectory(dir: string): Promise<IngestReport>;
  ingestDocument(doc: DocumentInput): Promise<IngestReport>;
  /** Hybrid search: HNSW vector top-k fused with full-text rank (reciprocal rank fusion). */
  search(query: string, options?: SearchOptions): Promise<Citation[]>;
  /** Exact cosine search without the ANN index; the yardstick for recall. */
  exactSearch(query: string, options?: SearchOptions): Promise<Citation[]>;
  /** Write a settled exception back as a searchable past resolution. Returns its document id. */
  recordResolution(input: ResolutionInput): Promise<{ documentId: string; superseded: boolean }>;
  stats(): Promise<KnowledgeStats>;
}
