/**
 * `settle audit …` as a user runs it: a real process (`tsx src/cli.ts`) over a PGlite data
 * folder written beforehand, then tampered with by a superuser.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAuditLog } from '../src/audit/index.js';
import { openDb, type Db } from '../src/db/connection.js';
import { migrate } from '../src/db/migrate.js';
import { entry, tamper } from './audit-fixtures.js';

const REPO = fileURLToPath(new URL('..', import.meta.url));
/** tsx itself rather than `npx tsx`: npx adds its own warnings to stderr and a second startup. */
const TSX = join(REPO, 'node_modules', '.bin', 'tsx');

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

function settle(dataDir: string, ...args: string[]): Promise<Run> {
  return new Promise((resolve) => {
    execFile(
      TSX,
      ['src/cli.ts', ...args],
      { cwd: REPO, env: { ...process.env, SETTLE_DATA_DIR: dataDir, DATABASE_URL: '' }, timeout: 120_000 },
      (error, stdout, stderr) => {
        const code = error ? (typeof error.code === 'number' ? error.code : -1) : 0;
        resolve({ code, stdout, stderr });
      },
    );
  });
}

/** PGlite keeps one process per data folder, so the test closes its handle before each CLI run. */
async function withDb(dataDir: string, work: (db: Db) => Promise<void>): Promise<void> {
  const db = await openDb({ dataDir });
  try {
    await migrate(db);
    await work(db);
  } finally {
    await db.close();
  }
}

describe('settle audit', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'settle-audit-cli-'));
  afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

  beforeAll(async () => {
    await withDb(dataDir, async (db) => {
      const log = createAuditLog(db);
      await log.append(entry());
      await log.append(
        entry({ tool: 'resolve_exception', decision: 'proposed', reason: 'above amount limit', idempotencyKey: 'k-1' }),
      );
      await log.append(
        entry({
          actor: 'jlee',
          actorKind: 'person',
          tool: 'decide_proposal',
          decision: 'executed',
          reason: 'approved',
        }),
      );
    });
  });

  it('verify exits 0 on an intact chain', async () => {
    const run = await settle(dataDir, 'audit', 'verify');
    expect(run.stdout.trim()).toBe('chain intact: 3 rows');
    expect(run.code).toBe(0);
  });

  it('export writes JSON lines to a file and to stdout; tail shows the newest rows', async () => {
    const out = join(dataDir, 'audit.jsonl');
    const toFile = await settle(dataDir, 'audit', 'export', '--out', out);
    expect(toFile.code).toBe(0);
    expect(toFile.stdout.trim()).toBe(`exported 3 rows to ${out}`);
    const fileRows = readFileSync(out, 'utf8')
      .trimEnd()
      .split('\n')
      .map((l) => JSON.parse(l) as { seq: number });
    expect(fileRows.map((r) => r.seq)).toEqual([1, 2, 3]);

    const toStdout = await settle(dataDir, 'audit', 'export');
    expect(toStdout.code).toBe(0);
    expect(toStdout.stdout).toBe(readFileSync(out, 'utf8'));

    const checked = await settle(dataDir, 'audit', 'verify', '--file', out);
    expect([checked.code, checked.stdout.trim()]).toEqual([0, 'chain intact: 3 rows']);

    const tail = await settle(dataDir, 'audit', 'tail', '--limit', '2');
    expect(tail.code).toBe(0);
    const lines = tail.stdout.trimEnd().split('\n');
    expect(lines).toHaveLength(2);
    expect(lines[0]).toMatch(
      /^#2 .* settle-agent \(agent\) resolve_exception invoice 4711 → proposed: above amount limit/,
    );
    expect(lines[1]).toMatch(/^#3 .* jlee \(person\) decide_proposal/);
  });

  it('verify exits 1 naming the first broken row after a superuser edit', async () => {
    await withDb(dataDir, (db) =>
      tamper(db, 'audit_log_no_update', `update audit_log set reason = 'approved by cfo' where seq = 2`),
    );
    const run = await settle(dataDir, 'audit', 'verify');
    expect(run.code).toBe(1);
    // The verdict is the last line; a warning that no checkpoint anchors the chain may come first.
    expect(run.stderr.trim().split('\n').at(-1)).toBe(
      'settle: chain broken at row #2: stored hash does not match the row content (row altered)',
    );
  });

  it('rejects a bad --limit with one line and a non-zero exit', async () => {
    const run = await settle(dataDir, 'audit', 'tail', '--limit', 'lots');
    expect(run.code).not.toBe(0);
    expect(run.stderr.trim().split('\n')).toHaveLength(1);
    expect(run.stderr).toMatch(/--limit must be a whole number/);
  });
});
