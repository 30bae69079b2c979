/**
 * The tax workflow end to end over HTTP: the offline playbook planner settles each tax branch
 * against the simulator, with the tax engine being the simulator's AvaTax-format endpoint
 * (SETTLE_TAX_ENGINE=avatax). The simulator's end state is checked: the corrected line rate,
 * the dispute code, the tax team as approver; and an engine timeout routes, never resolves.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { settleInvoice } from '../src/agent/settle.js';
import { Verdict } from '../src/agent/verdict.js';
import type { Runtime } from '../src/app/runtime.js';
import type { CoupaDataset } from '../src/sim/dataset.js';
import { AVATAX_SIM_CREDENTIALS } from '../src/sim/routes/avatax.js';
import { taxEngineCases } from '../evals/hard/cases-tax-engine.js';
import { NOW } from '../evals/hard/kit.js';
import {
  approversOf,
  disputeCodesOf,
  dossiersOn,
  invoiceOf,
  startAgentWorld,
  statusOf,
  type AgentWorld,
} from './support/agent-harness.js';

type Wire = Record<string, unknown>;
const cases = taxEngineCases();
const caseById = (suffix: string): Wire => cases.find((c) => String(c.id).endsWith(suffix))!;

/** Every case's records in one tenant (ids do not collide; shared suppliers and users are merged). */
function mergedDataset(): CoupaDataset {
  const out: Record<string, Map<unknown, Wire>> = {};
  for (const c of cases) {
    for (const [name, records] of Object.entries(c.coupa as Record<string, Wire[]>)) {
      const m = (out[name] ??= new Map());
      records.forEach((r, i) => m.set(r.id ?? `${String(c.id)}-${i}`, r));
    }
  }
  return Object.fromEntries(Object.entries(out).map(([k, m]) => [k, [...m.values()]])) as unknown as CoupaDataset;
}

let world: AgentWorld;
let runtime: Runtime;

async function settle(
  suffix: string,
  rt: Runtime = runtime,
): Promise<{ verdict: Verdict; dossier: string; id: number }> {
  const c = caseById(suffix);
  const event = c.event as { resource_id: number; exception_code?: string; hold_reason?: string };
  const verdict = Verdict.parse(
    await settleInvoice(rt, {
      invoiceId: event.resource_id,
      event: { exceptionCode: event.exception_code ?? null, holdReason: event.hold_reason ?? null },
    }),
  );
  return { verdict, dossier: dossiersOn(world.sim, event.resource_id).join('\n'), id: event.resource_id };
}

beforeAll(async () => {
  world = await startAgentWorld(mergedDataset(), NOW);
  runtime = await world.runtimeWith({ env: avataxEnv(10_000) });
});
afterAll(async () => world?.close());

function avataxEnv(timeoutMs: number): Record<string, string> {
  return {
    SETTLE_TAX_ENGINE: 'avatax',
    AVATAX_BASE_URL: world.sim.avataxUrl,
    AVATAX_ACCOUNT_ID: AVATAX_SIM_CREDENTIALS.accountId,
    AVATAX_LICENSE_KEY: AVATAX_SIM_CREDENTIALS.licenseKey,
    AVATAX_COMPANY_CODE: 'NORTHWIND',
    SETTLE_TAX_TIMEOUT_MS: String(timeoutMs),
  };
}

describe('tax workflow against the AvaTax-format engine', () => {
  it("(a) billed right, Coupa's rate wrong: corrects the line rate to the engine's, revalidates and resolves", async () => {
    const { verdict, dossier, id } = await settle('a-coupa-rate-wrong');
    expect(verdict).toMatchObject({ exception_type: 'tax_variance', decision: 'resolve', executed: true });
    expect(statusOf(world.sim, id)).toBe('pending_approval');
    const line = (invoiceOf(world.sim, id)!['invoice-lines'] as Wire[])[0]!;
    expect(Number(line['tax-rate'])).toBe(8.25);
    expect(line['tax-amount']).toBe('82.50');
    const avataxCalls = world.sim.callLog.filter((c) => c.path.endsWith('/transactions/create'));
    expect(avataxCalls.length).toBeGreaterThan(0);
    expect(avataxCalls[0]!.body).toMatchObject({ type: 'PurchaseInvoice', commit: false });
    expect(dossier).toMatch(/Tax engine:\n- engine: avatax: AvaTax 127\.0\.0\.1/);
    expect(dossier).toContain('TX State 6.25%');
  });

  it('(b) self-consistent over-billed rate: disputes TAX-ERROR citing jurisdiction and rate', async () => {
    const { verdict, id } = await settle('b-overbilled');
    expect(verdict).toMatchObject({ decision: 'dispute', dispute_reason: 'TAX-ERROR' });
    expect(statusOf(world.sim, id)).toBe('disputed');
    expect(disputeCodesOf(world.sim, id)).toEqual(['TAX-ERROR']);
  });

  it('(c) self-consistent under-billed US sales tax: a use-tax proposal routed to the tax team, not a dispute', async () => {
    const { verdict, dossier, id } = await settle('c-use-tax');
    expect(verdict).toMatchObject({ decision: 'route', route_to: 'tax.team' });
    expect(approversOf(world.sim, id)).toContain('tax.team');
    expect(statusOf(world.sim, id)).toBe('ap_hold');
    expect(dossier).toMatch(/use tax of 22\.50/);
  });

  it('(d) exemption and reverse charge go to the tax team with the jurisdiction breakdown', async () => {
    for (const suffix of ['d-exemption', 'd-reverse-charge']) {
      const { verdict, dossier } = await settle(suffix);
      expect(verdict).toMatchObject({ decision: 'route', route_to: 'tax.team' });
      expect(dossier).toMatch(/Tax engine:/);
    }
  });

  it('an engine timeout routes to the tax team and never resolves', async () => {
    // Invoice 7506 would be within the $1.00 rounding tolerance on its own rate: only the engine knows better.
    const slow = await world.runtimeWith({ env: avataxEnv(200) });
    world.sim.setTaxEngineFault('timeout', 3_000);
    try {
      const c = caseById('no-rate');
      const event = c.event as { resource_id: number; hold_reason: string };
      world.sim.upsert('invoices', {
        ...invoiceOf(world.sim, event.resource_id)!,
        'ship-to-address': { city: 'Austin', state: 'TX', 'postal-code': '78701', country: { code: 'US' } },
      } as never);
      const verdict = Verdict.parse(
        await settleInvoice(slow, {
          invoiceId: event.resource_id,
          event: { exceptionCode: 'TAX_MISMATCH', holdReason: event.hold_reason },
        }),
      );
      expect(verdict).toMatchObject({ decision: 'route', route_to: 'tax.team' });
      expect(statusOf(world.sim, event.resource_id)).toBe('ap_hold');
      expect(dossiersOn(world.sim, event.resource_id).join('\n')).toMatch(/could not answer \(timeout\)/);
    } finally {
      world.sim.setTaxEngineFault('none');
    }
  });
});
