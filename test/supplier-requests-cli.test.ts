/**
 * `settle requests` over a seeded store (PGlite in a temp folder, the real CLI in a child
 * process): the `--json` shape, oldest first, and ages measured on one clock — `--as-of`, else
 * (embedded simulator) the store's own latest activity, never the wall clock.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDb } from '../src/db/connection.js';
import { migrate } from '../src/db/migrate.js';
import { itemsOf } from '../src/requests/asked.js';
import { createRequestStore } from '../src/requests/store.js';

const REPO = fileURLToPath(new URL('..', import.meta.url));
const TSX = join(REPO, 'node_modules', '.bin', 'tsx');
const dataDir = mkdtempSync(join(tmpdir(), 'settle-requests-cli-'));

function settle(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  const env: NodeJS.ProcessEnv = { ...process.env, SETTLE_DATA_DIR: dataDir, DATABASE_URL: '' };
  for (const k of ['COUPA_BASE_URL', 'COUPA_CLIENT_ID', 'COUPA_CLIENT_SECRET']) delete env[k];
  return new Promise((resolve) => {
    execFile(TSX, ['src/cli.ts', ...args], { cwd: REPO, env, timeout: 120_000 }, (error, stdout, stderr) => {
      resolve({ code: error ? (typeof error.code === 'number' ? error.code : -1) : 0, stdout, stderr });
    });
  });
}

beforeAll(async () => {
  const db = await openDb({ dataDir });
  try {
    await migrate(db);
    const store = createRequestStore(db);
    const base = {
      tenant: 'http://sim#t',
      supplierId: 1,
      supplierName: 'Northwind Traders',
      recipient: 'accounts@northwind.example',
      channels: ['coupa', 'email'] as const,
      messageId: null,
    };
    // Stamped on a simulated clock in 2026, years away from the wall clock the test runs on.
    await store.add({
      ...base,
      invoiceId: 7001,
      invoiceNumber: 'NW-7001',
      caseToken: 'aaaaaaaaaaaaaaaa',
      items: itemsOf(['timesheet']),
      askedAt: new Date('2026-03-02T10:00:00Z'),
    });
    await store.add({
      ...base,
      invoiceId: 7002,
      invoiceNumber: 'NW-7002',
      caseToken: 'bbbbbbbbbbbbbbbb',
      items: itemsOf(['payment terms']),
      askedAt: new Date('2026-03-05T10:00:00Z'),
    });
    const [chased] = await store.list({ invoiceId: 7001 });
    await store.markChased([chased!.id], new Date('2026-03-09T10:00:00Z'));
  } finally {
    await db.close();
  }
}, 120_000);

afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

describe('settle requests', () => {
  it('--json lists pending requests oldest first, aged on the store clock (latest activity) when no Coupa tenant is configured', async () => {
    const run = await settle('requests', '--json');
    expect(run.stderr).not.toMatch(/at .+\.ts:\d+/);
    expect(run.code).toBe(0);
    const out = JSON.parse(run.stdout) as { as_of: string; requests: Array<Record<string, unknown>> };
    expect(out.as_of).toBe('2026-03-09T10:00:00.000Z');
    expect(out.requests).toEqual([
      expect.objectContaining({
        invoice_id: 7001,
        invoice_number: 'NW-7001',
        supplier: 'Northwind Traders',
        answer_kind: 'document',
        channels: ['coupa', 'email'],
        status: 'pending',
        asked_at: '2026-03-02T10:00:00.000Z',
        age_business_days: 5,
        reminders: 1,
        escalated_to: null,
      }),
      expect.objectContaining({ invoice_id: 7002, age_business_days: 2, reminders: 0 }),
    ]);
    expect(Object.keys(out.requests[0]!).sort()).toEqual([
      'age_business_days',
      'answer_kind',
      'asked',
      'asked_at',
      'channels',
      'escalated_to',
      'id',
      'invoice_id',
      'invoice_number',
      'recipient',
      'reminders',
      'status',
      'supplier',
    ]);
  }, 120_000);

  it('--as-of measures every age on the one clock given; the table says the same', async () => {
    const json = JSON.parse((await settle('requests', '--json', '--as-of', '2026-03-16T09:00:00Z')).stdout) as {
      requests: Array<{ age_business_days: number }>;
    };
    expect(json.requests.map((r) => r.age_business_days)).toEqual([10, 7]);
    const table = await settle('requests', '--as-of', '2026-03-16T09:00:00Z');
    expect(table.code).toBe(0);
    expect(table.stdout).toMatch(/NW-7001.*\b10\b/);
    const bad = await settle('requests', '--as-of', 'next tuesday');
    expect(bad.code).not.toBe(0);
    expect(bad.stderr).toContain('--as-of "next tuesday" is not a date');
  }, 120_000);
});
