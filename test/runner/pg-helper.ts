/**
 * A throwaway database on the local PostgreSQL 15 server per test file: created with only the
 * runner's migrations (the server has no pgvector), dropped afterwards. pg-boss adds its schema.
 */
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import pg from 'pg';
import { openDb, type Db } from '../../src/db/connection.js';

export const PG_SERVER = process.env.SETTLE_TEST_PG ?? 'postgres://postgres@127.0.0.1:5432';
const RUNNER_MIGRATIONS = ['030_runner.sql', '070_ignored_events.sql', '071_worker_leases.sql'].map(
  (f) => new URL(`../../src/db/migrations/${f}`, import.meta.url),
);

export interface TestDatabase {
  url: string;
  db: Db;
  drop(): Promise<void>;
}

async function admin<T>(fn: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: `${PG_SERVER}/postgres` });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

/** Create `settle_runner_<random>` with the runner tables and open a pool on it. */
export async function createTestDatabase(maxConnections = 10): Promise<TestDatabase> {
  const name = `settle_runner_${randomBytes(5).toString('hex')}`;
  await admin((c) => c.query(`create database ${name}`));
  const url = `${PG_SERVER}/${name}`;
  const db = await openDb({ databaseUrl: url, maxConnections });
  for (const file of RUNNER_MIGRATIONS) await db.query(readFileSync(file, 'utf8'));
  return {
    url,
    db,
    async drop() {
      await db.close().catch(() => undefined);
      await admin((c) => c.query(`drop database if exists ${name} with (force)`));
    },
  };
}
