/**
 * Modes, controls, proposals and read-only deployments through the real MCP client over HTTP,
 * judged by what the simulator saw (call log, records) rather than by what the server answered.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Client } from '@modelcontextprotocol/sdk/client/index.js';
import Fastify from 'fastify';
import { createRuntime } from '../src/app/runtime.js';
import type { Mode } from '../src/domain/controls.js';
import { createTokenDirectory } from '../src/mcp/auth.js';
import { mountMcp } from '../src/mcp/mount.js';
import { TOOLS } from '../tools/index.js';
import {
  SUPPLIER,
  configFor,
  connectHttp,
  invoiceStatus,
  priceVarianceCase,
  startHarness,
  structured,
  textOf,
  tokenEntries,
  writesIn,
  type McpHarness,
  type PriceVarianceSpec,
} from './mcp.fixture.js';

let h: McpHarness;
let reviewer: Client;
let approver: Client;
let approver2: Client;
let nextId = 6000;

beforeAll(async () => {
  h = await startHarness();
  [reviewer, approver, approver2] = await Promise.all([
    h.client('reviewer'),
    h.client('approver'),
    h.client('approver2'),
  ]);
});
afterAll(async () => h?.close());

/** A fresh held invoice (own PO and receipt) billed at `invoicePrice` against `poPrice`. */
function heldInvoice(spec: Partial<PriceVarianceSpec> = {}): number {
  const invoiceId = nextId++;
  const c = priceVarianceCase({
    invoiceId,
    supplierId: SUPPLIER,
    poPrice: '100.00',
    invoicePrice: '103.00',
    quantity: '10',
    ...spec,
  });
  h.sim.upsert('purchase-orders', c.po);
  h.sim.upsert('receiving-transactions', c.receipt);
  h.sim.upsert('invoices', c.invoice);
  return invoiceId;
}

async function call(
  client: Client,
  name: string,
  args: Record<string, unknown>,
): Promise<{ isError: boolean; text: string; data: any }> {
  const r = await client.callTool({ name, arguments: args });
  return { isError: r.isError === true, text: textOf(r), data: structured(r) };
}

const resolveArgs = (invoice_id: number): Record<string, unknown> => ({
  invoice_id,
  justification: 'Within the price tolerance of AP-TOL-2.1 (3% and 30.00 over PO).',
});

async function inMode<T>(mode: Mode, work: () => Promise<T>): Promise<T> {
  await h.runtime.mode.set(mode, 'test');
  try {
    return await work();
  } finally {
    await h.runtime.mode.set('autonomous', 'test');
  }
}

describe('modes', () => {
  it('monitor: every write becomes a proposal and Coupa sees no write at all', async () => {
    const id = heldInvoice();
    h.sim.clearCallLog();
    await inMode('monitor', async () => {
      const results = await Promise.all([
        call(reviewer, 'add_comment', { invoice_id: id, text: 'Dossier: 3% over PO.' }),
        call(reviewer, 'route_to_approver', {
          invoice_id: id,
          approver_login: 'ap.review',
          reason: 'Price check needed.',
        }),
        call(reviewer, 'resolve_exception', resolveArgs(id)),
        call(reviewer, 'request_information', {
          invoice_id: id,
          missing: ['price list'],
          supplier_message: 'Please send the current price list.',
        }),
      ]);
      for (const r of results) expect(r).toMatchObject({ isError: false, data: { status: 'proposed' } });
      expect(new Set(results.map((r) => r.data.proposal_id)).size).toBe(4);
    });
    expect(writesIn(h.sim.callLog)).toEqual([]);
    expect(h.sim.callLog.length).toBeGreaterThan(0); // it did read
    expect(invoiceStatus(h.sim, id)).toBe('ap_hold');
  });

  it('assisted: a comment executes, a resolve waits for a person', async () => {
    const id = heldInvoice();
    h.sim.clearCallLog();
    await inMode('assisted', async () => {
      expect((await call(reviewer, 'add_comment', { invoice_id: id, text: 'Looked at it.' })).data.status).toBe(
        'executed',
      );
      expect((await call(reviewer, 'resolve_exception', resolveArgs(id))).data.status).toBe('proposed');
    });
    expect(writesIn(h.sim.callLog).map((e) => `${e.method} ${e.path}`)).toEqual([`POST /api/invoices/${id}/comments`]);
    expect(invoiceStatus(h.sim, id)).toBe('ap_hold');
  });

  it('autonomous: a resolve within controls executes and the invoice leaves ap_hold', async () => {
    const id = heldInvoice();
    const r = await call(reviewer, 'resolve_exception', resolveArgs(id));
    expect(r.data).toMatchObject({ status: 'executed', invoice_status: 'pending_approval' });
    expect(invoiceStatus(h.sim, id)).toBe('pending_approval');
  });

  it('autonomous: over the amount limit the resolve is denied, naming the control, with no PUT', async () => {
    // 100 × 51.50 against 51.00: 0.98% and 50.00 over PO (within tolerance), but 5150.00 > 5000.00.
    const id = heldInvoice({ poPrice: '51.00', invoicePrice: '51.50', quantity: '100' });
    h.sim.clearCallLog();
    const r = await call(reviewer, 'resolve_exception', resolveArgs(id));
    expect(r.isError).toBe(true);
    expect(r.text).toContain('control "auto_resolve_max_invoice_total" exceeded');
    expect(r.text).toMatch(/Instead: route_to_approver to "ap\.manager"/);
    expect(h.sim.callLog.filter((e) => e.method === 'PUT')).toEqual([]);
    expect(invoiceStatus(h.sim, id)).toBe('ap_hold');
  });
});

describe('proposals', () => {
  it('an approver approves a proposed resolve and it executes exactly once', async () => {
    const id = heldInvoice();
    const proposed = await inMode('assisted', () => call(reviewer, 'resolve_exception', resolveArgs(id)));
    const pending = (await call(approver, 'list_proposals', { invoice_id: id })).data.proposals;
    expect(pending).toEqual([
      expect.objectContaining({
        id: proposed.data.proposal_id,
        tool: 'resolve_exception',
        proposer: 'rita.reviewer',
        status: 'pending',
      }),
    ]);
    expect(pending[0].evidence.join('\n')).toContain('auto_resolve_max_invoice_total');

    h.sim.clearCallLog();
    const decide = { proposal_id: proposed.data.proposal_id, decision: 'approve', reason: 'Checked the PO: fine.' };
    // Two approvers click at once: one decision wins, the write happens once.
    const [a, b] = await Promise.all([
      call(approver, 'decide_proposal', decide),
      call(approver2, 'decide_proposal', decide),
    ]);
    expect([a.isError, b.isError].sort()).toEqual([false, true]);
    expect([a, b].find((x) => x.isError)!.text).toMatch(/already (approved|executed)/);
    const puts = writesIn(h.sim.callLog, id).map((e) => `${e.method} ${e.path}`);
    expect(puts).toEqual([`PUT /api/invoices/${id}`, `PUT /api/invoices/${id}/revalidate_tolerances`]);
    expect(invoiceStatus(h.sim, id)).toBe('pending_approval');
    expect((await h.runtime.proposals.get(proposed.data.proposal_id))?.status).toBe('executed');

    // A repeat of the decision changes nothing.
    h.sim.clearCallLog();
    await call(approver, 'decide_proposal', decide);
    expect(writesIn(h.sim.callLog)).toEqual([]);
    // And the listing shows it as executed now (a read, never replayed from an idempotency key).
    expect((await call(approver, 'list_proposals', { invoice_id: id })).data.proposals).toEqual([]);
    expect(
      (await call(approver, 'list_proposals', { invoice_id: id, status: 'executed' })).data.proposals,
    ).toHaveLength(1);
  });

  it('the proposer cannot approve its own proposal', async () => {
    const id = heldInvoice();
    const own = await inMode('assisted', () => call(approver, 'resolve_exception', resolveArgs(id)));
    h.sim.clearCallLog();
    const r = await call(approver, 'decide_proposal', {
      proposal_id: own.data.proposal_id,
      decision: 'approve',
      reason: 'Looks fine to me.',
    });
    expect(r.isError).toBe(true);
    expect(r.text).toContain('the identity that proposed an action cannot approve it');
    expect(writesIn(h.sim.callLog)).toEqual([]);
    expect((await h.runtime.proposals.get(own.data.proposal_id))?.status).toBe('pending');
  });

  it('a reader or a reviewer cannot decide, nor even see the review tools', async () => {
    const id = heldInvoice();
    const p = await inMode('assisted', () => call(reviewer, 'resolve_exception', resolveArgs(id)));
    for (const who of ['reader', 'reviewer'] as const) {
      const client = await h.client(who);
      const names = (await client.listTools()).tools.map((t) => t.name);
      expect(names).not.toContain('decide_proposal');
      expect(names).not.toContain('list_proposals');
      const r = await call(client, 'decide_proposal', {
        proposal_id: p.data.proposal_id,
        decision: 'approve',
        reason: 'I say so.',
      });
      expect(r.isError).toBe(true);
      expect(r.text).toContain('lacks the "proposals:decide" scope');
    }
    expect((await h.runtime.proposals.get(p.data.proposal_id))?.status).toBe('pending');
  });

  it('an approval in monitor mode is refused and the proposal stays pending', async () => {
    const id = heldInvoice();
    const p = await inMode('assisted', () => call(reviewer, 'resolve_exception', resolveArgs(id)));
    h.sim.clearCallLog();
    const r = await inMode('monitor', () =>
      call(approver, 'decide_proposal', {
        proposal_id: p.data.proposal_id,
        decision: 'approve',
        reason: 'Approve while monitoring.',
      }),
    );
    expect(r.isError).toBe(true);
    expect(r.text).toContain('monitor mode writes nothing to Coupa');
    expect(writesIn(h.sim.callLog)).toEqual([]);
    expect((await h.runtime.proposals.get(p.data.proposal_id))?.status).toBe('pending');
  });

  it('an approval is bound to the invoice amount it was proposed at', async () => {
    const id = heldInvoice();
    const p = await inMode('assisted', () => call(reviewer, 'resolve_exception', resolveArgs(id)));
    expect((await h.runtime.proposals.get(p.data.proposal_id))?.invoiceTotal).toBe('1030.00');
    const changed = h.sim.records('invoices').find((i) => i.id === id)!;
    h.sim.upsert('invoices', { ...changed, 'gross-total': '9030.00', 'total-with-taxes': '9030.00' });
    h.sim.clearCallLog();
    const r = await call(approver, 'decide_proposal', {
      proposal_id: p.data.proposal_id,
      decision: 'approve',
      reason: 'Approving the old figure.',
    });
    expect(r.isError).toBe(true);
    expect(r.text).toContain('control "proposal_binding" exceeded');
    expect(h.sim.callLog.filter((e) => e.method === 'PUT')).toEqual([]);
    expect(invoiceStatus(h.sim, id)).toBe('ap_hold');
  });
});

describe('read-only deployment over HTTP', () => {
  it('lists no write tools to anyone and refuses to call one', async () => {
    const runtime = await createRuntime({
      config: configFor(),
      simulator: h.sim,
      db: h.db,
      readOnly: true,
      coupaLimiter: false,
      now: () => new Date(h.sim.now()),
    });
    const app = Fastify({ logger: false });
    await mountMcp(app, runtime, createTokenDirectory(tokenEntries()));
    const url = new URL('/mcp', await app.listen({ host: '127.0.0.1', port: 0 }));
    try {
      const client = await connectHttp(url, h.tokens.approver!);
      const names = (await client.listTools()).tools.map((t) => t.name);
      const readNames = TOOLS.filter((t) => t.guardClass === 'read' || t.guardClass === 'analysis').map((t) => t.name);
      expect(names).toEqual(readNames);
      expect(names).not.toContain('add_comment');
      const id = heldInvoice();
      h.sim.clearCallLog();
      for (const [name, args] of [
        ['resolve_exception', resolveArgs(id)],
        ['add_comment', { invoice_id: id, text: 'x' }],
        ['decide_proposal', { proposal_id: 'x', decision: 'approve', reason: 'because' }],
      ] as const) {
        const r = await call(client, name, args);
        expect(r.isError).toBe(true);
        expect(r.text).toContain(`no tool named "${name}" is available`);
      }
      expect(writesIn(h.sim.callLog)).toEqual([]);
      await client.close();
    } finally {
      await app.close();
      await runtime.close();
    }
  });
});
