/**
 * QA figures in the daily digest, on PGlite with the migrations: what the draw took in the window,
 * what waits for review, agreement over the rolling window with its Wilson interval and the
 * false-release value (decimal), overall and per type — and both chat messages carry them.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDb, type Db } from '../src/db/connection.js';
import { migrate } from '../src/db/migrate.js';
import { computeDigest } from '../src/runner/digest.js';
import { toSlackBlocks, toTeamsMessage } from '../src/runner/digest-format.js';
import { createQaStore, type QaCandidate } from '../src/shadow/qa-store.js';
import { wilson } from '../src/stats.js';

let db: Db;
const now = new Date('2026-12-07T09:00:00Z');
const hoursAgo = (h: number) => new Date(now.getTime() - h * 3_600_000);

beforeAll(async () => {
  db = await openDb({ dataDir: 'memory://' });
  await migrate(db);
  const qa = createQaStore(db);
  const candidate = (n: number, type: string, decision: string, at: Date): QaCandidate => ({
    settlementId: n,
    tenant: 't',
    invoiceId: 100 + n,
    exceptionType: type,
    supplierId: null,
    supplierName: null,
    amount: '12345.67',
    decision,
    confidence: 0.9,
    autonomyRule: null,
    settledAt: at,
  });
  // Above the value line, so each is drawn.
  const s1 = await qa.consider(candidate(1, 'price_variance', 'resolve', hoursAgo(5)));
  const s2 = await qa.consider(candidate(2, 'price_variance', 'resolve', hoursAgo(4)));
  const s3 = await qa.consider(candidate(3, 'missing_po', 'route', hoursAgo(3)));
  await qa.consider(candidate(4, 'missing_po', 'route', hoursAgo(60)));
  await qa.review(s1!.id, { by: 'jlee', verdict: 'agree', comment: 'fine', at: hoursAgo(2) });
  await qa.review(s2!.id, {
    by: 'jlee',
    verdict: 'disagree',
    comment: 'price not agreed',
    correctDecision: 'dispute',
    at: hoursAgo(2),
  });
  await qa.review(s3!.id, { by: 'jlee', verdict: 'agree', comment: 'right approver', at: hoursAgo(1) });
});

afterAll(async () => {
  await db?.close();
});

describe('digest QA figures', () => {
  it('counts the draw, the reviews, the interval and the false-release value', async () => {
    const d = await computeDigest(db, { since: hoursAgo(24), until: now });
    expect(d.qa).not.toBeNull();
    expect(d.qa!.drawn).toBe(3);
    expect(d.qa!.pending).toBe(1);
    expect(d.qa!.overall).toMatchObject({ reviewed: 3, agreed: 2, falseReleaseValue: '12345.67' });
    expect(d.qa!.overall.ciLow).toBeCloseTo(wilson(2, 3).low, 12);
    expect(d.qa!.byType.map((s) => [s.key, s.reviewed, s.agreed, s.falseReleaseValue])).toEqual([
      ['missing_po', 1, 1, '0.00'],
      ['price_variance', 2, 1, '12345.67'],
    ]);
    const slack = JSON.stringify(toSlackBlocks(d));
    expect(slack).toContain('Quality assurance of autonomous settlements');
    expect(slack).toContain('2/3 agreed, 66.7%');
    expect(slack).toContain('price_variance: 1/2 agreed');
    expect(JSON.stringify(toTeamsMessage(d))).toContain('false release 12345.67');
  });
});
