import Fastify, { type FastifyInstance } from 'fastify';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { invoice, startTestSim, type TestSim } from './sim.fixture.js';

interface Received {
  authorization: string | undefined;
  body: Record<string, unknown>;
}

/** A call-out receiver: an OAuth token endpoint (Basic client auth) and an event endpoint. */
async function startReceiver(): Promise<{
  app: FastifyInstance;
  url: string;
  events: Received[];
  tokenRequests: string[];
  failNext: { count: number };
}> {
  const app = Fastify();
  const events: Received[] = [];
  const tokenRequests: string[] = [];
  const failNext = { count: 0 };
  app.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string' }, (_req, body, done) =>
    done(null, body),
  );
  app.post('/token', async (request, reply) => {
    tokenRequests.push(String(request.body));
    const expected = `Basic ${Buffer.from('hook-client:hook-secret').toString('base64')}`;
    if (request.headers.authorization !== expected) return reply.code(401).send({ error: 'invalid_client' });
    return { access_token: 'receiver-token-1', token_type: 'bearer', expires_in: 86399 };
  });
  app.post('/events', async (request, reply) => {
    if (failNext.count > 0) {
      failNext.count -= 1;
      return reply.code(503).send({});
    }
    events.push({ authorization: request.headers.authorization, body: request.body as Record<string, unknown> });
    return reply.code(202).send({});
  });
  const url = await app.listen({ port: 0, host: '127.0.0.1' });
  return { app, url, events, tokenRequests, failNext };
}

async function waitFor(check: () => boolean, ms = 5_000): Promise<void> {
  const until = Date.now() + ms;
  while (!check()) {
    if (Date.now() > until) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 20));
  }
}

describe('outbound exception events', () => {
  let receiver: Awaited<ReturnType<typeof startReceiver>>;
  let t: TestSim;
  beforeAll(async () => {
    receiver = await startReceiver();
    t = await startTestSim({
      events: {
        url: `${receiver.url}/events`,
        tokenUrl: `${receiver.url}/token`,
        clientId: 'hook-client',
        clientSecret: 'hook-secret',
      },
    });
  });
  afterAll(async () => {
    await t.sim.close();
    await receiver.app.close();
  });
  beforeEach(() => {
    receiver.events.length = 0;
  });

  it('posts the event with a bearer token when an action puts an invoice on hold', async () => {
    t.sim.upsert(
      'invoices',
      invoice(8001, 'draft', {
        'failed-tolerances': [{ id: 81, code: 'PRICE_MISMATCH', resolved: false }],
        'tolerance-failures': 'Line 1 price exceeds PO price',
      }),
    );
    const res = await t.api('PUT', '/api/invoices/8001/submit');
    expect(res.body.status).toBe('ap_hold');
    await waitFor(() => receiver.events.length === 1);
    expect(receiver.events[0]).toEqual({
      authorization: 'Bearer receiver-token-1',
      body: expect.objectContaining({
        event_type: 'invoice.exception.created',
        resource_id: 8001,
        exception_code: 'PRICE_MISMATCH',
        hold_reason: 'Line 1 price exceeds PO price',
      }),
    });
    expect(receiver.tokenRequests[0]).toBe('grant_type=client_credentials');
  });

  it('posts when the harness upserts an invoice into pending_receipt, and only on entering', async () => {
    t.sim.upsert('invoices', invoice(8002, 'pending_approval'));
    t.sim.upsert('invoices', invoice(8002, 'pending_receipt'));
    await waitFor(() => receiver.events.length === 1);
    t.sim.upsert('invoices', invoice(8002, 'pending_receipt', { 'internal-note': 'still waiting' }));
    await t.api('PUT', '/api/invoices/8002/revalidate_tolerances'); // → pending_approval: not an exception
    // A change that does post, as a marker: events are sent as the changes happen, so an event the
    // two changes above had sent would have gone out before the marker's.
    t.sim.upsert('invoices', invoice(8009, 'ap_hold'));
    await waitFor(() => receiver.events.some((e) => e.body.resource_id === 8009));
    expect(receiver.events.map((e) => e.body.resource_id)).toEqual([8002, 8009]);
    expect(receiver.events[0]?.body.exception_code).toBeUndefined();
  });

  it('retries a failing receiver and delivers once it recovers, reusing the cached token', async () => {
    receiver.failNext.count = 2;
    const tokensBefore = receiver.tokenRequests.length;
    t.sim.upsert('invoices', invoice(8003, 'ap_hold'));
    await waitFor(() => receiver.events.length === 1);
    expect(receiver.events[0]?.body.resource_id).toBe(8003);
    expect(receiver.tokenRequests.length).toBe(tokensBefore);
  });
});

describe('events without receiver auth, and an unreachable receiver', () => {
  it('posts without Authorization when no token URL is configured', async () => {
    const receiver = await startReceiver();
    const t = await startTestSim({ events: { url: `${receiver.url}/events` } });
    try {
      t.sim.upsert('invoices', invoice(8101, 'ap_hold'));
      await waitFor(() => receiver.events.length === 1);
      expect(receiver.events[0]?.authorization).toBeUndefined();
    } finally {
      await t.sim.close();
      await receiver.app.close();
    }
  });

  it('keeps serving when the receiver is down, and closes promptly', async () => {
    const t = await startTestSim({ events: { url: 'http://127.0.0.1:9/events' } });
    t.sim.upsert('invoices', invoice(8201, 'ap_hold'));
    expect((await t.api('GET', '/api/invoices/8201')).status).toBe(200);
    await t.sim.close();
  });
});
