/**
 * The review page end to end in headless Chromium (Debian's, driven by playwright-core): real
 * proposals made by the planner agent, approved by people on the page, observed in the simulator,
 * the audit log and the knowledge store. Also: supplier markup stays text, keyboard-only approval,
 * readers cannot approve, and axe-core finds no serious or critical accessibility violations.
 */
import { createRequire } from 'node:module';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writesIn } from './mcp.fixture.js';
import { DUPLICATE_INVOICE, HELD_INVOICE, NOTE_TEXT, SCRIPT_INVOICE, SCRIPT_TEXT, launchChromium, signedIn, startWebHarness, type WebHarness } from './web.fixture.js';

const AXE_PATH = createRequire(import.meta.url).resolve('axe-core/axe.min.js');

let h: WebHarness;
let browser: Browser;

beforeAll(async () => {
  [h, browser] = await Promise.all([startWebHarness(), launchChromium()]);
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
    const axe = (window as unknown as { axe: { run(ctx: Document): Promise<{ violations: Array<{ id: string; impact: string; help: string; nodes: unknown[] }> }> } }).axe;
    const result = await axe.run(document);
    return result.violations.map((v) => ({ id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.length }));
  });
}

describe('review page in a real browser', () => {
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
    expect(await page.locator('.supplier-text', { hasText: 'Toner, black' }).first().innerText()).toMatch(/supplier text/i);
    await page.waitForTimeout(300);
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
    const auditRow = page.locator('table.audit tbody tr', { hasText: 'ap.manager' }).filter({ hasText: 'resolve_exception' });
    expect(await auditRow.innerText()).toMatch(/executed/);
    const stored = await h.runtime.audit.list({ invoiceId: HELD_INVOICE, actor: 'ap.manager' });
    expect(stored.map((r) => [r.tool, r.decision, r.actorKind])).toContainEqual(['resolve_exception', 'executed', 'person']);
    expect(await h.runtime.proposals.get(proposalId)).toMatchObject({ status: 'executed', decidedBy: 'ap.manager' });

    const { rows } = await h.db.query<{ metadata: Record<string, unknown> }>(`select metadata from knowledge_chunks where document_id = 'resolution/invoice-${HELD_INVOICE}/human' limit 1`);
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
    expect(await h.runtime.proposals.get(proposalId)).toMatchObject({ proposer: 'ap.manager', proposerKind: 'person', tool: 'route_to_approver' });
    await first.context.close();

    const second = await signedIn(browser, h, 'approver2');
    await second.page.goto(`/review/exceptions/${DUPLICATE_INVOICE}`);
    const csrf = await second.page.locator('input[name="_csrf"]').first().inputValue();
    const before = writesIn(h.sim.callLog, DUPLICATE_INVOICE).filter((e) => e.path.endsWith('/add_approver')).length;
    const answers = await Promise.all([1, 2].map(() => second.page.request.post(`/review/proposals/${proposalId}/approve`, { form: { _csrf: csrf } }).then((r) => r.text())));
    expect(answers.filter((t) => /Approved and executed/.test(t))).toHaveLength(1);
    expect(answers.filter((t) => /Nothing done/.test(t))).toHaveLength(1);
    expect(writesIn(h.sim.callLog, DUPLICATE_INVOICE).filter((e) => e.path.endsWith('/add_approver'))).toHaveLength(before + 1);
    await second.context.close();
  });

  it('dashboard: charts render under the CSP, eval accuracy shows, and the approver switches the mode (audited)', async () => {
    writeFileSync(join(h.dataDir, 'eval-report.json'), JSON.stringify({ summary: { cases: 50, passed: 48, accuracy: 0.96, unsafe: 0, brain: 'planner' }, cases: [] }));
    const { context, page } = await signedIn(browser, h, 'approver');
    const seen = watch(page);
    await page.goto('/review/dashboard');
    await page.waitForFunction(() => {
      const chart = (window as unknown as { Chart?: { getChart(c: HTMLCanvasElement): unknown } }).Chart;
      return !!chart && Array.from(document.querySelectorAll('canvas')).every((c) => chart.getChart(c));
    });
    expect(await page.locator('.tile', { hasText: 'Eval accuracy' }).innerText()).toMatch(/96\.0%[\s\S]*48 of 50 cases, 0 unsafe/);
    expect(await page.locator('.tile', { hasText: 'Human time to settle' }).innerText()).toMatch(/\d+ decisions/);

    await page.getByLabel(/Autonomous/).check();
    await page.getByRole('button', { name: 'Switch mode' }).click();
    await expect.poll(() => page.locator('.flash').innerText()).toMatch(/from assisted to autonomous/);
    expect(await h.runtime.mode.get()).toBe('autonomous');
    const [row] = await h.runtime.audit.list({ tool: 'set_mode', order: 'desc', limit: 1 });
    expect(row).toMatchObject({ actor: 'ap.manager', actorKind: 'person', decision: 'executed', input: { from: 'assisted', to: 'autonomous' } });
    await page.getByLabel(/Assisted/).check();
    await page.getByRole('button', { name: 'Switch mode' }).click();
    await expect.poll(() => h.runtime.mode.get()).toBe('assisted');
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
    for (const [name, path] of [['queue', '/review'], ['exception', `/review/exceptions/${SCRIPT_INVOICE}`], ['dashboard', '/review/dashboard']] as const) {
      await page.goto(path);
      found[name] = (await axeViolations(page)).filter((v) => v.impact === 'serious' || v.impact === 'critical');
    }
    expect(found).toEqual({ signIn: [], queue: [], exception: [], dashboard: [] });
    await context.close();
  });
});
