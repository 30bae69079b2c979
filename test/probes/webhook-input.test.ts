/**
 * Probes: poison and foreign input at the webhook, over real loopback HTTP on embedded PGlite.
 * A signed event nested 60,000 deep used to get 503 "retry later" (a sender retries that forever);
 * an unknown event type (`supplier.bank_account.changed`) used to be queued as an invoice exception.
 */
import { randomBytes } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDb, type Db } from '../../src/db/connection.js';
import { migrate } from '../../src/db/migrate.js';
import { jsonDepthProblem } from '../../src/json-depth.js';
import { createRunnerMetrics } from '../../src/runner/metrics.js';
import { SETTLE_QUEUE, createRunnerQueue, type RunnerQueue } from '../../src/runner/queue.js';
import { createRunnerServer } from '../../src/runner/server.js';
import { webhookHeaders } from '../../src/runner/webhook-signature.js';

const SECRET = `whsec_${randomBytes(32).toString('base64')}`;
let db: Db;
let queue: RunnerQueue;
let app: FastifyInstance;
let base: string;

beforeAll(async () => {
  db = await openDb({});
  await migrate(db);
  queue = createRunnerQueue({ db });
  await queue.start();
  app = createRunnerServer({
    db,
    queue,
    metrics: createRunnerMetrics({ defaultMetrics: false }),
    config: { webhookSecrets: [SECRET], calloutClients: undefined },
  });
  base = await app.listen({ host: '127.0.0.1', port: 0 });
});

afterAll(async () => {
  await app?.close();
  await queue?.stop();
  await db?.close();
});

async function deliver(id: string, body: string): Promise<{ status: number; body: Record<string, unknown> }> {
  const headers = webhookHeaders({ id, timestamp: Math.floor(Date.now() / 1000), body, secrets: [SECRET] });
  const response = await fetch(`${base}/webhooks/coupa`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body,
  });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

async function jobsFor(invoiceId: number): Promise<number> {
  const { rows } = await db.query<{ n: number }>(
    'select count(*)::int as n from pgboss.job where name = $1 and singleton_key = $2',
    [SETTLE_QUEUE, String(invoiceId)],
  );
  return rows[0]!.n;
}

describe('webhook poison input', () => {
  it('answers a signed event nested 60,000 deep with 400 and the reason, and records nothing', async () => {
    const deep = `{"resource_id": 9101, "x": ${'['.repeat(60_000)}${']'.repeat(60_000)}}`;
    const r = await deliver('evt_deep', deep);
    expect(r.status).toBe(400);
    expect(r.body.message).toMatch(/nested deeper than 32 levels/);
    expect((await db.query('select 1 from webhook_events where event_id = $1', ['evt_deep'])).rowCount).toBe(0);
    expect(await jobsFor(9101)).toBe(0);
  });

  it('answers a body over the size limit with 413 and the limit in words', async () => {
    const big = JSON.stringify({ resource_id: 9102, pad: 'x'.repeat(300 * 1024) });
    const r = await deliver('evt_big', big);
    expect(r.status).toBe(413);
    expect(r.body.message).toBe(`body larger than ${256 * 1024} bytes`);
  });

  it('does not count brackets inside strings', () => {
    expect(jsonDepthProblem(JSON.stringify({ note: '['.repeat(1000), quoted: '\\"[[[' }))).toBeNull();
    expect(jsonDepthProblem('[[[[', 3)).toMatch(/deeper than 3/);
  });
});

describe('webhook foreign events', () => {
  it('acknowledges an unknown event type with 202, records it as ignored and queues nothing, also when redelivered', async () => {
    const body = JSON.stringify({ event_type: 'supplier.bank_account.changed', resource_id: 9201 });
    const first = await deliver('evt_supplier', body);
    expect(first.status).toBe(202);
    expect(first.body).toMatchObject({ status: 'ignored', event_id: 'evt_supplier' });
    expect(String(first.body.reason)).toMatch(/not an invoice event/);
    const { rows } = await db.query<{ invoice_id: unknown; ignored_reason: string; job_id: unknown }>(
      'select invoice_id, ignored_reason, job_id from webhook_events where event_id = $1',
      ['evt_supplier'],
    );
    expect(rows[0]).toMatchObject({
      invoice_id: null,
      job_id: null,
      ignored_reason: expect.stringMatching(/supplier\.bank_account\.changed/),
    });
    expect(await jobsFor(9201)).toBe(0);
    const again = await deliver('evt_supplier', body);
    expect(again).toMatchObject({ status: 202, body: { status: 'duplicate' } });
    expect(await jobsFor(9201)).toBe(0);
  });

  it('still queues invoice events, with or without an event type, in their benign spellings', async () => {
    for (const [i, type] of [
      undefined,
      'invoice.exception.created',
      'Invoice.Updated',
      'invoice_exception',
    ].entries()) {
      const r = await deliver(
        `evt_inv_${i}`,
        JSON.stringify({ ...(type ? { event_type: type } : {}), resource_id: 9300 + i }),
      );
      expect(r).toMatchObject({ status: 202, body: { status: 'queued' } });
      expect(await jobsFor(9300 + i)).toBe(1);
    }
  });

  it('refuses an event type that is not a string with 400', async () => {
    const r = await deliver('evt_numeric_type', JSON.stringify({ event_type: 42, resource_id: 9400 }));
    expect(r.status).toBe(400);
    expect(r.body.message).toMatch(/event_type must be a string/);
  });
});
