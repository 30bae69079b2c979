/**
 * The full-text side of hybrid search, with bounded work. A question is an OR of its words (an AND
 * of every word finds nothing for questions), and at years of history an OR of common words
 * ("invoice", "price", "PO") matches most of the corpus: ranking every match was 90% of the hybrid
 * search time at 50k chunks and grows with the corpus.
 *
 * So candidates are found through the query's rarest words only — the ones that carry the
 * meaning — and only then ranked by all of them:
 *  - each query lexeme's share of chunks comes from the planner's own statistics on `tsv`
 *    (pg_stats.most_common_elems, gathered by ANALYZE); a lexeme not listed there is rarer than all
 *    listed ones, so counts as 0;
 *  - lexemes are taken rarest first while their summed share stays under `CANDIDATE_BUDGET` rows;
 *  - when even the rarest lexeme is too common, the two rarest must both match;
 *  - the candidate scan is capped at `CANDIDATE_CAP` rows whatever the statistics say (stale or
 *    missing statistics cost quality at worst, never unbounded time).
 * Without statistics (a small or never-analysed table) every lexeme is a candidate: the old
 * behaviour, cheap at that size.
 */

/** Expected candidate rows the rarest-words query may match. */
export const CANDIDATE_BUDGET = 3000;
/** Hard cap on rows ranked, whatever the statistics say. */
export const CANDIDATE_CAP = 6000;

/** A lexeme as a quoted tsquery operand: `'` doubled, `\\` escaped (the tsquery parser honours both). */
const QUOTED = `'''' || replace(replace(lexeme, '\\', '\\\\'), '''', '''''') || ''''`;

/**
 * CTEs `ft_terms`, `ft_query` and `txt(id, rank)`: the top `limitParam` chunks by ts_rank among the
 * bounded candidates that pass `filters` (on alias `c`). `queryParam` holds the query text.
 */
export function textCandidatesSql(p: { queryParam: string; limitParam: string; filters: string }): string {
  return `ft_terms as (
        select t.lexeme, coalesce(s.freq, 0)::float8 as freq
        from unnest(to_tsvector('english', ${p.queryParam}::text)) t
        left join (
          select m.lexeme, m.freq
          from pg_stats ps, unnest(ps.most_common_elems::text::text[], ps.most_common_elem_freqs) as m(lexeme, freq)
          where ps.schemaname = current_schema() and ps.tablename = 'knowledge_chunks' and ps.attname = 'tsv' and m.lexeme is not null
        ) s on s.lexeme = t.lexeme),
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
        from ft_ordered, (select greatest(reltuples, 1)::float8 as rows from pg_class where oid = 'knowledge_chunks'::regclass) b
        group by b.rows),
      txt as materialized (
        select m.id, ts_rank(m.tsv, q.rank_q, 1) as rank
        from (select c.id, c.tsv from knowledge_chunks c, ft_query q where c.tsv @@ q.find_q and ${p.filters} limit ${CANDIDATE_CAP}) m, ft_query q
        order by rank desc, m.id limit ${p.limitParam})`;
}
