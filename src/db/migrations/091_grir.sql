-- GR/IR clearing (issue 24): the book's facts read from Coupa (PO lines, receiving transactions,
-- PO-linked invoice lines, contract prices), a cursor per resource for `updated-at[gt]` reads, the
-- open items of the latest run with their investigation, and the proposals people approve.
-- Keyed by `source` (the Coupa tenant's base URL, or the embedded sample company).
create table if not exists grir_po_lines (
  source text not null,
  po_line_id bigint not null,
  po_id bigint not null,
  fact jsonb not null,
  primary key (source, po_line_id)
);
create index if not exists grir_po_lines_po_idx on grir_po_lines (source, po_id);

create table if not exists grir_receipts (
  source text not null,
  receipt_id bigint not null,
  po_line_id bigint not null,
  fact jsonb not null,
  primary key (source, receipt_id)
);

create table if not exists grir_invoice_lines (
  source text not null,
  invoice_line_id bigint not null,
  invoice_id bigint not null,
  po_line_id bigint not null,
  fact jsonb not null,
  primary key (source, invoice_line_id)
);
create index if not exists grir_invoice_lines_invoice_idx on grir_invoice_lines (source, invoice_id);

create table if not exists grir_contract_prices (
  source text not null,
  contract_id bigint not null,
  supplier_id bigint,
  facts jsonb not null,
  primary key (source, contract_id)
);

create table if not exists grir_sync_state (
  source text not null,
  resource text not null,
  -- the newest `updated-at` read so far: the next run asks for `updated-at[gt]` it
  cursor text,
  synced_at timestamptz not null,
  primary key (source, resource)
);

create table if not exists grir_runs (
  id bigserial primary key,
  source text not null,
  as_of date not null,
  started_at timestamptz not null,
  finished_at timestamptz not null,
  coupa_calls integer not null,
  records_read jsonb not null,
  summary jsonb not null
);

-- The open items of the latest run per source; an item that cleared is removed.
create table if not exists grir_open_items (
  source text not null,
  po_line_id bigint not null,
  as_of date not null,
  kind text not null,
  cause text not null,
  currency text not null,
  amount numeric not null,
  age_days integer not null,
  po_number text not null,
  supplier_name text,
  item jsonb not null,
  primary key (source, po_line_id)
);
create index if not exists grir_open_items_order_idx on grir_open_items (source, age_days desc, amount desc);

-- A clearing or adjustment someone (a person, or the model through MCP) proposed. Approving needs
-- the accountant role, never the proposer, and a second accountant above the threshold.
create table if not exists grir_proposals (
  id bigserial primary key,
  source text not null,
  po_line_id bigint,
  invoice_id bigint,
  kind text not null check (kind in ('clearing', 'adjustment')),
  action jsonb not null,
  amount numeric not null,
  currency text not null,
  proposed_by text not null,
  proposed_via text not null,
  proposed_at timestamptz not null,
  status text not null default 'pending' check (status in ('pending', 'approved', 'rejected')),
  approvals_needed integer not null,
  approvals jsonb not null default '[]',
  decided_at timestamptz,
  journal jsonb
);
create index if not exists grir_proposals_pending_idx on grir_proposals (source, status, proposed_at);
