/** `settle qa report`: QA agreement per exception type after autonomy, with intervals and false releases. */
import Table from 'cli-table3';
import type { QaSample } from './qa-store.js';
import { sumAmounts, wilson } from './stats.js';

export interface QaSlice {
  sampled: number;
  reviewed: number;
  agreed: number;
  agreement: number | null;
  ci_low: number;
  ci_high: number;
  false_release_value: string;
  pending: number;
}

export interface QaReport {
  sampled: number;
  reviewed: number;
  pending: number;
  agreed: number;
  agreement: number | null;
  ci_low: number;
  ci_high: number;
  false_release_value: string;
  drawn_because: Record<string, number>;
  by_exception_type: Record<string, QaSlice>;
  disagreements: Array<{
    invoice_id: number;
    exception_type: string;
    agent: string;
    reviewer: string | null;
    correct: string | null;
    comment: string | null;
  }>;
}

const falseRelease = (s: QaSample): boolean =>
  s.verdict === 'disagree' && s.decision === 'resolve' && (s.correctDecision ?? 'route') !== 'resolve';

function slice(samples: readonly QaSample[]): QaSlice {
  const reviewed = samples.filter((s) => s.verdict);
  const agreed = reviewed.filter((s) => s.verdict === 'agree').length;
  const { low, high } = wilson(agreed, reviewed.length);
  return {
    sampled: samples.length,
    reviewed: reviewed.length,
    agreed,
    agreement: reviewed.length ? agreed / reviewed.length : null,
    ci_low: low,
    ci_high: high,
    false_release_value: sumAmounts(reviewed.filter(falseRelease).map((s) => s.amount)),
    pending: samples.length - reviewed.length,
  };
}

export function buildQaReport(samples: readonly QaSample[]): QaReport {
  const all = slice(samples);
  const types = [...new Set(samples.map((s) => s.exceptionType))].sort();
  const because: Record<string, number> = {};
  for (const s of samples) {
    const key = s.drawnBecause.replace(/ \(.*\)$/, '');
    because[key] = (because[key] ?? 0) + 1;
  }
  return {
    sampled: all.sampled,
    reviewed: all.reviewed,
    pending: all.pending,
    agreed: all.agreed,
    agreement: all.agreement,
    ci_low: all.ci_low,
    ci_high: all.ci_high,
    false_release_value: all.false_release_value,
    drawn_because: because,
    by_exception_type: Object.fromEntries(types.map((t) => [t, slice(samples.filter((s) => s.exceptionType === t))])),
    disagreements: samples
      .filter((s) => s.verdict === 'disagree')
      .map((s) => ({
        invoice_id: s.invoiceId,
        exception_type: s.exceptionType,
        agent: s.decision,
        reviewer: s.reviewedBy,
        correct: s.correctDecision,
        comment: s.comment,
      })),
  };
}

const pct = (x: number | null): string => (x === null ? '—' : `${(x * 100).toFixed(1)}%`);

export function qaReportText(r: QaReport): string {
  if (r.sampled === 0) return 'No QA samples yet: autonomous settlements enter the draw as the agent carries them out.';
  const table = new Table({
    head: ['exception type', 'sampled', 'reviewed', 'agreement', '95% CI', 'false release', 'pending'],
    style: { head: [], border: [], compact: true },
  });
  for (const [type, s] of Object.entries(r.by_exception_type))
    table.push([
      type,
      s.sampled,
      s.reviewed,
      pct(s.agreement),
      s.reviewed ? `${pct(s.ci_low)}–${pct(s.ci_high)}` : '—',
      s.false_release_value,
      s.pending,
    ]);
  return [
    `QA: ${r.sampled} autonomous settlements drawn (${Object.entries(r.drawn_because)
      .map(([k, n]) => `${k} ${n}`)
      .join(
        ', ',
      )}), ${r.reviewed} reviewed, agreement ${pct(r.agreement)} (95% CI ${pct(r.ci_low)}–${pct(r.ci_high)}), false release ${r.false_release_value}.`,
    table.toString(),
  ].join('\n');
}
