/**
 * The tax engine port over real HTTP: the AvaTax adapter against the simulator's AvaTax-format
 * endpoint (and its simulated 429, 503 and timeout), the offline table, and the two agreeing.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TaxQuoteRequest } from '../src/domain/tax-quote.js';
import { startSimulator } from '../src/sim/server.js';
import { AVATAX_SIM_CREDENTIALS } from '../src/sim/routes/avatax.js';
import type { SimulatorHandle } from '../src/sim/types.js';
import { createAvaTaxEngine } from '../src/tax/avatax.js';
import { createOfflineTaxEngine } from '../src/tax/offline.js';
import { taxEvidence, TaxEngineError } from '../src/tax/port.js';

const austin: TaxQuoteRequest = {
  documentCode: 'INV-1', date: '2026-03-02', currency: 'USD',
  shipFrom: { country: 'US', region: 'CA', postalCode: '94105' },
  shipTo: { country: 'US', region: 'TX', postalCode: '78701', city: 'Austin' },
  lines: [{ number: '1', amount: '1000.00', quantity: '10', taxCode: 'P0000000' }, { number: '2', amount: '200.00', quantity: '1', taxCode: 'NT' }],
};

let sim: SimulatorHandle;
beforeAll(async () => {
  sim = await startSimulator({ rateLimit: false });
});
afterAll(async () => sim.close());

const avatax = (timeoutMs = 5_000, licenseKey: string = AVATAX_SIM_CREDENTIALS.licenseKey) =>
  createAvaTaxEngine({ baseUrl: sim.avataxUrl, accountId: AVATAX_SIM_CREDENTIALS.accountId, licenseKey, companyCode: 'NORTHWIND', timeoutMs });

describe('offline rate table', () => {
  it('answers the combined rate with its jurisdictions, source and as-of date', async () => {
    const q = await createOfflineTaxEngine().quote(austin);
    expect(q.lines[0]).toMatchObject({ rate: '8.25', tax: '82.50', taxable: '1000.00' });
    expect(q.lines[0]!.jurisdictions.map((j) => j.name)).toEqual(['TX', 'Austin (city)', 'Capital Metro (transit)']);
    expect(q.lines[1]).toMatchObject({ exempt: true, tax: '0.00' });
    expect(q.source).toMatch(/Tax Foundation/);
    expect(q.asOf).toBe('2025-01-01');
  });

  it('quotes the state rate alone, and says so, where no local rate is listed', async () => {
    const q = await createOfflineTaxEngine().quote({ ...austin, shipTo: { country: 'US', region: 'TX', postalCode: '75001' } });
    expect(q.lines[0]!.rate).toBe('6.25');
    expect(q.notes.join(' ')).toMatch(/local taxes .* not in the offline table/);
  });

  it('knows EU VAT with reduced rates, UK VAT and Canadian HST/GST+PST', async () => {
    const engine = createOfflineTaxEngine();
    const de = await engine.quote({ ...austin, currency: 'EUR', shipTo: { country: 'DE' } });
    expect(de.lines[0]).toMatchObject({ rate: '19', alternativeRates: ['7'] });
    expect((await engine.quote({ ...austin, shipTo: { country: 'GB' } })).lines[0]!.rate).toBe('20');
    expect((await engine.quote({ ...austin, shipTo: { country: 'CA', region: 'ON' } })).lines[0]!.rate).toBe('13');
    expect((await engine.quote({ ...austin, shipTo: { country: 'CA', region: 'BC' } })).lines[0]!.rate).toBe('12');
  });

  it('refuses to guess where it has no rate', async () => {
    await expect(createOfflineTaxEngine().quote({ ...austin, shipTo: { country: 'BR' } })).rejects.toMatchObject({ failure: 'no_rate' });
  });
});

describe('AvaTax adapter against the simulator', () => {
  it('sends a non-committed PurchaseInvoice and reads tax per line and jurisdiction', async () => {
    sim.clearCallLog();
    const q = await avatax().quote(austin);
    expect(q.engine).toBe('avatax');
    expect(q.lines[0]).toMatchObject({ rate: '8.25', tax: '82.50' });
    expect(q.lines[0]!.jurisdictions.map((j) => [j.name, j.rate])).toEqual([['TX', '6.25'], ['Austin (city)', '1'], ['Capital Metro (transit)', '1']]);
    expect(q.lines[1]).toMatchObject({ exempt: true, tax: '0.00' });
    const call = sim.callLog.find((c) => c.path.endsWith('/transactions/create'));
    expect(call?.body).toMatchObject({ type: 'PurchaseInvoice', commit: false, addresses: { shipTo: { region: 'TX', postalCode: '78701' } } });
  });

  it('agrees with the offline engine on the same table', async () => {
    const [a, o] = await Promise.all([avatax().quote(austin), createOfflineTaxEngine().quote(austin)]);
    expect(a.lines.map((l) => [l.rate, l.tax])).toEqual(o.lines.map((l) => [l.rate, l.tax]));
  });

  it('names each outage: rate limit, server error, timeout, bad credentials', async () => {
    try {
      sim.setTaxEngineFault('rate_limited');
      await expect(avatax().quote(austin)).rejects.toMatchObject({ failure: 'rate_limited' });
      sim.setTaxEngineFault('error');
      await expect(avatax().quote(austin)).rejects.toMatchObject({ failure: 'unavailable' });
      sim.setTaxEngineFault('timeout', 2_000);
      const evidence = await taxEvidence(avatax(150), austin);
      expect(evidence).toMatchObject({ ok: false, failure: 'timeout' });
    } finally {
      sim.setTaxEngineFault('none');
    }
    await expect(avatax(5_000, 'wrong').quote(austin)).rejects.toBeInstanceOf(TaxEngineError);
    await expect(avatax(5_000, 'wrong').quote(austin)).rejects.toMatchObject({ failure: 'rejected' });
  });
});
