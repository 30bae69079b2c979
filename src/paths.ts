/**
 * Where Settle's data files live: the policy pack (`knowledge/`), the SQL migrations, the web
 * assets, the ingest vocabularies, the eval worker and cases, and the prepared store. From a source
 * checkout that is the repository root; in the built package it is `dist/`, where the build copies
 * them in the same layout. The root is the nearest folder above this module that holds
 * `knowledge/policies`, so it holds wherever the bundler puts this code (an entry or a chunk).
 */
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';

function findDataRoot(from: string): string {
  for (let dir = from; ; dir = dirname(dir)) {
    if (existsSync(join(dir, 'knowledge', 'policies'))) return dir;
    if (dirname(dir) === dir) throw new Error(`settle: no knowledge/policies above ${from}; the package is incomplete`);
  }
}

export const DATA_ROOT = findDataRoot(import.meta.dirname);

/** A data file or folder, given by its path in the source layout (`src/db/migrations`). */
export const dataPath = (...segments: string[]): string => join(DATA_ROOT, ...segments);
