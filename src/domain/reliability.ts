/**
 * How well a confidence matches outcomes: the reliability diagram (per confidence bin, the mean
 * confidence against the share that was right) and the expected calibration error (ECE: the
 * case-weighted mean gap between the two over the bins). Also the held-back check: each label is
 * scored by a calibration fitted without it (k-fold cross-fitting, folds fixed by a hash of the
 * label's id), so a fit is never graded on the data it learnt from. Pure.
 */
import {
  binOf,
  calibrate,
  DEFAULT_BINS,
  fitCalibration,
  type ConfidenceLabel,
  type FitOptions,
} from './calibration.js';

export interface ReliabilityBin {
  lo: number;
  hi: number;
  n: number;
  /** Mean confidence of the cases in the bin. */
  confidence: number;
  /** Share of the cases in the bin that were right. */
  accuracy: number;
}

export interface Reliability {
  n: number;
  ece: number;
  /** Non-empty bins only, lowest first. */
  bins: ReliabilityBin[];
}

export interface Scored {
  confidence: number;
  correct: boolean;
}

export function reliability(scored: readonly Scored[], bins = DEFAULT_BINS): Reliability {
  const acc = Array.from({ length: bins }, () => ({ n: 0, sum: 0, right: 0 }));
  for (const s of scored) {
    const b = acc[binOf(s.confidence, bins)]!;
    b.n += 1;
    b.sum += s.confidence;
    if (s.correct) b.right += 1;
  }
  const out = acc
    .map((b, i) => ({
      lo: i / bins,
      hi: (i + 1) / bins,
      n: b.n,
      confidence: b.n ? b.sum / b.n : 0,
      accuracy: b.n ? b.right / b.n : 0,
    }))
    .filter((b) => b.n > 0);
  const n = scored.length;
  const ece = n ? out.reduce((e, b) => e + (b.n / n) * Math.abs(b.accuracy - b.confidence), 0) : 0;
  return { n, ece, bins: out };
}

/** Which of `k` folds a label belongs to: fixed by its id, so a split is reproducible. */
export function foldOf(id: string, k: number): number {
  // FNV-1a, 32-bit: small, stable across platforms, spreads similar ids apart.
  let h = 0x811c9dc5;
  for (let i = 0; i < id.length; i++) h = Math.imul(h ^ id.charCodeAt(i), 0x01000193) >>> 0;
  return h % k;
}

/** Each label with the confidence a calibration fitted on the other folds gives it. */
export function crossFitted(
  labels: readonly ConfidenceLabel[],
  k = 5,
  options: FitOptions = {},
): Array<ConfidenceLabel & { calibrated: number }> {
  const folds = labels.map((l) => foldOf(l.id, k));
  const fits = Array.from({ length: k }, (_, f) =>
    fitCalibration(
      labels.filter((_, i) => folds[i] !== f),
      options,
    ),
  );
  return labels.map((l, i) => ({ ...l, calibrated: calibrate(fits[folds[i]!]!, l.exceptionType, l.raw) }));
}

export interface CalibrationCheck {
  n: number;
  raw: Reliability;
  /** Held back: each label scored by the fit on the other folds. */
  calibrated: Reliability;
}

/**
 * Raw against held-back calibrated reliability, over all labels and per exception type. Every label
 * is scored once, by the fit that did not see it. A type with few labels whose probability sits on a
 * bin edge can show a larger calibrated ECE than it has: the folds' fits land on either side of the
 * edge and split it into two small bins — read its figure with its count.
 */
export function checkCalibration(
  labels: readonly ConfidenceLabel[],
  k = 5,
  options: FitOptions = {},
): { overall: CalibrationCheck; by_type: Record<string, CalibrationCheck> } {
  const scored = crossFitted(labels, k, options);
  const check = (group: typeof scored): CalibrationCheck => ({
    n: group.length,
    raw: reliability(
      group.map((l) => ({ confidence: l.raw, correct: l.correct })),
      options.bins,
    ),
    calibrated: reliability(
      group.map((l) => ({ confidence: l.calibrated, correct: l.correct })),
      options.bins,
    ),
  });
  const types = [...new Set(labels.map((l) => l.exceptionType))].sort();
  return {
    overall: check(scored),
    by_type: Object.fromEntries(types.map((t) => [t, check(scored.filter((l) => l.exceptionType === t))])),
  };
}
