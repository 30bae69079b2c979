/**
 * The prepared store: a PGlite data directory (`dist/prepared/store`) with every migration applied and the project's
 * knowledge indexed by the offline embedder, made once by the build (`dist/prepared/`). A first
 * start on an empty data directory copies it instead of running initdb, migrating and embedding
 * the policy pack — the slow part of a cold start. It is keyed by a content hash of the
 * migrations, the PGlite and pgvector versions and the embedder, and is only used when all match;
 * knowledge that changed since the build is brought up to date by the usual idempotent ingest.
 */
import { createHash } from 'node:crypto';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openDb } from '../db/connection.js';
import { migrate } from '../db/migrate.js';
import { installedVersion } from './package-version.js';
import { createKnowledgeStore, createLocalEmbedder } from '../knowledge/index.js';

export const PREPARED_DIR = join(import.meta.dirname, '..', '..', 'prepared');
const SEED_DIR = 'store';
const KEY_FILE = 'store.json';
const MIGRATIONS_DIR = join(import.meta.dirname, '..', 'db', 'migrations');
const KNOWLEDGE_DIR = join(import.meta.dirname, '..', '..', 'knowledge');

function sizeOf(path: string): number {
  const stat = statSync(path);
  if (!stat.isDirectory()) return stat.size;
  return readdirSync(path).reduce((sum, name) => sum + sizeOf(join(path, name)), 0);
}

/** The hash a prepared store must carry for a store opened with `embedderModel`. */
export function preparedStoreKey(embedderModel: string): string {
  const hash = createHash('sha256').update(
    JSON.stringify({ embedderModel, pglite: installedVersion('@electric-sql/pglite'), pgvector: installedVersion('@electric-sql/pglite-pgvector') }),
  );
  for (const file of readdirSync(MIGRATIONS_DIR).filter((f) => f.endsWith('.sql')).sort()) {
    hash.update(file).update(readFileSync(join(MIGRATIONS_DIR, file)));
  }
  return hash.digest('hex').slice(0, 32);
}

/** The prepared PGlite data directory, when one was built for exactly these inputs. */
export function preparedStoreSeed(embedderModel: string, dir = PREPARED_DIR): string | undefined {
  try {
    if (!existsSync(join(dir, SEED_DIR, 'PG_VERSION'))) return undefined;
    const { key } = JSON.parse(readFileSync(join(dir, KEY_FILE), 'utf8')) as { key?: string };
    return key === preparedStoreKey(embedderModel) ? join(dir, SEED_DIR) : undefined;
  } catch {
    return undefined; // an unreadable seed only costs a slower first start
  }
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
    } finally {
      await db.close();
    }
    rmSync(join(dir, SEED_DIR), { recursive: true, force: true });
    mkdirSync(dir, { recursive: true });
    cpSync(join(work, 'pglite'), join(dir, SEED_DIR), { recursive: true });
    writeFileSync(join(dir, KEY_FILE), `${JSON.stringify({ key: preparedStoreKey(embedder.model) }, null, 2)}\n`);
    return sizeOf(join(dir, SEED_DIR));
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}
