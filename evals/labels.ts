/**
 * Labelled outcomes for calibration from an eval run: each run's verdict with the agent's raw
 * confidence, labelled right when the case passed every check. Runs without a verdict carry no
 * confidence and are left out.
 */
import type { ConfidenceLabel } from '../src/domain/calibration.js';
import { decimalOrNull } from '../src/shadow/labels.js';
import type { CaseResult } from './run-record.js';

export function evalLabels(cases: readonly CaseResult[]): ConfidenceLabel[] {
  return cases.flatMap((c) => {
    const v = c.verdict;
    if (!v) return [];
    const raw = v.confidence_raw ?? v.confidence;
    return [
      {
        id: `eval:${c.id}#${c.trial}`,
        source: 'eval' as const,
        exceptionType: v.exception_type,
        raw,
        correct: c.passed,
        released: v.decision === 'resolve',
        amount: decimalOrNull(v.invoice_total ?? null),
      },
    ];
  });
}
