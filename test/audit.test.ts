/**
 * The audit log on PGlite through openDb + migrate, the embedded default: chaining, the exact hash
 * recipe, round-trips of arbitrary JSON, filters, serialised concurrent appends, refusal of
 * UPDATE/DELETE/TRUNCATE, and tampering found by verify.
 */
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import canonicalize from 'canonicalize';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  GENESIS_HASH,
  createAuditLog,
  hashRow,
  readExport,
  verifyChain,
  type AuditLog,
  type AuditRow,
} from '../src/audit/index.js';
import { openDb, type Db } from '../src/db/connection.js';
import { migrate } from '../src/db/migrate.js';
import { entry, tamper } from './audit-fixtures.js';

/** JSON-ish values full of what databases mangle: NUL, lone surrogates, -0, extreme doubles. */
const awkwardText = fc.oneof(
  fc.string({ unit: 'binary' }),
  fc
    .array(fc.constantFrom('\u0000', '\ud800', '\udfff', 'é', '😀', '"', '\\', '\n', 'a'), { maxLength: 6 })
    .map((a) => a.join('')),
);
const awkwardJson: fc.Arbitrary<unknown> = fc.letrec((tie) => ({
  value: fc.oneof(
    { depthSize: 'small' },
    fc.constant(null),
    fc.boolean(),
    fc.integer(),
    fc.double({ noNaN: true, noDefaultInfinity: true }),
    awkwardText,
    fc.array(tie('value'), { maxLength: 4 }),
    fc.dictionary(awkwardText, tie('value'), { maxKeys: 4 }),
  ),
})).value;

describe('audit log on PGlite', () => {
  let db: Db;
  let log: AuditLog;
  const dir = mkdtempSync(join(tmpdir(), 'settle-audit-'));
  beforeAll(async () => {
    db = await openDb();
    await migrate(db);
    log = createAuditLog(db);
  });
  afterAll(async () => {
    await db?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('links every row to the one before and verifies the chain', async () => {
    const a = await log.append(entry());
    const b = await log.append(entry({ tool: 'resolve_exception', decision: 'proposed', idempotencyKey: 'k-1' }));
    const c = await log.append(
      entry({ actor: 'jlee', actorKind: 'person', decision: 'denied', reason: 'missing scope' }),
    );
    expect([a.seq, b.seq, c.seq]).toEqual([1, 2, 3]);
    expect(a.prevHash).toBe(GENESIS_HASH);
    expect(b.prevHash).toBe(a.hash);
    expect(c.prevHash).toBe(b.hash);
    expect(new Set([a.hash, b.hash, c.hash]).size).toBe(3);
    expect(a.at).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
    expect(await log.verify()).toEqual({ ok: true, rows: 3 });
    expect(await log.count()).toBe(3);
    expect(await log.head()).toEqual({ seq: 3, hash: c.hash });
  });

  it('lists by tool, actor, invoice, after a seq, newest first', async () => {
    await log.append(entry({ tool: 'hold_invoice', invoiceId: 99, actor: 'mpark', actorKind: 'person' }));
    await log.append(entry({ tool: 'hold_invoice', invoiceId: 100 }));
    expect((await log.list({ tool: 'hold_invoice' })).map((r) => r.invoiceId)).toEqual([99, 100]);
    expect((await log.list({ actor: 'mpark' })).map((r) => r.tool)).toEqual(['hold_invoice']);
    expect((await log.list({ invoiceId: 99 })).map((r) => r.actor)).toEqual(['mpark']);
    const all = await log.list();
    expect(all.map((r) => r.seq)).toEqual(all.map((_, i) => i + 1));
    expect((await log.list({ afterSeq: 3, limit: 1 })).map((r) => r.seq)).toEqual([4]);
    expect((await log.list({ order: 'desc', limit: 2 })).map((r) => r.seq)).toEqual([all.length, all.length - 1]);
    await expect(log.list({ limit: 0 })).rejects.toThrow();
  });

  it('rejects malformed entries and stores nothing for them', async () => {
    const before = await log.count();
    await expect(log.append({ ...entry(), extra: 1 } as never)).rejects.toThrow(/extra/);
    await expect(log.append(entry({ actorKind: 'robot' as never }))).rejects.toThrow();
    await expect(log.append(entry({ decision: 'maybe' as never }))).rejects.toThrow();
    await expect(log.append(entry({ coupaCalls: -1 }))).rejects.toThrow();
    expect(await log.count()).toBe(before);
  });

  it('caps long free text instead of failing the call', async () => {
    const row = await log.append(entry({ resultSummary: 'x'.repeat(10_000), reason: 'why '.repeat(2000) }));
    expect(row.resultSummary).toHaveLength(4000);
    expect(row.resultSummary.endsWith('…')).toBe(true);
    expect(row.reason).toHaveLength(4000);
  });

  it('keeps one unbroken chain under 50 concurrent appends', async () => {
    const before = await log.count();
    const rows = await Promise.all(
      Array.from({ length: 50 }, (_, i) => log.append(entry({ input: { i }, idempotencyKey: `c-${i}` }))),
    );
    expect(rows.map((r) => r.seq).sort((x, y) => x - y)).toEqual(Array.from({ length: 50 }, (_, i) => before + i + 1));
    expect(await log.verify()).toEqual({ ok: true, rows: before + 50 });
  });

  it('links to the true head when another appender wrote since (each remembers only its own last row)', async () => {
    // Two appenders on one database stand for two worker processes: each one's remembered head is
    // stale every other turn, so every other append is refused by the unique seq and redone.
    const other = createAuditLog(db);
    const before = await log.count();
    const rows: AuditRow[] = [];
    for (let i = 0; i < 8; i++) rows.push(await (i % 3 === 0 ? other : log).append(entry({ input: { turn: i } })));
    rows.forEach((row, i) => {
      expect(row.seq).toBe(before + i + 1);
      if (i > 0) expect(row.prevHash).toBe(rows[i - 1]!.hash);
    });
    expect(await log.verify()).toEqual({ ok: true, rows: before + 8 });
  });

  it('refuses UPDATE, DELETE and TRUNCATE through SQL', async () => {
    const before = await log.list();
    await expect(db.query(`update audit_log set reason = 'nothing to see' where seq = 1`)).rejects.toThrow(
      /append-only: UPDATE refused/,
    );
    await expect(db.query('delete from audit_log where seq = 2')).rejects.toThrow(/append-only: DELETE refused/);
    await expect(db.query('truncate audit_log')).rejects.toThrow(/append-only: TRUNCATE refused/);
    expect(await log.list()).toEqual(before);
    expect((await log.verify()).ok).toBe(true);
  });

  it('stores any JSON input so that it reads back exactly as hashed', async () => {
    await fc.assert(
      fc.asyncProperty(awkwardJson, async (input) => {
        const row = await log.append(entry({ input, reason: 'property' }));
        const [back] = await log.list({ afterSeq: row.seq - 1, limit: 1 });
        expect(back).toEqual(row);
        expect(hashRow(row)).toBe(row.hash);
      }),
      { numRuns: 60 },
    );
    expect((await log.verify()).ok).toBe(true);
  });

  it('keeps ordinary JSON input unchanged and replaces only what Postgres cannot store', async () => {
    await fc.assert(
      fc.asyncProperty(fc.jsonValue({ maxDepth: 3 }), async (input) => {
        const row = await log.append(entry({ input }));
        expect(row.input).toEqual(JSON.parse(JSON.stringify(input)));
      }),
      { numRuns: 40 },
    );
    const row = await log.append(
      entry({ input: { note: 'a\u0000b', half: '\ud800x', kept: 'é😀' }, reason: 'nul\u0000here' }),
    );
    expect(row.input).toEqual({ note: 'a\uFFFDb', half: '\uFFFDx', kept: 'é😀' });
    expect(row.reason).toBe('nul\uFFFDhere');
  });

  it('hashes with SHA-256 over the RFC 8785 canonical JSON of the row without its hash', async () => {
    const prev = await log.head();
    const clocked = createAuditLog(db, { now: () => new Date('2026-03-01T09:30:00.123Z') });
    const row = await clocked.append(entry({ input: { b: [1, 'x'], a: 'é' } }));
    const canonical =
      '{"actor":"settle-agent","actorKind":"agent","at":"2026-03-01T09:30:00.123Z","coupaCalls":1,"decision":"allowed",' +
      '"idempotencyKey":null,"input":{"a":"é","b":[1,"x"]},"invoiceId":4711,' +
      `"prevHash":"${prev!.hash}","reason":"read","resultSummary":"invoice 4711 on hold: price variance","seq":${prev!.seq + 1},"tool":"get_invoice"}`;
    expect(row.hash).toBe(createHash('sha256').update(canonical, 'utf8').digest('hex'));
  });

  it('exports JSON lines, in batches, that an auditor can re-hash and re-verify, and finds an edited line', async () => {
    const batched = createAuditLog(db, { batchSize: 7 });
    for (let i = 0; i < 20; i++) await log.append(entry({ input: { i, text: `line ${i}` } }));
    const total = await log.count();
    const file = join(dir, 'audit.jsonl');
    expect(await batched.export(file)).toBe(total);
    const lines = readFileSync(file, 'utf8').trimEnd().split('\n');
    expect(lines).toHaveLength(total);
    for (const line of lines) {
      const { hash, ...rest } = JSON.parse(line) as AuditRow;
      expect(createHash('sha256').update(canonicalize(rest)!, 'utf8').digest('hex')).toBe(hash);
    }
    expect(await verifyChain(readExport(file))).toEqual({ ok: true, rows: total });

    const target = lines.findIndex((l) => l.includes('"line 11"'));
    const edited = lines.map((l, i) => (i === target ? l.replace('"line 11"', '"line eleven"') : l));
    writeFileSync(file, `${edited.join('\n')}\n`);
    expect(await verifyChain(readExport(file))).toMatchObject({ ok: false, firstBrokenSeq: target + 1 });
  });

  it('verifies an exported row whose input carries a "__proto__" key (JSON keeps it; so must the check)', async () => {
    const row = await log.append(entry({ input: JSON.parse('{"a":{"__proto__":{"x":1}},"__proto__":[2]}') }));
    const file = join(dir, 'proto.jsonl');
    await log.export(file);
    expect(await verifyChain(readExport(file))).toEqual({ ok: true, rows: row.seq });
  });

  it('exports to a caller stream without closing it, and rejects a path it cannot write', async () => {
    const sink = new PassThrough();
    const chunks: Buffer[] = [];
    sink.on('data', (c: Buffer) => chunks.push(c));
    const total = await log.count();
    expect(await log.export(sink)).toBe(total);
    expect(sink.writableEnded).toBe(false);
    const parsed = Buffer.concat(chunks)
      .toString('utf8')
      .trimEnd()
      .split('\n')
      .map((l) => JSON.parse(l) as AuditRow);
    expect(parsed.map((r) => r.seq)).toEqual(Array.from({ length: total }, (_, i) => i + 1));
    await expect(log.export(join(dir, 'no-such-dir', 'x.jsonl'))).rejects.toThrow(/ENOENT/);
  });

  // Destructive: keep last.
  it('names the row a superuser altered behind the disabled trigger', async () => {
    await tamper(
      db,
      'audit_log_no_update',
      `update audit_log set guard_decision = 'allowed', reason = 'within controls' where seq = 3`,
    );
    expect(await log.verify()).toEqual({
      ok: false,
      rows: 3,
      firstBrokenSeq: 3,
      reason: 'stored hash does not match the row content (row altered)',
    });
  });
});
