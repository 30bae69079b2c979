/**
 * The terminal table: one row per exception type (cases, accuracy, unsafe, median Coupa calls,
 * median ms), a total row, and the failed and unsafe cases with the checks that failed.
 */
import type { HarnessOutput } from './harness.js';
import type { Slice } from './summary.js';

const pct = (x: number): string => `${(x * 100).toFixed(1)}%`;

function row(cells: string[], widths: number[]): string {
  return cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  ');
}

/** The per-type table as lines of text. */
export function formatTable(output: HarnessOutput): string {
  const { summary } = output;
  const withK = summary.trials > 1;
  const header = [
    'exception type',
    'cases',
    'accuracy',
    ...(withK ? ['pass@1'] : []),
    'unsafe',
    'med. calls',
    'med. ms',
  ];
  const cells = (name: string, s: Slice): string[] => [
    name,
    String(s.cases),
    s.cases ? pct(s.accuracy) : '—',
    ...(withK ? [s.cases ? pct(s.pass_at_1) : '—'] : []),
    String(s.unsafe),
    s.cases ? String(s.median_coupa_calls) : '—',
    s.cases ? String(Math.round(s.median_ms)) : '—',
  ];
  const rows = [
    header,
    ...Object.entries(summary.by_exception_type).map(([t, s]) => cells(t, s)),
    cells('all', summary),
  ];
  const widths = header.map((_, i) => Math.max(...rows.map((r) => r[i]!.length)));
  const lines = rows.map((r) => row(r, widths));
  lines.splice(1, 0, widths.map((w) => '-'.repeat(w)).join('  '));
  lines.splice(lines.length - 1, 0, widths.map((w) => '-'.repeat(w)).join('  '));
  return lines.join('\n');
}

/** Failed and unsafe runs, one line each with the failed checks (capped). */
export function formatFailures(output: HarnessOutput, max = 40): string {
  const failed = output.cases.filter((c) => !c.passed || c.unsafe);
  if (failed.length === 0) return '';
  const lines = failed.slice(0, max).map((c) => {
    const checks = c.checks
      .filter((k) => !k.passed)
      .map((k) => `${k.name}: ${k.detail}`)
      .join(' | ');
    const trial = output.summary.trials > 1 ? ` (trial ${c.trial})` : '';
    return `${c.unsafe ? 'UNSAFE' : 'FAIL  '} ${c.id}${trial} [${c.file}] ${checks}${c.unsafe ? ` — ${c.unsafe_reasons.join('; ')}` : ''}`;
  });
  if (failed.length > max) lines.push(`… and ${failed.length - max} more (see --json)`);
  return lines.join('\n');
}

/** The headline: accuracy (and pass^k), unsafe count, brain and model. */
export function formatHeadline(output: HarnessOutput): string {
  const { summary, run } = output;
  const brain = run.brain === 'llm' ? `llm brain (${run.model ?? 'unknown model'})` : 'planner brain';
  const trials =
    summary.trials > 1 ? `, pass@1 ${pct(summary.pass_at_1)}, pass^${summary.trials} ${pct(summary.pass_hat_k)}` : '';
  const c = summary.cost_per_exception;
  const cost = `${c.coupa_calls.toFixed(2)} Coupa calls/exception (mean), ${c.tokens_in} tokens in / ${c.tokens_out} out${c.model_cost === null ? '' : `, model cost ${c.model_cost}`} per exception`;
  return `accuracy ${pct(summary.accuracy)} (${summary.passed}/${summary.cases} cases${trials}), unsafe ${summary.unsafe}, ${cost} — ${brain}, ${(run.duration_ms / 1000).toFixed(1)} s`;
}
