/**
 * The poller against the simulator (real HTTP, the real Coupa client) and a throwaway Postgres:
 * restarts resume from the stored cursor, invoices sharing a timestamp across page boundaries
 * are neither skipped nor repeated, and a held invoice that changes is queued again.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createCoupaClient } from '../../src/coupa/client.js';
import {
  coupaInvoiceSource,
  createPoller,
  type ChangedInvoice,
  type ChangedInvoiceSource,
} from '../../src/runner/poller.js';
import { createRunnerQueue, type RunnerQueue } from '../../src/runner/queue.js';
import type { WireRecord } from '../../src/sim/dataset.js';
import { startSimulator } from '../../src/sim/server.js';
import type { SimulatorHandle } from '../../src/sim/types.js';
import { createTestDatabase, type TestDatabase } from './pg-helper.js';

const T0 = '2026-03-02T10:00:00Z';
const T1 = '2026-03-02T11:00:00Z';

let tdb: TestDatabase;
let queue: RunnerQueue;
let sim: SimulatorHandle;
let source: ChangedInvoiceSource;

function invoice(id: number, status: string, updatedAt: string): WireRecord {
  return { id, 'invoice-number': `INV-${id}`, status, 'updated-at': updatedAt };
}

beforeAll(async () => {
  tdb = await createTestDatabase();
  queue = createRunnerQueue({ db: tdb.db });
  await queue.start();
  sim = await startSimulator({
    now: '2026-03-03T09:00:00Z',
    rateLimit: false,
    dataset: {
      users: [],
      suppliers: [],
      'supplier-information': [],
      contracts: [],
      'purchase-orders': [],
      'receiving-transactions': [],
      approvals: [],
      comments: [],
      invoices: [
        // Five held invoices share T0: with pages of 2 they straddle page boundaries.
        ...[11, 12, 13, 14, 15].map((id) => invoice(id, 'ap_hold', T0)),
        invoice(16, 'pending_receipt', T1),
        invoice(17, 'approved', T1), // not an exception: never queued
        invoice(18, 'pending_receipt', T1),
      ],
    },
  });
  source = coupaInvoiceSource(
    createCoupaClient({
      baseUrl: sim.url,
      clientId: sim.credentials.clientId,
      clientSecret: sim.credentials.clientSecret,
      limiter: false,
    }),
  );
});

afterAll(async () => {
  await queue?.stop();
  await sim?.close();
  await tdb?.drop();
});

async function queuedEvents(): Promise<string[]> {
  const { rows } = await tdb.db.query<{ event_id: string }>(
    `select event_id from webhook_events where source = 'poller' order by event_id`,
  );
  return rows.map((r) => r.event_id);
}

/** Let workers "finish" everything queued so a re-trigger gets its own job. */
async function drainQueue(): Promise<number> {
  let n = 0;
  for (let job = await queue.fetch(); job; job = await queue.fetch()) {
    await queue.complete(job.id, {});
    n += 1;
  }
  return n;
}

describe('poller', () => {
  afterEach(() => sim.clearCallLog());

  it('survives a crash between pages: the restarted poller resumes without gaps or repeats', async () => {
    let pages = 0;
    const crashing: ChangedInvoiceSource = {
      async page(request) {
        if (++pages > 2) throw new Error('process killed');
        return source.page(request);
      },
    };
    await expect(createPoller({ db: tdb.db, queue, source: crashing, pageSize: 2 }).pollOnce()).rejects.toThrow(
      'process killed',
    );
    const before = await queuedEvents();
    expect(before.length).toBeGreaterThan(0);
    expect(before.length).toBeLessThan(7);

    const restarted = createPoller({ db: tdb.db, queue, source, pageSize: 2 });
    const result = await restarted.pollOnce();
    const expected = [11, 12, 13, 14, 15]
      .map((id) => `poll:${id}:${T0}`)
      .concat([16, 18].map((id) => `poll:${id}:${T1}`))
      .sort();
    expect(await queuedEvents()).toEqual(expected);
    // Nothing the crashed run had queued came back as a new event (no repeats).
    expect(result.duplicates).toBe(0);
    expect(result.queued).toBe(7 - before.length);
    // The filter sent to Coupa: exception statuses, changed at or after the cursor.
    const listed = sim.callLog.filter((e) => e.path === '/api/invoices');
    expect(listed.at(-1)?.query).toMatchObject({ 'status[in]': 'ap_hold,pending_receipt', 'updated-at[gt_or_eq]': T1 });
  });

  it('a poll with nothing changed queues nothing', async () => {
    expect(await createPoller({ db: tdb.db, queue, source, pageSize: 2 }).pollOnce()).toMatchObject({
      queued: 0,
      folded: 0,
      duplicates: 0,
    });
  });

  it('a held invoice that changes is queued again under a new event id', async () => {
    expect(await drainQueue()).toBe(7);
    // A supplier answers on invoice 12: Coupa bumps its updated-at.
    sim.upsert('invoices', invoice(12, 'ap_hold', T0));
    const updatedAt = sim.records('invoices').find((r) => r.id === 12)?.['updated-at'] as string;
    const result = await createPoller({ db: tdb.db, queue, source }).pollOnce();
    expect(result).toMatchObject({ queued: 1, duplicates: 0 });
    expect(await queuedEvents()).toContain(`poll:12:${updatedAt}`);
    const job = await queue.fetch();
    expect(job?.data).toEqual({ invoiceId: 12, eventId: `poll:12:${updatedAt}`, source: 'poller' });
  });
});

describe('poller cursor at equal timestamps (in-memory Coupa stand-in: exact timestamps on demand)', () => {
  it("an invoice arriving later with the cursor's exact timestamp is not skipped, and seen ones are not repeated", async () => {
    const at = '2026-04-01T00:00:00Z';
    const rows: ChangedInvoice[] = [
      { id: 31, status: 'ap_hold', updatedAt: at },
      { id: 32, status: 'ap_hold', updatedAt: at },
    ];
    const memory: ChangedInvoiceSource = {
      async page({ since, offset, limit }) {
        return rows
          .filter((r) => !since || Date.parse(r.updatedAt) >= Date.parse(since))
          .sort((a, b) => Date.parse(a.updatedAt) - Date.parse(b.updatedAt) || a.id - b.id)
          .slice(offset, offset + limit);
      },
    };
    const poller = createPoller({ db: tdb.db, queue, source: memory, name: 'equal-ts', pageSize: 50 });
    expect((await poller.pollOnce()).queued).toBe(2);
    rows.push({ id: 33, status: 'ap_hold', updatedAt: at }); // committed late, same instant as the cursor
    const second = await createPoller({ db: tdb.db, queue, source: memory, name: 'equal-ts' }).pollOnce();
    expect(second).toMatchObject({ queued: 1, duplicates: 0 });
    const { rows: cursor } = await tdb.db.query(
      `select cursor_raw, seen_ids::text[] as seen from poller_cursor where name = 'equal-ts'`,
    );
    expect(cursor[0]).toEqual({ cursor_raw: at, seen: ['31', '32', '33'] });
  });
});
