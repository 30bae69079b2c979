/** Shared helpers for the audit tests: entries, a scratch database on the local PostgreSQL. */
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import pg from 'pg';
import type { AuditEntry } from '../src/audit/index.js';
import type { Db } from '../src/db/connection.js';

/** The machine's PostgreSQL (trust auth); it has no pgvector, so only 020_audit.sql is applied. */
export const LOCAL_POSTGRES = 'postgres://postgres@127.0.0.1:5432/test';

export function entry(overrides: Partial<AuditEntry> = {}): AuditEntry {
  return {
    actor: 'settle-agent',
    actorKind: 'agent',
    tool: 'get_invoice',
    input: { invoiceId: 4711 },
    decision: 'allowed',
    reason: 'read',
    coupaCalls: 1,
    resultSummary: 'invoice 4711 on hold: price variance',
    idempotencyKey: null,
    invoiceId: 4711,
    ...overrides,
  };
}

export const AUDIT_MIGRATION = readFileSync(new URL('../src/db/migrations/020_audit.sql', import.meta.url), 'utf8');

/** Apply only the audit migration, in one transaction, as `migrate` would. */
export async function applyAuditMigration(db: Db): Promise<void> {
  const client = await db.pool.connect();
  try {
    await client.query('begin');
    await client.query(AUDIT_MIGRATION);
    await client.query('commit');
  } finally {
    client.release();
  }
}

export interface ScratchDatabase {
  name: string;
  url: string;
  /** Connection string for another role on the same database. */
  urlAs(role: string): string;
  drop(): Promise<void>;
}

/** A throwaway database on the local PostgreSQL, dropped (with its connections) by `drop`. */
export async function createScratchDatabase(prefix = 'settle_audit_test'): Promise<ScratchDatabase> {
  const name = `${prefix}_${randomBytes(6).toString('hex')}`;
  await adminQuery(`create database ${name}`);
  const base = new URL(LOCAL_POSTGRES);
  const urlAs = (role: string): string => {
    const u = new URL(base);
    u.username = role;
    u.pathname = `/${name}`;
    return u.toString();
  };
  return {
    name,
    url: urlAs('postgres'),
    urlAs,
    drop: () => adminQuery(`drop database if exists ${name} with (force)`),
  };
}

/** One statement on the admin database (create/drop database and roles). */
export async function adminQuery(sql: string): Promise<void> {
  const client = new pg.Client({ connectionString: LOCAL_POSTGRES });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

/** Change a row behind the triggers' back, as a superuser could: disable, update, re-enable. */
export async function tamper(db: Db, trigger: string, sql: string, params: unknown[] = []): Promise<void> {
  await db.query(`alter table audit_log disable trigger ${trigger}`);
  try {
    await db.query(sql, params);
  } finally {
    await db.query(`alter table audit_log enable trigger ${trigger}`);
  }
}
