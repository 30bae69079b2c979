/**
 * The prepared store: a PGlite data directory (`dist/prepared/store`) with every migration applied and the project's
 * knowledge indexed by the offline embedder, made once by the build (`dist/prepared/`). A first
 * start on an empty data directory copies it instead of running initdb, migrating and embedding
 * the policy pack — the slow part of a cold start. It is keyed by a content hash of the
 * migrations, the PGlite and pgvector versions and the embedder, and is only used when all match;
 * knowledge that changed since the build is brought up to date by the usual idempotent ingest.
 * It is kept small, because a first start copies it: the `postgres` database alone (no template
 * databases) and a WAL that starts after everything the build wrote (12 MB, ~500 files).
 */
import { createHash } from 'node:crypto';
import {
  copyFileSync,
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  truncateSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openDb } from '../db/connection.js';
import { migrate } from '../db/migrate.js';
import { installedVersion } from './package-version.js';
import { dataPath } from '../paths.js';
import { createKnowledgeStore, createLocalEmbedder } from '../knowledge/index.js';

export const PREPARED_DIR = dataPath('prepared');
const SEED_DIR = 'store';
const KEY_FILE = 'store.json';
const MIGRATIONS_DIR = dataPath('src', 'db', 'migrations');
const KNOWLEDGE_DIR = dataPath('knowledge');

function sizeOf(path: string): number {
  const stat = statSync(path);
  if (!stat.isDirectory()) return stat.size;
  return readdirSync(path).reduce((sum, name) => sum + sizeOf(join(path, name)), 0);
}

/** The hash a prepared store must carry for a store opened with `embedderModel`. */
export function preparedStoreKey(embedderModel: string): string {
  const hash = createHash('sha256').update(
    JSON.stringify({
      embedderModel,
      pglite: installedVersion('@electric-sql/pglite'),
      pgvector: installedVersion('@electric-sql/pglite-pgvector'),
    }),
  );
  for (const file of readdirSync(MIGRATIONS_DIR)
    .filter((f) => f.endsWith('.sql'))
    .sort()) {
    hash.update(file).update(readFileSync(join(MIGRATIONS_DIR, file)));
  }
  return hash.digest('hex').slice(0, 32);
}

interface PreparedManifest {
  key: string;
  /** Directories Postgres needs that hold no file: a packed tarball (npm pack) drops them. */
  emptyDirs: string[];
  /**
   * Files stored without their trailing zeros, with their full size: the WAL segment is 16 MB of
   * which a few hundred KB are written. A seed extends them back (the zeros cost no copying).
   */
  trimmed?: Record<string, number>;
}

/** Trailing zeros worth trimming from a prepared file. */
const TRIM_AT_LEAST = 64 * 1024;

/** Cut a file's trailing zeros (when there are many); returns its full size if it was cut. */
function trimTrailingZeros(file: string): number | undefined {
  const bytes = readFileSync(file);
  let end = bytes.length;
  while (end > 0 && bytes[end - 1] === 0) end -= 1;
  if (bytes.length - end < TRIM_AT_LEAST) return undefined;
  writeFileSync(file, bytes.subarray(0, end));
  return bytes.length;
}

function filesUnder(root: string, at = ''): string[] {
  return readdirSync(join(root, at), { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? filesUnder(root, join(at, e.name)) : [join(at, e.name)],
  );
}

/** Copy a directory tree file by file (cheaper than cpSync's per-file checks for a thousand small files). */
function copyTree(from: string, to: string): void {
  mkdirSync(to, { recursive: true });
  for (const entry of readdirSync(from, { withFileTypes: true })) {
    if (entry.isDirectory()) copyTree(join(from, entry.name), join(to, entry.name));
    else copyFileSync(join(from, entry.name), join(to, entry.name));
  }
}

function readManifest(dir: string): PreparedManifest | undefined {
  try {
    return JSON.parse(readFileSync(join(dir, KEY_FILE), 'utf8')) as PreparedManifest;
  } catch {
    return undefined;
  }
}

/**
 * Copy the prepared database into an empty PGlite `location` when one was built for exactly
 * these inputs; false (and nothing copied) otherwise — the caller then runs initdb as usual.
 */
export function seedFromPreparedStore(location: string, embedderModel: string, dir = PREPARED_DIR): boolean {
  const manifest = readManifest(dir);
  if (!manifest || !existsSync(join(dir, SEED_DIR, 'PG_VERSION')) || manifest.key !== preparedStoreKey(embedderModel))
    return false;
  try {
    copyTree(join(dir, SEED_DIR), location);
    for (const empty of manifest.emptyDirs) mkdirSync(join(location, empty), { recursive: true });
    for (const [file, size] of Object.entries(manifest.trimmed ?? {})) truncateSync(join(location, file), size);
    return true;
  } catch {
    // A half-copied seed would be worse than none: clear it and let initdb run.
    for (const entry of readdirSync(location)) rmSync(join(location, entry), { recursive: true, force: true });
    return false;
  }
}

function emptyDirsUnder(root: string, at = ''): string[] {
  const entries = readdirSync(join(root, at), { withFileTypes: true });
  if (entries.length === 0) return [at];
  return entries.filter((e) => e.isDirectory()).flatMap((e) => emptyDirsUnder(root, join(at, e.name)));
}

/** Build the prepared store into `dir` (the build runs this from dist/). Returns its size in bytes. */
export async function prepareStore(dir = PREPARED_DIR): Promise<number> {
  const work = mkdtempSync(join(tmpdir(), 'settle-prepare-'));
  try {
    const embedder = createLocalEmbedder();
    const db = await openDb({ dataDir: work });
    try {
      await migrate(db);
      const knowledge = await createKnowledgeStore({ db, embedder, now: () => new Date() });
      await knowledge.ingestDirectory(KNOWLEDGE_DIR);
      // Settle uses the `postgres` database only; initdb's two templates (serving CREATE DATABASE,
      // which the embedded store never runs) are half the files a first start would copy.
      await db.query("update pg_database set datistemplate = false where datname in ('template0', 'template1')");
      await db.query('drop database template0');
      await db.query('drop database template1');
      // Start the WAL afresh: what initdb, the migrations and the ingest wrote (13 MB) is
      // checkpointed and its segment removed rather than recycled, so a first start copies a
      // near-empty segment (its trailing zeros trimmed below) instead of that history.
      await db.query('set wal_recycle = off');
      await db.query('select pg_switch_wal()');
      await db.query('checkpoint');
    } finally {
      await db.close();
    }
    rmSync(join(dir, SEED_DIR), { recursive: true, force: true });
    mkdirSync(dir, { recursive: true });
    cpSync(join(work, 'pglite'), join(dir, SEED_DIR), { recursive: true });
    const trimmed: Record<string, number> = {};
    for (const file of filesUnder(join(dir, SEED_DIR))) {
      const size = trimTrailingZeros(join(dir, SEED_DIR, file));
      if (size !== undefined) trimmed[file] = size;
    }
    const manifest: PreparedManifest = {
      key: preparedStoreKey(embedder.model),
      emptyDirs: emptyDirsUnder(join(dir, SEED_DIR)),
      trimmed,
    };
    writeFileSync(join(dir, KEY_FILE), `${JSON.stringify(manifest, null, 2)}\n`);
    return sizeOf(join(dir, SEED_DIR));
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}
