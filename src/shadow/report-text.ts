/** The agreement report as terminal tables (the `settle shadow report` and `settle start --mode shadow` output). */
import Table from 'cli-table3';
import type { ShadowReport, SliceFigures } from './report.js';

const pct = (x: number | null): string => (x === null ? '—' : `${(x * 100).toFixed(1)}%`);
const ci = (f: SliceFigures): string => (f.cases ? `${pct(f.ci_low)}–${pct(f.ci_high)}` : '—');
const kinds = (f: SliceFigures): string =>
  Object.entries(f.disagreements)
    .sort(([, a], [, b]) => b - a)
    .map(([k, n]) => `${k} ×${n}`)
    .join('; ');

function table(head: string[]): Table.Table {
  return new Table({ head, style: { head: [], border: [], compact: true } });
}

export function shadowReportText(r: ShadowReport, options: { suppliers?: number } = {}): string {
  if (r.cases === 0 && r.awaiting_person === 0)
    return 'No shadow cases yet: run with SETTLE_MODE=shadow (or `settle start --mode shadow`) and let people settle the same invoices in Coupa.';
  const byType = table([
    'exception type',
    'cases',
    'agreed',
    'agreement',
    '95% CI',
    'false release',
    'recommended',
    'disagreements',
  ]);
  for (const [type, f] of Object.entries(r.by_exception_type)) {
    byType.push([
      type,
      f.cases,
      f.agreed,
      pct(f.agreement),
      ci(f),
      f.false_release_value,
      f.recommendation.mode,
      kinds(f),
    ]);
  }
  byType.push([
    'all',
    r.cases,
    r.agreed,
    pct(r.agreement),
    `${pct(r.ci_low)}–${pct(r.ci_high)}`,
    r.false_release_value,
    '',
    '',
  ]);
  const byBand = table(['amount band', 'cases', 'agreement', '95% CI', 'false release']);
  for (const [band, f] of Object.entries(r.by_amount_band))
    byBand.push([band, f.cases, pct(f.agreement), ci(f), f.false_release_value]);
  const suppliers = Object.entries(r.by_supplier)
    .sort(([, a], [, b]) => b.cases - a.cases)
    .slice(0, options.suppliers ?? 10);
  const bySupplier = table(['supplier (most cases)', 'cases', 'agreement', '95% CI', 'false release']);
  for (const [name, f] of suppliers) bySupplier.push([name, f.cases, pct(f.agreement), ci(f), f.false_release_value]);
  const recs = Object.entries(r.by_exception_type).map(
    ([type, f]) => `  ${type}: ${f.recommendation.mode} — ${f.recommendation.reason}`,
  );
  return [
    `Shadow agreement${r.since ? ` since ${r.since.slice(0, 10)}` : ''}: ${r.cases} cases settled by people (${r.awaiting_person} still waiting for a person), ` +
      `agreement ${pct(r.agreement)} (95% CI ${pct(r.ci_low)}–${pct(r.ci_high)}), false auto-release ${r.false_release_value}, Coupa writes while shadowing: ${r.coupa_writes}.`,
    byType.toString(),
    byBand.toString(),
    bySupplier.toString(),
    'Recommended mode per exception type (promote with `settle autonomy promote --type TYPE --mode MODE --as LOGIN`, or on the review page):',
    ...recs,
  ].join('\n');
}
