/**
 * GR/IR proposals and approvals: a model over MCP can list open items and propose, never approve;
 * approving needs the accountant role and never the proposer; write-offs and adjustments above the
 * threshold need two accountants; approval comments on the PO in Coupa, exports a balanced journal,
 * and every decision is audited.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { journalCsv, journalJson, totals } from '../src/domain/grir/journal.js';
import { decideGrirProposal, ensurePoComment, poCommentMarker, type DecisionDeps } from '../src/grir/decisions.js';
import { createGrirProposalStore, approvalsNeeded } from '../src/grir/proposals.js';
import { runGrir } from '../src/grir/run.js';
import { SAMPLE_GRIR_SOURCE } from '../src/grir/source.js';
import { createIdentity } from '../src/guard/identity.js';
import { generateGrirBook, withGrirBook } from '../src/sim/generator/grir-book.js';
import { HELD_INVOICE, NOW, mcpDataset, startHarness, structured, textOf, type McpHarness } from './mcp.fixture.js';

let h: McpHarness;
const accountant = createIdentity('amy.accountant', 'person', ['accountant']);
const accountant2 = createIdentity('ben.accountant', 'person', ['accountant']);
const reviewerPerson = createIdentity('rita.reviewer', 'person', ['reviewer']);
const approverPerson = createIdentity('ap.manager', 'person', ['approver']);
let deps: DecisionDeps;

beforeAll(async () => {
  const book = generateGrirBook({ seed: 3, poLines: 400, now: NOW, minPerCause: 3 });
  h = await startHarness({ dataset: withGrirBook(mcpDataset(), book) });
  await runGrir({ db: h.db, records: h.runtime.records, source: SAMPLE_GRIR_SOURCE, now: new Date(h.sim.now()) });
  const proposals = createGrirProposalStore(h.db);
  deps = {
    proposals,
    audit: h.runtime.audit,
    coupa: h.runtime.coupa,
    now: () => new Date(h.sim.now()),
    poOfLine: async (id) => {
      const { rows } = await h.db.query<{ po_id: string; po_number: string }>(
        `select po_id, fact->>'poNumber' as po_number from grir_po_lines where po_line_id = $1`,
        [id],
      );
      return rows[0] ? { poId: Number(rows[0].po_id), poNumber: rows[0].po_number } : null;
    },
  };
}, 120_000);
afterAll(async () => h?.close());

async function openItem(cause: string): Promise<{ po_line_id: number; amount: string }> {
  const client = await h.client('reviewer');
  const listed = structured(await client.callTool({ name: 'grir_open_items', arguments: { cause, limit: 5 } }));
  expect(listed.items.length).toBeGreaterThan(0);
  return listed.items[0];
}

describe('GR/IR over MCP', () => {
  it('lists open items with cause, evidence and proposed action', async () => {
    const item = await openItem('duplicate_receipt');
    expect(item).toMatchObject({ cause: 'duplicate_receipt', proposed_action: { kind: 'receipt_request' } });
  });

  it('lets the model propose but offers no way to approve', async () => {
    const item = await openItem('contract_price_change');
    const client = await h.client('reviewer');
    const proposed = structured(
      await client.callTool({
        name: 'propose_grir_clearing',
        arguments: { po_line_id: item.po_line_id, note: 'contract price moved' },
      }),
    );
    expect(proposed).toMatchObject({ status: 'proposed', action: 'clearing_entry', approvals_needed: 1 });
    for (const who of ['reviewer', 'approver', 'reader', 'auditor', 'agentRole']) {
      const { tools } = await (await h.client(who)).listTools();
      expect(tools.map((t) => t.name).filter((n) => /approve|decide/.test(n) && /grir/.test(n))).toEqual([]);
    }
    // The invoice-proposal approval tool does not reach GR/IR proposals either.
    const approver = await h.client('approver');
    const attempt = await approver.callTool({
      name: 'decide_proposal',
      arguments: { proposal_id: String(proposed.proposal_id), decision: 'approve', reason: 'looks right to me' },
    });
    expect(attempt.isError).toBe(true);
    expect((await deps.proposals.get(proposed.proposal_id))!.status).toBe('pending');
  });

  it('needs a person with the accountant role, never the proposer, to approve', async () => {
    const item = await openItem('fx_difference');
    const client = await h.client('reviewer');
    const { proposal_id: id } = structured(
      await client.callTool({ name: 'propose_grir_clearing', arguments: { po_line_id: item.po_line_id } }),
    );
    for (const person of [reviewerPerson, approverPerson]) {
      const refused = await decideGrirProposal(deps, person, id, 'approve');
      expect(refused).toMatchObject({ ok: false, message: expect.stringMatching(/accountant/) });
    }
    const agentAccountant = createIdentity('settle-agent', 'agent', ['accountant']);
    expect((await decideGrirProposal(deps, agentAccountant, id, 'approve')).ok).toBe(false);
    const self = await deps.proposals.propose({
      source: SAMPLE_GRIR_SOURCE,
      kind: 'clearing',
      poLineId: item.po_line_id,
      action: (await deps.proposals.get(id))!.action,
      proposedBy: accountant,
      via: 'review-site',
      now: new Date(NOW),
    });
    expect((await decideGrirProposal(deps, accountant, self.id, 'approve')).message).toMatch(
      /proposed it cannot approve/,
    );
    const done = await decideGrirProposal(deps, accountant, id, 'approve');
    expect(done).toMatchObject({ ok: true, proposal: { status: 'approved' } });
    expect(done.message).toMatch(/Comment added to PO/);
    const comments = h.sim.records('comments').filter((c) => c['commentable-type'] === 'OrderHeader');
    expect(comments.at(-1)?.comments).toMatch(/GR\/IR clearing entry approved by amy\.accountant/);
    const audited = await h.runtime.audit.list({ limit: 50 } as never);
    expect(audited.some((r) => (r as { tool?: string }).tool === 'grir_approve')).toBe(true);
  });

  it('comments on the PO once, even when the POST answer is lost or the step is run again', async () => {
    const item = await openItem('wrong_uom');
    const client = await h.client('reviewer');
    const { proposal_id: id } = structured(
      await client.callTool({ name: 'propose_grir_clearing', arguments: { po_line_id: item.po_line_id } }),
    );
    const marked = (): unknown[] =>
      h.sim
        .records('comments')
        .filter((c) => c['commentable-type'] === 'OrderHeader' && String(c.comments).includes(poCommentMarker({ id })));
    // Coupa applies the comment but the connection drops before its answer: the client re-reads
    // the PO's comments, finds it, and does not post it again.
    h.sim.clearCallLog();
    h.sim.setFaults({ dropAfterWriteRate: 1 });
    const done = await decideGrirProposal(deps, accountant, id, 'approve');
    h.sim.setFaults({});
    expect(done).toMatchObject({ ok: true, proposal: { status: 'approved' } });
    expect(done.message).toMatch(/Comment added to PO/);
    expect(h.sim.callLog.filter((c) => c.method === 'POST' && c.path === '/api/comments')).toHaveLength(1);
    expect(marked()).toHaveLength(1);
    // Running the comment step again (a retry of the whole step) finds it there and posts nothing.
    const po = (await deps.poOfLine(item.po_line_id))!;
    expect(await ensurePoComment(h.runtime.coupa, done.proposal!, po)).toBe('already there');
    expect(marked()).toHaveLength(1);
    // Perturbation: another proposal's comment on the same PO does not count as this one's.
    expect(await ensurePoComment(h.runtime.coupa, { ...done.proposal!, id: id + 1000 }, po)).toBe('posted');
    expect(marked()).toHaveLength(1);
  });

  it('needs two different accountants for a write-off above the threshold', async () => {
    const action = {
      kind: 'write_off' as const,
      amount: '1500.00',
      currency: 'USD',
      reason: 'no explanation found',
      lines: [
        { account: '2150-GRIR', debit: '1500.00', credit: '0.00', memo: 'GR/IR PO X/1: write-off' },
        { account: '6100-MRO', debit: '0.00', credit: '1500.00', memo: 'GR/IR PO X/1: write-off' },
      ],
    };
    expect(approvalsNeeded('clearing', action)).toBe(2);
    expect(approvalsNeeded('clearing', { ...action, amount: '999.99' })).toBe(1);
    const p = await deps.proposals.propose({
      source: SAMPLE_GRIR_SOURCE,
      kind: 'clearing',
      action,
      proposedBy: reviewerPerson,
      via: 'review-site',
      now: new Date(NOW),
    });
    const first = await decideGrirProposal(deps, accountant, p.id, 'approve');
    expect(first.proposal).toMatchObject({ status: 'pending' });
    expect((await decideGrirProposal(deps, accountant, p.id, 'approve')).message).toMatch(/second accountant/);
    expect((await decideGrirProposal(deps, accountant2, p.id, 'approve')).proposal).toMatchObject({
      status: 'approved',
      journal: { approvedBy: ['amy.accountant', 'ben.accountant'] },
    });
  });

  it('proposes adjusting a price-variance invoice to the PO value, with the supplier told why', async () => {
    const client = await h.client('reviewer');
    const result = await client.callTool({ name: 'propose_adjustment', arguments: { invoice_id: HELD_INVOICE } });
    expect(result.isError, textOf(result)).toBeFalsy();
    const out = structured(result);
    expect(out.lines[0].reasons).toContain('price');
    expect(out.supplier_message).toMatch(/credit note for/);
    expect(Number(out.total)).toBeGreaterThan(0);
  });

  it('exports approved clearings as a balanced journal in CSV and JSON, exact to the cent', async () => {
    const entries = await deps.proposals.journal(SAMPLE_GRIR_SOURCE);
    expect(entries.length).toBeGreaterThanOrEqual(2);
    for (const e of entries) expect(totals(e).debit).toBe(totals(e).credit);
    const csv = journalCsv(entries);
    expect(csv.split('\r\n')[0]).toBe(
      'entry_id,date,currency,account,debit,credit,memo,reference,proposed_by,approved_by',
    );
    const parsed = JSON.parse(journalJson(entries)) as {
      entries: Array<{ totals: { debit: string; credit: string } }>;
    };
    for (const e of parsed.entries) expect(e.totals.debit).toBe(e.totals.credit);
    expect(() =>
      journalCsv([{ ...entries[0]!, lines: [{ ...entries[0]!.lines[0]!, debit: '10.01' }, entries[0]!.lines[1]!] }]),
    ).toThrow(/debits/);
  });
});
