/**
 * Small SQL helpers shared by the runner: a transaction wrapper and the executor shape pg-boss
 * accepts (`{ db }` option), so a job insert can join one of our transactions.
 */
import type pg from 'pg';
import type PgBoss from 'pg-boss';
import type { Db } from '../db/connection.js';

/** Something that can run SQL: a Db, a pool, or a checked-out client (inside a transaction). */
export interface Queryable {
  query<R extends pg.QueryResultRow = pg.QueryResultRow>(text: string, values?: unknown[]): Promise<pg.QueryResult<R>>;
}

/** Run `fn` in one transaction on one connection; rolls back on any error. */
export async function inTransaction<T>(db: Db, fn: (client: pg.PoolClient) => Promise<T>): Promise<T> {
  const client = await db.pool.connect();
  try {
    await client.query('begin');
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

/** Adapt a pool or client to pg-boss's `Db` interface. */
export function bossExecutor(target: Queryable): PgBoss.Db {
  return {
    executeSql: async (text: string, values: unknown[]) => {
      const result = await target.query(text, values);
      return { rows: result.rows };
    },
  };
}
