/**
 * One database API for both scales: production talks to any Postgres with pgvector through
 * `DATABASE_URL`; the embedded default runs PGlite (+pgvector) in process under the data folder
 * and `pg` reaches it over an in-memory stream (pglite-bridge.ts), so the very same `pg` code
 * path — same driver, same SQL — runs against it, and nothing listens for other processes.
 */
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import pg from 'pg';
import { PGlite } from '@electric-sql/pglite';
import { vector } from '@electric-sql/pglite-pgvector';
import { createPgliteBridge } from './pglite-bridge.js';

export interface Db {
  /** A pg pool. On PGlite it holds one connection: PGlite runs one session at a time. */
  readonly pool: pg.Pool;
  /** `pglite` for the embedded default, `postgres` for `DATABASE_URL`. */
  readonly kind: 'pglite' | 'postgres';
  query<R extends pg.QueryResultRow = pg.QueryResultRow>(sql: string, params?: unknown[]): Promise<pg.QueryResult<R>>;
  close(): Promise<void>;
}

export interface DbOptions {
  /** Postgres connection string; when absent the embedded PGlite store is used. */
  databaseUrl?: string | undefined;
  /** Folder for PGlite data; `undefined` or `memory://` keeps it in memory (tests). */
  dataDir?: string | undefined;
  /** Pool size for a real Postgres (default 10). */
  maxConnections?: number;
  /**
   * Fills an empty PGlite directory with a prepared database when `dataDir` holds none yet, so
   * the first start skips initdb, its slowest part (see app/prepared-store.ts). Returns false
   * when it has nothing to offer.
   */
  seed?: (location: string) => boolean;
  /**
   * PGlite's shared_buffers (default 128MB). A smaller pool starts faster and holds far less
   * memory; `settle mcp` over stdio, a person's session of small queries, asks for one.
   */
  sharedBuffers?: string;
}

function wrap(pool: pg.Pool, kind: Db['kind'], onClose: () => Promise<void>): Db {
  return {
    pool,
    kind,
    query: (sql, params) => pool.query(sql, params as unknown[]),
    close: async () => {
      await pool.end();
      await onClose();
    },
  };
}

/** Open the configured database: `DATABASE_URL` when given, else PGlite under `dataDir`. */
export async function openDb(options: DbOptions = {}): Promise<Db> {
  if (options.databaseUrl) {
    const pool = new pg.Pool({ connectionString: options.databaseUrl, max: options.maxConnections ?? 10 });
    pool.on('error', () => undefined); // idle-client errors surface on the next query instead
    return wrap(pool, 'postgres', async () => undefined);
  }
  return openPglite(options.dataDir, options.seed, options.sharedBuffers);
}

async function openPglite(
  dataDir: string | undefined,
  seed: DbOptions['seed'],
  sharedBuffers: string | undefined,
): Promise<Db> {
  let location: string | undefined;
  if (dataDir && dataDir !== 'memory://') {
    location = join(dataDir, 'pglite');
    mkdirSync(location, { recursive: true });
  }
  if (location && seed && !existsSync(join(location, 'PG_VERSION'))) seed(location);
  const startParams = sharedBuffers
    ? { startParams: [...PGlite.defaultStartParams, '-c', `shared_buffers=${sharedBuffers}`] }
    : {};
  const pglite = await PGlite.create(location ?? 'memory://', { extensions: { vector }, ...startParams });
  const bridge = createPgliteBridge(pglite);
  // In process: no host, port or socket file; every connection is a fresh in-memory stream.
  const pool = new pg.Pool({ max: 1, user: 'postgres', database: 'postgres', stream: () => bridge.stream() });
  pool.on('error', () => undefined);
  return wrap(pool, 'pglite', async () => {
    await bridge.close();
    await pglite.close();
  });
}
