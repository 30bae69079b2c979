-- Supplier conversations (issue 25): what Settle asked a supplier for, one row per item asked,
-- and every reply (e-mail or Coupa portal comment) kept as evidence whether or not it answers.
create table if not exists supplier_requests (
  id bigserial primary key,
  tenant text not null,
  invoice_id bigint not null,
  invoice_number text,
  supplier_id bigint,
  supplier_name text,
  -- the per-case reply reference: in the reply address (settle+<token>@…) and the subject
  case_token text not null,
  -- what would answer it: vat_id | invoice_date | payment_term (a field value), documents, other (any reply)
  item_key text not null,
  asked text not null,
  answer_kind text not null check (answer_kind in ('document', 'field', 'text')),
  recipient text,
  channels text[] not null,
  message_id text,
  status text not null default 'pending' check (status in ('pending', 'answered', 'closed')),
  asked_at timestamptz not null,
  reminders integer not null default 0,
  last_chased_at timestamptz,
  escalated_at timestamptz,
  escalated_to text,
  answered_at timestamptz,
  answered_by bigint,
  answer jsonb
);
-- One open question per item and invoice: a re-trigger that asks again finds it pending.
create unique index if not exists supplier_requests_open_item on supplier_requests (tenant, invoice_id, item_key) where status = 'pending';
create index if not exists supplier_requests_token_idx on supplier_requests (case_token);
create index if not exists supplier_requests_pending_idx on supplier_requests (asked_at) where status = 'pending';

create table if not exists supplier_replies (
  id bigserial primary key,
  tenant text not null,
  channel text not null check (channel in ('email', 'coupa')),
  -- Message-ID of the mail, or the Coupa comment / attachment id: a redelivery is recognised
  external_id text not null,
  invoice_id bigint,
  case_token text,
  sender text,
  subject text,
  body text,
  attachments jsonb not null default '[]',
  answered jsonb not null default '[]',
  -- facts in the reply that no open question asked for: evidence only
  unasked jsonb not null default '[]',
  event_id text,
  received_at timestamptz not null,
  unique (tenant, channel, external_id)
);
create index if not exists supplier_replies_invoice_idx on supplier_replies (invoice_id);
