/**
 * Calibrated confidence: the agent's raw confidence score (a hand-set heuristic per decision rule)
 * mapped to the probability that its decision is the one a person would take, fitted per exception
 * type on labelled outcomes (eval cases, shadow cases, QA reviews).
 *
 * Method — histogram binning with a Beta prior, made monotone:
 *  1. the raw score range [0, 1] is cut into equal-width bins;
 *  2. each exception type's accuracy is shrunk towards the accuracy over all types (a Beta prior of
 *     `priorStrength` pseudo-cases), and each bin's accuracy towards its type's, so a bin with three
 *     cases cannot claim 100%;
 *  3. the bins are made non-decreasing in the raw score by pool-adjacent-violators (isotonic
 *     regression weighted by cases), so a higher raw score never means a lower probability;
 *  4. an empty bin takes the value of the nearest bin with cases (below first); a type with no
 *     labels falls back to the fit over all types.
 * The raw scores are few distinct values, which is why binning suits them better than a fitted
 * curve (Platt scaling assumes a sigmoid over a continuous score). Pure: no clock, no I/O.
 */
import { z } from 'zod';

/** One decision of the agent, with its raw confidence, and whether a person (or the eval) judged it right. */
export interface ConfidenceLabel {
  /** Unique per label: `eval:gen-price-variance-1#1`, `shadow:12`, `qa:7`. */
  id: string;
  source: 'eval' | 'shadow' | 'qa';
  exceptionType: string;
  /** The agent's raw confidence, 0–1. */
  raw: number;
  correct: boolean;
  /** The agent's decision released the invoice for payment (`resolve`). */
  released: boolean;
  /** Invoice gross total as decimal text; null when unknown. */
  amount: string | null;
}

export const ConfidenceLabelSchema = z.object({
  id: z.string().min(1),
  source: z.enum(['eval', 'shadow', 'qa']),
  exceptionType: z.string().min(1),
  raw: z.number().min(0).max(1),
  correct: z.boolean(),
  released: z.boolean(),
  amount: z
    .string()
    .regex(/^-?\d+(\.\d+)?$/)
    .nullable(),
});

export const CalibrationBin = z.object({
  lo: z.number(),
  hi: z.number(),
  n: z.number().int().min(0),
  correct: z.number().int().min(0),
  /** The calibrated probability for raw scores in [lo, hi). */
  p: z.number().min(0).max(1),
});
export type CalibrationBin = z.infer<typeof CalibrationBin>;

export const TypeCalibration = z.object({
  n: z.number().int().min(0),
  correct: z.number().int().min(0),
  /** The type's accuracy shrunk towards the overall one. */
  prior: z.number().min(0).max(1),
  bins: z.array(CalibrationBin),
});
export type TypeCalibration = z.infer<typeof TypeCalibration>;

export const CalibrationFit = z.object({
  method: z.literal('binned-beta-isotonic'),
  bins: z.number().int().min(1).max(100),
  prior_strength: z.number().min(0),
  overall: TypeCalibration,
  by_type: z.record(z.string(), TypeCalibration),
});
export type CalibrationFit = z.infer<typeof CalibrationFit>;

export interface FitOptions {
  /** Equal-width bins over [0, 1] (default 10). */
  bins?: number;
  /** Pseudo-cases of the Beta prior (default 4). */
  priorStrength?: number;
}

export const DEFAULT_BINS = 10;
export const DEFAULT_PRIOR_STRENGTH = 4;

/** Which of `bins` equal-width bins a score falls in (1.0 goes in the last). */
export function binOf(score: number, bins: number): number {
  return Math.min(bins - 1, Math.max(0, Math.floor(score * bins)));
}

/** Weighted pool-adjacent-violators: the non-decreasing sequence closest (weighted least squares) to `values`. */
export function isotonic(values: readonly number[], weights: readonly number[]): number[] {
  const blocks: Array<{ value: number; weight: number; count: number }> = [];
  for (const [i, v] of values.entries()) {
    blocks.push({ value: v, weight: weights[i]!, count: 1 });
    while (blocks.length > 1 && blocks[blocks.length - 2]!.value > blocks[blocks.length - 1]!.value) {
      const b = blocks.pop()!;
      const a = blocks.pop()!;
      const weight = a.weight + b.weight;
      blocks.push({
        value: weight > 0 ? (a.value * a.weight + b.value * b.weight) / weight : (a.value + b.value) / 2,
        weight,
        count: a.count + b.count,
      });
    }
  }
  return blocks.flatMap((b) => Array<number>(b.count).fill(b.value));
}

function fitGroup(labels: readonly ConfidenceLabel[], prior: number, bins: number, m: number): TypeCalibration {
  const n = labels.length;
  const correct = labels.filter((l) => l.correct).length;
  const typePrior = (correct + m * prior) / (n + m);
  const counts = Array.from({ length: bins }, () => ({ n: 0, correct: 0 }));
  for (const l of labels) {
    const c = counts[binOf(l.raw, bins)]!;
    c.n += 1;
    if (l.correct) c.correct += 1;
  }
  const filled = counts.map((c, i) => ({ ...c, i })).filter((c) => c.n > 0);
  const smoothed = isotonic(
    filled.map((c) => (c.correct + m * typePrior) / (c.n + m)),
    filled.map((c) => c.n),
  );
  const pOf = new Map(filled.map((c, k) => [c.i, smoothed[k]!]));
  const nearest = (i: number): number => {
    for (let d = 1; d < bins; d++) {
      if (pOf.has(i - d)) return pOf.get(i - d)!;
      if (pOf.has(i + d)) return pOf.get(i + d)!;
    }
    return typePrior;
  };
  return {
    n,
    correct,
    prior: typePrior,
    bins: counts.map((c, i) => ({
      lo: i / bins,
      hi: (i + 1) / bins,
      n: c.n,
      correct: c.correct,
      p: pOf.get(i) ?? nearest(i),
    })),
  };
}

/** Fit the calibration on labelled outcomes. */
export function fitCalibration(labels: readonly ConfidenceLabel[], options: FitOptions = {}): CalibrationFit {
  const bins = options.bins ?? DEFAULT_BINS;
  const m = options.priorStrength ?? DEFAULT_PRIOR_STRENGTH;
  // The overall accuracy itself starts from a uniform Beta(1, 1).
  const overallPrior = (labels.filter((l) => l.correct).length + 1) / (labels.length + 2);
  const overall = fitGroup(labels, overallPrior, bins, m);
  const types = [...new Set(labels.map((l) => l.exceptionType))].sort();
  return {
    method: 'binned-beta-isotonic',
    bins,
    prior_strength: m,
    overall,
    by_type: Object.fromEntries(
      types.map((t) => [
        t,
        fitGroup(
          labels.filter((l) => l.exceptionType === t),
          overall.prior,
          bins,
          m,
        ),
      ]),
    ),
  };
}

/** The calibrated probability for a raw score of an exception type. */
export function calibrate(fit: CalibrationFit, exceptionType: string, raw: number): number {
  const group = fit.by_type[exceptionType] ?? fit.overall;
  const bin = group.bins[binOf(raw, group.bins.length)];
  return bin ? bin.p : group.prior;
}
