/**
 * Calibration in text: the reliability diagram as bins (mean confidence against the share right,
 * raw and calibrated side by side), the ECE per exception type before and after, and each type's
 * autonomy threshold with the data it was chosen on.
 */
import Table from 'cli-table3';
import type { CalibrationArtifact, CalibrationCheck } from '../domain/calibration-artifact.js';
import type { Reliability } from '../domain/reliability.js';

const pct = (x: number): string => `${(x * 100).toFixed(1)}%`;
const BAR = 20;
const bar = (x: number): string => '█'.repeat(Math.round(x * BAR)).padEnd(BAR, '·');
const style = { head: [], border: [], compact: true };

/** One diagram: a line per non-empty bin, the bar is the share right, `|` marks the mean confidence. */
export function reliabilityText(title: string, r: Reliability): string {
  if (r.n === 0) return `${title}: no labels`;
  const lines = r.bins.map((b) => {
    const chars = [...bar(b.accuracy)];
    chars[Math.min(BAR - 1, Math.round(b.confidence * BAR))] = '|';
    return `  ${b.lo.toFixed(1)}–${b.hi.toFixed(1)}  ${chars.join('')}  n=${String(b.n).padStart(4)}  confidence ${pct(b.confidence).padStart(6)}  right ${pct(b.accuracy).padStart(6)}`;
  });
  return [`${title} (ECE ${pct(r.ece)}, ${r.n} labels; bar = share right, | = mean confidence)`, ...lines].join('\n');
}

/** ECE before and after per exception type, the held-back check. */
export function eceTable(overall: CalibrationCheck, byType: Record<string, CalibrationCheck>): string {
  const table = new Table({ head: ['exception type', 'labels', 'ECE raw', 'ECE calibrated (held back)'], style });
  for (const [type, c] of Object.entries(byType)) table.push([type, c.n, pct(c.raw.ece), pct(c.calibrated.ece)]);
  table.push(['all types', overall.n, pct(overall.raw.ece), pct(overall.calibrated.ece)]);
  return table.toString();
}

export function thresholdTable(a: CalibrationArtifact): string {
  const table = new Table({
    head: [
      'exception type',
      'threshold',
      'labels',
      'alone',
      'value alone',
      'exp. false release',
      'seen false release',
      'exp. accuracy',
    ],
    style,
  });
  const row = (type: string, t: CalibrationArtifact['thresholds']['overall']): void => {
    table.push([
      type,
      t.threshold === null ? 'none: people' : t.threshold.toFixed(3),
      t.cases,
      t.autonomous,
      t.autonomous_value,
      `${(t.expected_false_release * 100).toFixed(2)}%`,
      t.observed_false_release_value,
      pct(t.expected_accuracy),
    ]);
  };
  for (const [type, t] of Object.entries(a.thresholds.by_type)) row(type, t);
  row('other types', a.thresholds.overall);
  return table.toString();
}

export function calibrationText(a: CalibrationArtifact, label: string): string {
  const sources =
    Object.entries(a.sources)
      .map(([k, n]) => `${k} ${n}`)
      .join(', ') || 'none';
  return [
    `${label}: fitted ${a.fitted_at} on ${a.n} labelled outcomes (${sources}); method ${a.fit.method}, ${a.fit.bins} bins, prior ${a.fit.prior_strength} pseudo-cases.`,
    '',
    `Expected calibration error, raw against calibrated (each label scored by a fit on the other ${a.check.folds - 1} of ${a.check.folds} folds):`,
    eceTable(a.check.overall, a.check.by_type),
    '',
    reliabilityText('Reliability, raw confidence', a.check.overall.raw),
    reliabilityText('Reliability, calibrated (held back)', a.check.overall.calibrated),
    '',
    `Autonomy thresholds (target: false release ≤ ${pct(a.targets.target_false_release)} of value, accuracy ≥ ${pct(a.targets.min_accuracy)}); a case under its type's threshold goes to people as "low confidence":`,
    thresholdTable(a),
  ].join('\n');
}
