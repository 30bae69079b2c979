import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { heldInvoice, invoice, startTestSim, type TestSim } from './sim.fixture.js';

let t: TestSim;
beforeAll(async () => {
  t = await startTestSim();
});
afterAll(() => t.sim.close());

const unresolved = { 'failed-tolerances': [{ id: 7001, code: 'total_amount', resolved: false }] };
const resolved = { 'failed-tolerances': [{ id: 7001, code: 'total_amount', resolved: true }] };
const findInvoice = (id: number): Record<string, unknown> | undefined =>
  t.sim.records('invoices').find((i) => i.id === id);

// [action, from status, extra invoice fields, expected status or 400]; written from coupa-api.md §5.1/§6.1 and the brief.
const TRANSITIONS: Array<[string, string, Record<string, unknown>, string | 400]> = [
  ['submit', 'draft', {}, 'pending_approval'],
  ['submit', 'draft', unresolved, 'ap_hold'],
  ['submit', 'new', {}, 'pending_approval'],
  ['submit', 'ap_hold', {}, 400],
  ['submit', 'approved', {}, 400],
  ['revalidate_tolerances', 'ap_hold', unresolved, 'ap_hold'],
  ['revalidate_tolerances', 'ap_hold', resolved, 'pending_approval'],
  ['revalidate_tolerances', 'pending_receipt', {}, 'pending_approval'],
  ['revalidate_tolerances', 'pending_receipt', unresolved, 'pending_receipt'],
  ['revalidate_tolerances', 'pending_approval', {}, 'pending_approval'],
  ['revalidate_tolerances', 'approved', {}, 400],
  ['revalidate_tolerances', 'draft', {}, 400],
  ['dispute', 'ap_hold', {}, 'disputed'],
  ['dispute', 'pending_receipt', {}, 'disputed'],
  ['dispute', 'pending_approval', {}, 'disputed'],
  ['dispute', 'pending_action', {}, 'disputed'],
  ['dispute', 'on_hold', {}, 'disputed'],
  ['dispute', 'approved', {}, 400],
  ['dispute', 'voided', {}, 400],
  ['dispute', 'disputed', {}, 400],
  ['dispute', 'draft', {}, 400],
  ['withdraw_dispute', 'disputed', {}, 'pending_approval'],
  ['withdraw_dispute', 'ap_hold', {}, 400],
  ['void', 'pending_receipt', {}, 'voided'],
  ['void', 'approved', {}, 'voided'],
  ['void', 'draft', {}, 'voided'],
  ['void', 'ap_hold', {}, 400],
  ['void', 'pending_approval', {}, 400],
  ['void', 'voided', {}, 400],
  ['abandon', 'draft', {}, 'abandoned'],
  ['abandon', 'new', {}, 'abandoned'],
  ['abandon', 'ap_hold', {}, 'abandoned'],
  ['abandon', 'pending_receipt', {}, 'abandoned'],
  ['abandon', 'disputed', {}, 'abandoned'],
  ['abandon', 'approved', {}, 400],
  ['abandon', 'abandoned', {}, 400],
  ['add_approver', 'ap_hold', {}, 'ap_hold'],
  ['add_approver', 'pending_approval', {}, 'pending_approval'],
  ['add_approver', 'pending_receipt', {}, 'pending_receipt'],
  ['add_approver', 'approved', {}, 400],
  ['add_approver', 'voided', {}, 400],
  ['add_approver', 'abandoned', {}, 400],
];

const ACTION_BODIES: Record<string, unknown> = {
  dispute: { 'dispute-reason': { code: 'INCORRECT-PRICE' } },
  add_approver: { 'approver-id': 2 },
};

describe('invoice state machine', () => {
  it.each(TRANSITIONS)('%s from %s %j → %s', async (action, from, extra, expected) => {
    t.sim.upsert('invoices', invoice(6000, from, { ...extra, approvals: [] }));
    const before = findInvoice(6000);
    const res = await t.api('PUT', `/api/invoices/6000/${action}`, ACTION_BODIES[action] ?? {});
    if (expected === 400) {
      expect(res.status).toBe(400);
      expect(res.body.errors['invoice-header'][0]).toBe(
        `Action ${action} is not allowed for an invoice in status ${from}`,
      );
      expect(findInvoice(6000)).toEqual(before);
    } else {
      expect(res.status, JSON.stringify(res.body)).toBe(200);
      expect(res.body.status).toBe(expected);
      expect(findInvoice(6000)?.status).toBe(expected);
    }
  });

  it('answers 404 for an action on an unknown invoice and for an unknown action', async () => {
    expect((await t.api('PUT', '/api/invoices/424242/submit', {})).status).toBe(404);
    expect((await t.api('PUT', '/api/invoices/5001/approve', {})).status).toBe(404);
  });

  it('stamps updated-at from the simulated clock on every change', async () => {
    t.sim.upsert('invoices', invoice(6001, 'disputed'));
    t.sim.setNow('2026-04-01T12:00:00Z');
    const res = await t.api('PUT', '/api/invoices/6001/withdraw_dispute');
    expect(res.body['updated-at'].slice(0, 13)).toBe('2026-04-01T12');
    expect(Date.parse(t.sim.now()) - Date.parse('2026-04-01T12:00:00Z')).toBeLessThan(60_000);
  });
});

describe('dispute', () => {
  beforeEach(() => t.sim.upsert('invoices', invoice(6100, 'ap_hold')));

  it('requires a known dispute reason code', async () => {
    const missing = await t.api('PUT', '/api/invoices/6100/dispute', { comment: 'x' });
    expect(missing.status).toBe(400);
    expect(missing.body.errors['invoice-header']).toEqual(['Dispute reason is required']);
    const unknown = await t.api('PUT', '/api/invoices/6100/dispute', { 'dispute-reason': { code: 'BECAUSE' } });
    expect(unknown.status).toBe(400);
    expect(findInvoice(6100)?.status).toBe('ap_hold');
  });

  it('records the reason and stores the comment as supplier-visible', async () => {
    const res = await t.api('PUT', '/api/invoices/6100/dispute', {
      dispute_reason: { code: 'INCORRECT-QUANTITY' },
      comment: 'Billed 12, received 10',
    });
    expect(res.body.status).toBe('disputed');
    expect(res.body['dispute-reasons']).toEqual([{ code: 'INCORRECT-QUANTITY' }]);
    const comments = await t.api('GET', '/api/invoices/6100/comments');
    expect(comments.body).toEqual([
      expect.objectContaining({
        comments: 'Billed 12, received 10',
        'to-supplier': true,
        'reason-code': 'INCORRECT-QUANTITY',
      }),
    ]);
  });
});

describe('add_approver', () => {
  beforeEach(() => t.sim.upsert('invoices', invoice(6200, 'ap_hold')));

  it('adds a pending approval by query approver_id, visible on the invoice and in /api/approvals', async () => {
    const res = await t.api('PUT', '/api/invoices/6200/add_approver?approver_id=2', {});
    expect(res.status).toBe(200);
    expect(res.body.status).toBe('ap_hold');
    expect(res.body.approvals).toHaveLength(1);
    expect(res.body.approvals[0]).toMatchObject({
      status: 'pending_approval',
      position: 1,
      'approvable-type': 'InvoiceHeader',
      'approvable-id': 6200,
      'approver-id': 2,
      approver: { id: 2, login: 'jlee' },
      'created-by': { login: 'settle-sample' },
    });
    const listed = await t.api('GET', '/api/approvals?approvable-id=6200&approvable_type=InvoiceHeader');
    expect(listed.body.map((a: { id: number }) => a.id)).toEqual([res.body.approvals[0].id]);
  });

  it('accepts the approver by login in the body, and refuses a duplicate or an unknown user', async () => {
    const byLogin = await t.api('PUT', '/api/invoices/6200/add_approver', {
      approver: { login: 'ap.review' },
      note: 'please check',
    });
    expect(byLogin.body.approvals[0]).toMatchObject({ 'approver-id': 1, note: 'please check' });
    const twice = await t.api('PUT', '/api/invoices/6200/add_approver', { approver: { id: 1 } });
    expect(twice.status).toBe(400);
    expect(twice.body.errors.approval[0]).toContain('already a pending approver');
    const ghost = await t.api('PUT', '/api/invoices/6200/add_approver?approver_id=999', {});
    expect(ghost.status).toBe(400);
    const none = await t.api('PUT', '/api/invoices/6200/add_approver', {});
    expect(none.status).toBe(400);
    expect(findInvoice(6200)?.approvals).toHaveLength(1);
  });
});

describe('failed tolerance resolution', () => {
  beforeEach(() => t.sim.upsert('invoices', heldInvoice()));

  it('leaves the hold until every failure is resolved, then revalidation releases it', async () => {
    const header = await t.api('PUT', '/api/invoices/5001', {
      'failed-tolerances': [{ id: 901, resolved: true, 'resolution-strategy': 'Within 5% policy' }],
    });
    expect(header.status).toBe(200);
    expect(header.body['failed-tolerances'][0]).toMatchObject({
      resolved: true,
      'resolution-strategy': 'Within 5% policy',
    });
    expect((await t.api('PUT', '/api/invoices/5001/revalidate_tolerances')).body.status).toBe('ap_hold');

    const line = await t.api('PUT', '/api/invoices/5001', {
      invoice_lines: [
        { id: 50011, failed_tolerances: [{ id: 902, resolved: true, resolution_strategy: 'Contract price' }] },
      ],
    });
    expect(line.body['invoice-lines'][0]['failed-tolerances'][0].resolved).toBe(true);
    expect(line.body.status).toBe('ap_hold'); // resolving alone does not move the invoice
    expect((await t.api('PUT', '/api/invoices/5001/revalidate_tolerances')).body.status).toBe('pending_approval');
  });

  it('resolves a line tolerance named at header level, and applies nothing when one id is unknown', async () => {
    const bad = await t.api('PUT', '/api/invoices/5001', {
      'failed-tolerances': [
        { id: 901, resolved: true },
        { id: 999, resolved: true },
      ],
    });
    expect(bad.status).toBe(400);
    expect(bad.body.errors['invoice-header.failed-tolerances'][0]).toContain('999');
    expect(findInvoice(5001)).toEqual(
      expect.objectContaining({ 'failed-tolerances': [expect.objectContaining({ id: 901, resolved: false })] }),
    );
    const both = await t.api('PUT', '/api/invoices/5001', {
      'failed-tolerances': [
        { id: 901, resolved: true },
        { id: 902, resolved: true },
      ],
    });
    expect(both.status).toBe(200);
    expect((await t.api('PUT', '/api/invoices/5001/revalidate_tolerances')).body.status).toBe('pending_approval');
  });

  it("refuses a line-level entry naming another line's tolerance", async () => {
    const res = await t.api('PUT', '/api/invoices/5001', {
      'invoice-lines': [{ id: 50011, 'failed-tolerances': [{ id: 901, resolved: true }] }],
    });
    expect(res.status).toBe(400);
  });
});

describe('invoice create and update validation', () => {
  it('creates a draft with computed totals that can then be submitted', async () => {
    const res = await t.api('POST', '/api/invoices', {
      'invoice-number': 'NEW-1',
      'invoice-date': '2026-03-01',
      supplier: { name: 'CDW' },
      'tax-amount': '8.25',
      'invoice-lines': [{ description: 'Dock', quantity: '3', price: '19.99', 'order-line-id': 3002 }],
    });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    expect(res.body).toMatchObject({
      status: 'draft',
      supplier: { id: 10 },
      'total-with-taxes': '68.22',
      'created-by': { login: 'settle-sample' },
    });
    expect(res.body['invoice-lines'][0]).toMatchObject({ total: '59.97', 'line-num': 1, 'order-line-id': 3002 });
    expect((await t.api('PUT', `/api/invoices/${res.body.id}/submit`)).body.status).toBe('pending_approval');
  });

  it.each([
    [
      'over-long invoice number',
      { 'invoice-number': 'X'.repeat(41), 'invoice-date': '2026-03-01', supplier: { id: 10 } },
    ],
    ['unknown supplier', { 'invoice-number': 'N-2', 'invoice-date': '2026-03-01', supplier: { id: 999 } }],
    [
      'duplicate number for the supplier',
      { 'invoice-number': 'INV-5003', 'invoice-date': '2026-03-01', supplier: { id: 10 } },
    ],
    [
      'money as a boolean',
      { 'invoice-number': 'N-3', 'invoice-date': '2026-03-01', supplier: { id: 10 }, 'tax-amount': true },
    ],
    ['bad date', { 'invoice-number': 'N-4', 'invoice-date': '2026-13-45', supplier: { id: 10 } }],
    [
      'unknown PO line',
      {
        'invoice-number': 'N-5',
        'invoice-date': '2026-03-01',
        supplier: { id: 10 },
        'invoice-lines': [{ description: 'x', price: '1', 'order-line-id': 1 }],
      },
    ],
    ['array body', [1, 2]],
  ])('refuses a create with %s (400, nothing stored)', async (_name, body) => {
    const count = t.sim.records('invoices').length;
    const res = await t.api('POST', '/api/invoices', body);
    expect(res.status).toBe(400);
    expect(res.body.errors).toBeTypeOf('object');
    expect(t.sim.records('invoices')).toHaveLength(count);
  });

  it('updates writable fields, ignores read-only ones, and validates lengths and types', async () => {
    t.sim.upsert('invoices', invoice(6300, 'ap_hold'));
    const ok = await t.api('PUT', '/api/invoices/6300', {
      'internal-note': 'checked',
      status: 'approved',
      'gross-total': '1.00',
    });
    expect(ok.body).toMatchObject({ 'internal-note': 'checked', status: 'ap_hold', 'gross-total': '100.00' });
    expect((await t.api('PUT', '/api/invoices/6300', { 'invoice-number': 'Y'.repeat(41) })).status).toBe(400);
    expect((await t.api('PUT', '/api/invoices/6300', { comments: 'z'.repeat(10_001) })).status).toBe(400);
    expect((await t.api('PUT', '/api/invoices/6300', { 'internal-note': 42 })).status).toBe(400);
    expect((await t.api('PUT', '/api/invoices/6300', { 'invoice-lines': [{ id: 1 }] })).status).toBe(400);
    expect((await t.api('PUT', '/api/invoices/5005', { 'internal-note': 'too late' })).status).toBe(400); // voided
  });
});

describe('comments and attachments', () => {
  it('stores internal and supplier-facing comments with author and time', async () => {
    const internal = await t.api('POST', '/api/invoices/5003/comments', { comments: 'Dossier: price within 3.0%' });
    expect(internal.status).toBe(201);
    expect(internal.body).toMatchObject({
      'commentable-type': 'InvoiceHeader',
      'commentable-id': 5003,
      'to-supplier': false,
      'created-by': { login: 'settle-sample' },
    });
    const external = await t.api('POST', '/api/comments', {
      'commentable-type': 'InvoiceHeader',
      'commentable-id': 5003,
      comments: 'Please send the PO number',
      'to-supplier': true,
    });
    expect(external.status).toBe(201);
    const list = await t.api('GET', '/api/invoices/5003/comments');
    expect(list.body.map((c: { comments: string; 'to-supplier': boolean }) => [c.comments, c['to-supplier']])).toEqual([
      ['Dossier: price within 3.0%', false],
      ['Please send the PO number', true],
    ]);
    const seeded = await t.api('GET', '/api/invoices/5001/comments');
    expect(seeded.body[0]).toMatchObject({ comments: 'Called the supplier' });
  });

  it.each([
    ['blank', { comments: '   ' }],
    ['over 10k characters', { comments: 'c'.repeat(10_001) }],
    ['to-supplier as text', { comments: 'hi', 'to-supplier': 'yes' }],
    ['no text', { 'to-supplier': true }],
  ])('refuses a %s comment', async (_name, body) => {
    const res = await t.api('POST', '/api/invoices/5003/comments', body);
    expect(res.status).toBe(400);
    expect(res.body.errors.comment).toBeDefined();
  });

  it('404s a comment on an unknown record', async () => {
    expect((await t.api('POST', '/api/invoices/999999/comments', { comments: 'x' })).status).toBe(404);
    expect(
      (
        await t.api('POST', '/api/comments', {
          'commentable-type': 'InvoiceHeader',
          'commentable-id': 999999,
          comments: 'x',
        })
      ).status,
    ).toBe(404);
  });

  it('takes a multipart file and a JSON text attachment and lists both on the invoice', async () => {
    const form = new FormData();
    form.set('attachment[type]', 'file');
    form.set('attachment[file]', new Blob(['# Dossier\nprice ok'], { type: 'text/markdown' }), 'dossier.md');
    const upload = await fetch(`${t.sim.url}/api/invoices/5003/attachments`, {
      method: 'POST',
      headers: { authorization: `Bearer ${t.token}` },
      body: form,
    });
    expect(upload.status).toBe(201);
    expect(await upload.json()).toMatchObject({
      type: 'AttachmentFile',
      'file-file-name': 'dossier.md',
      'file-file-size': 18,
      text: '# Dossier\nprice ok',
    });
    const text = await t.api('POST', '/api/invoices/5003/attachments', { type: 'text', text: 'note' });
    expect(text.status).toBe(201);
    const list = await t.api('GET', '/api/invoices/5003/attachments');
    expect(list.body.map((a: { type: string }) => a.type)).toEqual(['AttachmentFile', 'AttachmentText']);
    expect(
      (await t.api('POST', '/api/invoices/5003/attachments', { type: 'url', url: 'javascript:alert(1)' })).status,
    ).toBe(400);
  });
});
