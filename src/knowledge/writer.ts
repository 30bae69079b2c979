/**
 * Incremental, idempotent writes. Every chunk carries the sha256 of its normalised text; a
 * document whose fingerprint is unchanged is skipped outright, otherwise only chunks whose hash
 * changed are re-embedded, vanished chunks are deleted and the rest keep their vectors.
 */
import { createHash } from 'node:crypto';
import type pg from 'pg';
import type { Db } from '../db/connection.js';
import type { Chunk } from './chunker.js';
import { createAnnIndex, dropAnnIndex, inTransaction, vectorLiteral } from './index-meta.js';
import type { Embedder, IngestReport, KnowledgeKind } from './types.js';

/** A document after decoding and chunking, ready to write. */
export interface PreparedDocument {
  id: string;
  kind: KnowledgeKind;
  title: string;
  origin: string;
  metadata: Record<string, unknown>;
  chunks: Chunk[];
}

const EMBED_BATCH = 256;
const INSERT_BATCH = 500;
/**
 * Writing at least this many chunks, and at least as many as are stored, rebuilds the HNSW index
 * instead of inserting into it: a build is several times faster than row-by-row graph inserts.
 */
const BULK_REBUILD_MIN = 2000;
/**
 * A write of at least this many chunks that grows the table by a tenth or more refreshes the
 * planner statistics: the full-text side picks its candidate words from them (fulltext.ts), and
 * PGlite runs no autovacuum to do it.
 */
const ANALYZE_MIN = 500;

export function emptyReport(): IngestReport {
  return { documents: { added: 0, updated: 0, unchanged: 0, removed: 0 }, chunks: { added: 0, updated: 0, unchanged: 0, removed: 0 } };
}

/** Fingerprint of everything stored for a document: title, kind, metadata and chunk hashes. */
function fingerprint(doc: PreparedDocument): string {
  const sortedMeta = Object.fromEntries(Object.entries(doc.metadata).sort(([a], [b]) => a.localeCompare(b)));
  const payload = JSON.stringify([doc.kind, doc.title, sortedMeta, doc.chunks.map((c) => [c.key, c.hash, c.sectionId, c.title])]);
  return createHash('sha256').update(payload).digest('hex');
}

interface Row {
  doc: PreparedDocument;
  chunk: Chunk;
  embedding: string;
}

async function upsertChunks(client: pg.PoolClient, rows: Row[]): Promise<void> {
  for (let i = 0; i < rows.length; i += INSERT_BATCH) {
    const batch = rows.slice(i, i + INSERT_BATCH);
    await client.query(
      `insert into knowledge_chunks (document_id, chunk_key, kind, section_id, title, context, text, content_hash, metadata, embedding)
       select d, k, kd, s, t, cx, x, h, m::jsonb, e::vector
       from unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[], $8::text[], $9::text[], $10::text[]) as u(d, k, kd, s, t, cx, x, h, m, e)
       on conflict (document_id, chunk_key) do update set kind = excluded.kind, section_id = excluded.section_id, title = excluded.title,
         context = excluded.context, text = excluded.text, content_hash = excluded.content_hash, metadata = excluded.metadata, embedding = excluded.embedding`,
      [
        batch.map((r) => r.doc.id), batch.map((r) => r.chunk.key), batch.map((r) => r.doc.kind), batch.map((r) => r.chunk.sectionId),
        batch.map((r) => r.chunk.title), batch.map((r) => r.chunk.context), batch.map((r) => r.chunk.text), batch.map((r) => r.chunk.hash),
        batch.map((r) => JSON.stringify(chunkMetadata(r.doc))), batch.map((r) => r.embedding),
      ],
    );
  }
}

function chunkMetadata(doc: PreparedDocument): Record<string, unknown> {
  return { ...doc.metadata, document_title: doc.title };
}

async function embedAll(embedder: Embedder, texts: string[]): Promise<string[]> {
  const out: string[] = [];
  for (let i = 0; i < texts.length; i += EMBED_BATCH) {
    const vectors = await embedder.embed(texts.slice(i, i + EMBED_BATCH));
    for (const v of vectors) {
      if (v.length !== embedder.dimensions) throw new Error(`embedder ${embedder.model} returned ${v.length} dimensions, expected ${embedder.dimensions}`);
      out.push(vectorLiteral(v));
    }
  }
  return out;
}

interface WritePlan {
  changed: Array<{ doc: PreparedDocument; hash: string }>;
  toEmbed: Array<{ doc: PreparedDocument; chunk: Chunk }>;
  stale: Array<{ doc: string; key: string }>;
  /** Documents that existed: their kept chunks get the new metadata (it may change without the text). */
  refresh: PreparedDocument[];
}

async function chunkHashes(db: Db, documentIds: string[]): Promise<Map<string, Map<string, string>>> {
  const out = new Map<string, Map<string, string>>();
  const { rows } = await db.query<{ document_id: string; chunk_key: string; content_hash: string }>(
    'select document_id, chunk_key, content_hash from knowledge_chunks where document_id = any($1)',
    [documentIds],
  );
  for (const r of rows) {
    const m = out.get(r.document_id) ?? new Map<string, string>();
    m.set(r.chunk_key, r.content_hash);
    out.set(r.document_id, m);
  }
  return out;
}

/** Compare with what is stored; count into `report`; list what to embed, delete and refresh. */
async function plan(db: Db, docs: PreparedDocument[], report: IngestReport): Promise<WritePlan> {
  const { rows } = await db.query<{ id: string; content_hash: string }>('select id, content_hash from knowledge_documents where id = any($1)', [docs.map((d) => d.id)]);
  const known = new Map(rows.map((r) => [r.id, r.content_hash]));
  const changed = docs.map((doc) => ({ doc, hash: fingerprint(doc) })).filter(({ doc, hash }) => {
    if (known.get(doc.id) !== hash) return true;
    report.documents.unchanged++;
    report.chunks.unchanged += doc.chunks.length;
    return false;
  });
  const result: WritePlan = { changed, toEmbed: [], stale: [], refresh: [] };
  if (changed.length === 0) return result;
  // Only documents already stored can have chunks (they cascade with their document).
  const stored = changed.filter((c) => known.has(c.doc.id)).map((c) => c.doc.id);
  const existing = stored.length > 0 ? await chunkHashes(db, stored) : new Map<string, Map<string, string>>();
  for (const { doc } of changed) {
    const before = existing.get(doc.id) ?? new Map<string, string>();
    report.documents[known.has(doc.id) ? 'updated' : 'added']++;
    if (known.has(doc.id)) result.refresh.push(doc);
    for (const chunk of doc.chunks) {
      const old = before.get(chunk.key);
      before.delete(chunk.key);
      if (old === chunk.hash) report.chunks.unchanged++;
      else {
        report.chunks[old === undefined ? 'added' : 'updated']++;
        result.toEmbed.push({ doc, chunk });
      }
    }
    for (const key of before.keys()) result.stale.push({ doc: doc.id, key });
    report.chunks.removed += before.size;
  }
  return result;
}

async function apply(client: pg.PoolClient, p: WritePlan, vectors: string[]): Promise<void> {
  const docs = p.changed;
  await client.query(
    `insert into knowledge_documents (id, kind, title, origin, content_hash, metadata, updated_at)
     select *, now() from unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::jsonb[])
     on conflict (id) do update set kind = excluded.kind, title = excluded.title, origin = excluded.origin,
       content_hash = excluded.content_hash, metadata = excluded.metadata, updated_at = now()`,
    [docs.map((c) => c.doc.id), docs.map((c) => c.doc.kind), docs.map((c) => c.doc.title), docs.map((c) => c.doc.origin), docs.map((c) => c.hash), docs.map((c) => JSON.stringify(c.doc.metadata))],
  );
  if (p.stale.length > 0) {
    await client.query('delete from knowledge_chunks c using unnest($1::text[], $2::text[]) as s(d, k) where c.document_id = s.d and c.chunk_key = s.k', [p.stale.map((s) => s.doc), p.stale.map((s) => s.key)]);
  }
  if (p.refresh.length > 0) {
    await client.query(
      'update knowledge_chunks c set metadata = u.m::jsonb, kind = u.k from unnest($1::text[], $2::text[], $3::text[]) as u(d, m, k) where c.document_id = u.d',
      [p.refresh.map((d) => d.id), p.refresh.map((d) => JSON.stringify(chunkMetadata(d))), p.refresh.map((d) => d.kind)],
    );
  }
  const rebuild = p.toEmbed.length >= BULK_REBUILD_MIN &&
    p.toEmbed.length >= Number((await client.query<{ n: string }>('select count(*)::text as n from knowledge_chunks')).rows[0]?.n ?? 0);
  if (rebuild) await dropAnnIndex(client);
  await upsertChunks(client, p.toEmbed.map((t, i) => ({ ...t, embedding: vectors[i]! })));
  if (rebuild) await createAnnIndex(client);
}

/** Write documents, touching only what changed. Returns what happened, per document and per chunk. */
export async function writeDocuments(db: Db, embedder: Embedder, docs: PreparedDocument[], report = emptyReport()): Promise<IngestReport> {
  const p = await plan(db, docs, report);
  if (p.changed.length === 0) return report;
  // Embed before the transaction: a slow remote embedder must not hold locks.
  const vectors = await embedAll(embedder, p.toEmbed.map((t) => t.chunk.embedText));
  await inTransaction(db, (client) => apply(client, p, vectors));
  if (p.toEmbed.length >= ANALYZE_MIN) await refreshStatistics(db, p.toEmbed.length);
  return report;
}

async function refreshStatistics(db: Db, written: number): Promise<void> {
  const { rows } = await db.query<{ rows: number }>(`select reltuples::float8 as rows from pg_class where oid = 'knowledge_chunks'::regclass`);
  const known = Number(rows[0]?.rows ?? -1);
  if (known < 0 || written * 10 >= known) await db.query('analyze knowledge_chunks');
}

/** Remove documents of `origin` that are not in `keep` (chunks cascade), counting them into `report`. */
export async function pruneOrigin(db: Db, origin: string, keep: string[], report: IngestReport): Promise<void> {
  const gone = (await db.query<{ id: string }>('select id from knowledge_documents where origin = $1 and not (id = any($2))', [origin, keep])).rows.map((r) => r.id);
  if (gone.length === 0) return;
  const { rows } = await db.query<{ n: string }>('select count(*)::text as n from knowledge_chunks where document_id = any($1)', [gone]);
  await db.query('delete from knowledge_documents where id = any($1)', [gone]);
  report.documents.removed += gone.length;
  report.chunks.removed += Number(rows[0]?.n ?? 0);
}
