/**
 * Field accuracy of ingestion on the real labelled invoices (test/fixtures/real-invoices), per
 * language and per field, and the confidence calibration (wrong values reported at ≥ 0.9).
 *
 *   npx tsx scripts/score-real-invoices.ts [--verbose]
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createOcrEngine } from '../src/ingest/index.js';
import {
  FILES_DIR,
  haveFiles,
  scoreRealInvoices,
  subset,
  summarise,
  type LabelSet,
} from '../test/fixtures/real-invoices/score.js';

const SET_NAMES: Record<LabelSet, string> = {
  tuned: 'tuned set',
  heldOut: 'HELD-OUT set (labelled after tuning)',
  heldOut2: 'HELD-OUT set 2 (another repository, labelled before the next changes)',
  heldOut3: 'HELD-OUT set 3 (five new repositories, labelled and committed before first scored)',
};

if (!haveFiles()) {
  console.error(`settle: the real invoices are not in ${FILES_DIR} (see test/fixtures/real-invoices/SOURCES.md)`);
  process.exit(1);
}
const ocr = createOcrEngine({ cachePath: join(mkdtempSync(join(tmpdir(), 'settle-score-')), 'ocr') });
for (const view of ['as-ingested', 'printed'] as const) {
  const all = await scoreRealInvoices(ocr, view);
  for (const set of ['tuned', 'heldOut', 'heldOut2', 'heldOut3'] as const) report(view, set, subset(all, set));
}

function report(view: string, set: LabelSet, scored: Awaited<ReturnType<typeof scoreRealInvoices>>): void {
  if (scored.documents === 0) return;
  const s = summarise(scored);
  console.log(
    `\n${view}, ${SET_NAMES[set]}: ${scored.documents} documents, field accuracy ${(100 * s.accuracy).toFixed(1)}% (${scored.results.filter((r) => r.right).length}/${scored.results.length}); crashed ${scored.crashes.length}, refused ${scored.refused.length}`,
  );
  console.log(
    `  by language: ${Object.entries(s.byLanguage)
      .map(([k, v]) => `${k} ${v}`)
      .join(', ')}`,
  );
  console.log(
    `  by field:    ${Object.entries(s.byField)
      .map(([k, v]) => `${k} ${v}`)
      .join(', ')}`,
  );
  const fields = [...new Set(scored.results.map((r) => r.field))];
  console.log(`  ${'lang'.padEnd(5)}${fields.map((f) => f.slice(0, 9).padStart(10)).join('')}`);
  for (const lang of [...new Set(scored.results.map((r) => r.language))].sort()) {
    const cells = fields.map((f) => {
      const rs = scored.results.filter((r) => r.language === lang && r.field === f);
      return (rs.length ? `${rs.filter((r) => r.right).length}/${rs.length}` : '–').padStart(10);
    });
    console.log(`  ${lang.padEnd(5)}${cells.join('')}`);
  }
  console.log(
    `  calibration: ${s.confidentWrong.length} of ${s.confident} values at ≥ 0.9 confidence were wrong (${((100 * s.confidentWrong.length) / Math.max(1, s.confident)).toFixed(1)}%; target ≤ 2%)`,
  );
  const confident = scored.results.filter((r) => r.got !== undefined && (r.confidence ?? 0) >= 0.9);
  const wrongOf = (rs: typeof confident): string =>
    rs.length ? `${rs.filter((r) => !r.right).length}/${rs.length}` : '–';
  console.log(
    `  wrong at ≥ 0.9, by field:    ${fields.map((f) => `${f} ${wrongOf(confident.filter((r) => r.field === f))}`).join(', ')}`,
  );
  console.log(
    `  wrong at ≥ 0.9, by language: ${[...new Set(scored.results.map((r) => r.language))]
      .sort()
      .map((l) => `${l} ${wrongOf(confident.filter((r) => r.language === l))}`)
      .join(', ')}`,
  );
  for (const r of s.confidentWrong)
    console.log(`  ✗≥0.9 ${r.file} ${r.field}: expected ${r.expected}, got ${r.got} (${r.confidence?.toFixed(2)})`);
  for (const line of [...scored.crashes, ...scored.refused]) console.log(`  ! ${line}`);
  if (process.argv.includes('--verbose')) {
    for (const r of scored.results.filter((x) => !x.right))
      console.log(
        `  ✗ ${r.file} ${r.field}: expected ${r.expected}, got ${r.got ?? '—'} (${r.confidence?.toFixed(2) ?? '–'})`,
      );
  }
}
await ocr.close();
