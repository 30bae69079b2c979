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

/** The three parameters `textCandidatesSql` expects after the query text, in order. */
export const termStatsParams = (s: TermStats): unknown[] => [s.lexemes, s.freqs, s.rows];

/** A lexeme as a quoted tsquery operand: `'` doubled, `\\` escaped (the tsquery parser honours both). */
const QUOTED = `'''' || replace(replace(lexeme, '\\', '\\\\'), '''', '''''') || ''''`;

/**
 * CTEs `ft_terms`, `ft_query` and `txt(id, rank)`: the top `limitParam` chunks by ts_rank among the
 * bounded candidates that pass `filters` (on alias `c`). `queryParam` holds the query text and
 * `statsParam` is the first of the three `termStatsParams` (lexemes, frequencies, rows).
 */
export function textCandidatesSql(p: { queryParam: string; limitParam: string; statsParam: number; filters: string }): string {
  const [lexemes, freqs, rows] = [0, 1, 2].map((i) => `$${p.statsParam + i}`);
  return `ft_terms as (
        select t.lexeme, coalesce(s.freq, 0)::float8 as freq
        from unnest(to_tsvector('english', ${p.queryParam}::text)) t
        left join unnest(${lexemes}::text[], ${freqs}::float8[]) as s(lexeme, freq) on s.lexeme = t.lexeme),
      ft_ordered as (
        select lexeme, freq, row_number() over w as n, sum(freq) over w as cum
        from ft_terms window w as (order by freq, lexeme rows between unbounded preceding and current row)),
      ft_query as (
        select
          string_agg(${QUOTED}, ' | ')::tsquery as rank_q,
          (case
            when min(freq) * b.rows > ${CANDIDATE_BUDGET} and count(*) > 1
              then string_agg(${QUOTED}, ' & ') filter (where n <= 2)
            else string_agg(${QUOTED}, ' | ') filter (where n = 1 or cum * b.rows <= ${CANDIDATE_BUDGET})
          end)::tsquery as find_q
        from ft_ordered, (select ${rows}::float8 as rows) b
        group by b.rows),
      txt as materialized (
        select m.id, ts_rank(m.tsv, q.rank_q, 1) as rank
        from (select c.id, c.tsv from knowledge_chunks c, ft_query q where c.tsv @@ q.find_q and ${p.filters} limit ${CANDIDATE_CAP}) m, ft_query q
        order by rank desc, m.id limit ${p.limitParam})`;
}
