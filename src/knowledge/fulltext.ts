/**
 * The full-text side of hybrid search, with bounded work. A question is an OR of its words (an AND
 * of every word finds nothing for questions), and at years of history an OR of common words
 * ("invoice", "price", "PO") matches most of the corpus: ranking every match was 90% of the hybrid
 * search time at 50k chunks and grows with the corpus.
 *
 * So candidates are found through the query's rarest words only — the ones that carry the
 * meaning — and only then ranked by all of them:
 *  - each query lexeme's share of chunks comes from the planner's own statistics on `tsv`
 *    (pg_stats.most_common_elems, gathered by ANALYZE, read by `readTermStats` and cached by the
 *    caller: unpacking them inside every query cost more than the search); a lexeme not listed
 *    there is rarer than all listed ones, so counts as 0;
 *  - lexemes are taken rarest first while their summed share stays under `CANDIDATE_BUDGET` rows;
 *  - when even the rarest lexeme is too common, the two rarest must both match;
 *  - the candidate scan is capped at `CANDIDATE_CAP` rows whatever the statistics say (stale or
 *    missing statistics cost quality at worst, never unbounded time).
 * Without statistics (a small or never-analysed table) every lexeme is a candidate: the old
 * behaviour, cheap at that size.
 */

import type { Queryable } from '../db/transaction.js';

/** Expected candidate rows the rarest-words query may match. */
export const CANDIDATE_BUDGET = 1500;
/** Hard cap on rows ranked, whatever the statistics say. */
export const CANDIDATE_CAP = 3000;

/** Lexeme frequencies (share of chunks containing each) and the table's estimated row count. */
export interface TermStats {
  lexemes: string[];
  freqs: number[];
  rows: number;
}

/** The planner's most-common-lexeme statistics for `knowledge_chunks.tsv` (empty before ANALYZE). */
export async function readTermStats(db: Queryable): Promise<TermStats> {
  const { rows } = await db.query<{ lexeme: string; freq: number }>(
    `select m.lexeme, m.freq::float8 as freq
     from pg_stats ps, unnest(ps.most_common_elems::text::text[], ps.most_common_elem_freqs) as m(lexeme, freq)
     where ps.schemaname = current_schema() and ps.tablename = 'knowledge_chunks' and ps.attname = 'tsv' and m.lexeme is not null`,
  );
  const count = await db.query<{ rows: number }>(`select greatest(reltuples, 1)::float8 as rows from pg_class where oid = 'knowledge_chunks'::regclass`);
  return { lexemes: rows.map((r) => r.lexeme), freqs: rows.map((r) => Number(r.freq)), rows: Number(count.rows[0]?.rows ?? 1) };
}

/** Lexeme → share of chunks, for `planTextQuery` (built once per statistics read). */
export type TermFrequencies = ReadonlyMap<string, number> & { readonly rows: number };

export function termFrequencies(s: TermStats): TermFrequencies {
  const map = new Map(s.lexemes.map((l, i) => [l, s.freqs[i] ?? 0])) as Map<string, number> & { rows: number };
  map.rows = s.rows;
  return map;
}

/** The query's lexemes as the `tsv` column stems them (one short statement). */
export async function queryLexemes(db: Queryable, query: string): Promise<string[]> {
  const { rows } = await db.query<{ l: string[] | null }>(`select tsvector_to_array(to_tsvector('english', $1::text)) as l`, [query]);
  return rows[0]?.l ?? [];
}

/** A lexeme as a quoted tsquery operand: `\` and `'` escaped (the tsquery parser honours both). */
const quoted = (lexeme: string): string => `'${lexeme.replace(/\\/g, '\\\\').replace(/'/g, "''")}'`;

/** The tsqueries of the text side: `find` selects the candidates, `rank` scores them; null finds nothing. */
export interface TextQuery {
  find: string | null;
  rank: string | null;
}

/**
 * Pick the candidate words (see the module comment): rarest first while their summed expected
 * rows stay under `CANDIDATE_BUDGET`; the two rarest together when even the rarest is too common.
 * Done here rather than in SQL: unpacking the statistics arrays in every statement cost about
 * 6 ms CPU a query at 50k chunks, more than the full-text search itself.
 */
export function planTextQuery(lexemes: readonly string[], freqs: TermFrequencies): TextQuery {
  if (lexemes.length === 0) return { find: null, rank: null };
  const terms = lexemes
    .map((lexeme) => ({ lexeme, freq: freqs.get(lexeme) ?? 0 }))
    .sort((a, b) => a.freq - b.freq || (a.lexeme < b.lexeme ? -1 : a.lexeme > b.lexeme ? 1 : 0));
  const rank = terms.map((t) => quoted(t.lexeme)).join(' | ');
  if (terms[0]!.freq * freqs.rows > CANDIDATE_BUDGET && terms.length > 1) {
    return { find: terms.slice(0, 2).map((t) => quoted(t.lexeme)).join(' & '), rank };
  }
  let cum = 0;
  const find = terms.filter((t, i) => {
    cum += t.freq;
    return i === 0 || cum * freqs.rows <= CANDIDATE_BUDGET;
  });
  return { find: find.map((t) => quoted(t.lexeme)).join(' | '), rank };
}

/**
 * CTE `txt(id, rank)`: the top `limitParam` chunks by ts_rank (`rankParam`) among at most
 * `CANDIDATE_CAP` chunks matching `findParam` that pass `filters` (on alias `c`).
 */
export function textCandidatesSql(p: { findParam: string; rankParam: string; limitParam: string; filters: string }): string {
  return `txt as materialized (
        select m.id, ts_rank(m.tsv, ${p.rankParam}::tsquery, 1) as rank
        from (select c.id, c.tsv from knowledge_chunks c where c.tsv @@ ${p.findParam}::tsquery and ${p.filters} limit ${CANDIDATE_CAP}) m
        order by rank desc, m.id limit ${p.limitParam})`;
}
