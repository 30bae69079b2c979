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
  documentCode: 'INV-1',
  date: '2026-03-02',
  currency: 'USD',
  shipFrom: { country: 'US', region: 'CA', postalCode: '94105' },
  shipTo: { country: 'US', region: 'TX', postalCode: '78701', city: 'Austin' },
  lines: [
    { number: '1', amount: '1000.00', quantity: '10', taxCode: 'P0000000' },
    { number: '2', amount: '200.00', quantity: '1', taxCode: 'NT' },
  ],
};

let sim: SimulatorHandle;
beforeAll(async () => {
  sim = await startSimulator({ rateLimit: false });
});
afterAll(async () => sim.close());

const avatax = (timeoutMs = 5_000, licenseKey: string = AVATAX_SIM_CREDENTIALS.licenseKey) =>
  createAvaTaxEngine({
    baseUrl: sim.avataxUrl,
    accountId: AVATAX_SIM_CREDENTIALS.accountId,
    licenseKey,
    companyCode: 'NORTHWIND',
    timeoutMs,
  });

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
    const q = await createOfflineTaxEngine().quote({
      ...austin,
      shipTo: { country: 'US', region: 'TX', postalCode: '75001' },
    });
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
    await expect(createOfflineTaxEngine().quote({ ...austin, shipTo: { country: 'BR' } })).rejects.toMatchObject({
      failure: 'no_rate',
    });
  });
});

describe('AvaTax adapter against the simulator', () => {
  it('sends a non-committed PurchaseInvoice and reads tax per line and jurisdiction', async () => {
    sim.clearCallLog();
    const q = await avatax().quote(austin);
    expect(q.engine).toBe('avatax');
    expect(q.lines[0]).toMatchObject({ rate: '8.25', tax: '82.50' });
    expect(q.lines[0]!.jurisdictions.map((j) => [j.name, j.rate])).toEqual([
      ['TX', '6.25'],
      ['Austin (city)', '1'],
      ['Capital Metro (transit)', '1'],
    ]);
    expect(q.lines[1]).toMatchObject({ exempt: true, tax: '0.00' });
    const call = sim.callLog.find((c) => c.path.endsWith('/transactions/create'));
    expect(call?.body).toMatchObject({
      type: 'PurchaseInvoice',
      commit: false,
      addresses: { shipTo: { region: 'TX', postalCode: '78701' } },
    });
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

describe('TaxJar adapter against a TaxJar-format stub', () => {
  it('posts /v2/taxes with a Bearer token and reads line items, levels and nexus', async () => {
    const Fastify = (await import('fastify')).default;
    const stub = Fastify();
    const seen: Array<{ auth?: string; body: unknown }> = [];
    stub.post('/v2/taxes', async (request, reply) => {
      seen.push({ auth: request.headers.authorization, body: request.body });
      if (request.headers.authorization !== 'Bearer tj-key')
        return reply.code(401).send({ error: 'Unauthorized', detail: 'Not authorized for route', status: 401 });
      return {
        tax: {
          order_total_amount: 1200,
          shipping: 0,
          taxable_amount: 1000,
          amount_to_collect: 82.5,
          rate: 0.0825,
          has_nexus: true,
          freight_taxable: false,
          tax_source: 'destination',
          jurisdictions: { country: 'US', state: 'TX', county: 'TRAVIS', city: 'AUSTIN' },
          breakdown: {
            taxable_amount: 1000,
            tax_collectable: 82.5,
            combined_tax_rate: 0.0825,
            line_items: [
              {
                id: '1',
                taxable_amount: 1000,
                tax_collectable: 82.5,
                combined_tax_rate: 0.0825,
                state_taxable_amount: 1000,
                state_sales_tax_rate: 0.0625,
                state_amount: 62.5,
                county_tax_rate: 0,
                county_amount: 0,
                city_tax_rate: 0.01,
                city_amount: 10,
                special_tax_rate: 0.01,
                special_district_taxable_amount: 1000,
                special_district_amount: 10,
              },
              { id: '2', taxable_amount: 0, tax_collectable: 0, combined_tax_rate: 0 },
            ],
          },
        },
      };
    });
    await stub.listen({ host: '127.0.0.1', port: 0 });
    try {
      const address = stub.server.address() as { port: number };
      const { createTaxJarEngine } = await import('../src/tax/taxjar.js');
      const engine = createTaxJarEngine({ baseUrl: `http://127.0.0.1:${address.port}`, apiKey: 'tj-key' });
      const q = await engine.quote(austin);
      expect(q).toMatchObject({ engine: 'taxjar', totalTax: '82.50', hasNexus: true });
      expect(q.lines[0]).toMatchObject({ rate: '8.25', tax: '82.50' });
      expect(q.lines[0]!.jurisdictions.map((j) => [j.type, j.rate, j.tax])).toEqual([
        ['State', '6.25', '62.50'],
        ['City', '1', '10.00'],
        ['Special', '1', '10.00'],
      ]);
      expect(q.lines[1]).toMatchObject({ exempt: true, tax: '0.00' });
      expect(seen[0]!.body).toMatchObject({
        to_country: 'US',
        to_state: 'TX',
        to_zip: '78701',
        shipping: 0,
        line_items: [
          { id: '1', quantity: 10, unit_price: 100, product_tax_code: 'P0000000' },
          { id: '2', quantity: 1, unit_price: 200, product_tax_code: 'NT' },
        ],
      });
      await expect(
        createTaxJarEngine({ baseUrl: `http://127.0.0.1:${address.port}`, apiKey: 'bad' }).quote(austin),
      ).rejects.toMatchObject({ failure: 'rejected' });
    } finally {
      await stub.close();
    }
  });

  it('reads the documented per-level keys: Canada GST/PST/QST amounts under the bare name, country_tax_collectable, the legacy special-district rate key', async () => {
    const { quoteFromTaxJar } = await import('../src/tax/taxjar.js');
    const request: TaxQuoteRequest = {
      ...austin,
      shipTo: { country: 'CA', region: 'BC', postalCode: 'V6B 1A1' },
      lines: [
        { number: 'ca', amount: '100.00', quantity: '1' },
        { number: 'qc', amount: '100.00', quantity: '1' },
        { number: 'eu', amount: '100.00', quantity: '1' },
        { number: 'us', amount: '100.00', quantity: '1' },
      ],
    };
    const q = quoteFromTaxJar(
      {
        tax: {
          amount_to_collect: '62.98',
          has_nexus: true,
          breakdown: {
            line_items: [
              {
                id: 'ca',
                taxable_amount: 100,
                tax_collectable: 12,
                combined_tax_rate: 0.12,
                gst_tax_rate: 0.05,
                gst: 5,
                pst_tax_rate: 0.07,
                pst: 7,
              },
              {
                id: 'qc',
                taxable_amount: 100,
                tax_collectable: 14.98,
                combined_tax_rate: 0.14975,
                gst_tax_rate: 0.05,
                gst: 5,
                qst_tax_rate: 0.09975,
                qst: 9.98,
              },
              {
                id: 'eu',
                taxable_amount: 100,
                tax_collectable: 19,
                combined_tax_rate: 0.19,
                country_tax_rate: 0.19,
                country_tax_collectable: 19,
              },
              {
                id: 'us',
                taxable_amount: 100,
                tax_collectable: 17,
                combined_tax_rate: 0.17,
                special_district_tax_rate: 0.17,
                special_district_amount: 17,
              },
            ],
          },
        },
      },
      request,
      'test',
    );
    const parts = q.lines.map((l) => l.jurisdictions.map((j) => [j.name, j.rate, j.tax]));
    expect(parts).toEqual([
      [
        ['GST', '5', '5.00'],
        ['PST', '7', '7.00'],
      ],
      [
        ['GST', '5', '5.00'],
        ['QST', '9.975', '9.98'],
      ],
      [['COUNTRY', '19', '19.00']],
      [['SPECIAL_DISTRICT', '17', '17.00']],
    ]);
  });
});
