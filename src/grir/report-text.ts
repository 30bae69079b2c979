/** `settle grir`'s printout: open items and value by root cause and by age bucket. */
import Table from 'cli-table3';
import { AGE_BUCKETS } from '../domain/grir/reconcile.js';
import type { BookSummary, CauseTotals } from '../domain/grir/book.js';

function table(head: string[]): Table.Table {
  return new Table({ head, style: { head: [], border: [], compact: true } });
}

const money = (t: CauseTotals | undefined): string =>
  t && Object.keys(t.amount).length
    ? Object.entries(t.amount)
        .sort()
        .map(([c, a]) => `${c} ${Number(a).toLocaleString('en-US', { minimumFractionDigits: 2 })}`)
        .join(', ')
    : '—';

const CAUSE_TEXT: Record<string, string> = {
  wrong_line: 'receipt on the wrong PO line',
  wrong_uom: 'wrong unit of measure',
  duplicate_receipt: 'duplicate receipt',
  return_not_credited: 'return not credited',
  closed_po_invoice: 'invoice on a closed PO',
  contract_price_change: 'contract price change',
  fx_difference: 'FX difference',
  awaiting_invoice: 'awaiting invoice (timing)',
  invoice_in_process: 'invoice in approval / on hold',
  awaiting_receipt: 'invoiced, not received',
  no_explanation: 'no explanation found',
};

export function grirReportText(
  s: BookSummary,
  run: { coupaCalls: number; recordsRead: Record<string, number>; seconds?: number },
): string {
  const byCause = table(['root cause', 'items', 'value']);
  for (const [cause, t] of Object.entries(s.byCause).sort((a, b) => (b[1]?.count ?? 0) - (a[1]?.count ?? 0))) {
    byCause.push([CAUSE_TEXT[cause] ?? cause, String(t?.count ?? 0), money(t)]);
  }
  const byAge = table(['age (days)', 'items', 'value']);
  for (const bucket of AGE_BUCKETS) byAge.push([bucket, String(s.byAge[bucket].count), money(s.byAge[bucket])]);
  const read = Object.entries(run.recordsRead)
    .map(([k, n]) => `${n} ${k.replace(/_/g, ' ')}`)
    .join(', ');
  return [
    `GR/IR as of ${s.asOf}: ${s.poLines.toLocaleString('en-US')} PO lines, ${s.openItems} open items.`,
    `Read from Coupa: ${read} (${run.coupaCalls} calls${run.seconds !== undefined ? `, ${run.seconds.toFixed(1)} s` : ''}).`,
    '',
    byCause.toString(),
    '',
    byAge.toString(),
  ].join('\n');
}
