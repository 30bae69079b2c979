/**
 * The embedded default: no Postgres server — the queue, inbox, rate limit and workers all run on
 * in-process PGlite (one connection over an in-memory stream, no listener), with the intake on loopback HTTP.
 * Also: graceful shutdown finishes or releases the jobs in hand.
 */
import { randomBytes } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCoupaClient } from '../../src/coupa/client.js';
import { openDb, type Db } from '../../src/db/connection.js';
import { migrate } from '../../src/db/migrate.js';
import { createRunnerMetrics } from '../../src/runner/metrics.js';
import { createRunnerQueue, type RunnerQueue } from '../../src/runner/queue.js';
import { createPgRateLimiter } from '../../src/runner/rate-limit.js';
import { createRunnerServer } from '../../src/runner/server.js';
import type { SettleFn } from '../../src/runner/types.js';
import { webhookHeaders } from '../../src/runner/webhook-signature.js';
import { createWorkerPool } from '../../src/runner/worker.js';
import { startSimulator } from '../../src/sim/server.js';
import type { SimulatorHandle } from '../../src/sim/types.js';

const SECRET = `whsec_${randomBytes(32).toString('base64')}`;
const IDS = Array.from({ length: 10 }, (_, i) => 4000 + i);

let db: Db;
let queue: RunnerQueue;
let app: FastifyInstance;
let base: string;
let sim: SimulatorHandle;

beforeAll(async () => {
  db = await openDb({}); // no DATABASE_URL: PGlite in memory
  expect(db.kind).toBe('pglite');
  await migrate(db);
  queue = createRunnerQueue({ db, retryDelaySeconds: 1 });
  await queue.start();
  sim = await startSimulator({
    dataset: {
      users: [],
      suppliers: [],
      'supplier-information': [],
      contracts: [],
      'purchase-orders': [],
      'receiving-transactions': [],
      approvals: [],
      comments: [],
      invoices: [...IDS, 4100, 4101].map((id) => ({ id, 'invoice-number': `INV-${id}`, status: 'ap_hold' })),
    },
  });
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
  await sim?.close();
  await db?.close();
});

async function deliver(eventId: string, invoiceId: number): Promise<number> {
  const body = JSON.stringify({ resource_id: invoiceId });
  const headers = webhookHeaders({ id: eventId, timestamp: Math.floor(Date.now() / 1000), body, secrets: [SECRET] });
  return (
    await fetch(`${base}/webhooks/coupa`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...headers },
      body,
    })
  ).status;
}

describe('embedded (PGlite) runner', () => {
  it('takes events over HTTP and settles each invoice once with in-process workers', async () => {
    const coupa = createCoupaClient({
      baseUrl: sim.url,
      clientId: sim.credentials.clientId,
      clientSecret: sim.credentials.clientSecret,
      limiter: createPgRateLimiter(db, { name: 'coupa', ratePerSecond: 20, burst: 10 }),
    });
    const settle: SettleFn = async (invoiceId, ctx) => {
      await coupa.addComment(invoiceId, { text: `embedded ${ctx.eventId}` });
      return { decision: 'route', exceptionType: 'other', executed: true };
    };
    const pool = createWorkerPool({ queue, settle, concurrency: 3, idleMs: 100 });
    pool.start();
    try {
      const statuses = await Promise.all(IDS.flatMap((id) => [deliver(`e-${id}`, id), deliver(`e-${id}`, id)]));
      expect(statuses.every((s) => s === 202)).toBe(true);
      const posted = (): number[] =>
        sim.callLog
          .filter((e) => e.method === 'POST' && e.path.endsWith('/comments') && e.status < 300)
          .map((e) => Number(e.path.split('/')[3]))
          .sort();
      await expect.poll(posted, { timeout: 30_000 }).toEqual(IDS);
      await expect
        .poll(async () => (await queue.stats()).active + (await queue.stats()).queued, { timeout: 10_000 })
        .toBe(0);
    } finally {
      await pool.stop();
    }
  });

  it('graceful stop: a job in hand finishes and completes; no new job is taken', async () => {
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const started: number[] = [];
    const settle: SettleFn = async (invoiceId) => {
      started.push(invoiceId);
      await gate;
      return { decision: 'hold', exceptionType: 'duplicate', executed: true };
    };
    const pool = createWorkerPool({ queue, settle, concurrency: 1, idleMs: 50 });
    expect(await deliver('g-1', 4100)).toBe(202);
    pool.start();
    await expect.poll(() => started, { timeout: 10_000 }).toEqual([4100]);
    const stopping = pool.stop();
    expect(await deliver('g-2', 4101)).toBe(202); // arrives during shutdown: must stay queued
    await sleep(300);
    release();
    await stopping;
    expect(started).toEqual([4100]);
    const { rows } = await db.query(
      `select data->>'invoiceId' as invoice, state::text from pgboss.job where name = 'settle-invoice' and singleton_key in ('4100', '4101') order by 1`,
    );
    expect(rows).toEqual([
      { invoice: '4100', state: 'completed' },
      { invoice: '4101', state: 'created' },
    ]);
  });

  it('graceful stop: a handler that outlives the grace period is aborted and its job handed back', async () => {
    const signals: AbortSignal[] = [];
    const stubborn: SettleFn = async (_id, ctx) => {
      signals.push(ctx.signal);
      await new Promise(() => undefined); // ignores its signal
      return { decision: 'none', exceptionType: 'other', executed: false };
    };
    const pool = createWorkerPool({
      queue,
      settle: stubborn,
      concurrency: 1,
      idleMs: 50,
      shutdownGraceMs: 200,
      abortGraceMs: 200,
    });
    pool.start();
    await expect.poll(() => signals.length, { timeout: 10_000 }).toBe(1);
    await pool.stop();
    expect(signals[0]!.aborted).toBe(true);
    const { rows } = await db.query(
      `select state::text, output->>'message' as message from pgboss.job where name = 'settle-invoice' and singleton_key = '4101'`,
    );
    expect(rows).toEqual([{ state: 'retry', message: 'released at shutdown' }]);
  });
});
