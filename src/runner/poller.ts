/**
 * The poller, for tenants without call-outs: read invoices in exception statuses changed since a
 * stored cursor and queue them. Each change becomes an event `poll:<invoice>:<updated-at>`, so a
 * held invoice that changes (supplier comment, new receipt) is queued again, and re-reading the
 * same change after a crash is a duplicate, not a second job.
 *
 * No gaps, no repeats: pages are read keyset-style (`updated-at[gt_or_eq]=cursor`, oldest change
 * first, one page per query) rather than by offset, which skips records when earlier ones move.
 * The cursor keeps the ids already seen at exactly its timestamp, so records sharing a timestamp
 * are neither dropped (as `[gt]` would) nor queued twice (as `[gt_or_eq]` alone would).
 */
import type { Logger } from 'pino';
import type { CoupaClient } from '../coupa/client.js';
import { QUEUE_STATUSES } from '../coupa/invoice-statuses.js';
import { query } from '../coupa/query.js';
import type { Db } from '../db/connection.js';
import { acceptEvent } from './inbox.js';
import type { RunnerQueue } from './queue.js';

export interface ChangedInvoice {
  id: number;
  status: string;
  /** Coupa's `updated-at`, exactly as sent (it is sent back in the next filter). */
  updatedAt: string;
}

/** One page of invoices in `statuses` changed at or after `since`, oldest change first. */
export interface ChangedInvoiceSource {
  page(request: {
    statuses: readonly string[];
    since: string | undefined;
    offset: number;
    limit: number;
  }): Promise<ChangedInvoice[]>;
}

/** The source backed by the Coupa client (reads one page per call; the client rate-limits). */
export function coupaInvoiceSource(client: Pick<CoupaClient, 'listInvoices'>): ChangedInvoiceSource {
  return {
    async page({ statuses, since, offset, limit }) {
      let q = query()
        .where('status', 'in', statuses)
        .orderBy('updated-at', 'asc')
        .fields(['id', 'status', 'updated-at'])
        .limit(limit)
        .offset(offset);
      if (since) q = q.where('updated-at', 'gt_or_eq', since);
      const out: ChangedInvoice[] = [];
      for await (const invoice of client.listInvoices(q)) {
        if (typeof invoice.id === 'number' && typeof invoice.updatedAt === 'string') {
          out.push({ id: invoice.id, status: String(invoice.status), updatedAt: invoice.updatedAt });
        }
        if (out.length >= limit) break; // stop the iterator before it fetches a second page
      }
      return out;
    },
  };
}

interface Cursor {
  at: number;
  raw: string;
  seen: Set<number>;
}

export interface PollResult {
  queued: number;
  folded: number;
  duplicates: number;
  pages: number;
}

export interface PollerOptions {
  db: Db;
  queue: RunnerQueue;
  source: ChangedInvoiceSource;
  /** Cursor name (one per tenant). */
  name?: string;
  statuses?: readonly string[];
  pageSize?: number;
  logger?: Pick<Logger, 'info' | 'warn' | 'error'> | undefined;
}

export interface Poller {
  /** Read every change since the cursor and queue it; the cursor is saved after each page. */
  pollOnce(): Promise<PollResult>;
  /** Poll every `intervalMs` until `stop()`. */
  start(intervalMs: number): void;
  stop(): Promise<void>;
}

async function loadCursor(db: Db, name: string): Promise<Cursor | undefined> {
  const { rows } = await db.query<{ at: Date; raw: string; seen: string[] }>(
    'select cursor_at as at, cursor_raw as raw, seen_ids::text[] as seen from poller_cursor where name = $1',
    [name],
  );
  const row = rows[0];
  return row ? { at: row.at.getTime(), raw: row.raw, seen: new Set(row.seen.map(Number)) } : undefined;
}

async function saveCursor(db: Db, name: string, cursor: Cursor): Promise<void> {
  await db.query(
    `insert into poller_cursor (name, cursor_at, cursor_raw, seen_ids, updated_at) values ($1, $2, $3, $4, now())
     on conflict (name) do update set cursor_at = excluded.cursor_at, cursor_raw = excluded.cursor_raw,
       seen_ids = excluded.seen_ids, updated_at = now()`,
    [name, new Date(cursor.at), cursor.raw, [...cursor.seen]],
  );
}

/** Move the cursor past one processed record; false when the record is not new. */
function advance(cursor: Cursor | undefined, invoice: ChangedInvoice): { cursor: Cursor; fresh: boolean } {
  const at = Date.parse(invoice.updatedAt);
  if (Number.isNaN(at)) throw new Error(`invoice ${invoice.id} has an unreadable updated-at "${invoice.updatedAt}"`);
  if (!cursor || at > cursor.at)
    return { cursor: { at, raw: invoice.updatedAt, seen: new Set([invoice.id]) }, fresh: true };
  if (at < cursor.at || cursor.seen.has(invoice.id)) return { cursor, fresh: false };
  cursor.seen.add(invoice.id);
  return { cursor, fresh: true };
}

/** Build a poller; nothing is read until `pollOnce` or `start`. */
export function createPoller(options: PollerOptions): Poller {
  const { db, queue, source } = options;
  const name = options.name ?? 'coupa-invoices';
  const statuses = options.statuses ?? QUEUE_STATUSES;
  const limit = options.pageSize ?? 50;
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<unknown> | undefined;

  async function pollOnce(): Promise<PollResult> {
    const result: PollResult = { queued: 0, folded: 0, duplicates: 0, pages: 0 };
    let cursor = await loadCursor(db, name);
    // Normally 0. Only when a full page holds nothing but already-seen records at the cursor's
    // instant (more than a page shares one timestamp) do we step past them by offset.
    let offset = 0;
    for (;;) {
      const page = await source.page({ statuses, since: cursor?.raw, offset, limit });
      result.pages += 1;
      let freshInPage = 0;
      for (const invoice of page) {
        const step = advance(cursor, invoice);
        cursor = step.cursor;
        if (!step.fresh) continue;
        freshInPage += 1;
        const accepted = await acceptEvent(db, queue, {
          eventId: `poll:${invoice.id}:${invoice.updatedAt}`,
          invoiceId: invoice.id,
          source: 'poller',
          eventType: 'invoice.changed',
          payload: { id: invoice.id, status: invoice.status, 'updated-at': invoice.updatedAt },
        });
        if (accepted.status === 'queued') result.queued += 1;
        else if (accepted.status === 'folded') result.folded += 1;
        else result.duplicates += 1;
      }
      if (cursor) await saveCursor(db, name, cursor);
      if (page.length < limit) return result;
      offset = freshInPage === 0 ? offset + limit : 0;
    }
  }

  return {
    pollOnce,
    start(intervalMs) {
      if (timer) return;
      const tick = async (): Promise<void> => {
        running = pollOnce().catch((error: unknown) =>
          options.logger?.error({ err: error }, 'poll failed; will retry next interval'),
        );
        await running;
        if (timer) timer = setTimeout(() => void tick(), intervalMs);
      };
      timer = setTimeout(() => void tick(), 0);
    },
    async stop() {
      const t = timer;
      timer = undefined;
      if (t) clearTimeout(t);
      await running;
    },
  };
}
