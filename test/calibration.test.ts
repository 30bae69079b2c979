/**
 * Calibrated confidence, the pure parts: the fit (Beta prior, isotonic), ECE and the reliability
 * bins, the held-back check on the sample company's labelled outcomes (committed in
 * evals/calibration/sample-company.json: its eval runs and its shadow run against the sample
 * people), a split of seeded miscalibrated labels, the threshold chosen from a false-release
 * target, and the dashboard panel.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { calibrate, fitCalibration, isotonic, type ConfidenceLabel } from '../src/domain/calibration.js';
import { buildCalibration, CalibrationArtifact, gateOf } from '../src/domain/calibration-artifact.js';
import { chooseThreshold } from '../src/domain/confidence-threshold.js';
import { checkCalibration, foldOf, reliability } from '../src/domain/reliability.js';
import { gateByConfidence } from '../src/guard/autonomy.js';
import { createRng } from '../src/sim/generator/rng.js';
import { calibrationPanel } from '../src/web/calibration-panel.js';
import { calibrationSection } from '../src/cli/eval.js';
import type { HarnessOutput } from '../evals/harness.js';

const label = (
  id: string,
  exceptionType: string,
  raw: number,
  correct: boolean,
  extra: Partial<ConfidenceLabel> = {},
): ConfidenceLabel => ({
  id,
  source: 'eval',
  exceptionType,
  raw,
  correct,
  released: false,
  amount: '100.00',
  ...extra,
});

describe('fit', () => {
  it('pool-adjacent-violators returns the closest non-decreasing sequence', () => {
    expect(isotonic([0.5, 0.9, 0.7, 0.8, 1], [1, 1, 1, 1, 1]).map((v) => Math.round(v * 1000) / 1000)).toEqual([
      0.5, 0.8, 0.8, 0.8, 1,
    ]);
    // A heavier block pulls the pooled value towards itself.
    const pooled = isotonic([0.9, 0.6], [3, 1]);
    expect(pooled[0]).toBeCloseTo(0.825, 12);
    expect(pooled[1]).toBe(pooled[0]);
  });

  it('shrinks a small bin towards its type and keeps the probability non-decreasing in the raw score', () => {
    const labels = [
      ...Array.from({ length: 40 }, (_, i) => label(`a${i}`, 'price_variance', 0.95, i % 10 !== 0)), // 90% right
      ...[0, 1, 2].map((i) => label(`b${i}`, 'price_variance', 0.55, true)), // 3 of 3 right at a low score
    ];
    const fit = fitCalibration(labels);
    const low = calibrate(fit, 'price_variance', 0.55);
    const high = calibrate(fit, 'price_variance', 0.95);
    expect(low).toBeLessThan(1); // three cases cannot claim certainty
    expect(low).toBeLessThanOrEqual(high);
    expect(high).toBeGreaterThan(0.85);
    expect(high).toBeLessThan(0.95);
    // An empty bin takes its neighbour's value; an unknown type falls back to the fit over all types.
    expect(calibrate(fit, 'price_variance', 0.75)).toBe(low);
    expect(calibrate(fit, 'tax_variance', 0.95)).toBe(calibrate({ ...fit, by_type: {} }, 'tax_variance', 0.95));
  });

  it('ECE is the case-weighted gap between confidence and the share right', () => {
    const r = reliability([
      { confidence: 0.9, correct: true },
      { confidence: 0.9, correct: false },
      { confidence: 0.3, correct: false },
      { confidence: 0.3, correct: false },
    ]);
    expect(r.bins.map((b) => [b.n, b.accuracy])).toEqual([
      [2, 0],
      [2, 0.5],
    ]);
    expect(r.ece).toBeCloseTo(0.5 * 0.3 + 0.5 * 0.4, 10);
  });
});

describe('held-back labels', () => {
  it('on seeded miscalibrated outcomes, a fit on 70% gives the other 30% a lower ECE than the raw score', () => {
    const rng = createRng(26);
    const truth: Record<string, (raw: number) => number> = {
      price_variance: (raw) => raw - 0.35, // overconfident
      missing_po: (raw) => Math.min(0.99, raw + 0.25), // underconfident
      duplicate: (raw) => (raw > 0.7 ? 0.95 : 0.4), // a step the raw score does not show
    };
    const labels: ConfidenceLabel[] = [];
    for (const [type, p] of Object.entries(truth)) {
      for (let i = 0; i < 700; i++) {
        const raw = rng.int(40, 99) / 100;
        labels.push(label(`${type}-${i}`, type, raw, rng.chance(Math.max(0, p(raw)))));
      }
    }
    const heldBack = (l: ConfidenceLabel) => foldOf(l.id, 10) < 3;
    const fit = fitCalibration(labels.filter((l) => !heldBack(l)));
    const test = labels.filter(heldBack);
    expect(test.length).toBeGreaterThan(400);
    for (const type of [...Object.keys(truth), null]) {
      const mine = test.filter((l) => type === null || l.exceptionType === type);
      const raw = reliability(mine.map((l) => ({ confidence: l.raw, correct: l.correct }))).ece;
      const calibrated = reliability(
        mine.map((l) => ({ confidence: calibrate(fit, l.exceptionType, l.raw), correct: l.correct })),
      ).ece;
      expect(calibrated, `${type ?? 'all types'}: raw ECE ${raw}`).toBeLessThan(raw);
    }
  });

  it("on the sample company's labelled outcomes, the held-back calibrated ECE is lower than today's confidence", () => {
    const artifact = CalibrationArtifact.parse(
      JSON.parse(readFileSync(join(import.meta.dirname, '..', 'evals', 'calibration', 'sample-company.json'), 'utf8')),
    );
    expect(artifact.n).toBe(artifact.labels.length);
    expect(artifact.sources.eval).toBeGreaterThan(100);
    expect(artifact.sources.shadow).toBeGreaterThan(100);
    // Recomputed here from the labels, not read from the file.
    const check = checkCalibration(artifact.labels);
    expect(check.overall.n).toBe(artifact.labels.length);
    expect(check.overall.calibrated.ece).toBeLessThan(check.overall.raw.ece);
    for (const [type, c] of Object.entries(check.by_type)) {
      if (c.n >= 40) expect(c.calibrated.ece, type).toBeLessThan(c.raw.ece);
    }
    // What the file says is what the labels give.
    expect(artifact.check.overall.calibrated.ece).toBeCloseTo(check.overall.calibrated.ece, 10);
  });
});

describe('thresholds', () => {
  const scored = (calibrated: number, released: boolean, amount: string, correct = true) => ({
    raw: calibrated,
    calibrated,
    released,
    amount,
    correct,
  });

  it('takes the lowest calibrated confidence whose expected false release by value meets the target', () => {
    const cases = [
      scored(0.99, true, '1000.00'),
      scored(0.999, true, '1000.00'),
      scored(0.8, true, '1000.00', false),
      scored(0.95, false, '7000.00'),
    ];
    // At 0.8 all settle: (0.01·1000 + 0.001·1000 + 0.2·1000) / 10000 = 2.11% > 0.5%. At 0.95: 11/9000 = 0.12%.
    const t = chooseThreshold(cases, { targetFalseRelease: 0.005, minAccuracy: 0.9 });
    expect(t.threshold).toBe(0.95);
    expect(t.autonomous).toBe(3);
    expect(t.autonomous_value).toBe('9000.00');
    expect(t.expected_false_release).toBeCloseTo(11 / 9000, 10);
    expect(t.observed_false_release_value).toBe('0.00');
    // A stricter target moves it up (at 0.95: 0.12%; at 0.99: 11/2000 = 0.55%; at 0.999: 1/1000 = 0.1%); an impossible one leaves every case to people.
    expect(chooseThreshold(cases, { targetFalseRelease: 0.0011, minAccuracy: 0.9 }).threshold).toBe(0.999);
    expect(
      chooseThreshold([scored(0.9, true, '10.00')], { targetFalseRelease: 0.005, minAccuracy: 0.9 }).threshold,
    ).toBeNull();
  });

  it('a case under its type threshold runs assisted with "low confidence" as the reason', () => {
    const labels = [
      ...Array.from({ length: 30 }, (_, i) => label(`p${i}`, 'price_variance', 0.9, i % 3 !== 0, { released: true })),
      ...Array.from({ length: 30 }, (_, i) => label(`m${i}`, 'missing_po', 0.9, true)),
    ];
    const gate = gateOf(buildCalibration(labels, { fittedAt: new Date('2026-12-01T00:00:00Z') }), 'calibration #1');
    const autonomous = { mode: 'autonomous' as const, rule: 'global mode', index: null };
    const slice = (exceptionType: string) => ({
      exceptionType,
      supplierId: 1,
      supplierNumber: null,
      amount: '100.00',
      confidence: 0.9,
    });
    const held = gateByConfidence(autonomous, slice('price_variance'), gate);
    expect(held.mode).toBe('assisted');
    expect(held.rule).toMatch(/^low confidence: no confidence is high enough for price_variance/);
    expect(gateByConfidence(autonomous, slice('missing_po'), gate)).toEqual(autonomous);
    // No calibration, no confidence read, or a mode that already waits for people: nothing changes.
    expect(gateByConfidence(autonomous, slice('price_variance'), null)).toEqual(autonomous);
    expect(gateByConfidence(autonomous, { ...slice('price_variance'), confidence: null }, gate)).toEqual(autonomous);
    expect(gateByConfidence({ ...autonomous, mode: 'monitor' }, slice('price_variance'), gate).mode).toBe('monitor');
  });
});

describe('dashboard panel', () => {
  it('draws the reliability diagram and lists ECE and thresholds, escaping the type names', () => {
    const labels = Array.from({ length: 20 }, (_, i) =>
      label(`x${i}`, i % 2 ? 'price_variance' : '<b>odd</b>', i % 4 ? 0.9 : 0.6, i % 5 !== 0),
    );
    const artifact = buildCalibration(labels, { fittedAt: new Date('2026-12-01T00:00:00Z') });
    const page = calibrationPanel({ artifact, label: 'calibration #4' }).toString();
    expect(page).toContain('<svg class="reliability"');
    expect(page.match(/<circle class="raw"/g)?.length).toBe(artifact.check.overall.raw.bins.length);
    expect(page.match(/<rect class="calibrated"/g)?.length).toBe(artifact.check.overall.calibrated.bins.length);
    expect(page).toContain(`${(artifact.check.overall.raw.ece * 100).toFixed(1)}%`);
    expect(page).not.toContain('<b>odd</b>');
    expect(calibrationPanel(undefined).toString()).toContain('No calibration yet');
  });
});

describe('settle eval', () => {
  it("prints ECE and the reliability diagram of the run's confidence, raw and held-back calibrated", () => {
    // Runs whose raw confidence says 0.9 but half of which failed.
    const cases = Array.from({ length: 40 }, (_, i) => ({
      id: `case-${i}`,
      trial: 1,
      passed: i % 2 === 0,
      verdict: { exception_type: 'price_variance', decision: 'resolve', confidence: 0.9, invoice_total: '100.00' },
    }));
    const text = calibrationSection({ cases } as unknown as HarnessOutput);
    expect(text).toMatch(/│ price_variance\s+│ 40\s+│ 40\.0%/);
    expect(text).toContain('Reliability, raw confidence (ECE 40.0%, 40 labels');
    const calibrated = /Reliability, calibrated \(held back\) \(ECE ([\d.]+)%/.exec(text);
    expect(Number(calibrated?.[1])).toBeLessThan(40); // far from 0 at 40 runs: each fold sees only 32
    expect(calibrationSection({ cases: [] } as unknown as HarnessOutput)).toContain('too few runs');
  });
});
