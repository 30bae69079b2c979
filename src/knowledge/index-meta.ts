/**
 * The vector index belongs to one embedder. Its model and dimension are recorded in
 * `knowledge_index` when the index is first initialised; the `embedding vector(N)` column and its
 * HNSW index are created then, because N comes from the embedder. A store opened with another
 * embedder is refused, since vectors from two models are not comparable.
 *
 * Not `halfvec`: it halves the bytes, but PGlite's WebAssembly build has no hardware float16
 * conversion, and measured HNSW inserts 4× slower than with `vector` (issue 17).
 */
import type pg from 'pg';
import type { Db } from '../db/connection.js';
import { UserError } from '../errors.js';
import { KnowledgeKind, type Embedder } from './types.js';

/** The index was built by another embedder. The message says how to rebuild it. */
export class KnowledgeIndexMismatchError extends UserError {
  override name = 'KnowledgeIndexMismatchError';
}

export interface IndexInfo {
  model: string;
  dimensions: number;
}

/** Serialises initialisation and re-indexing across processes sharing one Postgres. */
const INDEX_LOCK = 7_140_301;

export async function readIndexInfo(db: Pick<Db, 'query'>): Promise<(IndexInfo & { reindexedAt: Date | null }) | undefined> {
  const { rows } = await db.query<IndexInfo & { reindexedAt: Date | null }>('select model, dimensions, reindexed_at as "reindexedAt" from knowledge_index');
  return rows[0];
}

/** `[0.1,-0.2,…]`, the text form pgvector parses; float4 precision is all it keeps. */
export function vectorLiteral(vector: readonly number[]): string {
  return `[${vector.map((x) => {
    if (!Number.isFinite(x)) throw new Error('embedding contains a non-finite number');
    return Number(x.toPrecision(7));
  }).join(',')}]`;
}

async function createEmbeddingColumn(client: pg.PoolClient, embedder: Embedder, withIndex: boolean): Promise<void> {
  if (!Number.isInteger(embedder.dimensions) || embedder.dimensions < 1) throw new Error(`embedder ${embedder.model} reports ${embedder.dimensions} dimensions`);
  await client.query(`alter table knowledge_chunks add column embedding vector(${embedder.dimensions})`);
  // Inline, not pgvector's default external storage: an exact distance must not cost a TOAST fetch (migration 095).
  await client.query('alter table knowledge_chunks alter column embedding set storage main');
  if (withIndex) await createAnnIndex(client);
  await client.query('insert into knowledge_index (model, dimensions, reindexed_at) values ($1, $2, now())', [embedder.model, embedder.dimensions]);
}

/** The HNSW graph of one knowledge kind (a partial index on `kind`). */
export const annIndexName = (kind: KnowledgeKind): string => `knowledge_chunks_embedding_${kind}_idx`;

/**
 * One HNSW graph per knowledge kind, each a partial index on `kind` (issue 17). A search walks only
 * the graphs of the kinds it asks for, so the policy pack (a few hundred chunks) is never lost in a
 * graph of years of resolutions: its own small graph is searched nearly exhaustively at a short
 * candidate list, which lets the hybrid's vector side run at a small `ef_search`.
 * m = 32 links per node and ef_construction 128, twice pgvector's defaults: past resolutions crowd
 * together (a few dozen patterns), and the default graph held recall@10 near 0.8 at any ef_search.
 * Building after a bulk load is much faster than inserting row by row.
 */
export async function createAnnIndex(client: Pick<pg.PoolClient, 'query'>): Promise<void> {
  // The build slows down sharply once the graph outgrows maintenance_work_mem (default 64MB).
  await client.query(`set local maintenance_work_mem = '1GB'`);
  for (const kind of KnowledgeKind.options) {
    await client.query(
      `create index if not exists ${annIndexName(kind)} on knowledge_chunks using hnsw (embedding vector_cosine_ops) with (m = 32, ef_construction = 128) where kind = '${kind}'`,
    );
  }
}

/** Drop every HNSW index on the chunks (the per-kind ones, and the single one of before migration 094). */
export async function dropAnnIndex(client: Pick<pg.PoolClient, 'query'>): Promise<void> {
  const names = ['knowledge_chunks_embedding_idx', ...KnowledgeKind.options.map(annIndexName)];
  await client.query(`drop index if exists ${names.join(', ')}`);
}

import { inTransaction } from '../db/transaction.js';

export { inTransaction };

function mismatch(found: IndexInfo, embedder: Embedder): KnowledgeIndexMismatchError {
  return new KnowledgeIndexMismatchError(
    `the knowledge index was built with ${found.model} (${found.dimensions} dimensions) but the configured embedder is ` +
      `${embedder.model} (${embedder.dimensions} dimensions); run \`settle knowledge reindex\` to rebuild it with the configured embedder, ` +
      'or set SETTLE_EMBEDDING_MODEL back',
  );
}

/** Initialise the index for `embedder` on first use; refuse an index built by a different embedder. */
export async function ensureIndex(db: Db, embedder: Embedder): Promise<void> {
  let found: IndexInfo | undefined = await readIndexInfo(db);
  if (found === undefined) {
    found = await inTransaction(db, async (client) => {
      await client.query('select pg_advisory_xact_lock($1)', [INDEX_LOCK]);
      const again = await readIndexInfo(client);
      if (again) return again;
      await client.query('alter table knowledge_chunks drop column if exists embedding');
      await createEmbeddingColumn(client, embedder, true);
      return { model: embedder.model, dimensions: embedder.dimensions };
    });
  }
  if (found.model !== embedder.model || found.dimensions !== embedder.dimensions) throw mismatch(found, embedder);
}

/**
 * Drop every embedding and the index, record `embedder` as the index's owner and return the
 * chunks to re-embed. The caller fills them and then calls `createAnnIndex`.
 */
export async function resetIndex(client: pg.PoolClient, embedder: Embedder): Promise<void> {
  await client.query('select pg_advisory_xact_lock($1)', [INDEX_LOCK]);
  await dropAnnIndex(client);
  await client.query('alter table knowledge_chunks drop column if exists embedding');
  await client.query('delete from knowledge_index');
  await createEmbeddingColumn(client, embedder, false);
}
