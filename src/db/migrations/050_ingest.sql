-- Ingested supplier documents (PDFs, images, e-mail attachments), one row per distinct content.
-- The content hash makes ingestion idempotent: a document already posted is never posted again.
-- Documents that fail validation keep their bytes and extracted values for the review page.
create table if not exists ingested_documents (
  id bigserial primary key,
  content_hash text not null unique,
  file_name text not null,
  content_type text not null,
  -- posting: claimed by a run that is creating the draft now (a crash leaves it to be reconciled)
  status text not null check (status in ('posting', 'posted', 'needs_review', 'failed')),
  document bytea,
  reader_kind text,
  pages integer,
  extracted jsonb,
  problems jsonb not null default '[]'::jsonb,
  refs jsonb,
  error text,
  coupa_invoice_id bigint,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now()
);

create index if not exists ingested_documents_review_idx on ingested_documents (status, updated_at desc);
