/**
 * One GR/IR run: bring the stored book up to date from Coupa, reconcile every PO line, investigate
 * each open item, store the result and return the summary `settle grir` prints.
 */
import type { RecordSource } from '../coupa/record-source.js';
import type { Db } from '../db/connection.js';
import { DEFAULT_ACTION_SETTINGS, type ActionSettings } from '../domain/grir/actions.js';
import { reconcileBook, summarize, type BookSummary } from '../domain/grir/book.js';
import type { InvestigatedItem } from '../domain/grir/types.js';
import { createGrirStore } from './store.js';
import { syncBook, type SyncProgress } from './sync.js';

export interface GrirRunOptions {
  db: Db;
  records: RecordSource;
  /** Which Coupa tenant the book belongs to (its base URL, or the sample company). */
  source: string;
  /** Documents dated after this day (YYYY-MM-DD) are left out; default: today by `now`. */
  asOf?: string;
  now: Date;
  settings?: ActionSettings;
  onProgress?: SyncProgress;
  /** Phase changes, for a progress display. */
  onPhase?: (phase: 'reading' | 'reconciling' | 'saving') => void;
}

export interface GrirRunResult {
  runId: number;
  summary: BookSummary;
  items: InvestigatedItem[];
  recordsRead: Record<string, number>;
  /** HTTP exchanges with Coupa during this run. */
  coupaCalls: number;
}

export async function runGrir(options: GrirRunOptions): Promise<GrirRunResult> {
  const { db, records, source, now } = options;
  const store = createGrirStore(db);
  const asOf = options.asOf ?? now.toISOString().slice(0, 10);
  const startedAt = new Date();
  const callsBefore = records.coupa.stats().total;
  options.onPhase?.('reading');
  const recordsRead = await syncBook(records, store, source, now, options.onProgress);
  const coupaCalls = records.coupa.stats().total - callsBefore;
  options.onPhase?.('reconciling');
  const facts = await store.facts(source);
  const items = reconcileBook(facts, asOf, options.settings ?? DEFAULT_ACTION_SETTINGS);
  const summary = summarize(items, facts.lines.length, asOf);
  options.onPhase?.('saving');
  const runId = await store.saveRun(
    source,
    { asOf, startedAt, finishedAt: new Date(), coupaCalls, recordsRead, summary },
    items,
  );
  return { runId, summary, items, recordsRead, coupaCalls };
}
