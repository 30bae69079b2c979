/**
 * Probe: audit tampering the chain alone does not see. Deleting the newest rows (triggers disabled
 * by the owner) and editing a row then re-hashing the rest with the documented algorithm (SHA-256
 * over JCS) both passed `settle audit verify`. Signed checkpoints written outside the database now
 * expose both; the CLI runs as a user runs it, on a PGlite data folder.
 */
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAuditLog, createCheckpointer, hashRow, readCheckpoints, type AuditRow } from '../../src/audit/index.js';
import { openDb, type Db } from '../../src/db/connection.js';
import { migrate } from '../../src/db/migrate.js';
import { entry, tamper } from '../audit-fixtures.js';
import { runCli } from './cli-run.js';

const dirs: string[] = [];
afterAll(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

async function withDb<T>(dataDir: string, work: (db: Db) => Promise<T>): Promise<T> {
  const db = await openDb({ dataDir });
  try {
    await migrate(db);
    return await work(db);
  } finally {
    await db.close();
  }
}

const SLOW = 300_000; // a fresh PGlite folder and each CLI run take tens of seconds on a loaded machine
let template: string;

/** A data folder with 6 rows and a signed checkpoint at row #6 (as `serve` leaves it). */
async function buildTemplate(): Promise<string> {
  const dataDir = mkdtempSync(join(tmpdir(), 'settle-anchor-probe-'));
  dirs.push(dataDir);
  await withDb(dataDir, async (db) => {
    const log = createAuditLog(db);
    for (let i = 1; i <= 6; i++) await log.append(entry({ reason: `read ${i}` }));
    const checkpointer = createCheckpointer({
      audit: log,
      keyFile: join(dataDir, 'audit-signing.key'),
      checkpointFile: join(dataDir, 'audit-checkpoints.jsonl'),
      intervalMs: 0,
    });
    expect(await checkpointer.checkpoint()).toMatchObject({ seq: 6 });
    expect(await checkpointer.checkpoint()).toBeNull(); // head unchanged: nothing appended
  });
  return dataDir;
}

/** A copy of the anchored template (PGlite is closed, so its files copy cleanly). */
function anchoredFolder(): string {
  const dataDir = mkdtempSync(join(tmpdir(), 'settle-anchor-probe-'));
  dirs.push(dataDir);
  cpSync(template, dataDir, { recursive: true });
  return dataDir;
}

beforeAll(async () => {
  template = await buildTemplate();
}, SLOW);

/** Edit row #2 and re-hash every row from it with the documented algorithm, as an owner could. */
async function rechain(db: Db): Promise<void> {
  const rows: AuditRow[] = await createAuditLog(db).list({ limit: 100 });
  let prev = rows[0]!.hash;
  for (const row of rows.slice(1)) {
    const edited: AuditRow = { ...row, prevHash: prev, reason: row.seq === 2 ? 'approved by cfo' : row.reason };
    edited.hash = hashRow(edited);
    await tamper(
      db,
      'audit_log_no_update',
      'update audit_log set reason = $2, prev_hash = $3, hash = $4 where seq = $1',
      [row.seq, edited.reason, edited.prevHash, edited.hash],
    );
    prev = edited.hash;
  }
}

describe('signed checkpoints of the audit head', () => {
  it(
    'keep the signing key 0600 outside the database and verify an untouched log',
    async () => {
      const dataDir = anchoredFolder();
      expect(statSync(join(dataDir, 'audit-signing.key')).mode & 0o777).toBe(0o600);
      expect(existsSync(join(dataDir, 'audit-signing.key.pub'))).toBe(true);
      await withDb(dataDir, async (db) => {
        const { rows } = await db.query<{ n: number }>(
          `select count(*)::int as n from audit_log where input::text like '%PRIVATE KEY%'`,
        );
        expect(rows[0]!.n).toBe(0);
      });
      const run = await runCli(['audit', 'verify'], { SETTLE_DATA_DIR: dataDir });
      expect(run.code, run.stderr).toBe(0);
      expect(run.stdout).toMatch(
        /chain intact: 6 rows\ncheckpoints: 1 signed checkpoint\(s\) verified; the newest vouches for row #6/,
      );
    },
    SLOW,
  );

  it(
    'report truncation: the newest rows deleted behind the triggers',
    async () => {
      const dataDir = anchoredFolder();
      await withDb(dataDir, (db) => tamper(db, 'audit_log_no_delete', 'delete from audit_log where seq > 4'));
      const run = await runCli(['audit', 'verify'], { SETTLE_DATA_DIR: dataDir });
      expect(run.code).toBe(1);
      expect(run.stderr.trim()).toMatch(
        /^settle: checkpoints do not hold: log truncated: checkpoint #1 \(row #6, signed .*\) vouches for row #6, but the log ends at row #4$/,
      );
    },
    SLOW,
  );

  it(
    'report re-chaining: a row edited and every later hash recomputed',
    async () => {
      const dataDir = anchoredFolder();
      await withDb(dataDir, rechain);
      const chainOnly = await runCli(['audit', 'verify', '--chain-only'], { SETTLE_DATA_DIR: dataDir });
      expect([chainOnly.code, chainOnly.stdout.trim()]).toEqual([0, 'chain intact: 6 rows']); // what the probe saw
      const run = await runCli(['audit', 'verify'], { SETTLE_DATA_DIR: dataDir });
      expect(run.code).toBe(1);
      expect(run.stderr).toMatch(/row #6 has a different hash — rows up to #6 were altered and re-chained/);
    },
    SLOW,
  );

  it(
    'refuse a forged or removed checkpoint file',
    async () => {
      const dataDir = anchoredFolder();
      const file = join(dataDir, 'audit-checkpoints.jsonl');
      const [c] = readCheckpoints(file);
      writeFileSync(file, `${JSON.stringify({ ...c, seq: 5 })}\n`);
      const forged = await runCli(['audit', 'verify'], { SETTLE_DATA_DIR: dataDir });
      expect(forged.code).toBe(1);
      expect(forged.stderr).toMatch(/signature does not verify/);
      writeFileSync(file, '');
      const emptied = await runCli(['audit', 'verify'], { SETTLE_DATA_DIR: dataDir });
      expect(emptied.code).toBe(1);
      expect(emptied.stderr).toMatch(/no checkpoints in .* although the signing key .* exists/);
      expect(readFileSync(join(dataDir, 'audit-signing.key'), 'utf8')).toMatch(/BEGIN PRIVATE KEY/);
    },
    SLOW,
  );
});
