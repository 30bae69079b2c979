/**
 * The audit log on the machine's real PostgreSQL, in a throwaway database with only migration 020
 * (the server has no pgvector): many pooled connections and two independent pools appending at
 * once, refusal by triggers and by grants for a non-owner app role, and superuser tampering.
 */
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GENESIS_HASH, createAuditLog, hashRow, type AuditLog, type AuditRow } from '../src/audit/index.js';
import { openDb, type Db } from '../src/db/connection.js';
import {
  adminQuery,
  applyAuditMigration,
  createScratchDatabase,
  entry,
  tamper,
  type ScratchDatabase,
} from './audit-fixtures.js';

describe('audit log on PostgreSQL', () => {
  let scratch: ScratchDatabase;
  let db: Db;
  let log: AuditLog;
  const appRole = `settle_audit_app_${randomBytes(4).toString('hex')}`;
  const opened: Db[] = [];

  beforeAll(async () => {
    scratch = await createScratchDatabase();
    db = await openDb({ databaseUrl: scratch.url, maxConnections: 10 });
    opened.push(db);
    await applyAuditMigration(db);
    await applyAuditMigration(db); // re-running the migration is harmless
    log = createAuditLog(db);
  });

  afterAll(async () => {
    await Promise.all(opened.map((d) => d.close()));
    await scratch?.drop();
    await adminQuery(`drop role if exists ${appRole}`);
  });

  it('appends from genesis and verifies', async () => {
    const a = await log.append(entry());
    const b = await log.append(entry({ tool: 'add_comment', decision: 'executed', idempotencyKey: 'cmt-1' }));
    expect(a).toMatchObject({ seq: 1, prevHash: GENESIS_HASH });
    expect(b).toMatchObject({ seq: 2, prevHash: a.hash });
    expect(await log.verify()).toEqual({ ok: true, rows: 2 });
  });

  it('keeps one chain when 50 appends race over two pools of 10 connections', async () => {
    const second = await openDb({ databaseUrl: scratch.url, maxConnections: 10 });
    opened.push(second);
    const otherProcess = createAuditLog(second);
    const before = await log.count();
    const rows = await Promise.all(
      Array.from({ length: 50 }, (_, i) =>
        (i % 2 === 0 ? log : otherProcess).append(entry({ input: { i }, idempotencyKey: `race-${i}` })),
      ),
    );
    const seqs = rows.map((r) => r.seq).sort((x, y) => x - y);
    expect(seqs).toEqual(Array.from({ length: 50 }, (_, i) => before + i + 1));
    expect(await log.verify()).toEqual({ ok: true, rows: before + 50 });
    // Every row points at a distinct predecessor: no fork.
    expect(new Set(rows.map((r) => r.prevHash)).size).toBe(50);
  });

  it('refuses UPDATE, DELETE and TRUNCATE, even for the superuser', async () => {
    const before = await log.list({ limit: 1000 });
    await expect(db.query(`update audit_log set reason = 'x'`)).rejects.toThrow(/append-only: UPDATE refused/);
    await expect(db.query('delete from audit_log where seq = 1')).rejects.toThrow(/append-only: DELETE refused/);
    await expect(db.query('truncate audit_log')).rejects.toThrow(/append-only: TRUNCATE refused/);
    expect(await log.list({ limit: 1000 })).toEqual(before);
  });

  it('lets an app role granted SELECT, INSERT append but not change, remove or unprotect rows', async () => {
    await db.query(`create role ${appRole} login`);
    await db.query(`grant select, insert on audit_log to ${appRole}`);
    const asApp = await openDb({ databaseUrl: scratch.urlAs(appRole), maxConnections: 2 });
    opened.push(asApp);
    const appended = await createAuditLog(asApp).append(entry({ actor: 'settle-agent' }));
    expect(appended.seq).toBe(await log.count());
    await expect(asApp.query(`update audit_log set reason = 'x' where seq = 1`)).rejects.toThrow(/permission denied/);
    await expect(asApp.query('delete from audit_log where seq = 1')).rejects.toThrow(/permission denied/);
    await expect(asApp.query('truncate audit_log')).rejects.toThrow(/permission denied/);
    await expect(asApp.query('alter table audit_log disable trigger audit_log_no_update')).rejects.toThrow(
      /must be owner/,
    );
    expect((await log.verify()).ok).toBe(true);
  });

  describe('after a superuser disables the triggers', () => {
    let rows: AuditRow[];
    beforeAll(async () => {
      rows = await log.list({ limit: 1000 });
    });

    it('finds a row whose content changed', async () => {
      await tamper(db, 'audit_log_no_update', `update audit_log set guard_decision = 'executed' where seq = 7`);
      expect(await log.verify()).toEqual({
        ok: false,
        rows: 7,
        firstBrokenSeq: 7,
        reason: 'stored hash does not match the row content (row altered)',
      });
      await tamper(db, 'audit_log_no_update', `update audit_log set guard_decision = $1 where seq = 7`, [
        rows[6]!.decision,
      ]);
      expect((await log.verify()).ok).toBe(true);
    });

    it('finds a forged row that was re-hashed, at the link after it', async () => {
      const forged = { ...rows[9]!, coupaCalls: 0, resultSummary: 'nothing happened' };
      await tamper(
        db,
        'audit_log_no_update',
        'update audit_log set coupa_calls = 0, result_summary = $1, hash = $2 where seq = 10',
        [forged.resultSummary, hashRow(forged)],
      );
      const result = await log.verify();
      expect(result).toMatchObject({ ok: false, rows: 11, firstBrokenSeq: 11 });
      expect(result.reason).toMatch(/prev_hash does not match the hash of row #10/);
    });

    it('finds a deleted row', async () => {
      await tamper(db, 'audit_log_no_delete', 'delete from audit_log where seq = 3');
      expect(await log.verify()).toMatchObject({ ok: false, firstBrokenSeq: 4, reason: 'row #3 is missing' });
    });
  });
});
