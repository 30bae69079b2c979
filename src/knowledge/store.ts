/**
 * The knowledge store: policy sections and past resolutions in Postgres (pgvector + full text),
 * the same SQL on embedded PGlite and on a real server. Expects migrations to have run.
 */
import type { Db } from '../db/connection.js';
import { createAnnIndex, ensureIndex, inTransaction, readIndexInfo, resetIndex, vectorLiteral } from './index-meta.js';
import { prepareDirectory, prepareDocument } from './ingest.js';
import { findCorrection, markSuperseded, recordResolution } from './resolution-memory.js';
import { createRetriever } from './search.js';
import { KnowledgeKind, type Citation, type Embedder, type KnowledgeStats, type KnowledgeStore, type SearchOptions } from './types.js';
import { emptyReport, pruneOrigin, writeDocuments, type PreparedDocument } from './writer.js';

export interface KnowledgeStoreDeps {
  db: Db;
  embedder: Embedder;
  /** Clock for `decidedAt` when a resolution does not say; default the real clock. */
  now?: () => Date;
  /** HNSW `ef_search` (candidate list size); higher trades latency for recall. Default 100. */
  efSearch?: number;
}

/** The store plus what benchmarks and re-indexing need beyond the agent-facing API. */
export interface KnowledgeStoreAdmin extends KnowledgeStore {
  /** ANN-only search through the HNSW index (cosine similarity as score). */
  vectorSearch(query: string, options?: SearchOptions): Promise<Citation[]>;
  /** Write already-chunked documents in bulk (benchmarks, importers). */
  writePrepared(docs: PreparedDocument[]): ReturnType<typeof writeDocuments>;
}

/**
 * Open the store for `embedder`. Initialises the vector index on first use; throws
 * KnowledgeIndexMismatchError if the index was built by another embedder.
 */
export async function createKnowledgeStore(deps: KnowledgeStoreDeps): Promise<KnowledgeStoreAdmin> {
  const { db, embedder } = deps;
  await ensureIndex(db, embedder);
  const retriever = createRetriever(db, embedder, deps.efSearch);
  const write = async (docs: PreparedDocument[]): ReturnType<typeof writeDocuments> => {
    const report = await writeDocuments(db, embedder, docs);
    const invoices = docs.flatMap((d) => (d.kind === 'resolution' && typeof d.metadata.invoice_id === 'string' ? [d.metadata.invoice_id] : []));
    await markSuperseded(db, [...new Set(invoices)]);
    return report;
  };

  return {
    embedder,
    async ingestDirectory(dir) {
      const { origin, docs } = await prepareDirectory(dir);
      const report = await write(docs);
      await pruneOrigin(db, origin, docs.map((d) => d.id), report);
      return report;
    },
    ingestDocument: async (doc) => write([prepareDocument(doc)]),
    search: async (query, options) => retriever.hybrid(query, options),
    exactSearch: async (query, options) => retriever.exact(query, options),
    vectorSearch: async (query, options) => retriever.vector(query, options),
    recordResolution: async (input) => recordResolution(db, embedder, input, deps.now),
    findCorrection: async (pattern) => findCorrection(db, pattern),
    writePrepared: write,
    async stats(): Promise<KnowledgeStats> {
      const { rows } = await db.query<{ kind: string; docs: string }>('select kind, count(*)::text as docs from knowledge_documents group by kind');
      const chunks = await db.query<{ n: string }>('select count(*)::text as n from knowledge_chunks');
      const documents = Object.fromEntries(KnowledgeKind.options.map((k) => [k, 0])) as Record<KnowledgeKind, number>;
      for (const r of rows) documents[r.kind as KnowledgeKind] = Number(r.docs);
      return { model: embedder.model, dimensions: embedder.dimensions, documents, chunks: Number(chunks.rows[0]?.n ?? 0) };
    },
  };
}

/**
 * Rebuild every embedding with `embedder` (after changing models): texts are re-embedded from the
 * stored chunks, so documents added through the API and resolution memory survive. One
 * transaction: a failure leaves the old index intact.
 */
export async function reindexKnowledge(deps: { db: Db; embedder: Embedder }): Promise<{ chunks: number; previous: string | undefined }> {
  const { db, embedder } = deps;
  const before = await readIndexInfo(db);
  const { rows } = await db.query<{ id: string; embed_text: string }>(
    `select id::text, context || E'\\n' || text as embed_text from knowledge_chunks order by id`,
  );
  const vectors: string[] = [];
  const batch = 256;
  for (let i = 0; i < rows.length; i += batch) {
    const texts = rows.slice(i, i + batch).map((r) => r.embed_text);
    for (const v of await embedder.embed(texts)) vectors.push(vectorLiteral(v));
  }
  await inTransaction(db, async (client) => {
    await resetIndex(client, embedder);
    for (let i = 0; i < rows.length; i += 500) {
      await client.query(
        'update knowledge_chunks c set embedding = u.e::vector from unnest($1::bigint[], $2::text[]) as u(id, e) where c.id = u.id',
        [rows.slice(i, i + 500).map((r) => r.id), vectors.slice(i, i + 500)],
      );
    }
    await createAnnIndex(client);
  });
  return { chunks: rows.length, previous: before ? `${before.model} (${before.dimensions} dimensions)` : undefined };
}
