/**
 * The autonomy threshold of a slice, chosen from its calibration: the lowest calibrated confidence
 * at which the cases the agent would then settle by itself meet the targets —
 *  - expected false release by value: Σ (1 − p) × amount over the cases it would release
 *    (`resolve`), divided by the value of all the cases it would settle, at most `targetFalseRelease`;
 *  - expected accuracy (the mean p of those cases) at least `minAccuracy`.
 * Cases under the threshold go to people ("low confidence"). When no threshold meets the targets on
 * the labels, there is none (`threshold: null`): every case of the slice goes to people. Amounts
 * are decimal; the shares are ratios. Pure.
 */
import { Decimal } from 'decimal.js';
import { z } from 'zod';
import type { ConfidenceLabel } from './calibration.js';

export interface ThresholdTargets {
  /** Share of settled value released in error, e.g. 0.005 (0.5%). */
  targetFalseRelease: number;
  /** Mean calibrated confidence of what is settled without a person, e.g. 0.9. */
  minAccuracy: number;
}

export const DEFAULT_TARGETS: ThresholdTargets = { targetFalseRelease: 0.005, minAccuracy: 0.9 };

export const ThresholdChoice = z.object({
  /** Calibrated confidence at or above which the slice may act alone; null: never. */
  threshold: z.number().min(0).max(1).nullable(),
  /** Labels the choice was made on. */
  cases: z.number().int().min(0),
  /** Of those, how many the threshold lets through. */
  autonomous: z.number().int().min(0),
  autonomous_value: z.string(),
  /** Expected false-release share by value among the autonomous cases (0–1). */
  expected_false_release: z.number().min(0).max(1),
  /** Value the labels show released in error among the autonomous cases. */
  observed_false_release_value: z.string(),
  expected_accuracy: z.number().min(0).max(1),
  reason: z.string(),
});
export type ThresholdChoice = z.infer<typeof ThresholdChoice>;

type Scored = Pick<ConfidenceLabel, 'raw' | 'correct' | 'released' | 'amount'> & { calibrated: number };

const amountOf = (s: Scored): Decimal => {
  try {
    return s.amount === null ? new Decimal(0) : new Decimal(s.amount).abs();
  } catch {
    return new Decimal(0);
  }
};

interface Figures {
  autonomous: number;
  value: Decimal;
  expectedFalseRelease: number;
  observedFalseRelease: Decimal;
  expectedAccuracy: number;
}

function figuresAt(scored: readonly Scored[], threshold: number): Figures {
  const mine = scored.filter((s) => s.calibrated >= threshold);
  const value = mine.reduce((v, s) => v.plus(amountOf(s)), new Decimal(0));
  const released = mine.filter((s) => s.released);
  const expectedValue = released.reduce((v, s) => v.plus(amountOf(s).times(1 - s.calibrated)), new Decimal(0));
  // Without amounts (all unknown or zero) the share is counted in cases instead of value.
  const expectedFalseRelease = value.gt(0)
    ? expectedValue.div(value).toNumber()
    : mine.length
      ? released.reduce((e, s) => e + (1 - s.calibrated), 0) / mine.length
      : 0;
  return {
    autonomous: mine.length,
    value,
    expectedFalseRelease,
    observedFalseRelease: released.filter((s) => !s.correct).reduce((v, s) => v.plus(amountOf(s)), new Decimal(0)),
    expectedAccuracy: mine.length ? mine.reduce((a, s) => a + s.calibrated, 0) / mine.length : 1,
  };
}

const pct = (x: number): string => `${(x * 100).toFixed(2)}%`;

/** The lowest calibrated confidence that meets the targets on these labels. */
export function chooseThreshold(
  scored: readonly Scored[],
  targets: ThresholdTargets = DEFAULT_TARGETS,
): ThresholdChoice {
  const candidates = [...new Set(scored.map((s) => s.calibrated))].sort((a, b) => a - b);
  for (const t of candidates) {
    const f = figuresAt(scored, t);
    if (f.expectedFalseRelease <= targets.targetFalseRelease && f.expectedAccuracy >= targets.minAccuracy) {
      return {
        threshold: t,
        cases: scored.length,
        autonomous: f.autonomous,
        autonomous_value: f.value.toFixed(2),
        expected_false_release: f.expectedFalseRelease,
        observed_false_release_value: f.observedFalseRelease.toFixed(2),
        expected_accuracy: f.expectedAccuracy,
        reason: `at ${t.toFixed(3)}: ${f.autonomous}/${scored.length} cases settle alone, expected false release ${pct(f.expectedFalseRelease)} of value (target ≤ ${pct(targets.targetFalseRelease)}), expected accuracy ${pct(f.expectedAccuracy)} (≥ ${pct(targets.minAccuracy)})`,
      };
    }
  }
  const best = candidates.length ? figuresAt(scored, candidates[candidates.length - 1]!) : undefined;
  return {
    threshold: null,
    cases: scored.length,
    autonomous: 0,
    autonomous_value: '0.00',
    expected_false_release: 0,
    observed_false_release_value: '0.00',
    expected_accuracy: 1,
    reason:
      scored.length === 0
        ? 'no labelled outcomes: every case goes to people'
        : `no threshold meets the targets (at the highest, ${candidates[candidates.length - 1]!.toFixed(3)}: expected false release ${pct(best!.expectedFalseRelease)}, accuracy ${pct(best!.expectedAccuracy)}): every case goes to people`,
  };
}
