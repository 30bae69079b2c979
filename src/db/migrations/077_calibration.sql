-- Calibrated confidence (issue 26): each fit of the agent's confidence on labelled outcomes, with
-- its thresholds, held-back check and the labels themselves. The newest row is in force; rows are
-- never changed, so every threshold ever used can be traced to the data it was chosen on.
create table if not exists confidence_calibrations (
  id bigserial primary key,
  fitted_at timestamptz not null,
  fitted_by text not null,
  n integer not null,
  sources jsonb not null,
  artifact jsonb not null
);
