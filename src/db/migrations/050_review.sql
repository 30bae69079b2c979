-- Review page: sign-in sessions and the decisions people take there.

-- Server-side sessions for the review page (the cookie holds only the signed session id), shared by
-- every process serving the page.
create table if not exists web_sessions (
  sid text primary key,
  data jsonb not null,
  expires_at timestamptz not null
);
create index if not exists web_sessions_expires_idx on web_sessions (expires_at);

-- The key that signs session cookies: generated once, the same for every process.
create table if not exists web_session_key (
  singleton boolean primary key default true check (singleton),
  secret text not null,
  created_at timestamptz not null default now()
);

-- What a person decided on the review page about an invoice that waited for people: takes the
-- item off the queue and gives the dashboard its human time to settle.
create table if not exists review_decisions (
  id bigserial primary key,
  invoice_id bigint not null,
  settlement_id bigint,
  proposal_id text,
  decided_by text not null,
  action text not null check (action in ('approve', 'reject', 'change')),
  tool text,
  decision text,
  outcome text not null,
  reason text not null default '',
  -- The form submission (a uuid rendered into the form): a double submit is recorded once.
  submission text unique,
  waiting_since timestamptz not null,
  decided_at timestamptz not null default now()
);
create index if not exists review_decisions_invoice_idx on review_decisions (invoice_id, decided_at desc);
create index if not exists review_decisions_settlement_idx on review_decisions (settlement_id);
