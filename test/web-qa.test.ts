/**
 * The QA review flow in headless Chromium: an autonomous settlement drawn for QA appears under
 * "QA review" on the Autonomy & QA page; a reviewer disagrees with a reason and the correct
 * decision. The verdict is stored once, audited under their name, becomes a correction in the
 * resolution memory, and — the invoice still being held — a corrective proposal for an approver.
 */
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createQaStore, DEFAULT_QA } from '../src/shadow/qa-store.js';
import { DUPLICATE_INVOICE, launchChromium, signedIn, startWebHarness, type WebHarness } from './web.fixture.js';

let h: WebHarness;
let browser: Browser;

beforeAll(async () => {
  [h, browser] = await Promise.all([startWebHarness(), launchChromium()]);
});

afterAll(async () => {
  await browser?.close();
  await h?.close();
});

describe('QA review in a real browser', () => {
  it('a reviewer disagrees with a drawn settlement: correction in memory, corrective proposal, audited', async () => {
    const v = h.verdicts.get(DUPLICATE_INVOICE)!;
    expect(v).toMatchObject({ decision: 'hold', executed: true });
    const {
      rows: [settlement],
    } = await h.db.query<{ id: string }>('select id from settlements where invoice_id = $1 order by id desc limit 1', [
      DUPLICATE_INVOICE,
    ]);
    const sample = await createQaStore(h.db).consider(
      {
        settlementId: Number(settlement!.id),
        tenant: h.runtime.tenant,
        invoiceId: DUPLICATE_INVOICE,
        exceptionType: v.exception_type,
        supplierId: v.supplier.id,
        supplierName: v.supplier.name,
        amount: v.invoice_total ?? null,
        decision: v.decision,
        confidence: v.confidence,
        autonomyRule: null,
        settledAt: new Date(v.settled_at),
      },
      { ...DEFAULT_QA, share: 1 },
    );
    expect(sample?.drawnBecause).toMatch(/random/);

    const { context, page } = await signedIn(browser, h, 'approver');
    await page.getByRole('link', { name: 'Autonomy & QA' }).click();
    await page.waitForURL(/\/review\/autonomy$/);
    expect(await page.getByRole('heading', { name: 'QA review' }).isVisible()).toBe(true);
    const item = page.locator(`#qa-${sample!.id}`);
    expect(await item.innerText()).toMatch(new RegExp(`Invoice ${DUPLICATE_INVOICE}`));
    await item.getByLabel('Disagree', { exact: true }).check();
    await item.getByLabel('Correct decision (if you disagree)').selectOption('route');
    await item
      .getByLabel('Reason')
      .fill('Same amount but a different service month: route to the AP manager to confirm.');
    await item.getByRole('button', { name: 'Record QA verdict' }).click();
    await page.waitForURL(/\/review\/autonomy$/);
    await expect
      .poll(() => page.locator('.flash').innerText())
      .toMatch(/QA verdict recorded \(disagree\)\. Corrective proposal/);
    expect(await page.locator(`#qa-${sample!.id}`).count()).toBe(0);

    const reviewed = await createQaStore(h.db).get(sample!.id);
    expect(reviewed).toMatchObject({ verdict: 'disagree', reviewedBy: 'ap.manager', correctDecision: 'route' });
    const proposal = await h.runtime.proposals.get(reviewed!.correctiveProposalId!);
    expect(proposal).toMatchObject({
      tool: 'route_to_approver',
      invoiceId: DUPLICATE_INVOICE,
      status: 'pending',
      proposer: 'settle-qa',
    });
    const audit = await h.runtime.audit.list({ invoiceId: DUPLICATE_INVOICE, actor: 'ap.manager' });
    expect(audit.map((r) => [r.tool, r.decision])).toContainEqual(['qa_review', 'executed']);
    const { rows } = await h.db.query<{ metadata: Record<string, unknown> }>(
      `select metadata from knowledge_chunks where document_id = 'resolution/invoice-${DUPLICATE_INVOICE}/human' limit 1`,
    );
    expect(rows[0]?.metadata).toMatchObject({ source: 'human', decision: 'route', correction_of: 'hold' });

    // The same form submitted again records nothing more.
    const csrf = await page.locator('input[name="_csrf"]').first().inputValue();
    const again = await page.request.post(`/review/qa/${sample!.id}`, {
      form: { _csrf: csrf, verdict: 'agree', reason: 'second try' },
    });
    expect(await again.text()).toMatch(/already reviewed/);
    await context.close();
  });
});
