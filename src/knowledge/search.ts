/**
 * Hybrid retrieval: approximate nearest neighbours (HNSW, cosine) and Postgres full-text rank,
 * fused with reciprocal rank fusion. Meaning and exact words fail differently — "paid twice" finds
 * the duplicate policy by meaning, "INCORRECT-QUANTITY" by its words — so the fusion beats either.
 */
import type { Db } from '../db/connection.js';
import { inTransaction, vectorLiteral } from './index-meta.js';
import { SearchOptionsSchema, type Citation, type Embedder, type KnowledgeKind, type SearchOptions } from './types.js';

/** RRF damping constant from Cormack et al.; rank 1 scores 1/61. */
const RRF_K = 60;

interface Filters {
  sql: string;
  params: unknown[];
}

type ParsedOptions = ReturnType<typeof SearchOptionsSchema.parse>;

/** WHERE clause for the metadata filters, with parameters numbered after `offset`. */
function buildFilters(options: ParsedOptions, offset: number): Filters {
  const clauses: string[] = ['embedding is not null'];
  const params: unknown[] = [];
  const add = (clause: (n: string) => string, value: unknown): void => {
    params.push(value);
    clauses.push(clause(`$${offset + params.length}`));
  };
  if (options.kind) add((n) => `kind = ${n}`, options.kind);
  if (options.exceptionType) add((n) => `metadata ->> 'exception_type' = ${n}`, options.exceptionType);
  if (options.supplierId !== undefined) add((n) => `metadata ->> 'supplier_id' = ${n}`, String(options.supplierId));
  if (!options.includeSuperseded) clauses.push(`coalesce((metadata ->> 'superseded')::boolean, false) = false`);
  return { sql: clauses.join(' and '), params };
}

interface ChunkRow {
  id: string;
  document_id: string;
  section_id: string | null;
  title: string;
  text: string;
  kind: KnowledgeKind;
  metadata: Record<string, unknown>;
}

const COLUMNS = 'c.id::text, c.document_id, c.section_id, c.title, c.text, c.kind, c.metadata';

function toCitation(row: ChunkRow, score: number): Citation {
  return { document: row.document_id, sectionId: row.section_id, title: row.title, text: row.text, score, kind: row.kind, metadata: row.metadata };
}

export interface Retriever {
  hybrid(query: string, options?: SearchOptions): Promise<Citation[]>;
  /** ANN only (the HNSW index), scored by cosine similarity. */
  vector(query: string, options?: SearchOptions): Promise<Citation[]>;
  /** Exact cosine ranking by a sequential scan: the reference for recall. */
  exact(query: string, options?: SearchOptions): Promise<Citation[]>;
}

/**
 * HNSW candidate list size. pgvector's default (40) loses neighbours on large or uniform corpora;
 * 100 keeps recall high at a few milliseconds more per query.
 */
export const DEFAULT_EF_SEARCH = 100;

export function createRetriever(db: Db, embedder: Embedder, efSearch = DEFAULT_EF_SEARCH): Retriever {
  if (!Number.isInteger(efSearch) || efSearch < 1 || efSearch > 1000) throw new RangeError(`efSearch must be an integer from 1 to 1000, got ${efSearch}`);
  const embedQuery = async (query: string): Promise<string> => vectorLiteral((await embedder.embed([query]))[0] ?? []);

  /** Nearest chunks by cosine similarity, best first (the HNSW index unless `exact`). */
  const nearest = async (vector: string, o: ParsedOptions, k: number, exact: boolean): Promise<Array<ChunkRow & { sim: number }>> => {
    const f = buildFilters(o, 2);
    // `+ 0` hides the operator from the planner, so no index can serve the ORDER BY: a true scan.
    const order = exact ? '(c.embedding <=> $1::vector) + 0' : 'c.embedding <=> $1::vector';
    const sql = `select ${COLUMNS}, 1 - (c.embedding <=> $1::vector) as sim from knowledge_chunks c where ${f.sql} order by ${order} limit $2`;
    const params = [vector, k, ...f.params];
    const rows = exact
      ? (await db.query<ChunkRow & { sim: number }>(sql, params)).rows
      : await inTransaction(db, async (client) => {
          // Enough candidates for the fusion, and keep scanning when filters reject neighbours.
          // One round trip for both settings: on PGlite every round trip costs milliseconds.
          await client.query(`set local hnsw.ef_search = ${Math.min(1000, Math.max(efSearch, k * 2))}; set local hnsw.iterative_scan = relaxed_order`);
          return (await client.query<ChunkRow & { sim: number }>(sql, params)).rows;
        });
    // relaxed_order may return neighbours slightly out of order; restore it.
    return rows.map((r) => ({ ...r, sim: Number(r.sim) })).sort((a, b) => b.sim - a.sim);
  };

  const byWords = async (query: string, o: ParsedOptions, k: number): Promise<ChunkRow[]> => {
    const f = buildFilters(o, 2);
    // OR of the query's terms: plainto/websearch AND every word, which finds nothing for questions.
    const { rows } = await db.query<ChunkRow>(
      `with q as (select to_tsquery('english', replace(plainto_tsquery('english', $1)::text, ' & ', ' | ')) as q)
       select ${COLUMNS} from knowledge_chunks c, q
       where q.q::text <> '' and c.tsv @@ q.q and ${f.sql}
       order by ts_rank(c.tsv, q.q, 1) desc, c.id limit $2`,
      [query, k, ...f.params],
    );
    return rows;
  };

  const ranked = async (query: string, options: SearchOptions | undefined, exact: boolean): Promise<Citation[]> => {
    const o = SearchOptionsSchema.parse(options ?? {});
    const hits = await nearest(await embedQuery(query), o, o.limit, exact);
    return hits.map((h) => toCitation(h, h.sim));
  };

  return {
    vector: (query, options) => ranked(query, options, false),
    exact: (query, options) => ranked(query, options, true),
    async hybrid(query, options) {
      const o = SearchOptionsSchema.parse(options ?? {});
      const k = Math.max(40, o.limit * 4);
      const [byVector, byText] = await Promise.all([embedQuery(query).then((v) => nearest(v, o, k, false)), byWords(query, o, k)]);
      const fused = new Map<string, { row: ChunkRow; score: number }>();
      const add = (row: ChunkRow, rank: number): void => {
        const entry = fused.get(row.id) ?? { row, score: 0 };
        entry.score += 1 / (RRF_K + rank + 1);
        fused.set(row.id, entry);
      };
      byVector.forEach(add);
      byText.forEach(add);
      return [...fused.values()]
        .sort((a, b) => b.score - a.score || Number(a.row.id) - Number(b.row.id))
        .slice(0, o.limit)
        .map(({ row, score }) => toCitation(row, Number(score.toFixed(6))));
    },
  };
}
