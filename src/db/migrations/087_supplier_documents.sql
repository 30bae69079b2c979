-- Documents a supplier mailed in answer to a request, kept by Settle so the guarded
-- attach_supplier_document tool (and a person approving it later) reads the bytes from here:
-- the audit log and proposals carry only the hash, never the file.
create table if not exists supplier_documents (
  tenant text not null,
  invoice_id bigint not null,
  sha256 text not null,
  filename text not null,
  content_type text not null,
  size integer not null,
  content bytea not null,
  received_at timestamptz not null default now(),
  primary key (tenant, invoice_id, sha256)
);
