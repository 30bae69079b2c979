import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { startSimulator } from '../src/sim/server.js';
import { call, requestToken, sampleDataset, startTestSim, type TestSim } from './sim.fixture.js';

describe('rate limit', () => {
  it('answers 429 with Retry-After above 25/s burst 20, and recovers', async () => {
    // The token bucket reads performance.now(): a fake one lets the test move a second on at once
    // (and no token drips in during the burst). Timers stay real, so HTTP works as usual.
    vi.useFakeTimers({ toFake: ['performance'] });
    const sim = await startSimulator({ dataset: sampleDataset() }); // default limit
    try {
      const token = (await requestToken(sim)).body.access_token as string; // spends one token too
      // One concurrent burst: arrival is near-instant, so refill during it is negligible.
      const burst = await Promise.all(Array.from({ length: 60 }, () => call(sim, token, 'GET', '/api/suppliers/10')));
      const statuses = burst.map((r) => r.status);
      const ok = statuses.filter((s) => s === 200).length;
      expect(ok).toBeGreaterThanOrEqual(19);
      expect(ok).toBeLessThan(60);
      const throttled = burst.filter((r) => r.status === 429);
      expect(throttled.length + ok).toBe(60);
      for (const res of throttled) {
        expect(Number(res.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
        expect(res.body.errors.request[0]).toContain('Rate limit');
      }
      vi.advanceTimersByTime(1_000); // a second's refill
      expect((await call(sim, token, 'GET', '/api/suppliers/10')).status).toBe(200);
      expect(sim.callLog.filter((e) => e.status === 429).length).toBe(statuses.filter((s) => s === 429).length);
    } finally {
      vi.useRealTimers();
      await sim.close();
    }
  });
});

describe('fault injection', () => {
  let t: TestSim;
  beforeAll(async () => {
    t = await startTestSim();
  });
  afterAll(() => t.sim.close());

  it('injects 429 with the configured Retry-After on API calls but not on the token endpoint', async () => {
    t.sim.setFaults({ throttleRate: 1, retryAfterSeconds: 3 });
    const res = await t.api('GET', '/api/invoices');
    expect(res.status).toBe(429);
    expect(res.headers.get('retry-after')).toBe('3');
    expect((await requestToken(t.sim)).status).toBe(200);
    t.sim.setFaults({});
    expect((await t.api('GET', '/api/invoices')).status).toBe(200);
  });

  it('injects 5xx answers in Coupa error shape', async () => {
    t.sim.setFaults({ errorRate: 1 });
    const res = await t.api('GET', '/api/invoices/5001');
    expect([500, 502, 503]).toContain(res.status);
    expect(res.body.errors.request).toHaveLength(1);
    t.sim.setFaults({});
  });

  it('drops a connection before processing: the write is NOT applied', async () => {
    t.sim.setFaults({ dropRate: 1 });
    t.sim.clearCallLog();
    await expect(t.api('PUT', '/api/invoices/5003', { 'internal-note': 'never' })).rejects.toThrow();
    t.sim.setFaults({});
    expect(t.sim.records('invoices').find((i) => i.id === 5003)?.['internal-note']).toBe('Rush order');
    expect(t.sim.callLog).toEqual([
      expect.objectContaining({ method: 'PUT', path: '/api/invoices/5003', status: 0, dropped: true }),
    ]);
  });

  it('drops a connection after a write: the write IS applied and logged as such', async () => {
    t.sim.setFaults({ dropAfterWriteRate: 1 });
    t.sim.clearCallLog();
    await expect(t.api('POST', '/api/invoices/5003/comments', { comments: 'lost reply' })).rejects.toThrow();
    // Reads are never "dropped after write".
    expect((await t.api('GET', '/api/invoices/5003')).status).toBe(200);
    t.sim.setFaults({});
    const stored = t.sim.records('comments').filter((c) => c.comments === 'lost reply');
    expect(stored).toHaveLength(1);
    expect(t.sim.callLog[0]).toMatchObject({
      method: 'POST',
      path: '/api/invoices/5003/comments',
      status: 201,
      dropped: true,
      body: { comments: 'lost reply' },
    });
    expect(t.sim.callLog[1]).toMatchObject({ method: 'GET', status: 200 });
    expect(t.sim.callLog[1]?.dropped).toBeUndefined();
  });

  it('adds latency', async () => {
    t.sim.setFaults({ latencyMs: 150 });
    const started = performance.now();
    expect((await t.api('GET', '/api/users/1')).status).toBe(200);
    expect(performance.now() - started).toBeGreaterThanOrEqual(140);
    t.sim.setFaults({});
  });

  it('is reproducible for a seed and differs across seeds', async () => {
    const run = async (seed: number): Promise<number[]> => {
      t.sim.setFaults({ errorRate: 0.5, seed });
      const out: number[] = [];
      for (let i = 0; i < 24; i += 1) out.push((await t.api('GET', '/api/users/1')).status);
      t.sim.setFaults({});
      return out;
    };
    const first = await run(42);
    expect(first.filter((s) => s === 200).length).toBeGreaterThan(0);
    expect(first.filter((s) => s >= 500).length).toBeGreaterThan(0);
    expect(await run(42)).toEqual(first);
    expect(await run(7)).not.toEqual(first);
  });
});

describe('independent instances', () => {
  it('share no state: a write in one is invisible in the other and in the source dataset', async () => {
    const dataset = sampleDataset();
    const snapshot = JSON.stringify(dataset);
    const a = await startSimulator({ dataset, rateLimit: false });
    const b = await startSimulator({ dataset, rateLimit: false });
    try {
      expect(a.url).not.toBe(b.url);
      const tokenA = (await requestToken(a)).body.access_token as string;
      const res = await call(a, tokenA, 'PUT', '/api/invoices/5001/dispute', {
        'dispute-reason': { code: 'DUPLICATE' },
      });
      expect(res.body.status).toBe('disputed');
      expect(a.records('invoices').find((i) => i.id === 5001)?.status).toBe('disputed');
      expect(b.records('invoices').find((i) => i.id === 5001)?.status).toBe('ap_hold');
      expect(JSON.stringify(dataset)).toBe(snapshot);
      expect(b.callLog.filter((e) => e.path.startsWith('/api'))).toEqual([]);
      // records() hands out copies: mutating them changes nothing.
      (a.records('invoices')[0] as Record<string, unknown>).status = 'approved';
      expect(a.records('invoices')[0]?.status).toBe('disputed');
    } finally {
      await Promise.all([a.close(), b.close()]);
    }
  });

  it('upsert and remove change what the API serves', async () => {
    const t = await startTestSim();
    try {
      t.sim.upsert('receiving-transactions', { id: 401, quantity: '1.0', 'order-line': { id: 3002 } });
      expect(
        (await t.api('GET', '/api/receiving_transactions?order-line[id]=3002')).body.map((r: { id: number }) => r.id),
      ).toEqual([401]);
      t.sim.upsert('purchase-orders', { id: 300, 'po-number': 'PO-300', 'order-lines': [{ id: 3003, price: '1.00' }] });
      expect(
        (await t.api('GET', '/api/purchase_order_lines?order-header-id=300')).body.map((r: { id: number }) => r.id),
      ).toEqual([3003]);
      expect(t.sim.remove('invoices', 5002)).toBe(true);
      expect(t.sim.remove('invoices', 5002)).toBe(false);
      expect((await t.api('GET', '/api/invoices/5002')).status).toBe(404);
    } finally {
      await t.sim.close();
    }
  });
});
