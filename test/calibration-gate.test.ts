/**
 * Calibrated confidence end to end, on the real simulator over HTTP and PGlite: a calibration is
 * fitted from a labels file plus the QA reviews in the database and stored (audited); with it in
 * force and the global mode autonomous, a price variance (whose labels show too many false
 * releases for the 0.5% target) waits for a person with "low confidence" as the reason and nothing
 * is released in Coupa, while a missing-PO route (its labels all right) is carried out; the
 * verdicts carry the calibrated probability beside the raw score.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRuntime, type Runtime } from '../src/app/runtime.js';
import { settleAndRecord } from '../src/app/settle-and-record.js';
import { fitFromSources } from '../src/app/calibration-fit.js';
import { openDb, type Db } from '../src/db/connection.js';
import type { ConfidenceLabel } from '../src/domain/calibration.js';
import { generateCompany } from '../src/sim/generator/index.js';
import { startSimulator } from '../src/sim/server.js';
import { ALL_SCOPES, type SimClient, type SimulatorHandle } from '../src/sim/types.js';
import { createQaStore } from '../src/shadow/qa-store.js';
import { testConfig } from './support/agent-harness.js';

const company = generateCompany({ seed: 11, invoices: 600 });
let sim: SimulatorHandle;
let db: Db;
let runtime: Runtime;
const settle: SimClient = {
  clientId: 'settle-test',
  clientSecret: randomBytes(12).toString('hex'),
  scopes: [...ALL_SCOPES],
};

beforeAll(async () => {
  sim = await startSimulator({ dataset: company.dataset, now: company.now, rateLimit: false, clients: [settle] });
  db = await openDb({ dataDir: 'memory://' });
  runtime = await createRuntime({
    config: testConfig(),
    simulator: sim,
    db,
    now: () => new Date(sim.now()),
    coupaLimiter: false,
    controls: { mode: 'autonomous' },
  });
}, 120_000);

afterAll(async () => {
  await runtime?.close();
  await db?.close();
  await sim?.close();
});

/** Labels at every raw score: price variances released with a third wrong, missing-PO routes all right. */
function labelsFile(priceWrongEvery = 3): string {
  const labels: ConfidenceLabel[] = [];
  for (let i = 0; i < 60; i++) {
    const raw = 0.3 + (i % 7) / 10;
    labels.push({
      id: `eval:pv-${i}`,
      source: 'eval',
      exceptionType: 'price_variance',
      raw,
      correct: i % priceWrongEvery !== 0,
      released: true,
      amount: '1200.00',
    });
    labels.push({
      id: `eval:po-${i}`,
      source: 'eval',
      exceptionType: 'missing_po',
      raw,
      correct: true,
      released: false,
      amount: '900.00',
    });
  }
  const dir = mkdtempSync(join(tmpdir(), 'settle-cal-'));
  const file = join(dir, 'labels.json');
  writeFileSync(file, JSON.stringify({ labels }));
  return file;
}

describe('calibrated confidence gates autonomy', () => {
  it('fits from a file and the QA reviews, then holds low-confidence cases for people', async () => {
    // One reviewed QA sample: it must be among the labels.
    const qa = createQaStore(db);
    const sample = await qa.consider({
      settlementId: 990_001,
      tenant: runtime.tenant,
      invoiceId: 1,
      exceptionType: 'missing_po',
      supplierId: null,
      supplierName: null,
      amount: '25000.00',
      decision: 'route',
      confidence: 0.9,
      autonomyRule: null,
      settledAt: runtime.now(),
    });
    expect(sample).toBeDefined();
    await qa.review(sample!.id, { by: 'jlee', verdict: 'agree', comment: 'right approver', at: runtime.now() });

    const { artifact, stored, label } = await fitFromSources(db, {
      files: [labelsFile()],
      shadow: true,
      qa: true,
      targets: { targetFalseRelease: 0.005, minAccuracy: 0.9 },
      now: runtime.now(),
      store: true,
      by: 'test',
    });
    expect(artifact.sources).toEqual({ eval: 120, qa: 1 });
    expect(artifact.thresholds.by_type.price_variance!.threshold).toBeNull();
    expect(artifact.thresholds.by_type.missing_po!.threshold).not.toBeNull();
    expect(label).toBe(`calibration #${stored!.id} (${artifact.fitted_at.slice(0, 10)}, 121 labels)`);
    const { rows: audited } = await db.query<{ reason: string }>(
      `select reason from audit_log where tool = 'calibration_fit'`,
    );
    expect(audited).toHaveLength(1);
    expect(audited[0]!.reason).toContain(label);

    const pick = (type: string, decision: string) =>
      company.exceptions.find((l) => l.exceptionType === type && l.expectedDecision === decision)!;
    const price = pick('price_variance', 'resolve');
    const missingPo = pick('missing_po', 'route');

    const pv = await settleAndRecord(runtime, { invoiceId: price.invoiceId, event: price.event });
    expect(pv.exception_type).toBe('price_variance');
    expect(pv.decision).toBe('resolve');
    expect(pv.outcome).toBe('proposed');
    expect(pv.autonomy_rule).toMatch(
      /^low confidence: no confidence is high enough for price_variance to settle alone \(calibration #/,
    );
    expect(pv.calibration).toBe(label);
    expect(pv.confidence_raw).toBeGreaterThan(0);
    expect(pv.confidence).toBeCloseTo(
      artifact.fit.by_type.price_variance!.bins[Math.min(9, Math.floor(pv.confidence_raw! * 10))]!.p,
      10,
    );
    const proposals = await runtime.proposals.list({ invoiceId: price.invoiceId });
    expect(proposals.map((p) => p.tool)).toContain('resolve_exception');
    expect(proposals.find((p) => p.tool === 'resolve_exception')!.reason).toContain('low confidence');
    const { rows } = await db.query<{ reason: string }>(
      `select reason from audit_log where tool = 'resolve_exception' and invoice_id = $1 and guard_decision = 'proposed'`,
      [price.invoiceId],
    );
    expect(rows[0]?.reason).toContain('low confidence');
    // Nothing was released in Coupa.
    const invoice = await runtime.records.invoice(price.invoiceId, { fresh: true });
    expect(invoice?.status).toBe('ap_hold');

    const po = await settleAndRecord(runtime, { invoiceId: missingPo.invoiceId, event: missingPo.event });
    expect(po.decision).toBe('route');
    expect(po.outcome).toBe('executed');
    expect(po.autonomy_rule ?? null).toBeNull();
    expect(po.calibration).toBe(label);

    // A newer fit is in force from the next write: with price variances right 59 times in 60 and a 1% target, one settles alone.
    const second = await fitFromSources(db, {
      files: [labelsFile(1_000)],
      shadow: false,
      qa: false,
      targets: { targetFalseRelease: 0.01, minAccuracy: 0.9 },
      now: runtime.now(),
      store: true,
      by: 'test',
    });
    expect(second.stored!.id).toBe(stored!.id + 1);
    expect(second.artifact.thresholds.by_type.price_variance!.threshold).not.toBeNull();
    const next = company.exceptions.find(
      (l) =>
        l.exceptionType === 'price_variance' && l.expectedDecision === 'resolve' && l.invoiceId !== price.invoiceId,
    )!;
    const pv2 = await settleAndRecord(runtime, { invoiceId: next.invoiceId, event: next.event });
    expect(pv2.outcome).toBe('executed');
    expect(pv2.calibration).toBe(second.label);
  }, 300_000);
});
