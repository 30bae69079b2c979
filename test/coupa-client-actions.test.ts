import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CoupaHttpError } from '../src/coupa/index.js';
import { IDS, startHarness, type Harness } from './coupa-client.fixture.js';

let h: Harness;
beforeEach(async () => {
  h = await startHarness();
});
afterEach(async () => {
  await h.sim.close();
});

const stored = (id: number): Record<string, unknown> | undefined => h.sim.records('invoices').find((i) => i.id === id);
const puts = (): string[] => h.calls('PUT').map((c) => c.path);

describe('Coupa client actions (real simulator over loopback)', () => {
  it('adds an internal and a supplier-visible comment', async () => {
    const internal = await h.client.addComment(IDS.heldInvoice, { text: 'Dossier: price 3.3% over PO.' });
    const external = await h.client.addComment(IDS.heldInvoice, {
      text: 'Please send a credit note.',
      toSupplier: true,
    });
    expect(internal).toMatchObject({ comments: 'Dossier: price 3.3% over PO.', toSupplier: false });
    expect(external).toMatchObject({ comments: 'Please send a credit note.', toSupplier: true });
    const posted = h.calls('POST', `/api/invoices/${IDS.heldInvoice}/comments`).map((c) => c.body);
    expect(posted).toEqual([
      { comments: 'Dossier: price 3.3% over PO.', 'to-supplier': false },
      { comments: 'Please send a credit note.', 'to-supplier': true },
    ]);
    const comments = h.sim.records('comments').filter((c) => c['commentable-id'] === IDS.heldInvoice);
    expect(comments.map((c) => [c.comments, c['to-supplier']])).toEqual([
      ['Supplier called about this one.', false],
      ['Dossier: price 3.3% over PO.', false],
      ['Please send a credit note.', true],
    ]);
    expect((await h.client.listComments(IDS.heldInvoice)).map((c) => c.id)).toEqual(comments.map((c) => c.id));
  });

  it('adds an approver to the invoice chain', async () => {
    const invoice = await h.client.addApprover(IDS.pendingApproval, IDS.reviewer);
    expect(invoice.id).toBe(IDS.pendingApproval);
    expect(puts()).toEqual([`/api/invoices/${IDS.pendingApproval}/add_approver`]);
    const chain = await h.client.listApprovals(IDS.pendingApproval);
    expect(chain.map((a) => a.approverId ?? a.approver?.id)).toEqual([IDS.manager, IDS.reviewer]);
    expect(h.sim.records('approvals').filter((a) => a['approvable-id'] === IDS.pendingApproval)).toHaveLength(2);
  });

  it('disputes with a reason code and a comment, and withdraws a dispute', async () => {
    const disputed = await h.client.dispute(IDS.receiptHold, {
      reasonCode: 'INCORRECT-QUANTITY',
      comment: 'Billed 100, received 80',
    });
    expect(disputed.status).toBe('disputed');
    expect(h.calls('PUT', `/api/invoices/${IDS.receiptHold}/dispute`)[0]!.body).toEqual({
      'dispute-reason': { code: 'INCORRECT-QUANTITY' },
      comment: 'Billed 100, received 80',
    });
    expect(stored(IDS.receiptHold)?.status).toBe('disputed');
    const withdrawn = await h.client.withdrawDispute(IDS.disputed);
    expect(withdrawn.status).toBe('pending_approval');
    expect(stored(IDS.disputed)?.status).toBe('pending_approval');
  });

  it('resolves every unresolved failed tolerance on header and lines, then revalidates', async () => {
    const invoice = await h.client.resolveFailedTolerances(
      IDS.heldInvoice,
      'Price increase agreed with buyer (ticket 4411)',
    );
    expect(invoice.status).toBe('pending_approval');
    expect(puts()).toEqual([
      `/api/invoices/${IDS.heldInvoice}`,
      `/api/invoices/${IDS.heldInvoice}/revalidate_tolerances`,
    ]);
    const mark = { resolved: true, 'resolution-strategy': 'Price increase agreed with buyer (ticket 4411)' };
    expect(h.calls('PUT', `/api/invoices/${IDS.heldInvoice}`)[0]!.body).toEqual({
      'failed-tolerances': [{ id: IDS.headerTolerance, ...mark }],
      'invoice-lines': [{ id: IDS.heldInvoice * 10 + 1, 'failed-tolerances': [{ id: IDS.lineTolerance, ...mark }] }],
    });
    const after = stored(IDS.heldInvoice)!;
    expect(after.status).toBe('pending_approval');
    const lines = after['invoice-lines'] as Array<{ 'failed-tolerances': Array<{ resolved: boolean }> }>;
    const all = [
      ...(after['failed-tolerances'] as Array<{ resolved: boolean }>),
      ...lines.flatMap((l) => l['failed-tolerances']),
    ];
    expect(all).toHaveLength(3);
    expect(all.every((t) => t.resolved)).toBe(true);
  });

  it('revalidating with failures left keeps the invoice on hold', async () => {
    const invoice = await h.client.revalidateTolerances(IDS.heldInvoice);
    expect(invoice.status).toBe('ap_hold');
    expect(puts()).toEqual([`/api/invoices/${IDS.heldInvoice}/revalidate_tolerances`]);
  });

  it('submits a draft, voids an approved invoice and abandons a held one', async () => {
    expect((await h.client.submit(IDS.draft)).status).toBe('pending_approval');
    expect((await h.client.void(IDS.approved)).status).toBe('voided');
    expect((await h.client.abandon(IDS.heldInvoice, { comment: 'Duplicate of INV-5002' })).status).toBe('abandoned');
    expect(puts()).toEqual([
      `/api/invoices/${IDS.draft}/submit`,
      `/api/invoices/${IDS.approved}/void`,
      `/api/invoices/${IDS.heldInvoice}/abandon`,
    ]);
    expect([IDS.draft, IDS.approved, IDS.heldInvoice].map((id) => stored(id)?.status)).toEqual([
      'pending_approval',
      'voided',
      'abandoned',
    ]);
  });

  it("answers an illegal transition with a typed 400 carrying Coupa's message", async () => {
    const error = await h.client.withdrawDispute(IDS.approved).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CoupaHttpError);
    expect(error).toMatchObject({ status: 400, method: 'PUT', path: `/api/invoices/${IDS.approved}/withdraw_dispute` });
    expect((error as CoupaHttpError).messages.join(' ')).toMatch(/approved/);
    expect(stored(IDS.approved)?.status).toBe('approved');
  });

  it('creates a draft invoice', async () => {
    const draft = await h.client.createDraftInvoice({
      invoiceNumber: 'NEW-1',
      invoiceDate: '2026-03-01',
      currency: { code: 'USD' },
      supplier: { id: IDS.supplier },
      lineLevelTaxation: false,
      invoiceLines: [
        {
          lineNum: 1,
          type: 'InvoiceQuantityLine',
          description: 'Hex bolts M8',
          quantity: '10',
          price: '12.00',
          orderLineId: IDS.poLine1,
        },
      ],
    });
    expect(draft).toMatchObject({ invoiceNumber: 'NEW-1', status: 'draft', supplier: { id: IDS.supplier } });
    expect(h.calls('POST', '/api/invoices')[0]!.body).toMatchObject({
      'invoice-number': 'NEW-1',
      'invoice-lines': [{ 'order-line-id': IDS.poLine1, price: '12.00' }],
    });
    expect(stored(draft.id)).toMatchObject({ 'invoice-number': 'NEW-1', status: 'draft' });
  });

  it('attaches a file to an invoice', async () => {
    const bytes = new TextEncoder().encode('%PDF-1.4 scan');
    const attachment = await h.client.attachFile(IDS.heldInvoice, 'scan.pdf', bytes, 'application/pdf');
    expect(attachment).toMatchObject({ fileFileName: 'scan.pdf' });
    expect(h.calls('POST', `/api/invoices/${IDS.heldInvoice}/attachments`)).toHaveLength(1);
  });

  it('counts every call it makes, by method', async () => {
    const before = h.client.stats();
    await h.client.void(IDS.approved);
    const after = h.client.stats();
    expect(after.total - before.total).toBe(h.sim.callLog.length);
    expect(after.byMethod.PUT).toBe(1);
  });
});
