-- Quality assurance after autonomy (issue 26): a share of the agent's autonomous settlements is
-- drawn for a person to review; their verdict feeds the slice's agreement and the memory.
create table if not exists qa_samples (
  id bigserial primary key,
  settlement_id bigint not null unique,
  tenant text,
  invoice_id bigint not null,
  exception_type text not null,
  supplier_id bigint,
  supplier_name text,
  amount text,
  decision text not null,
  confidence double precision,
  autonomy_rule text,
  -- why it was drawn: random, above value, newly promoted slice
  drawn_because text not null,
  sampled_at timestamptz not null,
  reviewed_by text,
  reviewed_at timestamptz,
  verdict text check (verdict in ('agree', 'disagree')),
  comment text,
  correct_decision text,
  correct_route_to text,
  corrective_proposal_id text
);
create index if not exists qa_samples_open_idx on qa_samples (sampled_at) where reviewed_at is null;
create index if not exists qa_samples_reviewed_idx on qa_samples (reviewed_at) where reviewed_at is not null;
