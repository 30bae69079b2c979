/**
 * The GR/IR page in headless Chromium: a reviewer proposes an item's clearing; an accountant
 * approves it (the PO gets a comment in Coupa); a write-off above the threshold needs a second
 * accountant; the journal downloads balanced. Skipped without Chromium, like the other web tests.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { createRuntime, type Runtime } from '../src/app/runtime.js';
import { openDb, type Db } from '../src/db/connection.js';
import { createGrirProposalStore } from '../src/grir/proposals.js';
import { runGrir } from '../src/grir/run.js';
import { SAMPLE_GRIR_SOURCE } from '../src/grir/source.js';
import { createIdentity } from '../src/guard/identity.js';
import { createTokenDirectory, type TokenEntry } from '../src/mcp/auth.js';
import { generateGrirBook, withGrirBook } from '../src/sim/generator/grir-book.js';
import { startSimulator } from '../src/sim/server.js';
import type { SimulatorHandle } from '../src/sim/types.js';
import { createReviewServer } from '../src/web/index.js';
import { NOW, configFor, mcpDataset } from './mcp.fixture.js';
import { chromiumPath } from './support/chromium.js';
import { launchChromium } from './web.fixture.js';

const withBrowser = chromiumPath() !== undefined;
const TOKENS: TokenEntry[] = [
  { token: 'tok-grir-reviewer-0123456789', login: 'rita.reviewer', roles: ['reviewer'] },
  { token: 'tok-grir-accountant-0123456789', login: 'amy.accountant', roles: ['accountant'] },
  { token: 'tok-grir-accountant2-0123456789', login: 'ben.accountant', roles: ['accountant'] },
];

let sim: SimulatorHandle;
let db: Db;
let runtime: Runtime;
let baseUrl: string;
let close: () => Promise<void>;
let browser: Browser;

beforeAll(async () => {
  if (!withBrowser) return;
  sim = await startSimulator({
    dataset: withGrirBook(mcpDataset(), generateGrirBook({ seed: 5, poLines: 300, now: NOW, minPerCause: 2 })),
    now: NOW,
    rateLimit: false,
  });
  db = await openDb({ dataDir: 'memory://' });
  runtime = await createRuntime({
    config: configFor(),
    simulator: sim,
    db,
    now: () => new Date(sim.now()),
    coupaLimiter: false,
  });
  await runGrir({ db, records: runtime.records, source: SAMPLE_GRIR_SOURCE, now: new Date(sim.now()) });
  const app = await createReviewServer({ runtime, tokens: createTokenDirectory(TOKENS), signInPerMinute: 100 });
  baseUrl = await app.listen({ host: '127.0.0.1', port: 0 });
  browser = await launchChromium();
  close = async () => {
    await browser.close();
    await app.close();
    await runtime.close();
    await db.close();
    await sim.close();
  };
}, 120_000);
afterAll(async () => close?.());

async function as(login: string): Promise<Page> {
  const context = await browser.newContext({ baseURL: baseUrl });
  const page = await context.newPage();
  await page.goto('/review/sign-in');
  await page.getByLabel('Access token').fill(TOKENS.find((t) => t.login === login)!.token);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.waitForURL(/\/review$/);
  await page.getByRole('link', { name: 'GR/IR' }).click();
  await page.waitForURL(/\/review\/grir$/);
  return page;
}

describe.skipIf(!withBrowser)('GR/IR page in a real browser', () => {
  it('a reviewer proposes a clearing, an accountant approves it and the PO gets a comment', async () => {
    const reviewer = await as('rita.reviewer');
    const row = reviewer.locator('tr[data-po-line]', { hasText: 'Contract price change' }).first();
    const line = await row.getAttribute('data-po-line');
    expect(await row.innerText()).toMatch(/contract CTR-/);
    expect(await reviewer.getByRole('button', { name: 'Approve' }).count()).toBe(0);
    await row.getByRole('button', { name: 'Propose' }).click();
    await reviewer.waitForURL(/\/review\/grir$/);
    await expect.poll(() => reviewer.locator('.flash').innerText()).toMatch(/Proposal \d+ created/);
    expect(await reviewer.locator(`tr[data-po-line="${line}"]`).innerText()).toMatch(/proposed/);

    const accountant = await as('amy.accountant');
    const proposal = accountant.locator('tr[data-proposal]').first();
    expect(await proposal.innerText()).toMatch(/rita\.reviewer/);
    await proposal.getByRole('button', { name: 'Approve' }).click();
    await accountant.waitForURL(/\/review\/grir$/);
    await expect.poll(() => accountant.locator('.flash').innerText()).toMatch(/approved\. Comment added to PO/);
    expect(
      sim
        .records('comments')
        .some((c) => c['commentable-type'] === 'OrderHeader' && /amy\.accountant/.test(String(c.comments))),
    ).toBe(true);
  });

  it('a write-off above the threshold waits for a second accountant; the journal balances', async () => {
    const reviewer = createIdentity('rita.reviewer', 'person', ['reviewer']);
    const lines = [
      { account: '2150-GRIR', debit: '2500.00', credit: '0.00', memo: 'GR/IR PO GR1/1: write-off' },
      { account: '6100-MRO', debit: '0.00', credit: '2500.00', memo: 'GR/IR PO GR1/1: write-off' },
    ];
    const p = await createGrirProposalStore(db).propose({
      source: SAMPLE_GRIR_SOURCE,
      kind: 'clearing',
      action: { kind: 'write_off', amount: '2500.00', currency: 'USD', reason: 'No explanation found.', lines },
      proposedBy: reviewer,
      via: 'review-site',
      now: new Date(NOW),
    });
    const first = await as('amy.accountant');
    await first.locator(`tr[data-proposal="${p.id}"]`).getByRole('button', { name: 'Approve' }).click();
    await first.waitForURL(/\/review\/grir$/);
    await expect.poll(() => first.locator('.flash').innerText()).toMatch(/needs 1 more accountant/);
    expect(await first.locator(`tr[data-proposal="${p.id}"]`).innerText()).toMatch(/already approved by you/);

    const second = await as('ben.accountant');
    await second.locator(`tr[data-proposal="${p.id}"]`).getByRole('button', { name: 'Approve' }).click();
    await second.waitForURL(/\/review\/grir$/);
    await expect.poll(() => second.locator('.flash').innerText()).toMatch(new RegExp(`Proposal ${p.id} approved`));

    const csv = await (await second.request.get('/review/grir/journal.csv')).text();
    const rows = csv
      .trim()
      .split('\r\n')
      .slice(1)
      .map((r) => r.split(','));
    const entry = rows.filter((r) => r[0] === `GRIR-${p.id}`);
    expect(entry.map((r) => [r[3], r[4], r[5]])).toEqual([
      ['2150-GRIR', '2500.00', '0.00'],
      ['6100-MRO', '0.00', '2500.00'],
    ]);
    expect(entry[0]![9]).toBe('amy.accountant ben.accountant');
  });
});
