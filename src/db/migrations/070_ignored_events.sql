-- Events that are not invoice events are acknowledged and recorded, never queued: their resource
-- id need not be an invoice, and the reason says why nothing was done.
alter table webhook_events alter column invoice_id drop not null;
alter table webhook_events add column if not exists ignored_reason text;
