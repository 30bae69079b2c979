/**
 * Audit tampering, attacked: an ordinary session's UPDATE, DELETE and TRUNCATE are refused by the
 * triggers; a superuser who disables them and edits any column of any row, deletes a row before the
 * head, or forges a row and re-hashes it is exposed by `settle audit verify` — as a real CLI process
 * (exit 1, the first broken row named) and, for a property over random rows and columns, through the
 * same verifier in process. A superuser TRUNCATE is caught by the signed checkpoint of the head
 * kept outside the database.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAuditLog, createCheckpointer, type AuditLog } from '../src/audit/index.js';
import { hashRow } from '../src/audit/hash.js';
import { openDb, type Db } from '../src/db/connection.js';
import { migrate } from '../src/db/migrate.js';
import { entry, tamper } from './audit-fixtures.js';

const REPO = fileURLToPath(new URL('..', import.meta.url));
const TSX = join(REPO, 'node_modules', '.bin', 'tsx');
const ROWS = 12;
const COUNTS = { tried: 0, detected: 0, wrong: 0 };

function verifyCli(dataDir: string): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(
      TSX,
      ['src/cli.ts', 'audit', 'verify'],
      { cwd: REPO, env: { ...process.env, SETTLE_DATA_DIR: dataDir, DATABASE_URL: '' }, timeout: 240_000 },
      (error, stdout, stderr) => {
        resolve({ code: error ? (typeof error.code === 'number' ? error.code : -1) : 0, stdout, stderr });
      },
    );
  });
}

async function withDb<T>(dataDir: string, work: (db: Db, log: AuditLog) => Promise<T>): Promise<T> {
  const db = await openDb({ dataDir });
  try {
    await migrate(db);
    return await work(db, createAuditLog(db));
  } finally {
    await db.close();
  }
}

const seed = async (log: AuditLog): Promise<void> => {
  for (let i = 1; i <= ROWS; i++)
    await log.append(
      entry({
        tool: i % 3 ? 'get_invoice' : 'resolve_exception',
        reason: `row ${i} — ünïcode ✓`,
        invoiceId: 4700 + i,
        coupaCalls: i,
      }),
    );
};

afterAll(() => {
  console.info(
    `[adversarial] audit tampering: ${COUNTS.tried} tamperings tried, ${COUNTS.detected} refused or detected, ${COUNTS.wrong} wrong outcomes`,
  );
});

describe('settle audit verify against tampering', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'settle-audit-tamper-'));
  beforeAll(async () => withDb(dataDir, (_db, log) => seed(log)), 120_000);
  afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

  it('refuses UPDATE, DELETE and TRUNCATE from an ordinary session; the CLI then finds the chain intact', async () => {
    await withDb(dataDir, async (db) => {
      for (const sql of [
        'update audit_log set reason = $1 where seq = 3',
        'delete from audit_log where seq = 3',
        'truncate audit_log',
      ]) {
        COUNTS.tried += 1;
        const refused = await db.query(sql, sql.includes('$1') ? ['edited'] : []).then(
          () => false,
          () => true,
        );
        if (refused) COUNTS.detected += 1;
        else COUNTS.wrong += 1;
        expect(refused, sql).toBe(true);
      }
    });
    const run = await verifyCli(dataDir);
    expect(run.stdout.trim()).toBe(`chain intact: ${ROWS} rows`);
    expect(run.code).toBe(0);
  }, 300_000);

  it('a superuser UPDATE behind disabled triggers: exit 1, the row named', async () => {
    await withDb(dataDir, (db) =>
      tamper(db, 'audit_log_no_update', `update audit_log set invoice_id = 9999 where seq = 5`),
    );
    const run = await verifyCli(dataDir);
    COUNTS.tried += 1;
    if (run.code === 1) COUNTS.detected += 1;
    else COUNTS.wrong += 1;
    expect(run.code).toBe(1);
    // Restore before asserting, so a failure here cannot leak into the next test.
    await withDb(dataDir, (db) =>
      tamper(db, 'audit_log_no_update', `update audit_log set invoice_id = 4705 where seq = 5`),
    );
    expect(verdictLine(run.stderr)).toBe(
      'settle: chain broken at row #5: stored hash does not match the row content (row altered)',
    );
  }, 300_000);

  it('a superuser DELETE behind disabled triggers: exit 1, the missing row named', async () => {
    await withDb(dataDir, (db) => tamper(db, 'audit_log_no_delete', 'delete from audit_log where seq = 8'));
    const run = await verifyCli(dataDir);
    COUNTS.tried += 1;
    if (run.code === 1) COUNTS.detected += 1;
    else COUNTS.wrong += 1;
    expect(run.code).toBe(1);
    expect(verdictLine(run.stderr)).toBe('settle: chain broken at row #9: row #8 is missing');
  }, 300_000);
});

describe('settle audit verify against a superuser TRUNCATE', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'settle-audit-truncate-'));
  afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

  it('exits 1: the signed checkpoint vouches for rows the log no longer has', async () => {
    await withDb(dataDir, async (db, log) => {
      await seed(log);
      const checkpointer = createCheckpointer({
        audit: log,
        keyFile: join(dataDir, 'audit-signing.key'),
        checkpointFile: join(dataDir, 'audit-checkpoints.jsonl'),
        intervalMs: 0,
      });
      expect(await checkpointer.checkpoint()).toMatchObject({ seq: ROWS });
      await tamper(db, 'audit_log_no_truncate', 'truncate audit_log');
    });
    const run = await verifyCli(dataDir);
    COUNTS.tried += 1;
    if (run.code === 1) COUNTS.detected += 1;
    else COUNTS.wrong += 1;
    expect(run.code, run.stdout).toBe(1);
    expect(run.stderr.trim()).toMatch(/^settle: checkpoints do not hold: .*truncated/);
  }, 300_000);
});

describe('property: any superuser edit of any row and column is found', () => {
  let db: Db;
  let log: AuditLog;
  beforeAll(async () => {
    db = await openDb({ dataDir: 'memory://' });
    await migrate(db);
    log = createAuditLog(db);
    await seed(log);
  }, 120_000);
  afterAll(async () => db?.close());

  const EDITS: Record<string, fc.Arbitrary<unknown>> = {
    actor: fc.string({ minLength: 1, maxLength: 20 }),
    tool: fc.constantFrom('resolve_exception', 'dispute_invoice', 'decide_proposal'),
    guard_decision: fc.constantFrom('allowed', 'denied', 'proposed', 'executed', 'error'),
    reason: fc.string({ maxLength: 60 }).map((s) => s.replace(/\u0000/g, '')),
    coupa_calls: fc.integer({ min: 0, max: 1_000 }),
    result_summary: fc.string({ maxLength: 60 }).map((s) => s.replace(/\u0000/g, '')),
    invoice_id: fc.option(fc.integer({ min: 1, max: 1_000_000 }), { nil: null }),
    at: fc
      .date({ min: new Date('2020-01-01'), max: new Date('2030-01-01'), noInvalidDate: true })
      .map((d) => d.toISOString()),
  };

  const edit = fc.constantFrom(...Object.keys(EDITS)).chain((column) => fc.tuple(fc.constant(column), EDITS[column]!));

  it('an edited column (or a forged, re-hashed row) never verifies', async () => {
    const original = await log.list({ limit: ROWS });
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 1, max: ROWS - 1 }),
        edit,
        fc.boolean(),
        fc.context(),
        async (seq, [column, value], rehash, ctx) => {
          const row = original.find((r) => r.seq === seq)!;
          await tamper(db, 'audit_log_no_update', `update audit_log set ${column} = $1 where seq = $2`, [value, seq]);
          try {
            const [edited] = await log.list({ afterSeq: seq - 1, limit: 1 });
            if (rehash)
              await tamper(db, 'audit_log_no_update', 'update audit_log set hash = $1 where seq = $2', [
                hashRow(edited!),
                seq,
              ]);
            const unchanged = hashRow(edited!) === row.hash;
            const result = await log.verify();
            ctx.log(`${column}=${JSON.stringify(value)} rehash=${rehash} → ${JSON.stringify(result)}`);
            COUNTS.tried += 1;
            // An "edit" that wrote the same value back is no edit at all.
            const ok = unchanged ? result.ok : !result.ok && result.firstBrokenSeq! <= seq + 1;
            if (ok && !unchanged) COUNTS.detected += 1;
            if (!ok) COUNTS.wrong += 1;
            return ok;
          } finally {
            await tamper(db, 'audit_log_no_update', `update audit_log set ${column} = $1, hash = $2 where seq = $3`, [
              columnValue(row, column),
              row.hash,
              seq,
            ]);
            expect((await log.verify()).ok).toBe(true);
          }
        },
      ),
      { numRuns: 40 },
    );
  }, 300_000);
});

/** The stored value of a column, as it was (for putting a row back). */
function columnValue(row: Awaited<ReturnType<AuditLog['list']>>[number], column: string): unknown {
  const map: Record<string, unknown> = {
    actor: row.actor,
    tool: row.tool,
    guard_decision: row.decision,
    reason: row.reason,
    coupa_calls: row.coupaCalls,
    result_summary: row.resultSummary,
    invoice_id: row.invoiceId,
    at: row.at,
  };
  return map[column];
}

/** The verifier's verdict: its last stderr line (a warning about missing checkpoints may come first). */
function verdictLine(stderr: string): string {
  return stderr.trim().split('\n').at(-1) ?? '';
}
