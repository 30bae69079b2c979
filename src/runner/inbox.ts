/**
 * The inbox: record an event under its id and queue its job in ONE transaction. A redelivered
 * event finds its row and queues nothing; a failure rolls both back, so the sender's retry gets
 * a clean second chance. Used by the webhook intake and by the poller alike.
 */
import { randomUUID } from 'node:crypto';
import type { Db } from '../db/connection.js';
import type { RunnerQueue } from './queue.js';
import { inTransaction } from './sql.js';
import type { JobSource } from './types.js';

export interface InboundEvent {
  eventId: string;
  invoiceId: number;
  source: JobSource;
  eventType?: string | undefined;
  /** The validated body, kept for audit and replays. */
  payload?: unknown;
}

/** `queued`: a new job; `folded`: a job for this invoice was already waiting; `duplicate`: seen before. */
export type AcceptStatus = 'queued' | 'folded' | 'duplicate';

export interface AcceptResult {
  status: AcceptStatus;
  jobId: string | null;
}

/** Record and enqueue one event, exactly once per event id. */
export async function acceptEvent(db: Db, queue: RunnerQueue, event: InboundEvent): Promise<AcceptResult> {
  // The job id is chosen here so the event row names its job in the same INSERT (one round trip
  // fewer on the hot path); a folded event clears it again.
  const jobId = randomUUID();
  return inTransaction(db, async (client) => {
    const inserted = await client.query(
      `insert into webhook_events (event_id, invoice_id, source, event_type, payload, job_id)
       values ($1, $2, $3, $4, $5, $6)
       on conflict (event_id) do nothing
       returning event_id`,
      [
        event.eventId,
        event.invoiceId,
        event.source,
        event.eventType ?? null,
        event.payload === undefined ? null : JSON.stringify(event.payload),
        jobId,
      ],
    );
    if (inserted.rowCount === 0) return { status: 'duplicate', jobId: null };
    const queued = await queue.enqueue(
      { invoiceId: event.invoiceId, eventId: event.eventId, source: event.source },
      client,
      jobId,
    );
    if (!queued) await client.query('update webhook_events set job_id = null where event_id = $1', [event.eventId]);
    return { status: queued ? 'queued' : 'folded', jobId: queued };
  });
}

export interface IgnoredEvent {
  eventId: string;
  source: JobSource;
  eventType: string;
  reason: string;
  payload: unknown;
}

/** Record an event Settle does not act on (event-kind.ts); `duplicate` when seen before. */
export async function recordIgnoredEvent(db: Db, event: IgnoredEvent): Promise<{ status: 'ignored' | 'duplicate' }> {
  const inserted = await db.query(
    `insert into webhook_events (event_id, invoice_id, source, event_type, payload, job_id, ignored_reason)
     values ($1, null, $2, $3, $4, null, $5)
     on conflict (event_id) do nothing
     returning event_id`,
    [event.eventId, event.source, event.eventType, JSON.stringify(event.payload), event.reason],
  );
  return { status: inserted.rowCount === 0 ? 'duplicate' : 'ignored' };
}

/** An inbox event's payload and where it came from (a Coupa webhook, the poller, a supplier's reply …). */
export async function inboxEvent(db: Db, eventId: string): Promise<{ payload: unknown; source: string } | undefined> {
  const { rows } = await db.query<{ payload: unknown; source: string }>(
    'select payload, source from webhook_events where event_id = $1',
    [eventId],
  );
  return rows[0];
}
