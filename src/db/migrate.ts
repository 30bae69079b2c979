/**
 * Plain-SQL migrations, applied in file-name order, each once, each in its own transaction.
 * The same files run on PGlite and on any Postgres with pgvector. A new module adds a file
 * `src/db/migrations/NNN_<name>.sql`; never edit one that has shipped.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Db } from './connection.js';
import { dataPath } from '../paths.js';

const MIGRATIONS_DIR = dataPath('src', 'db', 'migrations');

/** Apply pending migrations; returns the names applied now. Safe to call on every start. */
export async function migrate(db: Db): Promise<string[]> {
  await db.query(`create table if not exists settle_migrations (
    name text primary key,
    applied_at timestamptz not null default now()
  )`);
  const done = new Set(
    (await db.query<{ name: string }>('select name from settle_migrations')).rows.map((r) => r.name),
  );
  const files = readdirSync(MIGRATIONS_DIR)
    .filter((f) => f.endsWith('.sql'))
    .sort();
  const applied: string[] = [];
  for (const file of files) {
    if (done.has(file)) continue;
    const sql = readFileSync(join(MIGRATIONS_DIR, file), 'utf8');
    const client = await db.pool.connect();
    try {
      await client.query('begin');
      await client.query(sql);
      await client.query('insert into settle_migrations (name) values ($1)', [file]);
      await client.query('commit');
      applied.push(file);
    } catch (error) {
      await client.query('rollback').catch(() => undefined);
      throw new Error(`migration ${file} failed: ${(error as Error).message}`);
    } finally {
      client.release();
    }
  }
  return applied;
}
