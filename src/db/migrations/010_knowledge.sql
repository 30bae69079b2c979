-- Knowledge store (src/knowledge): policy sections, past resolutions and case notes, searchable by
-- meaning (pgvector) and by words (full text). The `embedding` column is NOT created here: its
-- dimension depends on the configured embedder, so the store adds it (with its HNSW index) when the
-- index is initialised, and records the model and dimension in knowledge_index.
create table if not exists knowledge_index (
  singleton boolean primary key default true check (singleton),
  model text not null,
  dimensions integer not null check (dimensions > 0),
  created_at timestamptz not null default now()
);

create table if not exists knowledge_documents (
  id text primary key,
  kind text not null check (kind in ('policy', 'resolution', 'case')),
  title text not null,
  -- Where the document came from (a directory root, `resolution-memory`, an API caller): a directory
  -- re-ingest removes only the documents it originally added.
  origin text not null default 'api',
  content_hash text not null,
  metadata jsonb not null default '{}'::jsonb,
  updated_at timestamptz not null default now()
);
create index if not exists knowledge_documents_origin_idx on knowledge_documents (origin);

create table if not exists knowledge_chunks (
  id bigserial primary key,
  document_id text not null references knowledge_documents (id) on delete cascade,
  -- Stable within the document: the section id plus the sub-chunk number, e.g. `AP-TOL-2.1#0`.
  chunk_key text not null,
  kind text not null,
  section_id text,
  title text not null,
  -- Document title and heading path; embedded together with `text` (kept so re-indexing can redo it).
  context text not null default '',
  text text not null,
  content_hash text not null,
  metadata jsonb not null default '{}'::jsonb,
  tsv tsvector generated always as (to_tsvector('english', coalesce(section_id, '') || ' ' || title || ' ' || text)) stored,
  unique (document_id, chunk_key)
);
create index if not exists knowledge_chunks_tsv_idx on knowledge_chunks using gin (tsv);
create index if not exists knowledge_chunks_kind_idx on knowledge_chunks (kind);
create index if not exists knowledge_chunks_type_idx on knowledge_chunks ((metadata ->> 'exception_type'));
create index if not exists knowledge_chunks_supplier_idx on knowledge_chunks ((metadata ->> 'supplier_id'));
create index if not exists knowledge_chunks_invoice_idx on knowledge_chunks ((metadata ->> 'invoice_id'));
