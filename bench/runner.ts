/**
 * Runner intake under a month-end burst: 5,000 signed events POSTed on loopback with at most 50
 * in flight, against a throwaway database on a real PostgreSQL (only the runner migration). Reports
 * intake latency (p50/p95/p99), intake throughput, that nothing was lost (rows and jobs counted),
 * and how long in-process workers take to drain the queue.
 *
 *   npx tsx bench/runner.ts [postgres://postgres@127.0.0.1:5432] [events] [in-flight]
 */
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import pg from 'pg';
import { openDb } from '../src/db/connection.js';
import { createRunnerMetrics } from '../src/runner/metrics.js';
import { createRunnerQueue } from '../src/runner/queue.js';
import { createRunnerServer } from '../src/runner/server.js';
import { webhookHeaders } from '../src/runner/webhook-signature.js';
import { createWorkerPool } from '../src/runner/worker.js';
import { percentile } from '../src/stats.js';

export interface RunnerBenchOptions {
  adminUrl?: string;
  events?: number;
  inFlight?: number;
  /** Worker loops draining the queue afterwards. */
  concurrency?: number;
}

export interface RunnerBenchResult {
  events: number;
  inFlight: number;
  intakeMs: number;
  intakePerSecond: number;
  latencyMs: { p50: number; p95: number; p99: number; max: number };
  recordedEvents: number;
  queuedJobs: number;
  drainMs: number;
  settled: number;
}

async function adminQuery(adminUrl: string, sql: string): Promise<void> {
  const client = new pg.Client({ connectionString: `${adminUrl}/postgres` });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

/** Run the burst and the drain; the throwaway database is dropped afterwards. */
export async function benchRunner(options: RunnerBenchOptions = {}): Promise<RunnerBenchResult> {
  const adminUrl = options.adminUrl ?? 'postgres://postgres@127.0.0.1:5432';
  const events = options.events ?? 5000;
  const inFlight = options.inFlight ?? 50;
  const name = `settle_runner_bench_${randomBytes(4).toString('hex')}`;
  await adminQuery(adminUrl, `create database ${name}`);
  const db = await openDb({ databaseUrl: `${adminUrl}/${name}`, maxConnections: 20 });
  const secret = `whsec_${randomBytes(32).toString('base64')}`;
  const queue = createRunnerQueue({ db });
  const app = createRunnerServer({
    db,
    queue,
    metrics: createRunnerMetrics({ defaultMetrics: false }),
    config: { webhookSecrets: [secret], calloutClients: undefined },
  });
  try {
    await db.query(readFileSync(new URL('../src/db/migrations/030_runner.sql', import.meta.url), 'utf8'));
    await queue.start();
    const base = await app.listen({ host: '127.0.0.1', port: 0 });

    const latencies: number[] = [];
    let next = 0;
    const failures: string[] = [];
    const sender = async (): Promise<void> => {
      for (let i = next++; i < events; i = next++) {
        const body = JSON.stringify({
          event_type: 'invoice.exception.created',
          resource_id: 100_000 + i,
          hold_reason: 'Line 1 price exceeds PO price',
        });
        const headers = webhookHeaders({
          id: `bench-${i}`,
          timestamp: Math.floor(Date.now() / 1000),
          body,
          secrets: [secret],
        });
        const started = performance.now();
        const response = await fetch(`${base}/webhooks/coupa`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', ...headers },
          body,
        });
        await response.arrayBuffer();
        latencies.push(performance.now() - started);
        if (response.status !== 202) failures.push(`${i}: ${response.status}`);
      }
    };
    const intakeStart = performance.now();
    await Promise.all(Array.from({ length: inFlight }, sender));
    const intakeMs = performance.now() - intakeStart;
    if (failures.length) throw new Error(`${failures.length} events refused, e.g. ${failures.slice(0, 3).join(', ')}`);

    const recorded = (await db.query<{ n: number }>('select count(*)::int as n from webhook_events')).rows[0]?.n ?? 0;
    const jobs =
      (await db.query<{ n: number }>(`select count(*)::int as n from pgboss.job where name = 'settle-invoice'`)).rows[0]
        ?.n ?? 0;

    let settled = 0;
    const pool = createWorkerPool({
      queue,
      concurrency: options.concurrency ?? 20,
      idleMs: 50,
      settle: async () => {
        settled += 1;
        return { decision: 'resolve', exceptionType: 'price_variance', executed: true };
      },
    });
    const drainStart = performance.now();
    pool.start();
    for (;;) {
      const s = await queue.stats();
      if (s.queued + s.active + s.retrying === 0 && settled >= jobs) break;
      await new Promise((r) => setTimeout(r, 50));
    }
    const drainMs = performance.now() - drainStart;
    await pool.stop();

    const sorted = [...latencies].sort((a, b) => a - b);
    return {
      events,
      inFlight,
      intakeMs,
      intakePerSecond: events / (intakeMs / 1000),
      latencyMs: {
        p50: percentile(sorted, 50),
        p95: percentile(sorted, 95),
        p99: percentile(sorted, 99),
        max: sorted.at(-1) ?? 0,
      },
      recordedEvents: recorded,
      queuedJobs: jobs,
      drainMs,
      settled,
    };
  } finally {
    await app.close();
    await queue.stop().catch(() => undefined);
    await db.close();
    await adminQuery(adminUrl, `drop database if exists ${name} with (force)`);
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const [adminUrl, events, inFlight] = process.argv.slice(2);
  const r = await benchRunner({
    adminUrl,
    events: events ? Number(events) : undefined,
    inFlight: inFlight ? Number(inFlight) : undefined,
  });
  const lost = r.events - r.recordedEvents;
  console.log(`runner intake: ${r.events} signed events, ${r.inFlight} in flight (loopback, PostgreSQL)`);
  console.log(`  intake      ${r.intakeMs.toFixed(0)} ms = ${r.intakePerSecond.toFixed(0)} events/s`);
  console.log(
    `  latency     p50 ${r.latencyMs.p50.toFixed(1)} ms · p95 ${r.latencyMs.p95.toFixed(1)} ms · p99 ${r.latencyMs.p99.toFixed(1)} ms · max ${r.latencyMs.max.toFixed(1)} ms`,
  );
  console.log(
    `  recorded    ${r.recordedEvents} events, ${r.queuedJobs} jobs — ${lost === 0 && r.queuedJobs === r.events ? 'nothing lost' : `LOST ${lost}`}`,
  );
  console.log(
    `  drain       ${r.settled} jobs in ${r.drainMs.toFixed(0)} ms = ${(r.settled / (r.drainMs / 1000)).toFixed(0)} jobs/s (20 worker loops, no-op settle)`,
  );
  if (lost !== 0 || r.queuedJobs !== r.events) process.exitCode = 1;
}
