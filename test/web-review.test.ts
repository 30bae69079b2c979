/**
 * The review page end to end in headless Chromium (Debian's, driven by playwright-core): real
 * proposals made by the planner agent, approved by people on the page, observed in the simulator,
 * the audit log and the knowledge store. Also: supplier markup stays text, keyboard-only approval,
 * readers cannot approve, and axe-core finds no serious or critical accessibility violations.
 */
import { createRequire } from 'node:module';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { renderPdf } from '../scripts/ingest-fixtures/layouts.js';
import { createIngestStore, createIngestor, createOcrEngine } from '../src/ingest/index.js';
import { writesIn } from './mcp.fixture.js';
import { chromiumPath } from './support/chromium.js';
import { CalibrationArtifact } from '../src/domain/calibration-artifact.js';
import { createCalibrationStore } from '../src/shadow/calibration-store.js';
import {
  DUPLICATE_INVOICE,
  HELD_INVOICE,
  NOTE_TEXT,
  SCRIPT_INVOICE,
  SCRIPT_TEXT,
  launchChromium,
  signedIn,
  startWebHarness,
  type WebHarness,
} from './web.fixture.js';

const AXE_PATH = createRequire(import.meta.url).resolve('axe-core/axe.min.js');

let h: WebHarness;
let browser: Browser;

/** Without Chromium these are skipped (vitest's global setup says so in one line, or fails in CI). */
const withBrowser = chromiumPath() !== undefined;

beforeAll(async () => {
  if (withBrowser) [h, browser] = await Promise.all([startWebHarness(), launchChromium()]);
});

afterAll(async () => {
  await browser?.close();
  await h?.close();
});

const invoiceStatus = (id: number): unknown => h.sim.records('invoices').find((i) => i.id === id)?.status;
const pendingProposalOf = async (invoiceId: number): Promise<string> => {
  const [p] = await h.runtime.proposals.list({ invoiceId, status: 'pending' });
  if (!p) throw new Error(`no pending proposal for invoice ${invoiceId}`);
  return p.id;
};

/** Collects dialogs and console errors (a CSP violation is a console error). */
function watch(page: Page): { dialogs: string[]; errors: string[] } {
  const seen = { dialogs: [] as string[], errors: [] as string[] };
  page.on('dialog', (d) => {
    seen.dialogs.push(d.message());
    void d.dismiss();
  });
  page.on('console', (m) => {
    if (m.type() === 'error') seen.errors.push(m.text());
  });
  page.on('pageerror', (e) => seen.errors.push(e.message));
  return seen;
}

async function axeViolations(page: Page): Promise<Array<{ id: string; impact: string; help: string; nodes: number }>> {
  await page.addScriptTag({ path: AXE_PATH });
  return page.evaluate(async () => {
    const axe = (
      window as unknown as {
        axe: {
          run(
            ctx: Document,
          ): Promise<{ violations: Array<{ id: string; impact: string; help: string; nodes: unknown[] }> }>;
        };
      }
    ).axe;
    const result = await axe.run(document);
    return result.violations.map((v) => ({ id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.length }));
  });
}

describe.skipIf(!withBrowser)('review page in a real browser', () => {
  it('the planner left real work for people: two proposals (assisted mode) and one held duplicate', () => {
    expect(h.verdicts.get(HELD_INVOICE)).toMatchObject({ decision: 'resolve', outcome: 'proposed' });
    expect(h.verdicts.get(SCRIPT_INVOICE)).toMatchObject({ decision: 'route', outcome: 'proposed' });
    expect(h.verdicts.get(DUPLICATE_INVOICE)).toMatchObject({ decision: 'hold', executed: true });
  });

  it('shows supplier markup as literal text: no dialog, no injected element', async () => {
    const { context, page } = await signedIn(browser, h, 'approver');
    const seen = watch(page);
    await page.goto(`/review/exceptions/${SCRIPT_INVOICE}`);
    await expect.poll(() => page.getByText(SCRIPT_TEXT, { exact: false }).first().isVisible()).toBe(true);
    await expect.poll(() => page.getByText(NOTE_TEXT, { exact: false }).first().isVisible()).toBe(true);
    expect(await page.locator('img[src="x"]').count()).toBe(0);
    expect(await page.locator('script:not([src])').count()).toBe(0);
    // Labelled as supplier-provided.
    expect(await page.locator('.supplier-text', { hasText: 'Toner, black' }).first().innerText()).toMatch(
      /supplier text/i,
    );
    // Markup that ran would have done so by the load event (scripts as parsed, an image's onerror
    // before load fires); one more task in the page lets any handler it queued run too.
    await page.waitForLoadState('load');
    await page.evaluate(() => new Promise((resolve) => setTimeout(resolve, 0)));
    expect(seen.dialogs).toEqual([]);
    expect(seen.errors).toEqual([]);
    await context.close();
  });

  it('an approver opens a proposal and approves it: the invoice changes in Coupa, the audit row and the human resolution appear', async () => {
    const { context, page } = await signedIn(browser, h, 'approver');
    const seen = watch(page);
    const proposalId = await pendingProposalOf(HELD_INVOICE);
    expect(invoiceStatus(HELD_INVOICE)).toBe('ap_hold');

    await page.getByRole('link', { name: 'NW-5001' }).click();
    await page.waitForURL(new RegExp(`/review/exceptions/${HELD_INVOICE}$`));
    expect(await page.getByRole('heading', { name: /Proposed: Resolve/ }).isVisible()).toBe(true);
    await page.getByRole('button', { name: 'Approve and execute' }).click();
    await page.waitForURL(new RegExp(`/review/exceptions/${HELD_INVOICE}$`));

    await expect.poll(() => page.locator('.flash').innerText()).toMatch(/Approved and executed/);
    expect(invoiceStatus(HELD_INVOICE)).not.toBe('ap_hold');
    const auditRow = page
      .locator('table.audit tbody tr', { hasText: 'ap.manager' })
      .filter({ hasText: 'resolve_exception' });
    expect(await auditRow.innerText()).toMatch(/executed/);
    const stored = await h.runtime.audit.list({ invoiceId: HELD_INVOICE, actor: 'ap.manager' });
    expect(stored.map((r) => [r.tool, r.decision, r.actorKind])).toContainEqual([
      'resolve_exception',
      'executed',
      'person',
    ]);
    expect(await h.runtime.proposals.get(proposalId)).toMatchObject({ status: 'executed', decidedBy: 'ap.manager' });

    const { rows } = await h.db.query<{ metadata: Record<string, unknown> }>(
      `select metadata from knowledge_chunks where document_id = 'resolution/invoice-${HELD_INVOICE}/human' limit 1`,
    );
    expect(rows[0]?.metadata).toMatchObject({ source: 'human', decision: 'resolve' });

    // Gone from the queue; resubmitting the same approval executes nothing again.
    await page.goto('/review');
    expect(await page.getByRole('link', { name: 'NW-5001' }).count()).toBe(0);
    const writes = writesIn(h.sim.callLog, HELD_INVOICE).length;
    const csrf = await page.locator('input[name="_csrf"]').first().inputValue();
    const again = await page.request.post(`/review/proposals/${proposalId}/approve`, { form: { _csrf: csrf } });
    expect(again.status()).toBe(200);
    expect(await again.text()).toMatch(/Nothing done: proposal .* is already executed/);
    expect(writesIn(h.sim.callLog, HELD_INVOICE)).toHaveLength(writes);
    expect(seen.errors).toEqual([]);
    await context.close();
  });

  it('approval works with the keyboard alone (Tab and Enter)', async () => {
    const { context, page } = await signedIn(browser, h, 'approver');
    const proposalId = await pendingProposalOf(SCRIPT_INVOICE);
    await page.goto(`/review/exceptions/${SCRIPT_INVOICE}`);
    let reached = false;
    for (let i = 0; i < 40 && !reached; i++) {
      await page.keyboard.press('Tab');
      reached = await page.evaluate((id) => document.activeElement?.id === `approve-${id}`, proposalId);
    }
    expect(reached).toBe(true);
    await page.keyboard.press('Enter');
    await expect.poll(() => page.locator('.flash').innerText()).toMatch(/Approved and executed/);
    expect(writesIn(h.sim.callLog, SCRIPT_INVOICE).some((e) => e.path.endsWith('/add_approver'))).toBe(true);
    expect(await h.runtime.proposals.get(proposalId)).toMatchObject({ status: 'executed', decidedBy: 'ap.manager' });
    await context.close();
  });

  it('a reader sees no decision controls, and a forged approval POST is refused with 403', async () => {
    const proposalBefore = await h.runtime.proposals.list({ status: 'pending' });
    const { context, page } = await signedIn(browser, h, 'reader');
    await page.goto(`/review/exceptions/${DUPLICATE_INVOICE}`);
    expect(await page.getByRole('button', { name: /Approve/ }).count()).toBe(0);
    expect(await page.getByText('Change the action').count()).toBe(0);
    expect(await page.getByText('Your role cannot read the audit trail').isVisible()).toBe(true);
    const csrf = await page.locator('input[name="_csrf"]').first().inputValue();
    const target = proposalBefore[0]?.id ?? 'any';
    const forged = await page.request.post(`/review/proposals/${target}/approve`, { form: { _csrf: csrf } });
    expect(forged.status()).toBe(403);
    const mode = await page.request.post('/review/mode', { form: { _csrf: csrf, mode: 'autonomous' } });
    expect(mode.status()).toBe(403);
    expect(await h.runtime.mode.get()).toBe('assisted');
    expect(await h.runtime.proposals.list({ status: 'pending' })).toEqual(proposalBefore);
    await context.close();
  });

  it('changing the action in assisted mode becomes a proposal a second approver must approve; a double submit executes once', async () => {
    const first = await signedIn(browser, h, 'approver');
    await first.page.goto(`/review/exceptions/${DUPLICATE_INVOICE}`);
    await first.page.getByLabel('Decision').selectOption('route');
    await first.page.getByLabel(/^Target/).fill('ap.review');
    await first.page.getByLabel(/^Why/).fill('Not a duplicate: the earlier invoice was for a different delivery.');
    await first.page.getByRole('button', { name: 'Carry out this decision' }).click();
    await expect.poll(() => first.page.locator('.flash').innerText()).toMatch(/another approver must approve it/);
    expect(await first.page.getByText('You proposed this; another approver must decide it.').isVisible()).toBe(true);
    const proposalId = await pendingProposalOf(DUPLICATE_INVOICE);
    expect(await h.runtime.proposals.get(proposalId)).toMatchObject({
      proposer: 'ap.manager',
      proposerKind: 'person',
      tool: 'route_to_approver',
    });
    await first.context.close();

    // The same approver in two browser sessions (a double click, or two tabs) approves at once.
    // Two sessions, so each answer carries its own one-time status message.
    const tabs = [await signedIn(browser, h, 'approver2'), await signedIn(browser, h, 'approver2')];
    const csrfs: string[] = [];
    for (const tab of tabs) {
      await tab.page.goto(`/review/exceptions/${DUPLICATE_INVOICE}`);
      csrfs.push(await tab.page.locator('input[name="_csrf"]').first().inputValue());
    }
    const before = writesIn(h.sim.callLog, DUPLICATE_INVOICE).filter((e) => e.path.endsWith('/add_approver')).length;
    const answers = await Promise.all(
      tabs.map((tab, i) =>
        tab.page.request
          .post(`/review/proposals/${proposalId}/approve`, { form: { _csrf: csrfs[i]! } })
          .then((r) => r.text()),
      ),
    );
    expect(answers.filter((t) => /Approved and executed/.test(t))).toHaveLength(1);
    expect(answers.filter((t) => /Nothing done/.test(t))).toHaveLength(1);
    expect(writesIn(h.sim.callLog, DUPLICATE_INVOICE).filter((e) => e.path.endsWith('/add_approver'))).toHaveLength(
      before + 1,
    );
    for (const tab of tabs) await tab.context.close();
  });

  it('dashboard: charts render under the CSP, eval accuracy shows, and the approver switches the mode (audited)', async () => {
    writeFileSync(
      join(h.dataDir, 'eval-report.json'),
      JSON.stringify({ summary: { cases: 50, passed: 48, accuracy: 0.96, unsafe: 0, brain: 'planner' }, cases: [] }),
    );
    const artifact = CalibrationArtifact.parse(
      JSON.parse(readFileSync(join(import.meta.dirname, '..', 'evals', 'calibration', 'sample-company.json'), 'utf8')),
    );
    const calibration = await createCalibrationStore(h.db).save(artifact, 'test');
    const { context, page } = await signedIn(browser, h, 'approver');
    const seen = watch(page);
    await page.goto('/review/dashboard');
    await page.waitForFunction(() => {
      const chart = (window as unknown as { Chart?: { getChart(c: HTMLCanvasElement): unknown } }).Chart;
      return !!chart && Array.from(document.querySelectorAll('canvas')).every((c) => chart.getChart(c));
    });
    expect(await page.locator('.tile', { hasText: 'Eval accuracy' }).innerText()).toMatch(
      /96\.0%[\s\S]*48 of 50 cases, 0 unsafe/,
    );
    expect(await page.locator('.tile', { hasText: 'Human time to settle' }).innerText()).toMatch(/\d+ decisions/);

    // The calibration in force: reliability diagram, ECE per type and thresholds with their data.
    const panel = page.locator('section.calibration');
    expect(await panel.locator('svg.reliability circle.raw').count()).toBe(
      calibration.artifact.check.overall.raw.bins.length,
    );
    expect(await panel.innerText()).toMatch(
      new RegExp(
        `calibration #${calibration.id}[\\s\\S]*459 labelled outcomes[\\s\\S]*Price variance[\\s\\S]*none: people`,
      ),
    );

    await page.getByLabel(/Autonomous/).check();
    await page.getByRole('button', { name: 'Switch mode' }).click();
    await expect.poll(() => page.locator('.flash').innerText()).toMatch(/from assisted to autonomous/);
    expect(await h.runtime.mode.get()).toBe('autonomous');
    const [row] = await h.runtime.audit.list({ tool: 'set_mode', order: 'desc', limit: 1 });
    expect(row).toMatchObject({
      actor: 'ap.manager',
      actorKind: 'person',
      decision: 'executed',
      input: { from: 'assisted', to: 'autonomous' },
    });
    await page.getByLabel(/Assisted/).check();
    await page.getByRole('button', { name: 'Switch mode' }).click();
    await expect.poll(() => h.runtime.mode.get()).toBe('assisted');
    expect(seen.errors).toEqual([]);
    await context.close();
  });

  it('dashboard: the pending supplier requests panel lists what waits on suppliers, oldest first, supplier text as text', async () => {
    const now = new Date(h.sim.now()).getTime();
    const base = {
      tenant: h.runtime.tenant,
      supplierId: 1,
      recipient: 'accounts@example.com',
      channels: ['coupa', 'email'] as const,
      messageId: null,
    };
    const day = 86_400_000;
    await h.runtime.supplierRequests.store.add({
      ...base,
      invoiceId: HELD_INVOICE,
      invoiceNumber: 'PANEL-OLD',
      supplierName: '<b>Bold</b> Supplies',
      caseToken: 'cccccccccccccccc',
      items: [{ key: 'documents', asked: 'the signed timesheet', answerKind: 'document' }],
      askedAt: new Date(now - 9 * day),
    });
    await h.runtime.supplierRequests.store.add({
      ...base,
      invoiceId: SCRIPT_INVOICE,
      invoiceNumber: 'PANEL-NEW',
      supplierName: 'Fresh Ltd',
      caseToken: 'dddddddddddddddd',
      items: [{ key: 'payment_term', asked: 'the payment terms', answerKind: 'field' }],
      askedAt: new Date(now - 2 * day),
    });
    const [old] = await h.runtime.supplierRequests.store.list({ invoiceId: HELD_INVOICE, status: 'pending' });
    await h.runtime.supplierRequests.store.markChased([old!.id], new Date(now - day), 'ap.review');

    const { context, page } = await signedIn(browser, h, 'approver');
    const seen = watch(page);
    await page.goto('/review/dashboard');
    const panel = page.getByRole('region', { name: 'Waiting on suppliers' });
    expect(await panel.locator('p').innerText()).toMatch(
      /2 item\(s\) pending with suppliers, 1 escalated to the AP owner/,
    );
    const rows = panel.locator('table tbody tr');
    expect(await rows.count()).toBe(2);
    expect(await rows.nth(0).locator('th').innerText()).toBe('PANEL-OLD');
    expect(await rows.nth(0).innerText()).toMatch(
      /<b>Bold<\/b> Supplies\s+the signed timesheet\s+9 d \d+ h\s+0\s+ap\.review/,
    );
    expect(await rows.nth(1).locator('th').innerText()).toBe('PANEL-NEW');
    // Supplier-written markup is shown as text, never rendered.
    expect(await panel.locator('b').count()).toBe(0);
    await rows.nth(0).getByRole('link', { name: 'PANEL-OLD' }).click();
    await page.waitForURL(`**/review/exceptions/${HELD_INVOICE}`);
    expect(seen.errors).toEqual([]);
    await context.close();
  });

  it('axe-core finds no serious or critical violations on the queue, an exception page and the dashboard', async () => {
    const context = await browser.newContext({ baseURL: h.baseUrl, bypassCSP: true });
    const page = await context.newPage();
    await page.goto('/review/sign-in');
    const signIn = (await axeViolations(page)).filter((v) => v.impact === 'serious' || v.impact === 'critical');
    await page.getByLabel('Access token').fill(h.tokens.approver!);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.waitForURL(/\/review$/);
    const found: Record<string, unknown[]> = { signIn };
    for (const [name, path] of [
      ['queue', '/review'],
      ['exception', `/review/exceptions/${SCRIPT_INVOICE}`],
      ['dashboard', '/review/dashboard'],
    ] as const) {
      await page.goto(path);
      found[name] = (await axeViolations(page)).filter((v) => v.impact === 'serious' || v.impact === 'critical');
    }
    expect(found).toEqual({ signIn: [], queue: [], exception: [], dashboard: [] });
    await context.close();
  });
});

describe.skipIf(!withBrowser)('supplier documents in a real browser', () => {
  const SUPPLIER_MARKUP = '<img src=x onerror="alert(3)"> Northwind Traders';
  let documentId: number;

  beforeAll(async () => {
    // A supplier the small tenant does not know: ingestion sends it to review instead of posting.
    const pdf = await renderPdf((doc) => {
      doc.font('Helvetica-Bold').fontSize(18).text(SUPPLIER_MARKUP, 40, 40);
      doc.font('Helvetica').fontSize(10);
      doc.text('INVOICE', 400, 40);
      doc.text('Invoice number: NT-7781', 40, 90);
      doc.text('Invoice date: 2026-02-20', 40, 105);
      doc.text('PO number: PO-00991', 40, 120);
      doc.text('Currency: USD', 40, 135);
      doc.text('Description', 40, 180).text('Amount', 460, 180);
      doc.text('Toner, black', 40, 196).text('100.00', 460, 196);
      doc.text('Subtotal 100.00', 400, 240).text('Tax 0.00', 400, 255).text('Total 100.00', 400, 270);
    });
    const ocr = createOcrEngine({ cachePath: join(h.dataDir, 'ocr-cache') });
    const ingestor = createIngestor({ coupa: h.runtime.coupa, ocr, store: createIngestStore(h.db) });
    const [outcome] = await ingestor.ingestFile({
      fileName: 'northwind.pdf',
      bytes: pdf,
      contentType: 'application/pdf',
    });
    await ocr.close();
    expect(outcome?.status).toBe('needs_review');
    documentId = Number(
      (await h.db.query<{ id: string }>("select id from ingested_documents where file_name = 'northwind.pdf'")).rows[0]!
        .id,
    );
  }, 60_000);

  it('axe-core finds no serious or critical violations on the document list and a document', async () => {
    const context = await browser.newContext({ baseURL: h.baseUrl, bypassCSP: true });
    const page = await context.newPage();
    await page.goto('/review/sign-in');
    await page.getByLabel('Access token').fill(h.tokens.approver!);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.waitForURL(/\/review$/);
    const found: Record<string, unknown[]> = {};
    for (const [name, path] of [
      ['documents', '/review/documents'],
      ['document', `/review/documents/${documentId}`],
    ] as const) {
      await page.goto(path);
      found[name] = (await axeViolations(page)).filter((v) => v.impact === 'serious' || v.impact === 'critical');
    }
    expect(found).toEqual({ documents: [], document: [] });
    await context.close();
  });

  it('a reviewer sees the page image beside the values read, supplier markup as text, and marks it handled', async () => {
    const { context, page } = await signedIn(browser, h, 'reviewer');
    const seen = watch(page);
    await page.getByRole('link', { name: 'Supplier documents' }).click();
    await page.getByRole('link', { name: 'northwind.pdf' }).click();
    await page.waitForURL(new RegExp(`/review/documents/${documentId}$`));
    const image = page.getByRole('img', { name: 'Page 1 of northwind.pdf' });
    await expect
      .poll(() => image.evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth))
      .toBeGreaterThan(500);
    await expect.poll(() => page.getByText(SUPPLIER_MARKUP).count()).toBeGreaterThan(0);
    expect(await page.locator('img[src="x"]').count()).toBe(0);

    await page.getByLabel('What you did').fill('Not our supplier: forwarded to the sender as misdirected.');
    await page.getByRole('button', { name: 'Mark handled' }).click();
    await page.waitForURL(/\/review\/documents$/);
    await expect.poll(() => page.getByRole('status').textContent()).toContain('northwind.pdf marked handled.');
    expect(seen).toEqual({ dialogs: [], errors: [] });
    await context.close();
  });
});
