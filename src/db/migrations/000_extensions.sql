-- pgvector powers the knowledge store; PGlite loads it as an extension, real Postgres needs it installed.
create extension if not exists vector;
