/**
 * Hybrid retrieval: approximate nearest neighbours (HNSW, cosine) and Postgres full-text rank,
 * fused with reciprocal rank fusion. Meaning and exact words fail differently — "paid twice" finds
 * the duplicate policy by meaning, "INCORRECT-QUANTITY" by its words — so the fusion beats either.
 *
 * Built for years of history (issue 17). One statement: both candidate lists, the fusion and the
 * row fetch run in the database, and only the final `limit` rows travel (a short statement before
 * it stems the query's words for the full-text side's plan, see `fulltext.ts`). The vector side
 * walks one HNSW graph per kind (partial indexes), the full-text side ranks a bounded candidate
 * set, so a question made of common words costs about the same at 500k chunks as at 5k.
 */
import type pg from 'pg';
import type { Db } from '../db/connection.js';
import { inTransaction } from '../db/transaction.js';
import { planTextQuery, queryLexemes, readTermStats, termFrequencies, textCandidatesSql, type TermFrequencies } from './fulltext.js';
import { vectorLiteral } from './index-meta.js';
import { KnowledgeKind, SearchOptionsSchema, type Citation, type Embedder, type SearchOptions } from './types.js';

/** RRF damping constant from Cormack et al.; rank 1 scores 1/61. */
const RRF_K = 60;

interface Filters {
  sql: string;
  params: unknown[];
}

type ParsedOptions = ReturnType<typeof SearchOptionsSchema.parse>;

/** `2026-03-31` → `2026-04-01`: an inclusive end day becomes an exclusive text bound. */
function nextDay(day: string): string {
  return new Date(Date.parse(`${day}T00:00:00Z`) + 86_400_000).toISOString().slice(0, 10);
}

/** WHERE clause for the metadata filters on alias `c`, with parameters numbered after `offset`. */
export function buildFilters(options: ParsedOptions, offset: number): Filters {
  const clauses: string[] = ['c.embedding is not null'];
  const params: unknown[] = [];
  const add = (clause: (n: string) => string, value: unknown): void => {
    params.push(value);
    clauses.push(clause(`$${offset + params.length}`));
  };
  if (options.kind) add((n) => `c.kind = ${n}`, options.kind);
  if (options.exceptionType) add((n) => `c.metadata ->> 'exception_type' = ${n}`, options.exceptionType);
  if (options.supplierId !== undefined) add((n) => `c.metadata ->> 'supplier_id' = ${n}`, String(options.supplierId));
  // decided_at is stored as UTC ISO-8601, so comparing its text with a day compares instants.
  if (options.decidedFrom) add((n) => `c.metadata ->> 'decided_at' >= ${n}`, options.decidedFrom);
  if (options.decidedTo) add((n) => `c.metadata ->> 'decided_at' < ${n}`, nextDay(options.decidedTo));
  if (!options.includeSuperseded) clauses.push(`coalesce((c.metadata ->> 'superseded')::boolean, false) = false`);
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
  score: number;
}

const COLUMNS = 'c.id::text, c.document_id, c.section_id, c.title, c.text, c.kind, c.metadata';

function toCitation(row: ChunkRow): Citation {
  return { document: row.document_id, sectionId: row.section_id, title: row.title, text: row.text, score: Number(Number(row.score).toFixed(6)), kind: row.kind, metadata: row.metadata };
}

/** The kinds a search may return: the one asked for, else all. */
const kindsOf = (o: ParsedOptions): readonly KnowledgeKind[] => (o.kind ? [o.kind] : KnowledgeKind.options);

/**
 * `(id, d)` of the `limit` nearest chunks passing `filters`, one HNSW scan per kind's graph
 * (partial indexes, index-meta.ts) merged by distance. The kind is written as a literal so the
 * planner can match each scan to its partial index; `kind` comes from the zod enum, never from text.
 */
function nearestPerKind(kinds: readonly KnowledgeKind[], filters: string, limit: string): string {
  const distance = 'c.embedding <=> $1::vector';
  const scans = kinds.map(
    (kind) => `(select c.id, ${distance} as d from knowledge_chunks c where c.kind = '${KnowledgeKind.parse(kind)}' and ${filters} order by ${distance} limit ${limit})`,
  );
  return scans.length === 1 ? scans[0]!.slice(1, -1) : `select id, d from (${scans.join(' union all ')}) k order by d limit ${limit}`;
}

export interface Retriever {
  hybrid(query: string, options?: SearchOptions): Promise<Citation[]>;
  /** ANN only (the HNSW index), scored by cosine similarity. */
  vector(query: string, options?: SearchOptions): Promise<Citation[]>;
  /** Full text only (the bounded candidate set of the hybrid's text side), scored by ts_rank. */
  text(query: string, options?: SearchOptions): Promise<Citation[]>;
  /** Exact cosine ranking by a sequential scan: the reference for recall. */
  exact(query: string, options?: SearchOptions): Promise<Citation[]>;
  /** The SQL and parameters `hybrid` would run, for EXPLAIN in benchmarks. */
  hybridStatement(query: string, options?: SearchOptions): Promise<{ sql: string; params: unknown[] }>;
  /** Re-read the term statistics on the next search (after a write that ran ANALYZE). */
  forgetTermStats(): void;
}

/** How long cached term statistics are used before re-reading (autovacuum may have refreshed them). */
const TERM_STATS_TTL_MS = 60_000;

/**
 * Smallest HNSW candidate list. Past resolutions are written from a few dozen patterns, so many
 * vectors lie close together and a short list misses neighbours: at 20k generated chunks with the
 * m 32 / ef_construction 128 graph, recall@10 measured 0.885 at ef_search 200, 0.932 at 300,
 * 0.965 at 500 and 0.985 at 800 (bench/knowledge.ts). The list grows with the number of
 * neighbours asked for (see `efSearchFor`).
 */
export const DEFAULT_EF_SEARCH = 500;

/**
 * Candidate list of the hybrid's vector side. The fusion takes the top 40 of each side and keeps
 * 10, so a true neighbour missed low in the vector list rarely changes the answer; the ranking
 * quality (hit@5, MRR) is what this is held to, not recall (bench/knowledge.ts measures both).
 * With one graph for every kind it had to stay at 500: at 100 a query naming a rare identifier of a
 * policy lost its first place, because the policy chunk was not reached among thousands of
 * resolutions (test/knowledge-scale.test.ts). With one graph per kind (migration 094) the policy
 * pack is searched on its own — by the planner through the kind index and an exact sort — and
 * the resolutions' graph at 64 gave the same hit@5 / MRR as at 500 at 50k (docs/knowledge.md).
 */
export const DEFAULT_HYBRID_EF_SEARCH = 64;

/**
 * ef_search of the hybrid's vector side for `k` candidates: `base`, and never fewer than `k` (the
 * scan cannot return more rows than its candidate list). Its candidates only feed the fusion, so
 * the list is held to ranking quality (hit@5, MRR), not to recall.
 */
export function hybridEfSearchFor(k: number, base: number): number {
  return Math.min(1000, Math.max(base, k));
}

/** ef_search for a query that wants `k` neighbours: at least `base`, and 2.5 × k for large k. */
export function efSearchFor(k: number, base: number): number {
  return Math.min(1000, Math.max(base, Math.ceil(k * 2.5)));
}

/**
 * Run `work` in a transaction whose settings serve an HNSW search with candidate list `ef`:
 * - `hnsw.ef_search` = ef, and `hnsw.iterative_scan = relaxed_order` so that with filters the
 *   scan keeps walking the graph until `k` rows pass them (pgvector 0.8);
 * - `enable_seqscan = off`, because pgvector's cost estimate grows with ef_search and at a few
 *   hundred the planner switched to a sequential scan and sort of the whole table (exact, but
 *   862 ms instead of 138 ms at 20k chunks). Indexes on the filters (supplier, date) remain
 *   open to it, so a selective filter is still served by its index and an exact sort.
 * All three are `SET LOCAL`, gone at commit, so other users of the pool never see them. The
 * settings go in BEGIN's round trip (a simple-protocol batch).
 */
async function withHnswSettings<T>(db: Db, ef: number, work: (client: pg.PoolClient) => Promise<T>): Promise<T> {
  if (!Number.isInteger(ef) || ef < 1 || ef > 1000) throw new RangeError(`ef_search must be an integer from 1 to 1000, got ${ef}`);
  return inTransaction(db, work, `set local hnsw.ef_search = ${ef}; set local hnsw.iterative_scan = relaxed_order; set local enable_seqscan = off`);
}

export function createRetriever(db: Db, embedder: Embedder, efSearch = DEFAULT_EF_SEARCH, hybridEfSearch = DEFAULT_HYBRID_EF_SEARCH): Retriever {
  for (const [name, ef] of [['efSearch', efSearch], ['hybridEfSearch', hybridEfSearch]] as const) {
    if (!Number.isInteger(ef) || ef < 1 || ef > 1000) throw new RangeError(`${name} must be an integer from 1 to 1000, got ${ef}`);
  }
  const embedQuery = async (query: string): Promise<string> => vectorLiteral((await embedder.embed([query]))[0] ?? []);
  const distance = 'c.embedding <=> $1::vector';
  let termStats: { value: TermFrequencies; at: number } | undefined;
  /** [find, rank] tsqueries of the text side for `query`. */
  const textQuery = async (query: string): Promise<[string | null, string | null]> => {
    if (!termStats || Date.now() - termStats.at > TERM_STATS_TTL_MS) termStats = { value: termFrequencies(await readTermStats(db)), at: Date.now() };
    const { find, rank } = planTextQuery(await queryLexemes(db, query), termStats.value);
    return [find, rank];
  };

  /** Nearest chunks, best first: through the HNSW indexes, or by a true scan when `exact`. */
  const nearest = async (query: string, o: ParsedOptions, exact: boolean): Promise<Citation[]> => {
    const f = buildFilters(o, 2);
    // `+ 0` hides the operator from the planner, so no index can serve the ORDER BY: a true scan.
    const order = exact ? `(${distance}) + 0` : distance;
    const sql = exact
      ? `select ${COLUMNS}, 1 - (${distance}) as score from knowledge_chunks c where ${f.sql} order by ${order}, c.id limit $2`
      : `with near as (${nearestPerKind(kindsOf(o), f.sql, '$2')})
         select ${COLUMNS}, 1 - n.d as score from near n join knowledge_chunks c on c.id = n.id order by n.d, c.id limit $2`;
    const params = [await embedQuery(query), o.limit, ...f.params];
    // The exact reference runs without the HNSW settings: it must scan, and needs no index.
    const { rows } = exact ? await db.query<ChunkRow>(sql, params) : await withHnswSettings(db, efSearchFor(o.limit, efSearch), (client) => client.query<ChunkRow>(sql, params));
    // relaxed_order may return neighbours slightly out of order; restore it.
    return rows.map(toCitation).sort((a, b) => b.score - a.score);
  };

  /**
   * Both candidate lists, fused by RRF in SQL; rows are fetched for the final `limit` only. Equal
   * fused scores are common (rank r on one side alone ties with rank r on the other): the better
   * text rank wins them, so a query naming an exact token (an invoice number, a clause id) finds its
   * chunk first even when the vector side's short candidate list misses it, not an older id.
   * $1 query vector, $2 candidates per side, $3 limit, $4 / $5 the text side's find / rank tsqueries, then the filters.
   */
  const hybridStatement = async (query: string, o: ParsedOptions): Promise<{ sql: string; params: unknown[]; k: number }> => {
    const k = Math.max(40, o.limit * 4);
    const f = buildFilters(o, 5);
    const sql = `with
      vec as materialized (${nearestPerKind(kindsOf(o), f.sql, '$2')}),
      ${textCandidatesSql({ findParam: '$4', rankParam: '$5', limitParam: '$2', filters: f.sql })},
      fused as (
        select id, sum(1.0 / (${RRF_K} + r)) as score, min(text_r) as text_r from (
          select id, row_number() over (order by d, id) as r, null::bigint as text_r from vec
          union all
          select id, r, r from (select id, row_number() over (order by rank desc, id) as r from txt) t) u
        group by id order by score desc, text_r nulls last, id limit $3)
      select ${COLUMNS}, f.score from fused f join knowledge_chunks c on c.id = f.id order by f.score desc, f.text_r nulls last, c.id`;
    return { sql, params: [await embedQuery(query), k, o.limit, ...(await textQuery(query)), ...f.params], k };
  };

  return {
    vector: (query, options) => nearest(query, SearchOptionsSchema.parse(options ?? {}), false),
    exact: (query, options) => nearest(query, SearchOptionsSchema.parse(options ?? {}), true),
    async text(query, options) {
      const o = SearchOptionsSchema.parse(options ?? {});
      const f = buildFilters(o, 3);
      const sql = `with ${textCandidatesSql({ findParam: '$2', rankParam: '$3', limitParam: '$1', filters: f.sql })}
        select ${COLUMNS}, t.rank as score from txt t join knowledge_chunks c on c.id = t.id order by t.rank desc, c.id`;
      const { rows } = await db.query<ChunkRow>(sql, [o.limit, ...(await textQuery(query)), ...f.params]);
      return rows.map(toCitation);
    },
    async hybrid(query, options) {
      const o = SearchOptionsSchema.parse(options ?? {});
      const { sql, params, k } = await hybridStatement(query, o);
      const { rows } = await withHnswSettings(db, hybridEfSearchFor(k, hybridEfSearch), (client) => client.query<ChunkRow>(sql, params));
      return rows.map(toCitation);
    },
    async hybridStatement(query, options) {
      const { sql, params } = await hybridStatement(query, SearchOptionsSchema.parse(options ?? {}));
      return { sql, params };
    },
    forgetTermStats() {
      termStats = undefined;
    },
  };
}
