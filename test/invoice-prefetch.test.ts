/**
 * A run's batched reads against the simulator over HTTP, with the sample company: the invoice
 * contexts the checks see are exactly those the single reads give (so no decision can change),
 * while the per-invoice reads disappear; a supplier's changed bank details reach the cache through
 * the `updated-at[gt]` watch.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRuntime, type Runtime } from '../src/app/runtime.js';
import { loadConfig } from '../src/config.js';
import { createMasterWatch } from '../src/coupa/master-watch.js';
import { openDb, type Db } from '../src/db/connection.js';
import type { InvoiceContext } from '../src/domain/index.js';
import { AGENT_IDENTITY } from '../src/guard/identity.js';
import { loadInvoiceContext } from '../tools/shared/invoice-context.js';
import { prefetchInvoices } from '../src/app/invoice-prefetch.js';
import { generateCompany, type SampleCompany } from '../src/sim/generator/index.js';
import { startSimulator } from '../src/sim/server.js';
import type { SimulatorHandle } from '../src/sim/types.js';

interface Side {
  sim: SimulatorHandle;
  db: Db;
  runtime: Runtime;
  calls: string[];
}

let company: SampleCompany;
const sides: Side[] = [];

async function open(): Promise<Side> {
  const sim = await startSimulator({ dataset: company.dataset, now: company.now, rateLimit: false });
  const db = await openDb({ dataDir: 'memory://' });
  const calls: string[] = [];
  const runtime = await createRuntime({
    config: loadConfig({}),
    simulator: sim,
    db,
    now: () => new Date(company.now),
    coupaLimiter: false,
    knowledgeDirs: [],
    onCoupaCall: (e) => void (e.path.startsWith('/oauth2/') || calls.push(`${e.method} ${e.path}`)),
  });
  const side = { sim, db, runtime, calls };
  sides.push(side);
  return side;
}

/** What the checks read, without the GL-owner lookup function. */
function comparable(c: InvoiceContext | null): unknown {
  if (!c) return null;
  const { glOwner: _fn, ...rest } = c;
  return JSON.parse(JSON.stringify(rest));
}

async function contexts(side: Side, ids: readonly number[]): Promise<unknown[]> {
  const ctx = await side.runtime.contextFor(AGENT_IDENTITY);
  const out: unknown[] = [];
  for (const id of ids) out.push(comparable(await loadInvoiceContext(ctx, id)));
  return out;
}

beforeAll(() => {
  company = generateCompany({ seed: 7, invoices: 400 });
});

afterAll(async () => {
  for (const s of sides) {
    await s.runtime.close();
    await s.db.close();
    await s.sim.close();
  }
});

describe('batched reads for a run of exceptions', () => {
  it('give the checks exactly the records the single reads give, in a fraction of the calls', async () => {
    const ids = company.exceptions.slice(0, 30).map((l) => l.invoiceId);
    const single = await open();
    const batched = await open();
    const expected = await contexts(single, ids);

    const found = await prefetchInvoices(batched.runtime.records, ids, {
      duplicateWindowDays: batched.runtime.controls.duplicate_window_days,
      now: () => new Date(company.now),
      ownLogins: batched.runtime.ownLogins,
    });
    expect(found).toBe(ids.length);
    const prefetchCalls = batched.calls.length;
    const got = await contexts(batched, ids);

    expect(got).toEqual(expected);
    // Nothing left to read one invoice at a time.
    expect(batched.calls.slice(prefetchCalls)).toEqual([]);
    expect(prefetchCalls).toBeLessThan(single.calls.length / 4);
  }, 120_000);

  it('a bank detail changed in Coupa is forgotten at the next watch poll and read again', async () => {
    const side = await open();
    const { records } = side.runtime;
    const watch = createMasterWatch(records, { intervalMs: 0 });
    await watch.poll(); // learns Coupa's newest change
    const supplierId = company.dataset.suppliers![0]!.id as number;
    const before = await records.supplierInformation(supplierId);
    const info = side.sim
      .records('supplier-information')
      .find((r) => (r.supplier as { id: number }).id === supplierId)!;
    const addresses = info['supplier-information-addresses'] as Array<Record<string, unknown>>;
    side.sim.upsert('supplier-information', {
      ...info,
      'supplier-information-addresses': [{ ...addresses[0], 'iban-number': 'GB33BUKB20201555555555' }],
    });

    expect(await records.supplierInformation(supplierId)).toEqual(before); // still cached
    expect(await watch.poll()).toBeGreaterThan(0);
    const after = await records.supplierInformation(supplierId);
    expect(after?.supplierInformationAddresses[0]?.ibanNumber).toBe('GB33BUKB20201555555555');
  }, 60_000);
});
