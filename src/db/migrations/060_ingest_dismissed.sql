-- A person who has dealt with a document on the review page marks it handled (`dismissed`): it
-- leaves the review queue, and ingesting the same content again does nothing (it was dealt with).
alter table ingested_documents drop constraint if exists ingested_documents_status_check;
alter table ingested_documents add constraint ingested_documents_status_check
  check (status in ('posting', 'posted', 'needs_review', 'failed', 'dismissed'));
alter table ingested_documents add column if not exists handled_by text;
alter table ingested_documents add column if not exists handled_note text;
