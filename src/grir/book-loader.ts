/**
 * Keeps the stored GR/IR book loaded for a long-running process (`serve`, `start` on the embedded
 * default): the review site's GR/IR page and an approval's PO comment need the book, which
 * otherwise only `settle grir` reads. Loads when there is no run yet or the last one is older than
 * `maxAgeMs` (an incremental read: only what changed), one load at a time however many ask.
 */
import type { RecordSource } from '../coupa/record-source.js';
import type { Db } from '../db/connection.js';
import { runGrir } from './run.js';

/** How old the last run may be before a page view reads the changes (15 minutes). */
export const BOOK_MAX_AGE_MS = 15 * 60_000;

export interface GrirBookLoader {
  /** Bring the book up to date if it is missing or stale (`force`: whatever its age). */
  ensureLoaded(options?: { force?: boolean }): Promise<void>;
}

export function createGrirBookLoader(deps: {
  db: Db;
  records: RecordSource;
  source: string;
  now: () => Date;
  maxAgeMs?: number;
}): GrirBookLoader {
  const maxAge = deps.maxAgeMs ?? BOOK_MAX_AGE_MS;
  let running: Promise<void> | undefined;
  const lastRun = async (): Promise<Date | null> => {
    const { rows } = await deps.db.query<{ at: Date | null }>(
      'select max(finished_at) as at from grir_runs where source = $1',
      [deps.source],
    );
    return rows[0]?.at ?? null;
  };
  const load = async (): Promise<void> => {
    await runGrir({ db: deps.db, records: deps.records, source: deps.source, now: deps.now() });
  };
  return {
    async ensureLoaded(options = {}) {
      if (running) return running;
      if (!options.force) {
        const at = await lastRun();
        // finished_at is the process's wall clock; compare with the same clock.
        if (at && Date.now() - at.getTime() < maxAge) return;
      }
      running ??= load().finally(() => (running = undefined));
      return running;
    },
  };
}
