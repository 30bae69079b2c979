-- Runner: webhook inbox (dedupe), poller cursor, settlement log (digest), shared rate-limit buckets.

-- Every accepted event, keyed by its id: a redelivery finds its row and is not queued again.
create table if not exists webhook_events (
  event_id text primary key,
  invoice_id bigint not null,
  source text not null,
  event_type text,
  payload jsonb,
  -- null when the event was folded into a job already queued for the same invoice
  job_id text,
  received_at timestamptz not null default now()
);
create index if not exists webhook_events_invoice_idx on webhook_events (invoice_id, received_at);

-- Where the poller stopped: the last `updated-at` seen and the ids already seen at exactly that
-- instant, so records sharing a timestamp are neither skipped nor queued twice.
create table if not exists poller_cursor (
  name text primary key,
  cursor_at timestamptz not null,
  cursor_raw text not null,
  seen_ids bigint[] not null default '{}',
  updated_at timestamptz not null default now()
);

-- One row per settlement run, written by the agent side through recordSettlement().
create table if not exists settlements (
  id bigserial primary key,
  invoice_id bigint not null,
  supplier_id bigint,
  supplier_name text,
  exception_type text not null,
  decision text not null,
  executed boolean not null,
  root_cause text,
  route_to text,
  settled_at timestamptz not null default now(),
  verdict jsonb not null default '{}'::jsonb
);
create index if not exists settlements_settled_at_idx on settlements (settled_at);
create index if not exists settlements_invoice_idx on settlements (invoice_id, settled_at desc);

-- Token buckets shared by every worker process (Coupa's limit is per tenant, not per process).
create table if not exists rate_limit_buckets (
  name text primary key,
  tokens double precision not null,
  refilled_at timestamptz not null default clock_timestamp()
);
