/**
 * Several worker processes on one real PostgreSQL, fed through the real intake: each event is
 * delivered 1–10 times in random order (fast-check), one worker is SIGKILLed mid-job, and every
 * invoice must be settled exactly once — judged by the simulator's call log (one comment POST per
 * invoice) and by the invocation log (a re-run only after the crash). Poison jobs dead-letter.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import fc from 'fast-check';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRunnerMetrics } from '../../src/runner/metrics.js';
import { createRunnerQueue, type RunnerQueue } from '../../src/runner/queue.js';
import { createRunnerServer } from '../../src/runner/server.js';
import { webhookHeaders } from '../../src/runner/webhook-signature.js';
import type { WireRecord } from '../../src/sim/dataset.js';
import { startSimulator } from '../../src/sim/server.js';
import type { SimulatorHandle } from '../../src/sim/types.js';
import { TEST_QUEUE_SETTINGS } from './fixtures/queue-settings.js';
import { createTestDatabase, type TestDatabase } from './pg-helper.js';

const WORKER_SCRIPT = fileURLToPath(new URL('./fixtures/settle-worker.ts', import.meta.url));
const SECRET = `whsec_${randomBytes(32).toString('base64')}`;
const INVOICES_PER_RUN = 8;
const RUNS = 3;
const POISON_ID = 9999;

let tdb: TestDatabase;
let queue: RunnerQueue;
let app: FastifyInstance;
let base: string;
let sim: SimulatorHandle;
const workers = new Map<number, ChildProcess>();

function invoiceIds(run: number): number[] {
  return Array.from({ length: INVOICES_PER_RUN }, (_, i) => 1000 + run * 100 + i);
}

async function startWorker(): Promise<ChildProcess> {
  const child = spawn(process.execPath, ['--import', 'tsx', WORKER_SCRIPT], {
    env: {
      ...process.env,
      DATABASE_URL: tdb.url,
      SIM_URL: sim.url,
      SIM_CLIENT_ID: sim.credentials.clientId,
      SIM_CLIENT_SECRET: sim.credentials.clientSecret,
      CONCURRENCY: '3',
      SETTLE_DELAY_MS: '150',
      POISON_IDS: String(POISON_ID),
    },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const lines = createInterface({ input: child.stdout! });
  await new Promise<void>((resolve, reject) => {
    lines.on('line', (line) => line === 'ready' && resolve());
    child.once('exit', (code) => reject(new Error(`worker exited early (${code})`)));
  });
  workers.set(child.pid!, child);
  return child;
}

beforeAll(async () => {
  tdb = await createTestDatabase();
  await tdb.db.query(
    'create table test_settle_calls (invoice_id bigint, event_id text, attempt int, pid int, at timestamptz default clock_timestamp())',
  );
  const invoices: WireRecord[] = [...Array.from({ length: RUNS }, (_, r) => invoiceIds(r)).flat(), POISON_ID].map(
    (id) => ({ id, 'invoice-number': `INV-${id}`, status: 'ap_hold' }),
  );
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
      invoices,
    },
  });
  queue = createRunnerQueue({ db: tdb.db, ...TEST_QUEUE_SETTINGS });
  await queue.start();
  app = createRunnerServer({
    db: tdb.db,
    queue,
    metrics: createRunnerMetrics({ defaultMetrics: false }),
    config: { webhookSecrets: [SECRET], calloutClients: undefined },
  });
  base = await app.listen({ host: '127.0.0.1', port: 0 });
  await Promise.all([startWorker(), startWorker(), startWorker()]);
});

afterAll(async () => {
  await Promise.all(
    [...workers.values()].map(
      (w) =>
        new Promise<void>((resolve) => {
          if (w.exitCode !== null || w.signalCode !== null) return resolve();
          w.once('exit', () => resolve());
          w.kill('SIGTERM');
        }),
    ),
  );
  await app?.close();
  await queue?.stop();
  await sim?.close();
  await tdb?.drop();
});

async function deliver(eventId: string, invoiceId: number): Promise<number> {
  const body = JSON.stringify({ event_type: 'invoice.exception.created', resource_id: invoiceId });
  const headers = webhookHeaders({ id: eventId, timestamp: Math.floor(Date.now() / 1000), body, secrets: [SECRET] });
  const response = await fetch(`${base}/webhooks/coupa`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body,
  });
  return response.status;
}

/** Successful comment POSTs per invoice, from the simulator's call log. */
function commentPosts(ids: number[]): Map<number, number> {
  const counts = new Map(ids.map((id) => [id, 0]));
  for (const entry of sim.callLog) {
    const match = /^\/api\/invoices\/(\d+)\/comments$/.exec(entry.path);
    if (entry.method === 'POST' && match && entry.status < 300 && counts.has(Number(match[1]))) {
      counts.set(Number(match[1]), counts.get(Number(match[1]))! + 1);
    }
  }
  return counts;
}

async function settleCalls(ids: number[]): Promise<Array<{ invoice_id: string; pid: number; attempt: number }>> {
  return (
    await tdb.db.query<{ invoice_id: string; pid: number; attempt: number }>(
      'select invoice_id, pid, attempt from test_settle_calls where invoice_id = any($1) order by at',
      [ids],
    )
  ).rows;
}

async function drained(ids: number[]): Promise<boolean> {
  const { rows } = await tdb.db.query<{ n: number }>(
    `select count(*)::int as n from pgboss.job where name = 'settle-invoice' and state in ('created', 'retry', 'active') and singleton_key = any($1)`,
    [ids.map(String)],
  );
  return rows[0]?.n === 0 && [...commentPosts(ids).values()].every((n) => n >= 1);
}

/** While jobs run, SIGKILL the process holding one of them. Resolves to the killed pid. */
async function killOneMidJob(ids: number[]): Promise<number> {
  for (let i = 0; i < 200; i++) {
    const { rows } = await tdb.db.query(
      `select c.pid from test_settle_calls c join pgboss.job j on j.name = 'settle-invoice' and j.state = 'active'
          and j.data->>'eventId' = c.event_id
        where c.invoice_id = any($1) limit 1`,
      [ids],
    );
    const pid = rows[0]?.pid as number | undefined;
    const victim = pid === undefined ? undefined : workers.get(pid);
    if (victim) {
      victim.kill('SIGKILL');
      workers.delete(pid!);
      return pid!;
    }
    await new Promise((r) => setTimeout(r, 20));
  }
  throw new Error('no job was caught in flight');
}

describe('several worker processes on one Postgres', () => {
  it('settles every invoice exactly once despite redeliveries in random order and a worker killed mid-job', async () => {
    let run = 0;
    let killedPid: number | undefined;
    await fc.assert(
      fc.asyncProperty(
        fc
          .array(fc.integer({ min: 1, max: 10 }), { minLength: INVOICES_PER_RUN, maxLength: INVOICES_PER_RUN })
          .chain((copies) => {
            const deliveries = copies.flatMap((n, i) => Array.from({ length: n }, () => i));
            return fc.shuffledSubarray(deliveries, { minLength: deliveries.length, maxLength: deliveries.length });
          }),
        async (order) => {
          const ids = invoiceIds(run);
          const tag = `run${run}-${randomBytes(3).toString('hex')}`;
          // Bounded concurrency of 6 deliveries in flight, in the generated order.
          const pending = [...order];
          const sender = async (): Promise<void> => {
            for (let next = pending.shift(); next !== undefined; next = pending.shift()) {
              expect(await deliver(`${tag}-${next}`, ids[next]!)).toBe(202);
            }
          };
          const sending = Promise.all(Array.from({ length: 6 }, sender));
          if (run === 0) {
            killedPid = await killOneMidJob(ids);
            await startWorker(); // a replacement joins; the dead one's job waits for expiry
          }
          await sending;
          await expect.poll(() => drained(ids), { timeout: 60_000, interval: 250 }).toBe(true);

          const posts = commentPosts(ids);
          expect([...posts.values()]).toEqual(ids.map(() => 1));
          const calls = await settleCalls(ids);
          for (const id of ids) {
            const mine = calls.filter((c) => Number(c.invoice_id) === id);
            const bySurvivors = mine.filter((c) => c.pid !== killedPid);
            // A second invocation only ever follows the crash of the process that had it.
            expect(bySurvivors.length, `invoice ${id}: ${JSON.stringify(mine)}`).toBeLessThanOrEqual(1);
            expect(mine.length).toBe(mine.some((c) => c.pid === killedPid) && bySurvivors.length === 1 ? 2 : 1);
          }
          const events = await tdb.db.query<{ n: number }>(
            'select count(*)::int as n from webhook_events where event_id like $1',
            [`${tag}-%`],
          );
          expect(events.rows[0]?.n).toBe(ids.length);
          run += 1;
        },
      ),
      { numRuns: RUNS, endOnFailure: true },
    );
    // The killed process held a job: it expired and a survivor ran it again (attempt 2).
    const { rows: rerun } = await tdb.db.query(
      `select k.invoice_id from test_settle_calls k join test_settle_calls s on s.invoice_id = k.invoice_id
        where k.pid = $1 and s.pid <> $1 and s.attempt >= 2`,
      [killedPid],
    );
    expect(rerun.length).toBeGreaterThanOrEqual(1);
  });

  it('the processes shared one Coupa rate limit: the simulator never answered 429', () => {
    expect(sim.callLog.length).toBeGreaterThan(RUNS * INVOICES_PER_RUN * 2);
    expect(sim.callLog.filter((e) => e.status === 429)).toEqual([]);
  });

  it('a job that keeps failing ends in the dead-letter queue after its retries', async () => {
    expect(await deliver(`poison-${randomBytes(3).toString('hex')}`, POISON_ID)).toBe(202);
    await expect
      .poll(async () => (await queue.deadLetters()).map((j) => (j.data as { invoiceId: number }).invoiceId), {
        timeout: 60_000,
        interval: 500,
      })
      .toEqual([POISON_ID]);
    const calls = await settleCalls([POISON_ID]);
    expect(calls.map((c) => c.attempt)).toEqual([1, 2, 3]); // first run + retryLimit 2
    const [dead] = await queue.deadLetters();
    expect(dead!.output).toMatchObject({ message: `invoice ${POISON_ID} is poison` });
    expect((await queue.stats()).deadLetters).toBe(1);
    expect(commentPosts([POISON_ID]).get(POISON_ID)).toBe(0);
  });
});
