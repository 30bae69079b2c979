/**
 * Autonomy after promotion, on PGlite with a fake clock: the QA draw takes its configured share
 * (within sampling error) and everything above the value; a promoted slice whose QA reviews turn
 * bad demotes itself to assisted within the rolling window — and the guard's next call sees it.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDb, type Db } from '../src/db/connection.js';
import { migrate } from '../src/db/migrate.js';
import { resolveControls } from '../src/domain/controls.js';
import { chooseMode, controlsRules } from '../src/guard/autonomy.js';
import { createIdentity } from '../src/guard/identity.js';
import { createAuditLog } from '../src/audit/index.js';
import { changeSliceMode } from '../src/app/autonomy-actions.js';
import { runDemotionCheck } from '../src/app/autonomy-check.js';
import { createAutonomyStore } from '../src/shadow/autonomy-store.js';
import { createQaStore, DEFAULT_QA, drawReason, type QaCandidate } from '../src/shadow/qa-store.js';

const DAY = 86_400_000;
const T0 = new Date('2026-11-01T09:00:00Z');

function candidate(i: number, overrides: Partial<QaCandidate> = {}): QaCandidate {
  return {
    settlementId: i,
    tenant: 'test',
    invoiceId: 10_000 + i,
    exceptionType: 'tax_variance',
    supplierId: 7,
    supplierName: 'Acme',
    amount: '120.00',
    decision: 'resolve',
    confidence: 0.9,
    autonomyRule: null,
    settledAt: T0,
    ...overrides,
  };
}

describe('the QA draw', () => {
  it('takes the configured share at random, within sampling error', () => {
    const n = 20_000;
    for (const share of [0.05, 0.2]) {
      const drawn = Array.from({ length: n }, (_, i) =>
        drawReason(candidate(i), { ...DEFAULT_QA, share }, null),
      ).filter(Boolean).length;
      const se = Math.sqrt((share * (1 - share)) / n);
      expect(Math.abs(drawn / n - share)).toBeLessThan(4 * se);
    }
  });

  it('draws every settlement at or above the value, and the first N under a promoted rule', () => {
    expect(drawReason(candidate(1, { amount: '10000.00' }), { ...DEFAULT_QA, share: 0 }, null)).toMatch(/at or above/);
    expect(drawReason(candidate(2, { amount: '9999.99' }), { ...DEFAULT_QA, share: 0 }, null)).toBeNull();
    const rule = 'tax (promoted by jlee 2026-11-01)';
    expect(drawReason(candidate(3, { autonomyRule: rule }), { ...DEFAULT_QA, share: 0 }, 19)).toMatch(/newly promoted/);
    expect(drawReason(candidate(4, { autonomyRule: rule }), { ...DEFAULT_QA, share: 0 }, 20)).toBeNull();
  });
});

describe('self-demotion over a rolling window (fake clock)', () => {
  let db: Db;
  beforeAll(async () => {
    db = await openDb({ dataDir: 'memory://' });
    await migrate(db);
  });
  afterAll(async () => db?.close());

  it('a promoted slice demotes itself when its QA agreement falls below the threshold, and says so once', async () => {
    const controls = resolveControls({ mode: 'shadow' });
    const store = createAutonomyStore(db);
    const audit = createAuditLog(db);
    const approver = createIdentity('jlee', 'person', ['approver']);
    const rule = {
      name: 'small tax variances',
      exception_type: 'tax_variance' as const,
      amount_max: '1000',
      mode: 'autonomous' as const,
    };
    await changeSliceMode({ store, audit, controls }, approver, rule, 'shadow: 60 cases, 100% agreement');
    const slice = { exceptionType: 'tax_variance', supplierId: 7, supplierNumber: null, amount: '120.00' };
    expect(chooseMode(await store.rules(), slice, {}, 'shadow').mode).toBe('autonomous');

    const qa = createQaStore(db);
    const review = async (i: number, at: Date, agree: boolean): Promise<void> => {
      const s = await qa.consider(candidate(i, { settledAt: at }), { ...DEFAULT_QA, share: 1 });
      await qa.review(s!.id, {
        by: 'ap.review',
        verdict: agree ? 'agree' : 'disagree',
        comment: agree ? 'fine' : 'should have been routed',
        correctDecision: agree ? undefined : 'route',
        at,
      });
    };
    // Days 0–9: twelve reviews, all agree. Nothing to demote.
    for (let i = 0; i < 12; i++) await review(i, new Date(T0.getTime() + i * DAY), true);
    expect(await runDemotionCheck({ db, controls, now: new Date(T0.getTime() + 12 * DAY) })).toEqual([]);

    // Days 40–45: the slice starts making mistakes; the old agreements have left the 30-day window.
    for (let i = 12; i < 24; i++) await review(i, new Date(T0.getTime() + (40 + (i - 12) * 0.5) * DAY), i % 3 !== 0);
    const now = new Date(T0.getTime() + 46 * DAY);
    const demoted = await runDemotionCheck({ db, controls, now });
    expect(demoted).toHaveLength(1);
    expect(demoted[0]!.cases).toBe(12);
    expect(demoted[0]!.reason).toMatch(/false release/);
    expect(chooseMode([...(await store.rules()), ...controlsRules(controls)], slice, {}, 'shadow')).toMatchObject({
      mode: 'assisted',
    });
    expect((await store.rules())[0]!.source).toMatch(/^demoted itself/);

    // Announced in the digest once, and audited.
    expect((await store.takeUnannounced()).map((c) => c.rule.mode)).toEqual(['assisted']);
    expect(await store.takeUnannounced()).toEqual([]);
    const { rows } = await db.query<{ tool: string; actor: string }>(
      `select tool, actor from audit_log where tool like 'autonomy_%' order by seq`,
    );
    expect(rows).toEqual([
      { tool: 'autonomy_promote', actor: 'jlee' },
      { tool: 'autonomy_demote', actor: 'settle' },
    ]);
    // A second check changes nothing more: the slice is no longer autonomous.
    expect(await runDemotionCheck({ db, controls, now })).toEqual([]);
  });

  it('only a person with the approver role may change a slice', async () => {
    const controls = resolveControls({});
    const reviewer = createIdentity('sam', 'person', ['reviewer']);
    await expect(
      changeSliceMode(
        { store: createAutonomyStore(db), audit: createAuditLog(db), controls },
        reviewer,
        { exception_type: 'duplicate', mode: 'autonomous' },
        '',
      ),
    ).rejects.toThrow(/approver role/);
  });
});
