/**
 * Coupa's budget is per tenant and shared by every worker process: several processes, each with
 * its own Coupa client and the Postgres token bucket as limiter, read from one simulated tenant at
 * once. The simulator logs when each request arrived (wall clock). The bucket is set below Coupa's
 * limit (20/s, burst 5 against 25/s, burst 20), as a deployment would, so requests that queue in
 * transit on a loaded machine and arrive bunched still fit: in every window the simulator counts at
 * most Coupa's rate × window + burst and never answers 429, and the whole run takes at least as long
 * as the bucket's rate allows. Three processes each with a bucket of their own would break both.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSimulator } from '../../src/sim/server.js';
import type { SimulatorHandle } from '../../src/sim/types.js';
import { createTestDatabase, type TestDatabase } from './pg-helper.js';

const WORKER = fileURLToPath(new URL('./fixtures/budget-worker.ts', import.meta.url));
const PROCESSES = 3;
const REQUESTS = 30;
const RATE = 20;
const BURST = 5;
/** The simulated tenant's own limit, as Coupa's (25 requests per second, burst 20). */
const COUPA_RATE = 25;
const COUPA_BURST = 20;

let tdb: TestDatabase;
let sim: SimulatorHandle;
const children: ChildProcess[] = [];

function lineFrom(child: ChildProcess, wanted: string): Promise<void> {
  const lines = createInterface({ input: child.stdout! });
  return new Promise((resolve, reject) => {
    lines.on('line', (line) => line === wanted && resolve());
    child.once('exit', (code) => code !== 0 && reject(new Error(`worker exited with ${code} before "${wanted}"`)));
  });
}

beforeAll(async () => {
  tdb = await createTestDatabase();
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
      invoices: [{ id: 1, 'invoice-number': 'INV-1', status: 'ap_hold' }],
    },
    rateLimit: { perSecond: COUPA_RATE, burst: COUPA_BURST },
  });
});

afterAll(async () => {
  for (const child of children) if (child.exitCode === null) child.kill('SIGTERM');
  await sim?.close();
  await tdb?.drop();
});

describe('one Coupa budget for all worker processes', () => {
  it('requests from several processes stay within rate × time + burst, and Coupa never throttles', async () => {
    for (let i = 0; i < PROCESSES; i++) {
      children.push(
        spawn(process.execPath, ['--import', 'tsx', WORKER], {
          env: {
            ...process.env,
            DATABASE_URL: tdb.url,
            SIM_URL: sim.url,
            SIM_CLIENT_ID: sim.credentials.clientId,
            SIM_CLIENT_SECRET: sim.credentials.clientSecret,
            REQUESTS: String(REQUESTS),
            RATE: String(RATE),
            BURST: String(BURST),
          },
          stdio: ['pipe', 'pipe', 'inherit'],
        }),
      );
    }
    await Promise.all(children.map((c) => lineFrom(c, 'ready')));
    sim.clearCallLog();
    const done = Promise.all(children.map((c) => lineFrom(c, 'done')));
    for (const child of children) child.stdin!.write('go\n');
    await done;

    const arrivals = sim.callLog.map((e) => e.receivedMs!).sort((a, b) => a - b);
    // Every request went through the bucket: the reads and each process's token request.
    expect(arrivals.length).toBe(PROCESSES * (REQUESTS + 1));
    expect(sim.callLog.filter((e) => e.status === 429)).toEqual([]);
    // Any window [t, t + w) opening at an arrival: at most Coupa's RATE × w + BURST (+2: the
    // database clock decides, and the request still travels to the simulator). Independent buckets
    // would let 3 × (20 × w + 5) through: 75 in a second against 47 here.
    for (const windowMs of [250, 1000, 2000]) {
      for (const t of arrivals) {
        const inWindow = arrivals.filter((u) => u >= t && u < t + windowMs).length;
        expect(inWindow, `window of ${windowMs} ms from ${t - arrivals[0]!} ms`).toBeLessThanOrEqual(
          Math.floor((COUPA_RATE * windowMs) / 1000) + COUPA_BURST + 2,
        );
      }
    }
    // The whole run: at least (n − burst) / rate seconds at the bucket's rate, however the processes
    // interleaved, less a second for a first request delayed in transit (independent buckets: ~1.3 s).
    const spanMs = arrivals.at(-1)! - arrivals[0]!;
    expect(spanMs).toBeGreaterThanOrEqual(((arrivals.length - BURST - 2) / RATE) * 1000 - 1000);
  }, 120_000);
});
