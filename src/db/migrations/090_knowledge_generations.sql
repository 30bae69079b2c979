-- A generation number per knowledge kind, bumped by every statement that changes chunks of that
-- kind (issue 16). The store caches search answers per kind and drops them when the kind's
-- generation moves, so a policy re-ingest or a resolution written by another worker process is
-- never answered from a stale cache for more than the store's check interval (search-cache.ts).
-- Statement-level triggers with transition tables: a bulk load of 50k chunks bumps once.
create table if not exists knowledge_generations (
  kind text primary key,
  n bigint not null default 0
);

create or replace function knowledge_bump_generations() returns trigger language plpgsql as $$
begin
  if tg_op = 'TRUNCATE' then
    update knowledge_generations set n = n + 1;
    return null;
  end if;
  if tg_op = 'INSERT' then
    insert into knowledge_generations (kind, n) select distinct kind, 1 from new_rows
    on conflict (kind) do update set n = knowledge_generations.n + 1;
  elsif tg_op = 'DELETE' then
    insert into knowledge_generations (kind, n) select distinct kind, 1 from old_rows
    on conflict (kind) do update set n = knowledge_generations.n + 1;
  else
    insert into knowledge_generations (kind, n) select kind, 1 from (select kind from old_rows union select kind from new_rows) k
    on conflict (kind) do update set n = knowledge_generations.n + 1;
  end if;
  return null;
end
$$;

drop trigger if exists knowledge_chunks_generation_insert on knowledge_chunks;
drop trigger if exists knowledge_chunks_generation_update on knowledge_chunks;
drop trigger if exists knowledge_chunks_generation_delete on knowledge_chunks;
drop trigger if exists knowledge_chunks_generation_truncate on knowledge_chunks;
create trigger knowledge_chunks_generation_insert after insert on knowledge_chunks
  referencing new table as new_rows for each statement execute function knowledge_bump_generations();
create trigger knowledge_chunks_generation_update after update on knowledge_chunks
  referencing old table as old_rows new table as new_rows for each statement execute function knowledge_bump_generations();
create trigger knowledge_chunks_generation_delete after delete on knowledge_chunks
  referencing old table as old_rows for each statement execute function knowledge_bump_generations();
create trigger knowledge_chunks_generation_truncate after truncate on knowledge_chunks
  for each statement execute function knowledge_bump_generations();
