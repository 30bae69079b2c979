/**
 * `settle grir [--as-of DATE] [--json FILE]`: bring the GR/IR book up to date from Coupa (only what
 * changed since the last run), reconcile every receipt-required PO line, investigate each open item
 * and print counts and value by root cause and age bucket. On the embedded default it also scores
 * the root causes against the sample company's ground truth.
 */
import { InvalidArgumentError, type Command } from 'commander';
import { loadConfig } from '../config.js';
import { openGrirRuntime } from '../app/grir-runtime.js';
import { runGrir } from '../grir/run.js';
import { grirReportText } from '../grir/report-text.js';
import type { InvestigatedItem } from '../domain/grir/types.js';
import type { GrirLabel } from '../sim/generator/grir-book.js';
import { writeJsonFile } from './json-file.js';

function parseDay(value: string): string {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(value) || Number.isNaN(Date.parse(value)))
    throw new InvalidArgumentError('expected a date YYYY-MM-DD');
  return value;
}

/** Found and correctly explained seeded items, per cause. */
export function scoreAgainstLabels(
  items: readonly InvestigatedItem[],
  labels: readonly GrirLabel[],
): { found: number; seeded: number; byCause: Record<string, { right: number; all: number }> } {
  const byLine = new Map(items.map((i) => [i.poLineId, i]));
  const byCause: Record<string, { right: number; all: number }> = {};
  let found = 0;
  for (const label of labels) {
    const item = byLine.get(label.poLineId);
    const tally = (byCause[label.cause] ??= { right: 0, all: 0 });
    tally.all++;
    if (item) found++;
    if (item?.cause === label.cause) tally.right++;
  }
  return { found, seeded: labels.length, byCause };
}

function progress(): {
  onProgress: (e: { resource: string; read: number }) => void;
  onPhase: (p: string) => void;
  done: () => void;
} {
  const tty = process.stderr.isTTY === true;
  let last = '';
  const show = (line: string): void => {
    if (line === last) return;
    last = line;
    process.stderr.write(tty ? `\r\x1b[2K${line}` : `${line}\n`);
  };
  return {
    onProgress: (e) => show(`reading ${e.resource.replace(/_/g, ' ')}: ${e.read.toLocaleString('en-US')}`),
    onPhase: (p) => (p === 'reading' ? undefined : show(`${p}…`)),
    done: () => (tty && last ? void process.stderr.write('\r\x1b[2K') : undefined),
  };
}

export function registerGrirCommand(program: Command): void {
  program
    .command('grir')
    .description(
      'Reconcile the GR/IR book (receipts vs invoices per PO line), explain each open item and propose its clearing',
    )
    .option(
      '--as-of <date>',
      'leave out receipts and invoices dated after this day (YYYY-MM-DD); default today',
      parseDay,
    )
    .option('--json <file>', 'also write the summary and every open item (cause, evidence, proposed action) as JSON')
    .addHelpText(
      'after',
      '\nReads only what changed in Coupa since the last run (updated-at), keeps the book in Postgres, and proposes;\nan accountant approves clearing entries on the review site (GR/IR page).',
    )
    .action(async (flags: { asOf?: string; json?: string }) => {
      const runtime = await openGrirRuntime(loadConfig());
      try {
        const started = performance.now();
        const bar = progress();
        const result = await runGrir({
          db: runtime.db,
          records: runtime.records,
          source: runtime.source,
          now: runtime.now(),
          asOf: flags.asOf,
          onProgress: bar.onProgress,
          onPhase: bar.onPhase,
        });
        bar.done();
        console.log(
          grirReportText(result.summary, {
            coupaCalls: result.coupaCalls,
            recordsRead: result.recordsRead,
            seconds: (performance.now() - started) / 1000,
          }),
        );
        const score = runtime.labels ? scoreAgainstLabels(result.items, runtime.labels) : undefined;
        if (score) {
          const worst = Object.entries(score.byCause)
            .map(([c, t]) => `${c} ${t.right}/${t.all}`)
            .join(', ');
          console.log(
            `\nSample company ground truth: ${score.found}/${score.seeded} seeded open items found; root cause right: ${worst}.`,
          );
        }
        if (flags.json)
          await writeJsonFile(flags.json, {
            summary: result.summary,
            recordsRead: result.recordsRead,
            coupaCalls: result.coupaCalls,
            score,
            items: result.items,
          });
      } finally {
        await runtime.close();
      }
    });
}
