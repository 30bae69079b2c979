/**
 * The intake over real loopback HTTP, on a throwaway PostgreSQL database: auth (signature or
 * call-out OAuth), validation, dedupe in the enqueue transaction, and the simulator's call-outs.
 */
import { randomBytes } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCalloutAuth } from '../../src/runner/callout-auth.js';
import { createRunnerMetrics } from '../../src/runner/metrics.js';
import { createRunnerQueue, type RunnerQueue } from '../../src/runner/queue.js';
import { createRunnerServer } from '../../src/runner/server.js';
import { webhookHeaders } from '../../src/runner/webhook-signature.js';
import { startSimulator } from '../../src/sim/server.js';
import { createTestDatabase, type TestDatabase } from './pg-helper.js';

const SECRET = `whsec_${randomBytes(32).toString('base64')}`;
const CALLOUT = { clientId: 'coupa-callout', clientSecret: randomBytes(16).toString('hex') };

let tdb: TestDatabase;
let queue: RunnerQueue;
let app: FastifyInstance;
let base: string;
let clockMs = Date.now();

beforeAll(async () => {
  tdb = await createTestDatabase();
  queue = createRunnerQueue({ db: tdb.db });
  await queue.start();
  app = createRunnerServer({
    db: tdb.db,
    queue,
    metrics: createRunnerMetrics({ queue, defaultMetrics: false }),
    config: { webhookSecrets: [SECRET], calloutClients: `${CALLOUT.clientId}:${CALLOUT.clientSecret}` },
    calloutAuth: createCalloutAuth({ clients: [CALLOUT], ttlSeconds: 60, now: () => clockMs }),
    bodyLimitBytes: 4096,
  });
  base = await app.listen({ host: '127.0.0.1', port: 0 });
});

afterAll(async () => {
  await app?.close();
  await queue?.stop();
  await tdb?.drop();
});

function signed(body: string, id: string, extra: Record<string, string> = {}): RequestInit {
  const headers = webhookHeaders({ id, timestamp: Math.floor(Date.now() / 1000), body, secrets: [SECRET] });
  return { method: 'POST', headers: { 'content-type': 'application/json', ...headers, ...extra }, body };
}

async function post(init: RequestInit): Promise<{ status: number; body: Record<string, unknown> }> {
  const response = await fetch(`${base}/webhooks/coupa`, init);
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

async function rows(sql: string, params: unknown[] = []): Promise<Array<Record<string, unknown>>> {
  return (await tdb.db.query(sql, params)).rows;
}

describe('POST /webhooks/coupa with a Standard Webhooks signature', () => {
  it('answers 202, records the event and queues one job keyed by the invoice', async () => {
    const body = JSON.stringify({
      event_type: 'invoice.exception.created',
      resource_id: 7001,
      exception_code: 'PRICE',
    });
    const res = await post(signed(body, 'msg_first'));
    expect(res).toEqual({ status: 202, body: { status: 'queued', event_id: 'msg_first' } });
    const [event] = await rows('select invoice_id, job_id, source from webhook_events where event_id = $1', [
      'msg_first',
    ]);
    expect(event).toMatchObject({ invoice_id: '7001', source: 'webhook' });
    const jobs = await rows(
      `select singleton_key, data from pgboss.job where name = 'settle-invoice' and id::text = $1`,
      [event!.job_id],
    );
    expect(jobs).toEqual([
      { singleton_key: '7001', data: { invoiceId: 7001, eventId: 'msg_first', source: 'webhook' } },
    ]);
  });

  it('a redelivered event is acknowledged but neither recorded nor queued again', async () => {
    const body = JSON.stringify({ resource_id: 7002 });
    const results = await Promise.all(Array.from({ length: 5 }, () => post(signed(body, 'msg_dup'))));
    expect(results.map((r) => r.status)).toEqual([202, 202, 202, 202, 202]);
    expect(results.filter((r) => r.body.status === 'queued')).toHaveLength(1);
    expect(
      await rows(`select count(*)::int as n from pgboss.job where name = 'settle-invoice' and singleton_key = '7002'`),
    ).toEqual([{ n: 1 }]);
  });

  it('a second event for an invoice already queued is recorded and folded into the queued job', async () => {
    await post(signed(JSON.stringify({ resource_id: 7003 }), 'msg_a'));
    const res = await post(signed(JSON.stringify({ resource_id: 7003, hold_reason: 'new receipt' }), 'msg_b'));
    expect(res.body.status).toBe('folded');
    expect(
      await rows(
        `select event_id, job_id is null as folded from webhook_events where invoice_id = 7003 order by event_id`,
      ),
    ).toEqual([
      { event_id: 'msg_a', folded: false },
      { event_id: 'msg_b', folded: true },
    ]);
  });

  it('takes the event id from the body when there is no webhook-id, else hashes the body', async () => {
    const token = await callOutToken();
    const auth = { authorization: `Bearer ${token}`, 'content-type': 'application/json' };
    const withId = await post({
      method: 'POST',
      headers: auth,
      body: JSON.stringify({ event_id: 'evt-9', resource_id: 7004 }),
    });
    expect(withId.body.event_id).toBe('evt-9');
    const bare = await post({ method: 'POST', headers: auth, body: JSON.stringify({ resource_id: 7005 }) });
    expect(bare.body.event_id).toMatch(/^sha256:[0-9a-f]{64}$/);
    const again = await post({ method: 'POST', headers: auth, body: JSON.stringify({ resource_id: 7005 }) });
    expect(again.body).toEqual({ status: 'duplicate', event_id: bare.body.event_id });
  });

  it('401 for a bad signature, a stale timestamp or no credentials — nothing recorded', async () => {
    const body = JSON.stringify({ resource_id: 7010 });
    const tampered = signed(body, 'msg_t');
    tampered.body = JSON.stringify({ resource_id: 7011 });
    const stale = {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        ...webhookHeaders({ id: 'msg_s', timestamp: Math.floor(Date.now() / 1000) - 3600, body, secrets: [SECRET] }),
      },
      body,
    };
    const wrongKey = {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        ...webhookHeaders({
          id: 'msg_w',
          timestamp: Math.floor(Date.now() / 1000),
          body,
          secrets: [`whsec_${randomBytes(32).toString('base64')}`],
        }),
      },
      body,
    };
    const bare = { method: 'POST', headers: { 'content-type': 'application/json' }, body };
    for (const init of [tampered, stale, wrongKey, bare]) {
      const res = await post(init);
      expect(res.status).toBe(401);
      expect(res.body.error).toBe('unauthorized');
    }
    expect(await rows(`select count(*)::int as n from webhook_events where invoice_id in (7010, 7011)`)).toEqual([
      { n: 0 },
    ]);
  });

  it('400 with a clear message for bodies that are not a valid event; 413 above the size limit', async () => {
    const cases: Array<[string, RegExp]> = [
      ['{not json', /JSON object/],
      ['[1,2]', /JSON object/],
      [JSON.stringify({ resource_id: 'abc' }), /resource_id: .*number/i],
      [JSON.stringify({ resource_id: -4 }), /resource_id/],
      [JSON.stringify({ event_type: 'invoice.updated' }), /resource_id/],
    ];
    for (const [body, message] of cases) {
      const res = await post(signed(body, `msg_bad_${randomBytes(3).toString('hex')}`));
      expect(res.status).toBe(400);
      expect(String(res.body.message)).toMatch(message);
    }
    const big = JSON.stringify({ resource_id: 1, padding: 'x'.repeat(5000) });
    const response = await fetch(`${base}/webhooks/coupa`, signed(big, 'msg_big'));
    expect(response.status).toBe(413);
  });
});

async function callOutToken(credentials = CALLOUT): Promise<string> {
  const basic = Buffer.from(`${credentials.clientId}:${credentials.clientSecret}`).toString('base64');
  const response = await fetch(`${base}/oauth2/token`, {
    method: 'POST',
    headers: {
      authorization: `Basic ${basic}`,
      'content-type': 'application/x-www-form-urlencoded',
      'cache-control': 'no-cache',
    },
    body: 'grant_type=client_credentials',
  });
  expect(response.status).toBe(200);
  const body = (await response.json()) as { access_token: string; token_type: string; expires_in: number };
  expect(body).toMatchObject({ token_type: 'bearer', expires_in: 60 });
  return body.access_token;
}

describe('Coupa call-out OAuth (client credentials)', () => {
  it('issues a bearer token for Basic credentials that the webhook then accepts', async () => {
    const token = await callOutToken();
    const res = await post({
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ resource_id: 7020 }),
    });
    expect(res.status).toBe(202);
  });

  it('refuses a wrong secret, an unknown grant, a forged or expired token', async () => {
    const basic = Buffer.from(`${CALLOUT.clientId}:wrong`).toString('base64');
    const denied = await fetch(`${base}/oauth2/token`, {
      method: 'POST',
      headers: { authorization: `Basic ${basic}`, 'content-type': 'application/x-www-form-urlencoded' },
      body: 'grant_type=client_credentials',
    });
    expect(denied.status).toBe(401);
    expect(await denied.json()).toMatchObject({ error: 'invalid_client' });
    const grant = await fetch(`${base}/oauth2/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'grant_type=password',
    });
    expect(grant.status).toBe(400);

    const token = await callOutToken();
    const [prefix, payload, mac] = token.split('.');
    const forgedPayload = Buffer.from(JSON.stringify({ sub: CALLOUT.clientId, exp: 9_999_999_999 })).toString(
      'base64url',
    );
    const bearer = (t: string): RequestInit => ({
      method: 'POST',
      headers: { authorization: `Bearer ${t}`, 'content-type': 'application/json' },
      body: JSON.stringify({ resource_id: 7021 }),
    });
    expect((await post(bearer(`${prefix}.${forgedPayload}.${mac}`))).status).toBe(401);
    expect((await post(bearer(`${prefix}.${payload}.${mac}x`))).status).toBe(401);
    clockMs += 61_000; // the token's 60 s are over
    try {
      expect((await post(bearer(token))).status).toBe(401);
    } finally {
      clockMs = Date.now();
    }
  });

  it("receives the simulator's call-out when an invoice enters ap_hold", async () => {
    const sim = await startSimulator({
      events: {
        url: `${base}/webhooks/coupa`,
        tokenUrl: `${base}/oauth2/token`,
        clientId: CALLOUT.clientId,
        clientSecret: CALLOUT.clientSecret,
      },
      dataset: {
        users: [],
        suppliers: [],
        'supplier-information': [],
        contracts: [],
        'purchase-orders': [],
        'receiving-transactions': [],
        approvals: [],
        comments: [],
        invoices: [{ id: 7030, 'invoice-number': 'INV-7030', status: 'pending_approval' }],
      },
    });
    try {
      sim.upsert('invoices', { id: 7030, 'invoice-number': 'INV-7030', status: 'ap_hold' });
      await expect
        .poll(async () => rows('select source, event_type from webhook_events where invoice_id = 7030'), {
          timeout: 10_000,
        })
        .toEqual([{ source: 'webhook', event_type: 'invoice.exception.created' }]);
    } finally {
      await sim.close();
    }
  });
});

describe('operational endpoints', () => {
  it('/healthz, /readyz and /metrics answer', async () => {
    expect((await fetch(`${base}/healthz`)).status).toBe(200);
    const ready = await fetch(`${base}/readyz`);
    expect(ready.status).toBe(200);
    expect(await ready.json()).toEqual({ status: 'ready', database: 'ok' });
    const text = await (await fetch(`${base}/metrics`)).text();
    expect(text).toMatch(/settle_webhook_events_total\{outcome="queued"\} [1-9]/);
    expect(text).toMatch(/settle_webhook_events_total\{outcome="unauthorized"\} [1-9]/);
    expect(text).toMatch(/settle_queue_depth\{state="queued"\} [1-9]/);
    expect(text).toMatch(/settle_queue_oldest_job_age_seconds \d/);
  });
});
