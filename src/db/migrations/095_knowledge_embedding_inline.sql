-- Keep what a search reads for every candidate in the row (issue 17). pgvector's type defaults to
-- external storage, so every 384-dimension vector (1.5 kB) lived in the TOAST table and each exact
-- distance — the planner's choice behind a selective filter (a supplier, a rare exception type),
-- and the recall reference — paid an extra index lookup and heap fetch: a type-filtered search over
-- 3,000 chunks cost 120–400 ms CPU at 50k. `main` keeps a column inline unless the row outgrows a
-- page; with the vector inline, `metadata` (every filter) and `tsv` (ts_rank of every candidate)
-- would be pushed out instead, so they are kept inline too; `text` and `context` may still go.
-- Applies to rows written from now on; existing rows move when they are next rewritten
-- (`settle knowledge reindex`). The embedding column exists only after first use.
alter table knowledge_chunks alter column metadata set storage main;
alter table knowledge_chunks alter column tsv set storage main;
do $$
begin
  if exists (select 1 from information_schema.columns where table_schema = current_schema()
             and table_name = 'knowledge_chunks' and column_name = 'embedding') then
    alter table knowledge_chunks alter column embedding set storage main;
  end if;
end
$$;
