/** One transaction on one pooled connection; rolls back on any error. Shared by every store. */
import type pg from 'pg';
import type { Db } from './connection.js';

/** Something that can run SQL: a Db, a pool, or a checked-out client (inside a transaction). */
export interface Queryable {
  query<R extends pg.QueryResultRow = pg.QueryResultRow>(text: string, values?: unknown[]): Promise<pg.QueryResult<R>>;
}

/**
 * Run `fn` in one transaction on one connection; rolls back on any error. `settings` (statements
 * without parameters, e.g. `set local …`) run in the same round trip as BEGIN.
 */
export async function inTransaction<T>(
  db: Db,
  fn: (client: pg.PoolClient) => Promise<T>,
  settings?: string,
): Promise<T> {
  const client = await db.pool.connect();
  try {
    await client.query(settings ? `begin; ${settings}` : 'begin');
    const result = await fn(client);
    await client.query('commit');
    return result;
  } catch (error) {
    await client.query('rollback').catch(() => undefined);
    throw error;
  } finally {
    client.release();
  }
}
