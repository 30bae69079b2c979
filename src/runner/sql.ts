/**
 * Small SQL helpers shared by the runner: a transaction wrapper and the executor shape pg-boss
 * accepts (`{ db }` option), so a job insert can join one of our transactions.
 */
import type PgBoss from 'pg-boss';

export { inTransaction, type Queryable } from '../db/transaction.js';
import type { Queryable } from '../db/transaction.js';

/** Adapt a pool or client to pg-boss's `Db` interface. */
export function bossExecutor(target: Queryable): PgBoss.Db {
  return {
    executeSql: async (text: string, values: unknown[]) => {
      const result = await target.query(text, values);
      return { rows: result.rows };
    },
  };
}
