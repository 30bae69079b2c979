/**
 * The GR/IR book end to end: the simulator over HTTP, Settle's client, PGlite. Every seeded open
 * item is found with its root cause; a second run reads only what changed; clearing entries balance.
 */
import { Decimal } from 'decimal.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runGrir, type GrirRunResult } from '../src/grir/run.js';
import { createGrirStore } from '../src/grir/store.js';
import { openGrirTenant, type GrirTenant } from './grir.fixture.js';

let t: GrirTenant;
let first: GrirRunResult;

beforeAll(async () => {
  t = await openGrirTenant();
  // A run after the company's last stamp: the generator stamps a few invoices days ahead of its "now".
  t.sim.setNow('2026-12-10T12:00:00Z');
  first = await runGrir({
    db: t.db,
    records: t.records,
    source: 'test',
    now: new Date(t.sim.now()),
    asOf: '2026-11-24',
  });
}, 120_000);
afterAll(async () => t?.close());

describe('settle grir on the sample company', () => {
  it('finds every seeded open item, with its root cause (≥ 0.95 per cause)', () => {
    const byLine = new Map(first.items.map((i) => [i.poLineId, i]));
    const perCause = new Map<string, { right: number; all: number }>();
    for (const label of t.book.labels) {
      const item = byLine.get(label.poLineId);
      expect(item, `PO ${label.poNumber} line ${label.lineNum} (${label.cause}) is open`).toBeDefined();
      const tally = perCause.get(label.cause) ?? { right: 0, all: 0 };
      tally.all++;
      if (item?.cause === label.cause) tally.right++;
      perCause.set(label.cause, tally);
    }
    expect(perCause.size).toBe(11);
    for (const [cause, { right, all }] of perCause) expect(right / all, cause).toBeGreaterThanOrEqual(0.95);
  });

  it('gives each item evidence, an age, a currency and a proposed action', () => {
    for (const item of first.items) {
      expect(item.evidence.length).toBeGreaterThan(0);
      expect(item.ageDays).toBeGreaterThanOrEqual(0);
      expect(item.currency).toMatch(/^[A-Z]{3}$/);
      expect(item.action.amount).toMatch(/^\d+\.\d{2}$/);
    }
    const actions = new Set(first.items.map((i) => i.action.kind));
    for (const kind of ['clearing_entry', 'credit_note_request', 'receipt_request', 'write_off', 'leave_open'])
      expect(actions).toContain(kind);
  });

  it('proposes clearing entries whose debits equal their credits, to the cent', () => {
    for (const item of first.items.filter((i) => i.action.lines.length > 0)) {
      const debit = item.action.lines.reduce((s, l) => s.plus(l.debit), new Decimal(0));
      const credit = item.action.lines.reduce((s, l) => s.plus(l.credit), new Decimal(0));
      expect(debit.eq(credit)).toBe(true);
      expect(debit.toFixed(2)).toBe(item.amount);
    }
  });

  it('stores the open items and the run', async () => {
    const stored = await createGrirStore(t.db).openItems('test', { limit: 100_000 });
    expect(stored).toHaveLength(first.items.length);
    expect(first.summary.openItems).toBe(first.items.length);
    expect(first.coupaCalls).toBeGreaterThan(0);
  });

  it('reads only what changed on the next run', async () => {
    const again = await runGrir({
      db: t.db,
      records: t.records,
      source: 'test',
      now: new Date(t.sim.now()),
      asOf: '2026-11-24',
    });
    expect(again.recordsRead).toEqual({ purchase_orders: 0, receiving_transactions: 0, invoices: 0, contracts: 0 });
    // An invoice waiting in approval is approved: one invoice read, its item clears.
    const waiting = t.book.labels.find((l) => l.cause === 'invoice_in_process')!;
    const invoice = t.sim
      .records('invoices')
      .find((i) =>
        (i['invoice-lines'] as Array<{ 'order-line-id': number }>).some((l) => l['order-line-id'] === waiting.poLineId),
      )!;
    t.sim.upsert('invoices', { ...invoice, status: 'approved' });
    const after = await runGrir({
      db: t.db,
      records: t.records,
      source: 'test',
      now: new Date(t.sim.now()),
      asOf: '2026-11-24',
    });
    expect(after.recordsRead).toEqual({ purchase_orders: 0, receiving_transactions: 0, invoices: 1, contracts: 0 });
    expect(after.items.find((i) => i.poLineId === waiting.poLineId)).toBeUndefined();
    expect(after.items).toHaveLength(first.items.length - 1);
  });

  it('reconciles as of an earlier date', async () => {
    const early = await runGrir({
      db: t.db,
      records: t.records,
      source: 'test',
      now: new Date(t.sim.now()),
      asOf: '2026-06-30',
    });
    expect(early.summary.asOf).toBe('2026-06-30');
    expect(early.items.length).toBeLessThan(first.items.length);
    for (const item of early.items) expect(item.since === null || item.since <= '2026-06-30').toBe(true);
  });
});
