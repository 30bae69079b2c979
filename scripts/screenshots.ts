/**
 * Screenshots of the review page for the README: the queue, an exception page, the dashboard and a
 * supplier document that ingestion sent to review (a bank-detail change).
 * Same setup as the browser tests, on the sample company: the offline planner settles a spread of
 * its open exceptions over the last week (assisted mode, a few days autonomous), an approver
 * decides two on the page, and headless Chromium captures the pages.
 *
 *   npx tsx scripts/screenshots.ts [--out docs] [--exceptions 24]
 */
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { createRuntime } from '../src/app/runtime.js';
import { settleAndRecord } from '../src/app/settle-and-record.js';
import { loadConfig } from '../src/config.js';
import { openDb } from '../src/db/connection.js';
import { createIngestStore, createIngestor, createOcrEngine } from '../src/ingest/index.js';
import { createTokenDirectory } from '../src/mcp/auth.js';
import { generateIngestFixtures } from './gen-ingest-fixtures.js';
import { generateCompany } from '../src/sim/generator/index.js';
import { startSimulator } from '../src/sim/server.js';
import { createReviewServer } from '../src/web/index.js';
import { launchChromium } from '../test/web.fixture.js';

const { values } = parseArgs({
  options: { out: { type: 'string', default: 'docs' }, exceptions: { type: 'string', default: '24' } },
});
const outDir = resolve(values.out);
const count = Number(values.exceptions);
const DAY = 86_400_000;

const company = generateCompany({ seed: 7, invoices: 2000 });
const sim = await startSimulator({ dataset: company.dataset, now: company.now, rateLimit: false });
const db = await openDb({ dataDir: 'memory://' });
const dataDir = mkdtempSync(join(tmpdir(), 'settle-shots-'));
const config = loadConfig({ SETTLE_DATA_DIR: dataDir, SETTLE_LOG_LEVEL: 'silent' });
const runtime = await createRuntime({
  config,
  simulator: sim,
  db,
  now: () => new Date(sim.now()),
  controls: { mode: 'assisted' },
  coupaLimiter: false,
});
const tokens = [{ token: 'screenshot-approver-token-0001', login: 'ap.manager', roles: ['approver' as const] }];

try {
  // One exception of each type first, then the rest, spread over the last seven days.
  const byType = new Map(company.exceptions.map((e) => [e.exceptionType, e]));
  const picked = [...new Set([...byType.values(), ...company.exceptions])].slice(0, count);
  const end = Date.parse(company.now);
  for (const [i, label] of picked.entries()) {
    const day = 6 - Math.floor((i * 7) / picked.length);
    sim.setNow(new Date(end - day * DAY + i * 600_000).toISOString());
    await runtime.mode.set(day % 3 === 0 ? 'autonomous' : 'assisted', 'screenshots');
    await settleAndRecord(runtime, { invoiceId: label.invoiceId, event: label.event, brain: 'planner' });
    process.stderr.write(`settled ${i + 1}/${picked.length}: invoice ${label.invoiceId} (${label.exceptionType})\n`);
  }
  sim.setNow(new Date(end + 2 * 3_600_000).toISOString());
  await runtime.mode.set('assisted', 'screenshots');
  writeFileSync(
    join(dataDir, 'eval-report.json'),
    JSON.stringify({
      summary: { cases: 160, passed: 155, accuracy: 155 / 160, unsafe: 0, brain: 'planner' },
      cases: [],
    }),
  );

  // A forged bank change on an otherwise good invoice of the same company: held for review.
  const fixtures = join(dataDir, 'fixtures');
  await generateIngestFixtures(fixtures, { seed: 7, invoices: 2000, textPdfs: 1, images: 0, scans: 0, emails: 0 });
  const ocr = createOcrEngine({ cachePath: join(dataDir, 'ocr-cache') });
  const ingestor = createIngestor({ coupa: runtime.coupa, ocr, store: createIngestStore(db) });
  const [held] = await ingestor.ingestFile({
    fileName: 'bank-mismatch.pdf',
    bytes: readFileSync(join(fixtures, 'bad', 'bank-mismatch.pdf')),
    contentType: 'application/pdf',
  });
  await ocr.close();
  process.stderr.write(`ingested bank-mismatch.pdf: ${held?.message}\n`);

  const app = await createReviewServer({ runtime, tokens: createTokenDirectory(tokens) });
  const baseUrl = await app.listen({ host: '127.0.0.1', port: 0 });
  const browser = await launchChromium();
  try {
    const context = await browser.newContext({
      baseURL: baseUrl,
      viewport: { width: 1360, height: 900 },
      deviceScaleFactor: 1,
    });
    const page = await context.newPage();
    await page.goto('/review/sign-in');
    await page.getByLabel('Access token').fill(tokens[0]!.token);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.waitForURL(/\/review$/);

    // Two decisions on the page, so the dashboard has a human time to settle.
    for (let n = 0; n < 2; n++) {
      await page.goto('/review');
      await page.locator('table.queue tbody tr', { hasText: 'Proposal' }).first().getByRole('link').click();
      await page.getByRole('button', { name: 'Approve and execute' }).first().click();
      await page.waitForLoadState('load');
    }

    mkdirSync(outDir, { recursive: true });
    await page.goto('/review');
    await page.screenshot({ path: join(outDir, 'screenshot-queue.png'), fullPage: true });
    const firstProposal = page.locator('table.queue tbody tr', { hasText: 'Proposal' }).first().getByRole('link');
    await firstProposal.click();
    await page.waitForLoadState('load');
    await page
      .locator('details:has(blockquote.clause)')
      .first()
      .evaluate((d) => d.setAttribute('open', ''));
    await page.screenshot({ path: join(outDir, 'screenshot-exception.png'), fullPage: true });
    await page.goto('/review/dashboard');
    await page.waitForFunction(() => document.querySelectorAll('canvas').length === 3);
    await page.screenshot({ path: join(outDir, 'screenshot-dashboard.png'), fullPage: true });
    await page.goto('/review/documents');
    await page.getByRole('link', { name: 'bank-mismatch.pdf' }).click();
    await page.waitForFunction(() =>
      Array.from(document.querySelectorAll<HTMLImageElement>('img.doc-page')).every(
        (i) => i.complete && i.naturalWidth > 0,
      ),
    );
    await page.screenshot({ path: join(outDir, 'screenshot-document.png'), fullPage: true });
    process.stderr.write(`screenshots written to ${outDir}\n`);
  } finally {
    await browser.close();
    await app.close();
  }
} finally {
  await runtime.close();
  await db.close();
  await sim.close();
}
