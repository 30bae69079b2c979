/**
 * The supplier change request on the review page, in a real browser: a registry contradicts the
 * supplier master (VAT id fails its check digits), the planner holds the invoice and files the
 * pre-filled request; the supplier-master approver sees field, Coupa's value → the registry's and
 * the evidence, approves it, and it is posted to Coupa and audited under that person's name.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { settleAndRecord } from '../src/app/settle-and-record.js';
import { createRuntime, type Runtime } from '../src/app/runtime.js';
import { openDb, type Db } from '../src/db/connection.js';
import { createTokenDirectory } from '../src/mcp/auth.js';
import type { CoupaDataset } from '../src/sim/dataset.js';
import { startSimulator } from '../src/sim/server.js';
import type { SimulatorHandle } from '../src/sim/types.js';
import { createReviewServer } from '../src/web/index.js';
import { registryCases } from '../evals/hard/cases-registry.js';
import { NOW } from '../evals/hard/kit.js';
import { configFor } from './mcp.fixture.js';
import { CHROMIUM_ARGS } from './web.fixture.js';
import { chromiumPath } from './support/chromium.js';
import { chromium } from 'playwright-core';

const withBrowser = chromiumPath() !== undefined;
const TOKEN = 'tok-supplier-master-0123456789abcdef';
const OTHER = 'tok-ap-manager-0123456789abcdef';

let sim: SimulatorHandle;
let db: Db;
let runtime: Runtime;
let app: Awaited<ReturnType<typeof createReviewServer>>;
let baseUrl = '';
let browser: Browser;

beforeAll(async () => {
  if (!withBrowser) return;
  const kase = registryCases().find((c) => String(c.id).endsWith('vat-invalid'))!;
  sim = await startSimulator({ dataset: kase.coupa as unknown as CoupaDataset, now: NOW, rateLimit: false });
  db = await openDb({ dataDir: 'memory://' });
  runtime = await createRuntime({
    config: configFor(),
    simulator: sim,
    db,
    now: () => new Date(sim.now()),
    controls: { mode: 'autonomous', verify_supplier_registries: true },
    coupaLimiter: false,
  });
  await settleAndRecord(runtime, { invoiceId: 7601, brain: 'planner' });
  app = await createReviewServer({
    runtime,
    signInPerMinute: 100,
    tokens: createTokenDirectory([
      { token: TOKEN, login: 'supplier.master', roles: ['approver'] },
      { token: OTHER, login: 'ap.manager', roles: ['approver'] },
    ]),
  });
  baseUrl = await app.listen({ host: '127.0.0.1', port: 0 });
  browser = await chromium.launch({ executablePath: chromiumPath()!, args: CHROMIUM_ARGS });
});
afterAll(async () => {
  await browser?.close();
  await app?.close();
  await runtime?.close();
  await db?.close();
  await sim?.close();
});

describe.skipIf(!withBrowser)('supplier change request on the review page', () => {
  it('shows the pre-filled request; the supplier-master approver approves it and it is posted to Coupa, audited under their name', async () => {
    const context = await browser.newContext({ baseURL: baseUrl });
    const page = await context.newPage();
    await page.goto('/review/sign-in');
    await page.getByLabel('Access token').fill(TOKEN);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.waitForURL(/\/review$/);
    await page.goto('/review/exceptions/7601');
    expect(await page.getByRole('heading', { name: /Proposed: Supplier master change request/ }).isVisible()).toBe(
      true,
    );
    const row = page.locator('table.change-request tbody tr').first();
    expect(await row.innerText()).toMatch(/vat id\s+DE136695977\s+fails its country's check digits/);
    expect(await page.locator('.supplier-change').innerText()).toMatch(/supplier\.master/);

    const before = sim.records('comments').length;
    await page.getByRole('button', { name: 'Approve and execute' }).click();
    await expect.poll(() => page.locator('.flash').innerText()).toMatch(/Approved and executed/);
    const posted = sim.records('comments').slice(before);
    expect(posted.map((c) => String(c.comments))).toEqual([
      expect.stringMatching(/SUPPLIER MASTER CHANGE REQUEST[\s\S]*vat id: Coupa "DE136695977"/),
    ]);
    expect(posted[0]!['to-supplier']).toBe(false);
    const audit = await runtime.audit.list({ invoiceId: 7601, actor: 'supplier.master' });
    expect(audit.map((r) => [r.tool, r.decision, r.actorKind])).toContainEqual([
      'request_supplier_change',
      'executed',
      'person',
    ]);
    // Nothing in the supplier record or bank details was written.
    expect(sim.callLog.filter((c) => c.method !== 'GET' && /supplier/.test(c.path))).toEqual([]);
    await context.close();
  });
});
