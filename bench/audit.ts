/**
 * Audit-log throughput: appends per second one at a time and with 20 in flight, then verify and
 * export speed over the whole chain — on embedded PGlite and on a real PostgreSQL (a throwaway
 * database with only migration 020; pass its admin URL as the first argument).
 *
 *   npx tsx bench/audit.ts [postgres://postgres@127.0.0.1:5432/test]
 */
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { Writable } from 'node:stream';
import pg from 'pg';
import { createAuditLog, type AuditEntry } from '../src/audit/index.js';
import { openDb, type Db } from '../src/db/connection.js';
import { migrate } from '../src/db/migrate.js';

const SEQUENTIAL = 1000;
const CONCURRENT = 2000;
const IN_FLIGHT = 20;

const sample = (i: number): AuditEntry => ({
  actor: 'settle-agent',
  actorKind: 'agent',
  tool: 'resolve_exception',
  input: {
    invoiceId: 1000 + i,
    justification: 'price variance within the 2% tolerance agreed in contract C-88',
    lines: [1, 2, 3],
  },
  decision: 'executed',
  reason: 'within controls',
  coupaCalls: 4,
  resultSummary: `invoice ${1000 + i} resolved`,
  idempotencyKey: `bench-${i}`,
  invoiceId: 1000 + i,
});

async function timed(label: string, count: number, work: () => Promise<unknown>): Promise<void> {
  const start = performance.now();
  await work();
  const ms = performance.now() - start;
  console.log(
    `  ${label.padEnd(34)} ${count.toString().padStart(6)} in ${ms.toFixed(0).padStart(6)} ms = ${(count / (ms / 1000)).toFixed(0).padStart(7)}/s`,
  );
}

async function bench(name: string, db: Db): Promise<void> {
  console.log(name);
  const log = createAuditLog(db);
  await timed('append, one at a time', SEQUENTIAL, async () => {
    for (let i = 0; i < SEQUENTIAL; i++) await log.append(sample(i));
  });
  await timed(`append, ${IN_FLIGHT} in flight`, CONCURRENT, async () => {
    let next = SEQUENTIAL;
    const worker = async (): Promise<void> => {
      while (next < SEQUENTIAL + CONCURRENT) await log.append(sample(next++));
    };
    await Promise.all(Array.from({ length: IN_FLIGHT }, worker));
  });
  const rows = await log.count();
  let result = { ok: false };
  await timed('verify whole chain', rows, async () => (result = await log.verify()));
  if (!result.ok) throw new Error(`chain did not verify: ${JSON.stringify(result)}`);
  const discard = new Writable({ write: (_chunk, _enc, done) => done() });
  await timed('export JSON lines', rows, () => log.export(discard));
}

async function main(adminUrl: string): Promise<void> {
  const embedded = await openDb();
  try {
    await migrate(embedded);
    await bench('PGlite (embedded, one connection)', embedded);
  } finally {
    await embedded.close();
  }

  const name = `settle_audit_bench_${randomBytes(4).toString('hex')}`;
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  await admin.query(`create database ${name}`);
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  const db = await openDb({ databaseUrl: url.toString(), maxConnections: 10 });
  try {
    await db.query(readFileSync(new URL('../src/db/migrations/020_audit.sql', import.meta.url), 'utf8'));
    await bench('PostgreSQL (pool of 10)', db);
  } finally {
    await db.close();
    await admin.query(`drop database ${name} with (force)`);
    await admin.end();
  }
}

await main(process.argv[2] ?? 'postgres://postgres@127.0.0.1:5432/test');
