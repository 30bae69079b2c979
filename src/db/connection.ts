/**
 * One database API for both scales: production talks to any Postgres with pgvector through
 * `DATABASE_URL`; the embedded default runs PGlite (+pgvector) in process under the data folder
 * and serves it over a local socket so the very same `pg` code path — same driver, same SQL —
 * runs against it.
 */
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import pg from 'pg';
import { PGlite } from '@electric-sql/pglite';
import { vector } from '@electric-sql/pglite-pgvector';
import { PGLiteSocketServer } from '@electric-sql/pglite-socket';

export interface Db {
  /** A pg pool. On PGlite it holds one connection: the socket server runs one session at a time. */
  readonly pool: pg.Pool;
  /** `pglite` for the embedded default, `postgres` for `DATABASE_URL`. */
  readonly kind: 'pglite' | 'postgres';
  /** Connection string usable by other libraries (pg-boss) — a loopback socket for PGlite. */
  readonly connectionString: string;
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
}

function wrap(pool: pg.Pool, kind: Db['kind'], connectionString: string, onClose: () => Promise<void>): Db {
  return {
    pool,
    kind,
    connectionString,
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
    return wrap(pool, 'postgres', options.databaseUrl, async () => undefined);
  }
  return openPglite(options.dataDir, options.seed);
}

async function openPglite(dataDir: string | undefined, seed: DbOptions['seed']): Promise<Db> {
  let location: string | undefined;
  if (dataDir && dataDir !== 'memory://') {
    location = join(dataDir, 'pglite');
    mkdirSync(location, { recursive: true });
  }
  if (location && seed && !existsSync(join(location, 'PG_VERSION'))) seed(location);
  const pglite = await PGlite.create(location ?? 'memory://', { extensions: { vector } });
  // maxConnections 2, not 1: pg-pool destroys a client after any query error and reconnects at
  // once; with a limit of 1 the server still counts the closing socket and refuses the new one,
  // so the query after every error failed. The pool itself still holds one live connection.
  const server = new PGLiteSocketServer({ db: pglite, host: '127.0.0.1', port: 0, maxConnections: 2 });
  await server.start();
  const address = server.getServerConn();
  const connectionString = `postgres://postgres@${address}/postgres`;
  const pool = new pg.Pool({ connectionString, max: 1 });
  pool.on('error', () => undefined);
  return wrap(pool, 'pglite', connectionString, async () => {
    await server.stop();
    await pglite.close();
  });
}
