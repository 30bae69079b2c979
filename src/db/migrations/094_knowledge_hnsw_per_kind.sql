-- One HNSW graph per knowledge kind (issue 17): partial indexes on `kind` replace the single index,
-- so a search walks only the graphs of the kinds it asks for and the policy pack is not lost among
-- years of resolutions at a short candidate list (src/knowledge/index-meta.ts builds the same).
-- Only when the embedding column exists (it is created on first use with the embedder's
-- dimension); on a large store the build takes minutes, once.
do $$
begin
  if exists (select 1 from information_schema.columns where table_schema = current_schema()
             and table_name = 'knowledge_chunks' and column_name = 'embedding') then
    set local maintenance_work_mem = '1GB';
    drop index if exists knowledge_chunks_embedding_idx;
    create index if not exists knowledge_chunks_embedding_policy_idx on knowledge_chunks
      using hnsw (embedding vector_cosine_ops) with (m = 32, ef_construction = 128) where kind = 'policy';
    create index if not exists knowledge_chunks_embedding_resolution_idx on knowledge_chunks
      using hnsw (embedding vector_cosine_ops) with (m = 32, ef_construction = 128) where kind = 'resolution';
    create index if not exists knowledge_chunks_embedding_case_idx on knowledge_chunks
      using hnsw (embedding vector_cosine_ops) with (m = 32, ef_construction = 128) where kind = 'case';
  end if;
end
$$;
