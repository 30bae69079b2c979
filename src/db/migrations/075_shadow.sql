-- Earned autonomy (issue 18): shadow decisions beside people's, runtime autonomy rules.

-- The guard's verdict gains `shadow`: decided within the controls, written nowhere.
alter table audit_log drop constraint if exists audit_log_guard_decision_check;
alter table audit_log add constraint audit_log_guard_decision_check
  check (guard_decision in ('allowed', 'denied', 'proposed', 'executed', 'shadow', 'error'));

-- One row per invoice the agent decided in shadow mode; the person's decision is filled in when
-- Coupa shows it (status change, approver added, dispute and reason, tolerances resolved).
create table if not exists shadow_cases (
  id bigserial primary key,
  tenant text not null,
  invoice_id bigint not null,
  settlement_id bigint,
  exception_type text not null,
  supplier_id bigint,
  supplier_name text,
  amount text,
  currency text,
  agent_decision text not null,
  agent_route_to text,
  agent_dispute_reason text,
  agent_confidence double precision,
  -- Every Coupa write Settle made for this invoice while shadowing (must stay 0).
  coupa_writes integer not null default 0,
  decided_at timestamptz not null,
  person_decision text,
  person_route_to text,
  person_dispute_reason text,
  person_login text,
  person_evidence jsonb,
  observed_at timestamptz,
  agreed boolean,
  disagreement text,
  unique (tenant, invoice_id)
);
create index if not exists shadow_cases_open_idx on shadow_cases (tenant, observed_at) where observed_at is null;
create index if not exists shadow_cases_type_idx on shadow_cases (exception_type, decided_at);

-- Autonomy rules people promote (review page, `settle autonomy promote`) and slices that demote
-- themselves; read before the controls file's rules, newest first. Never deleted: a rule is
-- retired by a newer one for the same slice.
create table if not exists autonomy_changes (
  id bigserial primary key,
  slice_key text not null,
  rule jsonb not null,
  mode text not null,
  kind text not null check (kind in ('promotion', 'demotion', 'change')),
  reason text not null,
  changed_by text not null,
  changed_at timestamptz not null default now(),
  -- A demotion is announced once in the digest.
  announced_at timestamptz
);
create index if not exists autonomy_changes_slice_idx on autonomy_changes (slice_key, id desc);
