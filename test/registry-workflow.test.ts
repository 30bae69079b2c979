/**
 * Registry mismatches end to end: the playbook planner holds the invoice and pre-fills a supplier
 * change request that waits for the supplier-master approver; only that person's approval posts
 * it to Coupa (an internal comment for the supplier-management team), audited under their name.
 * VIES over HTTP (a VIES-format stub) gives the registered name; a VIES outage routes.
 */
import Fastify from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { settleInvoice } from '../src/agent/settle.js';
import { Verdict } from '../src/agent/verdict.js';
import { createIdentity } from '../src/guard/identity.js';
import type { CoupaDataset } from '../src/sim/dataset.js';
import { registryCases } from '../evals/hard/cases-registry.js';
import { NOW } from '../evals/hard/kit.js';
import { approversOf, commentsOn, startAgentWorld, statusOf, type AgentWorld } from './support/agent-harness.js';

type Wire = Record<string, unknown>;
const cases = registryCases();

function mergedDataset(): CoupaDataset {
  const out: Record<string, Map<unknown, Wire>> = {};
  for (const c of cases)
    for (const [name, records] of Object.entries(c.coupa as Record<string, Wire[]>)) {
      const m = (out[name] ??= new Map());
      records.forEach((r, i) => m.set(r.id ?? `${String(c.id)}-${i}`, r));
    }
  return Object.fromEntries(Object.entries(out).map(([k, m]) => [k, [...m.values()]])) as unknown as CoupaDataset;
}

let world: AgentWorld;
const vies = Fastify();
let viesUrl = '';
let viesDown = false;

beforeAll(async () => {
  vies.get('/ms/:cc/vat/:number', async (request) => {
    const { cc, number } = request.params as { cc: string; number: string };
    if (viesDown) return { isValid: false, userError: 'MS_UNAVAILABLE', requestDate: '2026-03-02T09:00:00.000Z' };
    // Lyon Emballages' VAT id is registered to another trader.
    return {
      isValid: true,
      userError: 'VALID',
      requestDate: '2026-03-02T09:00:00.000Z',
      name: `${cc}${number}` === 'FR40303265045' ? 'SOCIETE GENERALE DE CARTONNAGE' : 'unknown',
    };
  });
  await vies.listen({ host: '127.0.0.1', port: 0 });
  viesUrl = `http://127.0.0.1:${(vies.server.address() as { port: number }).port}`;
  world = await startAgentWorld(mergedDataset(), NOW, { verify_supplier_registries: true });
});
afterAll(async () => {
  await world?.close();
  await vies.close();
});

async function settle(invoiceId: number, runtime = world.runtime): Promise<Verdict> {
  return Verdict.parse(
    await settleInvoice(runtime, {
      invoiceId,
      event: { exceptionCode: 'SUPPLIER_VERIFICATION', holdReason: 'Supplier data could not be verified' },
    }),
  );
}

describe('supplier verification against registries', () => {
  it('holds an invoice whose supplier VAT id fails its check digits, and the change request waits for the supplier-master approver', async () => {
    const verdict = await settle(7601);
    expect(verdict).toMatchObject({ exception_type: 'supplier_data_mismatch', decision: 'hold', executed: true });
    expect(statusOf(world.sim, 7601)).toBe('ap_hold');
    expect(verdict.proposal_ids).toHaveLength(1);
    const proposal = (await world.runtime.proposals.get(verdict.proposal_ids[0]!))!;
    expect(proposal).toMatchObject({ tool: 'request_supplier_change', status: 'pending' });
    expect((proposal.input as { changes: unknown[] }).changes).toEqual([
      expect.objectContaining({
        field: 'vat id',
        coupa_value: 'DE136695977',
        registry_value: "fails its country's check digits",
      }),
    ]);
    const before = commentsOn(world.sim, 7601).length;

    const master = createIdentity('supplier.master', 'person', ['approver']);
    const approved = await world.runtime.guard.decideProposal(
      master,
      proposal.id,
      'approve',
      'confirmed with the supplier by phone',
    );
    expect(approved.isError).toBe(false);
    const posted = commentsOn(world.sim, 7601).slice(before);
    expect(posted).toHaveLength(1);
    expect(posted[0]).toMatchObject({ toSupplier: false });
    expect(posted[0]!.text).toMatch(/SUPPLIER MASTER CHANGE REQUEST .* approved by supplier\.master/);
    expect(posted[0]!.text).toContain('vat id: Coupa "DE136695977"');
    const audit = await world.runtime.audit.list({ invoiceId: 7601 });
    expect(
      audit.some(
        (e) => e.tool === 'request_supplier_change' && e.actor === 'supplier.master' && e.decision === 'executed',
      ),
    ).toBe(true);
  });

  it('holds for an IBAN in another country than the remit-to, never writes bank data, and only the supplier-master approver may approve', async () => {
    const verdict = await settle(7602);
    expect(verdict).toMatchObject({ decision: 'hold' });
    const before = commentsOn(world.sim, 7602).length;
    const someoneElse = await world.runtime.guard.decideProposal(
      createIdentity('ap.manager', 'person', ['approver']),
      verdict.proposal_ids[0]!,
      'approve',
      'looks right to me',
    );
    expect(someoneElse.isError).toBe(true);
    expect(someoneElse.text).toMatch(/only the supplier-master approver/);
    expect(commentsOn(world.sim, 7602)).toHaveLength(before);
    const puts = world.sim.callLog.filter((c) => c.method !== 'GET' && /suppliers|supplier_information/.test(c.path));
    expect(puts).toEqual([]);
  });

  it('VIES: a registered name that differs holds; an outage routes to the supplier-master approver', async () => {
    const runtime = await world.runtimeWith({
      controls: { verify_supplier_registries: true },
      env: { SETTLE_VAT_REGISTRY: 'vies', VIES_BASE_URL: viesUrl },
    });
    world.sim.upsert('supplier-information', {
      ...(world.sim.records('supplier-information').find((r) => r.id === 522) as Wire),
      'supplier-information-addresses': [],
    } as never);
    const verdict = await settle(7602, runtime);
    expect(verdict).toMatchObject({ decision: 'hold' });
    expect(verdict.root_cause).toMatch(/SOCIETE GENERALE DE CARTONNAGE/);

    // The answer above is cached with its date; a fresh runtime (empty cache) meets the outage.
    viesDown = true;
    const fresh = await world.runtimeWith({
      controls: { verify_supplier_registries: true },
      env: { SETTLE_VAT_REGISTRY: 'vies', VIES_BASE_URL: viesUrl },
    });
    const routed = await settle(7602, fresh);
    expect(routed, routed.root_cause).toMatchObject({ decision: 'route', route_to: 'supplier.master' });
    expect(approversOf(world.sim, 7602)).toContain('supplier.master');
    expect(routed.root_cause).toMatch(/MS_UNAVAILABLE/);
  });
});
