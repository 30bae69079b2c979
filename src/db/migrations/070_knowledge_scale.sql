-- Knowledge store at years of history (issue 17): when the vector index was last rebuilt, for
-- `settle knowledge stats`, and an index for the date filter on past resolutions (`decided_at` is
-- an ISO-8601 timestamp, so text order is time order).
alter table knowledge_index add column if not exists reindexed_at timestamptz;
update knowledge_index set reindexed_at = created_at where reindexed_at is null;
create index if not exists knowledge_chunks_decided_idx on knowledge_chunks ((metadata ->> 'decided_at'));
