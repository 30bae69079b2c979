/**
 * The agent when things go wrong around it: the budget runs out, Coupa goes down in the middle of
 * a run, the invoice is deleted between the event and the run. It must return a verdict, never
 * crash, and never leave a half-made change: either one safe route to the AP reviewer or nothing.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { settleInvoice } from '../src/agent/settle.js';
import { Verdict } from '../src/agent/verdict.js';
import type { Runtime } from '../src/app/runtime.js';
import { mcpDataset, NOW, priceVarianceCase, SUPPLIER } from './mcp.fixture.js';
import {
  anyWrites,
  approversOf,
  commentsOn,
  startAgentWorld,
  statusOf,
  writesTo,
  type AgentWorld,
} from './support/agent-harness.js';

/** All within tolerance (3% over a 100.00 PO price, 10 units): the planner would resolve each. */
const BUDGET = 7001;
const OUTAGE_MID_RUN = 7002;
const OUTAGE_FROM_START = 7003;
const DELETED = 7004;

function dataset(): ReturnType<typeof mcpDataset> {
  const d = mcpDataset();
  for (const invoiceId of [BUDGET, OUTAGE_MID_RUN, OUTAGE_FROM_START, DELETED]) {
    const c = priceVarianceCase({
      invoiceId,
      supplierId: SUPPLIER,
      poPrice: '100.00',
      invoicePrice: '103.00',
      quantity: '10',
    });
    d['purchase-orders'].push(c.po);
    d['receiving-transactions'].push(c.receipt);
    d.invoices.push(c.invoice);
  }
  return d;
}

/** Writes Coupa accepted (2xx) — a failed attempt changes nothing. */
function acceptedWrites(world: AgentWorld, id: number, from = 0): string[] {
  return writesTo(world.sim, id, from)
    .filter((w) => w.status < 300 && !w.dropped)
    .map((w) => `${w.method} ${w.path}`);
}

describe('agent resilience', () => {
  let world: AgentWorld;

  beforeAll(async () => {
    world = await startAgentWorld(dataset(), NOW);
  });
  afterAll(async () => {
    await world?.close();
  });

  it('stops at the tool-call budget and routes to the AP reviewer with what it found, never half-acting', async () => {
    const verdict = Verdict.parse(
      await settleInvoice(world.runtime, {
        invoiceId: BUDGET,
        event: { exception_code: 'PRICE_MISMATCH' },
        budget: { maxToolCalls: 1 },
      }),
    );

    expect(verdict).toMatchObject({
      decision: 'route',
      route_to: 'ap.review',
      outcome: 'executed',
      exception_type: 'price_variance',
    });
    expect(verdict.flags.join(' ')).toMatch(/Budget exhausted \(tool-call budget 1\); stopped safely/);
    const puts = writesTo(world.sim, BUDGET)
      .filter((w) => w.method === 'PUT')
      .map((w) => w.path);
    expect(puts).toEqual([`/api/invoices/${BUDGET}/add_approver`]);
    expect(approversOf(world.sim, BUDGET)).toEqual(['ap.review']);
    expect(statusOf(world.sim, BUDGET)).toBe('ap_hold');
    // What it found goes with it: the root cause with the numbers, and why it stopped where it did.
    expect(verdict.root_cause).toContain('unit price 103.00 is 3.0% above');
    const [dossier, ...more] = commentsOn(world.sim, BUDGET)
      .filter((c) => !c.toSupplier)
      .map((c) => c.text);
    expect(more).toEqual([]);
    expect(dossier).toContain('Decision: Route to ap.review — done');
    expect(dossier).toContain(
      'Why: Settle stopped before deciding (tool-call budget 1) and routed it to the AP reviewer for a decision; the checks alone suggest resolve',
    );
  });

  describe('Coupa outage', () => {
    let runtime: Runtime;
    beforeAll(async () => {
      runtime = await world.runtimeWith({});
    });

    it('goes down after the investigation reads: a verdict, no crash, no partial state change', async () => {
      // The planner searches the policies right after its Coupa reads: take Coupa down there.
      const search = runtime.knowledge.search.bind(runtime.knowledge);
      runtime.knowledge.search = async (...args) => {
        world.sim.setFaults({ errorRate: 1, seed: 1 });
        return search(...args);
      };
      const from = world.sim.callLog.length;
      try {
        const verdict = Verdict.parse(
          await settleInvoice(runtime, { invoiceId: OUTAGE_MID_RUN, event: { exception_code: 'PRICE_MISMATCH' } }),
        );

        expect(verdict).toMatchObject({ outcome: 'failed', executed: false, facts: null });
        expect(verdict.exception_type).toBe('price_variance');
        expect(verdict.actions.length).toBeGreaterThan(0);
        expect(verdict.actions.every((a) => a.outcome === 'error' && !a.detail.startsWith('Error:'))).toBe(true);
        expect(verdict.flags.join(' ')).toMatch(
          /No decision was carried out \(Coupa is unavailable, retry later\); settle it again once Coupa answers/,
        );
        expect(world.sim.callLog.slice(from).some((e) => e.status >= 500)).toBe(true);
      } finally {
        world.sim.setFaults({});
        runtime.knowledge.search = search;
      }
      expect(acceptedWrites(world, OUTAGE_MID_RUN, from)).toEqual([]);
      expect(statusOf(world.sim, OUTAGE_MID_RUN)).toBe('ap_hold');
      expect(approversOf(world.sim, OUTAGE_MID_RUN)).toEqual([]);
      expect(commentsOn(world.sim, OUTAGE_MID_RUN)).toEqual([]);
    });

    it('is down from the start: a failed verdict that says Coupa could not be read, and no writes', async () => {
      world.sim.setFaults({ errorRate: 1, seed: 2 });
      const from = world.sim.callLog.length;
      let verdict: Verdict;
      try {
        verdict = Verdict.parse(await settleInvoice(runtime, { invoiceId: OUTAGE_FROM_START }));
      } finally {
        world.sim.setFaults({});
      }
      // Not "not actionable": the exception is still there, and a retry must not be skipped.
      expect(verdict).toMatchObject({ outcome: 'failed', executed: false, facts: null });
      // The one error path (issue 19) says what happened without Coupa's status line or body.
      expect(verdict.root_cause).toMatch(/^Coupa is unavailable, retry later/);
      expect(acceptedWrites(world, OUTAGE_FROM_START, from)).toEqual([]);
      expect(statusOf(world.sim, OUTAGE_FROM_START)).toBe('ap_hold');
    });
  });

  it('an invoice deleted between the event and the run: not actionable, zero writes', async () => {
    expect(world.sim.remove('invoices', DELETED)).toBe(true);
    const from = world.sim.callLog.length;
    const verdict = Verdict.parse(
      await settleInvoice(world.runtime, {
        invoiceId: DELETED,
        event: { exception_code: 'PRICE_MISMATCH', resource_id: DELETED },
      }),
    );

    expect(verdict).toMatchObject({ invoice_id: DELETED, outcome: 'not_actionable', executed: false, actions: [] });
    expect(verdict.root_cause).toMatch(/not found/i);
    expect(anyWrites(world.sim, from)).toEqual([]);
  });
});
