-- HNSW recall on years of history (issue 17). Past resolutions are written from a few dozen
-- patterns, so their vectors crowd together and a graph built with pgvector's defaults
-- (m 16, ef_construction 64) stayed at recall@10 ≈ 0.8 whatever ef_search was. Rebuild it with
-- m 32, ef_construction 128 (what `createAnnIndex` now builds). Only when the index exists (it is
-- created with the embedding column on first use) and was built with other parameters; on a
-- large store this rebuild takes minutes, once.
do $$
begin
  if exists (select 1 from pg_class where relname = 'knowledge_chunks_embedding_idx' and relkind = 'i'
             and not coalesce(reloptions @> array['m=32', 'ef_construction=128'], false)) then
    set local maintenance_work_mem = '1GB';
    drop index knowledge_chunks_embedding_idx;
    create index knowledge_chunks_embedding_idx on knowledge_chunks using hnsw (embedding vector_cosine_ops)
      with (m = 32, ef_construction = 128);
  end if;
end
$$;
