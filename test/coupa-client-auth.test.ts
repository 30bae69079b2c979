import { afterEach, describe, expect, it } from 'vitest';
import { CoupaAuthError, createCoupaClient } from '../src/coupa/index.js';
import { startSimulator } from '../src/sim/server.js';
import { IDS, smallCompany, startHarness, type Harness } from './coupa-client.fixture.js';

let h: Harness | undefined;
afterEach(async () => {
  await h?.sim.close();
  h = undefined;
});

describe('Coupa client auth (real simulator over loopback)', () => {
  it('mints one token for many requests, sends it as a bearer with Accept: application/json', async () => {
    const seen: Array<{ url: string; accept: string | null; auth: string | null; contentType: string | null }> = [];
    // Observe (not replace) the real fetch so the headers on the wire can be asserted.
    const observingFetch: typeof fetch = async (input, init) => {
      const headers = new Headers(init?.headers);
      seen.push({
        url: String(input),
        accept: headers.get('accept'),
        auth: headers.get('authorization'),
        contentType: headers.get('content-type'),
      });
      return fetch(input, init);
    };
    h = await startHarness({}, { fetch: observingFetch });
    await Promise.all([
      h.client.getInvoice(IDS.heldInvoice),
      h.client.getSupplier(IDS.supplier),
      h.client.getUser(IDS.manager),
      h.client.getPurchaseOrder(IDS.po),
    ]);
    for (let i = 0; i < 6; i++) await h.client.getInvoice(IDS.pendingApproval);

    const tokenCalls = h.calls('POST', '/oauth2/token');
    expect(tokenCalls).toHaveLength(1);
    expect(tokenCalls[0]!.body).toMatchObject({
      grant_type: 'client_credentials',
      client_id: h.sim.credentials.clientId,
    });
    expect(h.calls('GET')).toHaveLength(10);
    expect(seen).toHaveLength(11);
    expect(seen.every((s) => s.accept === 'application/json')).toBe(true);
    expect(seen[0]!.contentType).toBe('application/x-www-form-urlencoded');
    const bearers = new Set(seen.slice(1).map((s) => s.auth));
    expect(bearers.size).toBe(1);
    expect([...bearers][0]).toMatch(/^Bearer \S+$/);
    expect(h.client.stats()).toEqual({ total: 11, byMethod: { POST: 1, GET: 10 } });
  });

  it('requests scopes space-separated and the token carries only those', async () => {
    h = await startHarness({}, { scopes: ['core.invoice.read', 'core.comment.read'] });
    await h.client.getInvoice(IDS.heldInvoice);
    expect(h.calls('POST', '/oauth2/token')[0]!.body).toMatchObject({ scope: 'core.invoice.read core.comment.read' });
    const denied = await h.client.getSupplier(IDS.supplier).catch((e: unknown) => e);
    expect(denied).toBeInstanceOf(CoupaAuthError);
    expect(denied).toMatchObject({ status: 403, method: 'GET', path: `/api/suppliers/${IDS.supplier}` });
  });

  it('refreshes the token ahead of expiry', async () => {
    // Both clocks are the test's: 0.9 s pass for the client (past 80% of a 1 s token); the simulator's stands still.
    let clock = 0;
    h = await startHarness({ tokenTtlSeconds: 1, tokenClock: () => 0 }, { now: () => clock });
    await h.client.getInvoice(IDS.heldInvoice);
    clock += 900;
    await h.client.getInvoice(IDS.heldInvoice);
    expect(h.calls('POST', '/oauth2/token')).toHaveLength(2);
    expect(h.sim.callLog.filter((c) => c.status === 401)).toHaveLength(0);
  });

  it('on a 401 for a token it still trusts, refreshes once and resends', async () => {
    // A restarted instance has forgotten every token it issued: the client's cached token is now
    // unknown there although the client has no reason to doubt it.
    h = await startHarness();
    await h.client.getInvoice(IDS.heldInvoice);
    const port = Number(new URL(h.sim.url).port);
    await h.sim.close();
    h = {
      ...h,
      sim: await startSimulator({ dataset: smallCompany(), rateLimit: false, port, clients: [h.sim.credentials] }),
    };
    const invoice = await h.client.getInvoice(IDS.heldInvoice);
    expect(invoice.id).toBe(IDS.heldInvoice);
    expect(h.sim.callLog.map((c) => `${c.method} ${c.path} ${c.status}`)).toEqual([
      `GET /api/invoices/${IDS.heldInvoice} 401`,
      'POST /oauth2/token 200',
      `GET /api/invoices/${IDS.heldInvoice} 200`,
    ]);
  });

  it('a write outside the granted scopes is a typed 403 and is not retried', async () => {
    h = await startHarness(
      {
        clients: [
          { clientId: 'reader', clientSecret: 'reader-secret', scopes: ['core.invoice.read', 'core.comment.read'] },
        ],
      },
      { clientId: 'reader', clientSecret: 'reader-secret' },
    );
    const error = await h.client.addComment(IDS.heldInvoice, { text: 'hello' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CoupaAuthError);
    expect((error as CoupaAuthError).status).toBe(403);
    expect(h.calls('POST', `/api/invoices/${IDS.heldInvoice}/comments`)).toHaveLength(1);
    expect(h.sim.records('comments')).toHaveLength(1);
  });

  it('wrong client credentials fail at the token endpoint with CoupaAuthError', async () => {
    h = await startHarness();
    const client = createCoupaClient({
      baseUrl: h.sim.url,
      clientId: h.sim.credentials.clientId,
      clientSecret: 'wrong',
      maxRetries: 3,
    });
    const error = await client.getInvoice(IDS.heldInvoice).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CoupaAuthError);
    expect((error as CoupaAuthError).path).toBe('/oauth2/token');
    expect(h.calls('POST', '/oauth2/token')).toHaveLength(1);
    expect(h.calls('GET')).toHaveLength(0);
  });
});
