/**
 * The knowledge store: policy sections and past resolutions in Postgres (pgvector + full text),
 * the same SQL on embedded PGlite and on a real server. Expects migrations to have run.
 */
import type { Db } from '../db/connection.js';
import { createAnnIndex, ensureIndex, inTransaction, readIndexInfo, resetIndex, vectorLiteral } from './index-meta.js';
import { prepareDirectory, prepareDocument } from './ingest.js';
import { findCorrection, markSuperseded, recordResolution } from './resolution-memory.js';
import { createSearchCache } from './search-cache.js';
import { createRetriever } from './search.js';
import { KnowledgeKind, SearchOptionsSchema, type Citation, type Embedder, type KnowledgeStats, type KnowledgeStore, type SearchOptions } from './types.js';
import { emptyReport, pruneOrigin, writeDocuments, type PreparedDocument } from './writer.js';

export interface KnowledgeStoreDeps {
  db: Db;
  embedder: Embedder;
  /** Clock for `decidedAt` when a resolution does not say; default the real clock. */
  now?: () => Date;
  /** HNSW `ef_search` (candidate list size); higher trades latency for recall. Default 500 (`DEFAULT_EF_SEARCH`). */
  efSearch?: number;
  /** ef_search of the hybrid search's vector side (`DEFAULT_HYBRID_EF_SEARCH`). */
  hybridEfSearch?: number;
  /**
   * Reuse search answers while the chunks they come from are unchanged (search-cache.ts); default
   * on. Benchmarks of the search itself turn it off.
   */
  searchCache?: boolean;
}

/** The store plus what benchmarks and re-indexing need beyond the agent-facing API. */
export interface KnowledgeStoreAdmin extends KnowledgeStore {
  /** ANN-only search through the HNSW index (cosine similarity as score). */
  vectorSearch(query: string, options?: SearchOptions): Promise<Citation[]>;
  /** Full-text-only search, the hybrid's text side on its own (ts_rank as score). */
  textSearch(query: string, options?: SearchOptions): Promise<Citation[]>;
  /** The statement `search` runs, for EXPLAIN (benchmarks). */
  hybridStatement(query: string, options?: SearchOptions): Promise<{ sql: string; params: unknown[] }>;
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
  const retriever = createRetriever(db, embedder, deps.efSearch, deps.hybridEfSearch);
  const cache = deps.searchCache === false ? undefined : createSearchCache(db);
  const allKinds = KnowledgeKind.options;
  const search = async (query: string, options?: SearchOptions): Promise<Citation[]> => {
    if (!cache) return retriever.hybrid(query, options);
    const o = SearchOptionsSchema.parse(options ?? {});
    const key = JSON.stringify([query, o.exceptionType, o.supplierId === undefined ? null : String(o.supplierId), o.decidedFrom, o.decidedTo, o.limit, o.includeSuperseded]);
    return cache.through(o.kind, key, () => retriever.hybrid(query, o));
  };
  const write = async (docs: PreparedDocument[]): ReturnType<typeof writeDocuments> => {
    try {
      const report = await writeDocuments(db, embedder, docs);
      retriever.forgetTermStats();
      const invoices = docs.flatMap((d) => (d.kind === 'resolution' && typeof d.metadata.invoice_id === 'string' ? [d.metadata.invoice_id] : []));
      await markSuperseded(db, [...new Set(invoices)]);
      return report;
    } finally {
      // Also on failure: part of the write may have landed. markSuperseded touches resolutions.
      cache?.invalidate([...new Set([...docs.map((d) => d.kind), 'resolution' as const])]);
    }
  };

  return {
    embedder,
    async ingestDirectory(dir) {
      const { origin, docs } = await prepareDirectory(dir);
      const report = await write(docs);
      await pruneOrigin(db, origin, docs.map((d) => d.id), report).finally(() => cache?.invalidate(allKinds));
      return report;
    },
    ingestDocument: async (doc) => write([prepareDocument(doc)]),
    search,
    exactSearch: async (query, options) => retriever.exact(query, options),
    vectorSearch: async (query, options) => retriever.vector(query, options),
    textSearch: async (query, options) => retriever.text(query, options),
    hybridStatement: async (query, options) => retriever.hybridStatement(query, options),
    recordResolution: async (input) => recordResolution(db, embedder, input, deps.now).finally(() => cache?.invalidate(['resolution'])),
    findCorrection: async (pattern) => findCorrection(db, pattern),
    writePrepared: write,
    stats: async () => readStats(db, embedder),
  };
}

const zeroPerKind = (): Record<KnowledgeKind, number> => Object.fromEntries(KnowledgeKind.options.map((k) => [k, 0])) as Record<KnowledgeKind, number>;

async function readStats(db: Db, embedder: Embedder): Promise<KnowledgeStats> {
  const perKind = async (table: string): Promise<Record<KnowledgeKind, number>> => {
    const out = zeroPerKind();
    const { rows } = await db.query<{ kind: string; n: string }>(`select kind, count(*)::text as n from ${table} group by kind`);
    for (const r of rows) if (r.kind in out) out[r.kind as KnowledgeKind] = Number(r.n);
    return out;
  };
  const documents = await perKind('knowledge_documents');
  const chunksByKind = await perKind('knowledge_chunks');
  const { rows } = await db.query<{ hnsw: string | null; fts: string | null; tbl: string; analyzed: Date | null }>(
    `select (select coalesce(sum(pg_relation_size(i.indexrelid)), 0) from pg_index i join pg_class x on x.oid = i.indexrelid join pg_am a on a.oid = x.relam
             where i.indrelid = 'knowledge_chunks'::regclass and a.amname = 'hnsw')::text as hnsw,
            pg_relation_size(to_regclass('knowledge_chunks_tsv_idx'))::text as fts,
            pg_table_size('knowledge_chunks')::text as tbl,
            (select greatest(last_analyze, last_autoanalyze) from pg_stat_user_tables where relid = 'knowledge_chunks'::regclass) as analyzed`,
  );
  const info = await readIndexInfo(db);
  const r = rows[0];
  return {
    model: embedder.model,
    dimensions: embedder.dimensions,
    documents,
    chunks: Object.values(chunksByKind).reduce((a, b) => a + b, 0),
    chunksByKind,
    bytes: { hnsw: Number(r?.hnsw ?? 0), fullText: Number(r?.fts ?? 0), table: Number(r?.tbl ?? 0) },
    reindexedAt: info?.reindexedAt ?? null,
    analyzedAt: r?.analyzed ?? null,
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
  await db.query('analyze knowledge_chunks');
  return { chunks: rows.length, previous: before ? `${before.model} (${before.dimensions} dimensions)` : undefined };
}
