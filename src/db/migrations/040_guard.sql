-- Idempotency keys: one row per write; the stored result answers every repeat of the same call.
create table if not exists idempotency_keys (
  key text primary key,
  tool text not null,
  input_hash text not null,
  caller text not null,
  state text not null check (state in ('in_progress', 'done')),
  result jsonb,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now()
);

-- Proposals: writes the guard did not execute, waiting for a person with the approver role.
create table if not exists proposals (
  id text primary key,
  created_at timestamptz not null default now(),
  tool text not null,
  input jsonb not null,
  invoice_id bigint,
  invoice_total text,
  proposer text not null,
  proposer_kind text not null,
  reason text not null,
  evidence jsonb not null default '[]'::jsonb,
  status text not null default 'pending' check (status in ('pending', 'approved', 'rejected', 'executed', 'failed')),
  decided_by text,
  decided_at timestamptz,
  decision_reason text,
  result jsonb
);
create index if not exists proposals_status_idx on proposals (status, created_at);
create index if not exists proposals_invoice_idx on proposals (invoice_id);

-- Deployment settings that people change at runtime (the mode switch on the dashboard).
create table if not exists settings (
  key text primary key,
  value jsonb not null,
  updated_by text not null,
  updated_at timestamptz not null default now()
);
