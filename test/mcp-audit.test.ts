/**
 * The audit trail as the MCP path writes it: one hash-chained row per tools/call — read, executed,
 * proposed, denied by control, scope or schema, unknown tool — with the caller, the guard's
 * decision and the Coupa calls made; SQL tampering refused; a superuser's edit found by verify.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Client } from '@modelcontextprotocol/sdk/client/index.js';
import type { AuditRow } from '../src/audit/index.js';
import { HELD_INVOICE, priceVarianceCase, startHarness, SUPPLIER, type McpHarness } from './mcp.fixture.js';

let h: McpHarness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(async () => h?.close());

async function rowsAfter(seq: number): Promise<AuditRow[]> {
  return h.runtime.audit.list({ afterSeq: seq, limit: 1000 });
}

describe('audit rows through MCP', () => {
  it('writes exactly one row per call, with the decision, reason, caller and Coupa calls', async () => {
    const reviewer: Client = await h.client('reviewer');
    const reader: Client = await h.client('reader');
    const c = priceVarianceCase({
      invoiceId: 7001,
      supplierId: SUPPLIER,
      poPrice: '100.00',
      invoicePrice: '103.00',
      quantity: '10',
    });
    h.sim.upsert('purchase-orders', c.po);
    h.sim.upsert('receiving-transactions', c.receipt);
    h.sim.upsert('invoices', c.invoice);
    const start = (await h.runtime.audit.head())?.seq ?? 0;

    const calls: Array<[Client, string, Record<string, unknown>]> = [
      [reviewer, 'get_invoice', { invoice_id: HELD_INVOICE }],
      [
        reviewer,
        'add_comment',
        { invoice_id: HELD_INVOICE, text: 'Dossier: audited comment.', idempotency_key: 'audit-comment-0001' },
      ],
      [
        reviewer,
        'add_comment',
        { invoice_id: HELD_INVOICE, text: 'Dossier: audited comment.', idempotency_key: 'audit-comment-0001' },
      ],
      [
        reviewer,
        'route_to_approver',
        { invoice_id: HELD_INVOICE, approver_login: 'gone.user', reason: 'Deactivated approver.' },
      ],
      [reader, 'add_comment', { invoice_id: HELD_INVOICE, text: 'no scope' }],
      [reviewer, 'get_invoice', { invoice_id: 'five' }],
      [reviewer, 'pay_invoice', { invoice_id: HELD_INVOICE }],
    ];
    for (const [client, name, args] of calls) await client.callTool({ name, arguments: args });
    await h.runtime.mode.set('assisted', 'test');
    await reviewer.callTool({
      name: 'resolve_exception',
      arguments: { invoice_id: 7001, justification: 'Within AP-TOL-2.1 price tolerance.' },
    });
    await h.runtime.mode.set('autonomous', 'test');

    const rows = await rowsAfter(start);
    expect(rows.map((r) => [r.actor, r.tool, r.decision])).toEqual([
      ['rita.reviewer', 'get_invoice', 'allowed'],
      ['rita.reviewer', 'add_comment', 'executed'],
      ['rita.reviewer', 'add_comment', 'executed'],
      ['rita.reviewer', 'route_to_approver', 'denied'],
      ['riley.reader', 'add_comment', 'denied'],
      ['rita.reviewer', 'get_invoice', 'denied'],
      ['rita.reviewer', 'pay_invoice', 'denied'],
      ['rita.reviewer', 'resolve_exception', 'proposed'],
    ]);
    const [read, comment, replay, control, scope, schema, unknown, proposed] = rows as [
      AuditRow,
      AuditRow,
      AuditRow,
      AuditRow,
      AuditRow,
      AuditRow,
      AuditRow,
      AuditRow,
    ];
    expect(read).toMatchObject({ actorKind: 'person', reason: 'read', invoiceId: HELD_INVOICE, idempotencyKey: null });
    expect(read.coupaCalls).toBeGreaterThanOrEqual(1);
    expect(comment).toMatchObject({
      idempotencyKey: 'audit-comment-0001',
      invoiceId: HELD_INVOICE,
      input: { invoice_id: HELD_INVOICE, text: 'Dossier: audited comment.' },
    });
    expect(comment.coupaCalls).toBeGreaterThanOrEqual(1); // at least the POST
    expect(replay).toMatchObject({ reason: 'replayed stored result for idempotency key', coupaCalls: 0 });
    expect(control.reason).toContain('control "approver_exists" exceeded');
    expect(scope.reason).toContain('lacks the "invoices:comment" scope');
    expect(schema).toMatchObject({ input: { invoice_id: 'five' } });
    expect(schema.reason).toContain('invalid input');
    expect(unknown.reason).toContain('no tool named "pay_invoice"');
    expect(proposed.reason).toContain('mode "assisted" requires a person');
    expect(proposed.resultSummary).toMatch(/^proposal [0-9a-f-]{36}$/);
    // Chained: each row points at its predecessor.
    rows.slice(1).forEach((r, i) => expect(r.prevHash).toBe(rows[i]!.hash));
    expect(await h.runtime.audit.verify()).toMatchObject({ ok: true });
  });

  it("an approval is recorded as the approver executing the proposer's write", async () => {
    const reviewer = await h.client('reviewer');
    const approver = await h.client('approver');
    await h.runtime.mode.set('assisted', 'test');
    const p = await reviewer.callTool({
      name: 'add_comment',
      arguments: { invoice_id: HELD_INVOICE, text: 'Proposed while monitoring.' },
    });
    expect((p.structuredContent as { status: string }).status).toBe('executed'); // comments execute in assisted
    const r = await reviewer.callTool({
      name: 'route_to_approver',
      arguments: { invoice_id: HELD_INVOICE, approver_login: 'ap.review', reason: 'Needs AP review.' },
    });
    const proposalId = (r.structuredContent as { proposal_id: string }).proposal_id;
    const start = (await h.runtime.audit.head())!.seq;
    await approver.callTool({
      name: 'decide_proposal',
      arguments: { proposal_id: proposalId, decision: 'approve', reason: 'Agreed.' },
    });
    await h.runtime.mode.set('autonomous', 'test');
    const rows = await rowsAfter(start);
    expect(rows.map((x) => [x.actor, x.tool, x.decision])).toEqual([
      ['ap.manager', 'route_to_approver', 'executed'],
      ['ap.manager', 'decide_proposal', 'executed'],
    ]);
    expect(rows[0]!.reason).toBe(`approved proposal ${proposalId}`);
    expect(rows[0]!.idempotencyKey).toBe(`approval:${proposalId}`);
  });

  it('a decision through decide_proposal is one row, whether it is refused or a rejection', async () => {
    const reviewer = await h.client('reviewer');
    const approver = await h.client('approver');
    await h.runtime.mode.set('assisted', 'test');
    const r = await reviewer.callTool({
      name: 'route_to_approver',
      arguments: { invoice_id: 7001, approver_login: 'jlee', reason: 'Requester to confirm.' },
    });
    await h.runtime.mode.set('autonomous', 'test');
    const proposalId = (r.structuredContent as { proposal_id: string }).proposal_id;
    const start = (await h.runtime.audit.head())!.seq;
    await approver.callTool({
      name: 'decide_proposal',
      arguments: { proposal_id: 'no-such-proposal', decision: 'reject', reason: 'Cleaning up.' },
    });
    await approver.callTool({
      name: 'decide_proposal',
      arguments: { proposal_id: proposalId, decision: 'reject', reason: 'Not needed.' },
    });
    const rows = await rowsAfter(start);
    expect(rows.map((x) => [x.tool, x.decision])).toEqual([
      ['decide_proposal', 'error'],
      ['decide_proposal', 'executed'],
    ]);
    expect(rows[0]!.reason).toContain('no proposal no-such-proposal');
    expect(rows[1]!.resultSummary).toBe(`Proposal ${proposalId} rejected.`);
  });
});

describe('audit tampering', () => {
  it('refuses UPDATE, DELETE and TRUNCATE through SQL', async () => {
    const before = await h.runtime.audit.count();
    expect(before).toBeGreaterThan(0);
    await expect(
      h.db.query(`update audit_log set guard_decision = 'allowed' where guard_decision = 'denied'`),
    ).rejects.toThrow(/append-only: UPDATE refused/);
    await expect(h.db.query('delete from audit_log')).rejects.toThrow(/append-only: DELETE refused/);
    await expect(h.db.query('truncate audit_log')).rejects.toThrow(/append-only: TRUNCATE refused/);
    expect(await h.runtime.audit.count()).toBe(before);
    expect(await h.runtime.audit.verify()).toMatchObject({ ok: true, rows: before });
  });

  it('finds a row a superuser altered behind the triggers, naming it', async () => {
    const { rows } = await h.db.query<{ seq: string }>(
      `select seq::text from audit_log where tool = 'pay_invoice' order by seq limit 1`,
    );
    const seq = Number(rows[0]!.seq);
    await h.db.query('alter table audit_log disable trigger audit_log_no_update');
    try {
      await h.db.query(`update audit_log set guard_decision = 'allowed', reason = 'read' where seq = $1`, [seq]);
    } finally {
      await h.db.query('alter table audit_log enable trigger audit_log_no_update');
    }
    const result = await h.runtime.audit.verify();
    expect(result).toMatchObject({ ok: false, firstBrokenSeq: seq });
    expect(result.reason).toContain('row altered');
  });
});
