/**
 * The runner's SettleFn wired to the agent: it takes the event hint from the webhook inbox, and a
 * re-trigger whose facts have not changed (Settle's own dossier comment bumps `updated-at`) acts
 * no more — while a change of facts (a corrected price) is settled again on the new facts.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAgentSettleFn } from '../src/app/agent-settle-fn.js';
import { mcpDataset, NOW, priceVarianceCase, SUPPLIER } from './mcp.fixture.js';
import { approversOf, startAgentWorld, writesTo, type AgentWorld } from './support/agent-harness.js';

const INVOICE = 6101;
let world: AgentWorld;

beforeAll(async () => {
  const d = mcpDataset();
  // 12% over the PO price: outside the 5% tolerance, so it is routed to the AP reviewer and stays held.
  const c = priceVarianceCase({
    invoiceId: INVOICE,
    supplierId: SUPPLIER,
    poPrice: '100.00',
    invoicePrice: '112.00',
    quantity: '10',
  });
  d['purchase-orders'].push(c.po);
  d['receiving-transactions'].push(c.receipt);
  d.invoices.push(c.invoice);
  world = await startAgentWorld(d, NOW);
});
afterAll(async () => world?.close());

async function queueEvent(eventId: string, payload: Record<string, unknown>): Promise<void> {
  await world.db.query(
    `insert into webhook_events (event_id, invoice_id, source, event_type, payload) values ($1, $2, 'webhook', $3, $4)`,
    [eventId, INVOICE, 'invoice.exception.created', JSON.stringify(payload)],
  );
}

describe('the agent as the runner settles it', () => {
  it('settles once, then does nothing on a re-trigger with the same facts', async () => {
    const settle = createAgentSettleFn(world.runtime);
    const signal = new AbortController().signal;
    await queueEvent('evt-1', { resource_id: INVOICE, exception_code: 'PRICE_MISMATCH' });
    const first = await settle(INVOICE, { eventId: 'evt-1', attempt: 1, signal });
    expect(first).toMatchObject({ decision: 'route', exceptionType: 'price_variance', executed: true });
    expect(approversOf(world.sim, INVOICE)).toEqual(['ap.review']);
    const { rows } = await world.db.query<{ n: string }>(
      'select count(*) as n from settlements where invoice_id = $1',
      [INVOICE],
    );
    expect(Number(rows[0]!.n)).toBe(1);

    const before = world.sim.callLog.length;
    await queueEvent('evt-2', { resource_id: INVOICE });
    const again = await settle(INVOICE, { eventId: 'evt-2', attempt: 1, signal });
    expect(again.decision).toBe('unchanged');
    expect(writesTo(world.sim, INVOICE, before)).toEqual([]);
  });

  it('settles again when the facts change (the price is corrected to the PO price)', async () => {
    const settle = createAgentSettleFn(world.runtime);
    const invoice = world.sim.records('invoices').find((i) => i.id === INVOICE)!;
    const lines = (invoice['invoice-lines'] as Array<Record<string, unknown>>).map((l) => ({
      ...l,
      price: '100.00',
      total: '1000.00',
    }));
    world.sim.upsert('invoices', {
      ...invoice,
      'invoice-lines': lines,
      'gross-total': '1000.00',
      'total-with-taxes': '1000.00',
    });
    world.runtime.records.afterWrite(INVOICE);
    await queueEvent('evt-3', { resource_id: INVOICE });
    const third = await settle(INVOICE, { eventId: 'evt-3', attempt: 1, signal: new AbortController().signal });
    expect(third.decision).not.toBe('unchanged');
    const { rows } = await world.db.query<{ n: string }>(
      'select count(*) as n from settlements where invoice_id = $1',
      [INVOICE],
    );
    expect(Number(rows[0]!.n)).toBe(2);
  });
});
