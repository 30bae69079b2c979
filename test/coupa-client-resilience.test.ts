import { afterEach, describe, expect, it } from 'vitest';
import {
  CoupaHttpError,
  CoupaTimeoutError,
  CoupaUnknownOutcomeError,
  createRateLimiter,
  type CallEvent,
} from '../src/coupa/index.js';
import { IDS, startHarness, type Harness } from './coupa-client.fixture.js';

let h: Harness | undefined;
afterEach(async () => {
  await h?.sim.close();
  h = undefined;
});

/** Record every HTTP exchange the client makes, with a local timestamp. */
function recorder(): { events: Array<CallEvent & { at: number }>; onCall: (e: CallEvent) => void } {
  const events: Array<CallEvent & { at: number }> = [];
  return { events, onCall: (e) => events.push({ ...e, at: performance.now() }) };
}

/** Clear the simulator's faults as soon as the client has seen one failure with `status`. */
function healAfterFirst(status: number, getHarness: () => Harness | undefined): (e: CallEvent) => void {
  return (e) => {
    if (e.status === status) getHarness()?.sim.setFaults({});
  };
}

describe('Coupa client resilience (real simulator, injected faults)', () => {
  it('waits out Retry-After on a 429, then succeeds', async () => {
    const rec = recorder();
    const heal = healAfterFirst(429, () => h);
    h = await startHarness(
      {},
      {
        onCall: (e) => {
          rec.onCall(e);
          heal(e);
        },
      },
    );
    await h.client.getInvoice(IDS.heldInvoice); // token first, outside the fault window
    h.sim.setFaults({ throttleRate: 1, retryAfterSeconds: 1 });
    const invoice = await h.client.getInvoice(IDS.pendingApproval);
    expect(invoice.id).toBe(IDS.pendingApproval);
    const path = `/api/invoices/${IDS.pendingApproval}`;
    expect(h.calls('GET', path).map((c) => c.status)).toEqual([429, 200]);
    const [throttled, retried] = rec.events.filter((e) => e.path === path);
    // Retry-After: 1 means one second between the 429 arriving and the next request leaving.
    expect(retried!.at - retried!.ms - throttled!.at).toBeGreaterThanOrEqual(990);
  });

  it('retries 5xx with backoff until Coupa recovers', async () => {
    const heal = healAfterFirst(503, () => h);
    let failures = 0;
    h = await startHarness(
      {},
      {
        onCall: (e) => {
          if (e.status >= 500) failures++;
          if (failures >= 3) heal({ ...e, status: 503 });
        },
      },
    );
    await h.client.getInvoice(IDS.heldInvoice);
    h.sim.setFaults({ errorRate: 1 });
    const invoice = await h.client.getInvoice(IDS.approved);
    expect(invoice.status).toBe('approved');
    const statuses = h.calls('GET', `/api/invoices/${IDS.approved}`).map((c) => c.status);
    expect(statuses.slice(0, 3).every((s) => s >= 500)).toBe(true);
    expect(statuses.at(-1)).toBe(200);
    expect(statuses).toHaveLength(4);
  });

  it('gives up after maxRetries with the last typed HTTP error', async () => {
    h = await startHarness({}, { maxRetries: 2 });
    await h.client.getInvoice(IDS.heldInvoice);
    h.sim.setFaults({ errorRate: 1 });
    const error = await h.client.getInvoice(IDS.approved).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CoupaHttpError);
    expect((error as CoupaHttpError).status).toBeGreaterThanOrEqual(500);
    expect(h.calls('GET', `/api/invoices/${IDS.approved}`)).toHaveLength(3);
  });

  it('retries a throttled write: a 429 proves Coupa did not do it', async () => {
    const heal = healAfterFirst(429, () => h);
    h = await startHarness({}, { onCall: heal });
    await h.client.getInvoice(IDS.heldInvoice);
    h.sim.setFaults({ throttleRate: 1, retryAfterSeconds: 0 });
    const invoice = await h.client.void(IDS.approved);
    expect(invoice.status).toBe('voided');
    expect(h.calls('PUT', `/api/invoices/${IDS.approved}/void`).map((c) => c.status)).toEqual([429, 200]);
  });

  it('never retries a 400', async () => {
    h = await startHarness();
    const error = await h.client.void(IDS.disputed).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CoupaHttpError);
    expect((error as CoupaHttpError).status).toBe(400);
    expect((error as CoupaHttpError).messages.length).toBeGreaterThan(0);
    expect(h.calls('PUT', `/api/invoices/${IDS.disputed}/void`)).toHaveLength(1);
    expect(h.sim.records('invoices').find((i) => i.id === IDS.disputed)?.status).toBe('disputed');
  });

  it('times out a slow read with CoupaTimeoutError', async () => {
    h = await startHarness({}, { timeoutMs: 300, maxRetries: 1 });
    await h.client.getInvoice(IDS.heldInvoice);
    h.sim.clearCallLog();
    h.sim.setFaults({ latencyMs: 2000 });
    const started = performance.now();
    const error = await h.client.getInvoice(IDS.heldInvoice).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CoupaTimeoutError);
    expect(error).toMatchObject({ method: 'GET', timeoutMs: 300 });
    // Reads retry freely: two attempts of 300 ms plus a short backoff, well under one slow response.
    expect(h.calls('GET')).toHaveLength(2);
    expect(performance.now() - started).toBeLessThan(1800);
  });

  it('reconciles a write dropped after it applied, WITHOUT sending it again', async () => {
    h = await startHarness();
    await h.client.getInvoice(IDS.heldInvoice);
    h.sim.clearCallLog();
    h.sim.setFaults({ dropAfterWriteRate: 1 });
    const invoice = await h.client.dispute(IDS.receiptHold, {
      reasonCode: 'INCORRECT-QUANTITY',
      comment: 'Billed 100, received 80',
    });
    expect(invoice.status).toBe('disputed');
    const path = `/api/invoices/${IDS.receiptHold}/dispute`;
    expect(h.calls('PUT', path)).toHaveLength(1);
    expect(h.calls('PUT', path)[0]!.dropped).toBe(true);
    expect(h.sim.callLog.map((c) => `${c.method} ${c.path}`)).toEqual([
      `PUT ${path}`,
      `GET /api/invoices/${IDS.receiptHold}`,
    ]);
    expect(h.sim.records('invoices').find((i) => i.id === IDS.receiptHold)?.status).toBe('disputed');
  });

  it('reconciles a dropped comment without a duplicate comment', async () => {
    h = await startHarness();
    await h.client.getInvoice(IDS.heldInvoice);
    h.sim.setFaults({ dropAfterWriteRate: 1 });
    const comment = await h.client.addComment(IDS.heldInvoice, { text: 'Checked against the receipt.' });
    expect(comment.comments).toBe('Checked against the receipt.');
    expect(h.calls('POST', `/api/invoices/${IDS.heldInvoice}/comments`)).toHaveLength(1);
    expect(h.sim.records('comments').filter((c) => c.comments === 'Checked against the receipt.')).toHaveLength(1);
  });

  it('re-sends a write only when the re-read proves it did not apply', async () => {
    const path = `/api/invoices/${IDS.approved}/void`;
    // The connection drops before Coupa does anything (dropRate); heal once the client has seen it.
    h = await startHarness(
      {},
      {
        onCall: (e) => {
          if (e.path === path && e.status === 0) h?.sim.setFaults({});
        },
      },
    );
    await h.client.getInvoice(IDS.heldInvoice);
    h.sim.setFaults({ dropRate: 1 });
    const invoice = await h.client.void(IDS.approved);
    expect(invoice.status).toBe('voided');
    expect(h.calls('PUT', path).map((c) => c.dropped ?? false)).toEqual([true, false]);
  });

  it('after a write times out, waits for it to settle, re-reads, and re-sends only because it did not apply', async () => {
    const path = `/api/invoices/${IDS.approved}/void`;
    const rec = recorder();
    h = await startHarness(
      {},
      {
        timeoutMs: 300,
        settleAfterTimeoutMs: 400,
        onCall: (e) => {
          rec.onCall(e);
          if (e.path === path && e.status === 0) h?.sim.setFaults({}); // later calls are fast again
        },
      },
    );
    await h.client.getInvoice(IDS.heldInvoice);
    h.sim.clearCallLog();
    h.sim.setFaults({ latencyMs: 2000 });
    const invoice = await h.client.void(IDS.approved);
    expect(invoice.status).toBe('voided');
    // The simulator drops a request whose client hung up during the latency, so the re-read
    // shows the void did not happen and exactly one more PUT is sent.
    expect(h.sim.callLog.map((c) => `${c.method} ${c.path} ${c.status}`)).toEqual([
      `PUT ${path} 0`,
      `GET /api/invoices/${IDS.approved} 200`,
      `PUT ${path} 200`,
    ]);
    const timedOut = rec.events.find((e) => e.path === path)!;
    const reread = rec.events.find((e) => e.method === 'GET' && e.path === `/api/invoices/${IDS.approved}`)!;
    expect(reread.at - reread.ms - timedOut.at).toBeGreaterThanOrEqual(390);
    expect(h.sim.records('invoices').find((i) => i.id === IDS.approved)?.status).toBe('voided');
  });

  it('surfaces an unknown outcome it cannot settle instead of guessing', async () => {
    h = await startHarness({}, { maxRetries: 1 });
    await h.client.getInvoice(IDS.heldInvoice);
    // Every request drops: the write's fate and the re-read both stay unknown.
    h.sim.setFaults({ dropRate: 1 });
    const error = await h.client.void(IDS.approved).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CoupaUnknownOutcomeError);
    expect((error as CoupaUnknownOutcomeError).reconcileError).toBeDefined();
    expect(h.calls('PUT', `/api/invoices/${IDS.approved}/void`)).toHaveLength(1);
  });

  it('shares one limiter between clients so together they keep one budget', async () => {
    const shared = createRateLimiter({ ratePerSecond: 20, burst: 2 });
    h = await startHarness({}, { limiter: shared });
    const second = await startHarness({}, { limiter: shared });
    try {
      const started = performance.now();
      // 2 token calls + 8 GETs = 10 requests; burst 2, then 20/s: at least ~400 ms.
      await Promise.all([
        ...Array.from({ length: 4 }, () => h!.client.getInvoice(IDS.heldInvoice)),
        ...Array.from({ length: 4 }, () => second.client.getInvoice(IDS.heldInvoice)),
      ]);
      expect(performance.now() - started).toBeGreaterThanOrEqual(380);
    } finally {
      await second.sim.close();
    }
  });
});
