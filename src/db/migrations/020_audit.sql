-- Audit trail: one append-only, hash-chained row per tool call (src/audit).
-- seq is allocated by the appender under an advisory lock, not by a sequence, so a rolled-back
-- append leaves no gap and a missing row shows up as one. unique(prev_hash) makes a fork
-- impossible even if a writer ever skipped the lock.
create table if not exists audit_log (
  seq bigint primary key check (seq > 0),
  at timestamptz not null,
  actor text not null,
  actor_kind text not null check (actor_kind in ('person', 'agent', 'policy', 'system')),
  tool text not null,
  input jsonb not null,
  guard_decision text not null check (guard_decision in ('allowed', 'denied', 'proposed', 'executed', 'error')),
  reason text not null,
  coupa_calls integer not null check (coupa_calls >= 0),
  result_summary text not null,
  idempotency_key text,
  invoice_id bigint,
  prev_hash text not null unique check (prev_hash ~ '^[0-9a-f]{64}$'),
  hash text not null unique check (hash ~ '^[0-9a-f]{64}$')
);
create index if not exists audit_log_tool_idx on audit_log (tool, seq);
create index if not exists audit_log_actor_idx on audit_log (actor, seq);
create index if not exists audit_log_invoice_idx on audit_log (invoice_id, seq) where invoice_id is not null;

-- Rows are never changed or removed. Triggers bind every role, superusers included, until an
-- owner disables them — which `settle audit verify` then exposes through the broken hashes.
create or replace function audit_log_refuse_change() returns trigger
language plpgsql as $$
begin
  raise exception 'audit_log is append-only: % refused', tg_op
    using errcode = 'insufficient_privilege',
          hint = 'audit rows cannot be changed or removed; append a correcting entry instead';
end;
$$;

drop trigger if exists audit_log_no_update on audit_log;
create trigger audit_log_no_update before update on audit_log
  for each row execute function audit_log_refuse_change();
drop trigger if exists audit_log_no_delete on audit_log;
create trigger audit_log_no_delete before delete on audit_log
  for each row execute function audit_log_refuse_change();
-- TRUNCATE fires no row triggers, so it needs its own statement trigger.
drop trigger if exists audit_log_no_truncate on audit_log;
create trigger audit_log_no_truncate before truncate on audit_log
  for each statement execute function audit_log_refuse_change();

-- Where the database has roles, nobody but the owner holds UPDATE/DELETE/TRUNCATE. Deployments
-- should run the app as a non-owner role granted only SELECT, INSERT (the owner can disable
-- triggers). PGlite has a single user; tolerate whatever it does not support.
do $$
begin
  revoke update, delete, truncate on audit_log from public;
exception when others then
  raise notice 'audit_log: privileges left unchanged (%)', sqlerrm;
end;
$$;
