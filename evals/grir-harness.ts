/**
 * The GR/IR eval cases (evals/grir/*.json, written by evals/grir-cases.ts) replayed as `settle
 * eval` replays the exception cases: each case's Coupa records served by a fresh simulator over
 * HTTP, read into PGlite and reconciled; a case passes when every expected PO line is open with the
 * expected root cause and action and every line expected to clear does; an adjustment case passes
 * when the short-pay to the PO value totals what it should. Scored per cause as well.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createCoupaClient } from '../src/coupa/index.js';
import { createRecordSource, type RecordSource } from '../src/coupa/record-source.js';
import { openDb, type Db } from '../src/db/connection.js';
import { migrate } from '../src/db/migrate.js';
import { adjustToPoValue } from '../src/domain/grir/adjustment.js';
import { runGrir } from '../src/grir/run.js';
import { emptyDataset, type CoupaDataset } from '../src/sim/dataset.js';
import { startSimulator } from '../src/sim/server.js';
import type { GrirCase } from './grir-cases.js';

export interface GrirCaseResult {
  id: string;
  tags: string[];
  passed: boolean;
  /** Why it failed, one line per mismatch. */
  misses: string[];
}

export interface GrirEvalOutput {
  cases: number;
  passed: number;
  /** Expected open lines (and adjustments) per cause: how many were explained right. */
  byCause: Record<string, { right: number; all: number }>;
  results: GrirCaseResult[];
}

/** The case files of `dir`, in name order. */
export function loadGrirCases(dir: string): GrirCase[] {
  return readdirSync(dir)
    .filter((f) => f.endsWith('.json'))
    .sort()
    .map((f) => JSON.parse(readFileSync(join(dir, f), 'utf8')) as GrirCase);
}

async function served<T>(c: GrirCase, work: (records: RecordSource, now: string) => Promise<T>): Promise<T> {
  const sim = await startSimulator({
    dataset: { ...emptyDataset(), ...c.coupa } as CoupaDataset,
    now: c.now,
    rateLimit: false,
  });
  try {
    const coupa = createCoupaClient({
      baseUrl: sim.url,
      clientId: sim.credentials.clientId,
      clientSecret: sim.credentials.clientSecret,
      limiter: false,
    });
    return await work(createRecordSource(coupa), sim.now());
  } finally {
    await sim.close();
  }
}

/** Replay one case into `db` (its book is kept under the case's id) and score it. */
export async function runGrirCase(db: Db, c: GrirCase, tally: GrirEvalOutput['byCause'] = {}): Promise<GrirCaseResult> {
  const misses: string[] = [];
  const count = (cause: string, right: boolean): void => {
    const t = (tally[cause] ??= { right: 0, all: 0 });
    t.all++;
    if (right) t.right++;
  };
  await served(c, async (records, now) => {
    const adjustment = c.expected.adjustment;
    if (adjustment) {
      const invoice = await records.invoice(adjustment.invoice_id);
      const orders = invoice
        ? await records.purchaseOrdersForOrderLines(invoice.invoiceLines.flatMap((l) => l.orderLineId ?? []))
        : [];
      const total = invoice ? adjustToPoValue(invoice, orders).total : null;
      count('adjustment', total === adjustment.total);
      if (total !== adjustment.total) misses.push(`adjustment total ${total ?? 'none'}, expected ${adjustment.total}`);
      return;
    }
    const result = await runGrir({ db, records, source: c.id, now: new Date(now), asOf: c.now.slice(0, 10) });
    const byLine = new Map(result.items.map((i) => [i.poLineId, i]));
    for (const e of c.expected.grir ?? []) {
      const item = byLine.get(e.po_line_id);
      const right = item?.cause === e.cause && item.action.kind === e.action;
      count(e.cause, right);
      if (!right)
        misses.push(
          item
            ? `line ${e.po_line_id}: ${item.cause}/${item.action.kind}, expected ${e.cause}/${e.action} (${item.evidence.join(' | ')})`
            : `line ${e.po_line_id}: not open, expected ${e.cause}/${e.action}`,
        );
    }
    for (const id of c.expected.clears ?? []) if (byLine.has(id)) misses.push(`line ${id}: open, expected to clear`);
  });
  return { id: c.id, tags: c.tags, passed: misses.length === 0, misses };
}

/** Replay every case of `dir` (only those tagged `filter`, when given) on one in-memory store. */
export async function runGrirEval(dir: string, options: { filter?: string } = {}): Promise<GrirEvalOutput> {
  const cases = loadGrirCases(dir).filter((c) => !options.filter || c.tags.includes(options.filter));
  const byCause: GrirEvalOutput['byCause'] = {};
  const results: GrirCaseResult[] = [];
  if (cases.length === 0) return { cases: 0, passed: 0, byCause, results };
  const db = await openDb({ dataDir: 'memory://', sharedBuffers: '16MB' });
  try {
    await migrate(db);
    for (const c of cases) results.push(await runGrirCase(db, c, byCause));
  } finally {
    await db.close();
  }
  return { cases: cases.length, passed: results.filter((r) => r.passed).length, byCause, results };
}

/** One line beside the exception cases' headline, and a line per failed case. */
export function formatGrirEval(out: GrirEvalOutput): string {
  const causes = Object.entries(out.byCause)
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([cause, t]) => `${cause} ${t.right}/${t.all}`)
    .join(', ');
  const head = `GR/IR cases: ${out.passed}/${out.cases} passed (root cause and action per line: ${causes})`;
  const failed = out.results.filter((r) => !r.passed).map((r) => `  FAIL ${r.id}: ${r.misses.join('; ')}`);
  return [head, ...failed].join('\n');
}
