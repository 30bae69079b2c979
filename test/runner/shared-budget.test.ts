/**
 * Coupa's budget is per tenant and shared by every worker process: several processes, each with
 * its own Coupa client and the Postgres token bucket as limiter, read from one simulated tenant at
 * once. The simulator logs when each request arrived (wall clock); in every window the count must
 * stay within rate × window + burst, and the simulator (limit 25/s, burst 20) never answers 429.
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
    rateLimit: { perSecond: 25, burst: 20 },
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
    // Any window [t, t + w) opening at an arrival: at most RATE × w + BURST requests, +2 because
    // the database clock decides and the request still has to travel to the simulator.
    for (const windowMs of [250, 1000, 2000]) {
      for (const t of arrivals) {
        const inWindow = arrivals.filter((u) => u >= t && u < t + windowMs).length;
        expect(inWindow, `window of ${windowMs} ms from ${t - arrivals[0]!} ms`).toBeLessThanOrEqual(
          Math.floor((RATE * windowMs) / 1000) + BURST + 2,
        );
      }
    }
    // The whole run: at least (n − burst) / rate seconds, however the processes interleaved.
    const spanMs = arrivals.at(-1)! - arrivals[0]!;
    expect(spanMs).toBeGreaterThanOrEqual(((arrivals.length - BURST - 2) / RATE) * 1000);
  }, 120_000);
});
