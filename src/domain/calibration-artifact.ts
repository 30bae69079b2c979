/**
 * The stored calibration: the fit, each exception type's autonomy threshold, the held-back check
 * (raw against calibrated ECE) and the labelled outcomes it was fitted on, with their count, date
 * and sources — one JSON document, kept whole so a threshold can always be traced to its data.
 */
import { z } from 'zod';
import {
  calibrate,
  CalibrationFit,
  ConfidenceLabelSchema,
  fitCalibration,
  type ConfidenceLabel,
  type FitOptions,
} from './calibration.js';
import { chooseThreshold, DEFAULT_TARGETS, ThresholdChoice, type ThresholdTargets } from './confidence-threshold.js';
import { checkCalibration, type CalibrationCheck } from './reliability.js';

const Bin = z.object({
  lo: z.number(),
  hi: z.number(),
  n: z.number().int(),
  confidence: z.number(),
  accuracy: z.number(),
});
const Rel = z.object({ n: z.number().int(), ece: z.number(), bins: z.array(Bin) });
const Check = z.object({ n: z.number().int(), raw: Rel, calibrated: Rel });

export const CalibrationArtifact = z.object({
  /** Format of this document. */
  format: z.literal(1),
  fitted_at: z.string(),
  /** Labels per source (eval, shadow, qa). */
  sources: z.record(z.string(), z.number().int().min(0)),
  n: z.number().int().min(0),
  targets: z.object({ target_false_release: z.number().min(0).max(1), min_accuracy: z.number().min(0).max(1) }),
  fit: CalibrationFit,
  thresholds: z.object({ overall: ThresholdChoice, by_type: z.record(z.string(), ThresholdChoice) }),
  /** Held back: each label scored by a fit on the other folds (k-fold). */
  check: z.object({ folds: z.number().int().min(2), overall: Check, by_type: z.record(z.string(), Check) }),
  labels: z.array(ConfidenceLabelSchema),
});
export type CalibrationArtifact = z.infer<typeof CalibrationArtifact>;

export interface BuildOptions extends FitOptions {
  fittedAt: Date;
  targets?: ThresholdTargets;
  folds?: number;
}

export function buildCalibration(labels: readonly ConfidenceLabel[], options: BuildOptions): CalibrationArtifact {
  const targets = options.targets ?? DEFAULT_TARGETS;
  const folds = options.folds ?? 5;
  const fit = fitCalibration(labels, options);
  const scored = labels.map((l) => ({ ...l, calibrated: calibrate(fit, l.exceptionType, l.raw) }));
  const types = Object.keys(fit.by_type);
  const check = checkCalibration(labels, folds, options);
  const sources: Record<string, number> = {};
  for (const l of labels) sources[l.source] = (sources[l.source] ?? 0) + 1;
  return {
    format: 1,
    fitted_at: options.fittedAt.toISOString(),
    sources,
    n: labels.length,
    targets: { target_false_release: targets.targetFalseRelease, min_accuracy: targets.minAccuracy },
    fit,
    thresholds: {
      overall: chooseThreshold(scored, targets),
      by_type: Object.fromEntries(
        types.map((t) => [
          t,
          chooseThreshold(
            scored.filter((s) => s.exceptionType === t),
            targets,
          ),
        ]),
      ),
    },
    check: { folds, overall: check.overall, by_type: check.by_type },
    labels: [...labels],
  };
}

/** What the guard and the agent need from a calibration in force. */
export interface ConfidenceGate {
  /** `calibration #3 (2026-12-07, 219 labels)`. */
  label: string;
  calibrate(exceptionType: string, raw: number): number;
  /** The type's threshold; a type without labels takes the one over all types. Null: never alone. */
  threshold(exceptionType: string): ThresholdChoice;
}

export function gateOf(artifact: CalibrationArtifact, label: string): ConfidenceGate {
  return {
    label,
    calibrate: (type, raw) => calibrate(artifact.fit, type, raw),
    threshold: (type) => artifact.thresholds.by_type[type] ?? artifact.thresholds.overall,
  };
}

export type { CalibrationCheck };
