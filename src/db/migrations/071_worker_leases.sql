-- Worker leases: each queue process registers here and holds a session advisory lock
-- (classid 6190867, objid lock_key) for as long as it lives, so a starting worker can tell a
-- crashed predecessor (lock gone with its connection) from a live one, and reclaim only the former.
create table if not exists settle_workers (
  worker_id text primary key,
  lock_key integer not null,
  pid integer,
  host text,
  started_at timestamptz not null default now()
);

-- Which worker holds which running job; written in the fetch transaction, checked before a job is
-- completed or failed, so a worker whose job was reclaimed cannot finish it a second time.
create table if not exists settle_job_owners (
  job_id text primary key,
  worker_id text not null,
  claimed_at timestamptz not null default now()
);
