/**
 * The verdict's confidence as a probability: under a calibration in force, the raw score (a
 * heuristic per decision rule) is replaced by the calibrated probability for its exception type,
 * and the raw score is kept beside it (it is what later fits learn from).
 */
import type { ConfidenceGate } from '../domain/calibration-artifact.js';
import type { Verdict } from './verdict.js';

export function calibrateVerdict(verdict: Verdict, gate: ConfidenceGate | null): Verdict {
  if (!gate) return verdict;
  const raw = verdict.confidence_raw ?? verdict.confidence;
  return {
    ...verdict,
    confidence: gate.calibrate(verdict.exception_type, raw),
    confidence_raw: raw,
    calibration: gate.label,
  };
}
