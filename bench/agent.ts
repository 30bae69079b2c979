/**
 * Agent benchmark: exceptions settled per second by the offline planner against the in-process
 * simulator, Coupa calls per exception (every HTTP exchange of the run — the run's batched reads
 * included — divided by the exceptions; token requests excluded) by exception type and endpoint,
 * and the planner's own time per exception with Coupa latency excluded. Coupa's 25 requests/s per
 * tenant divided by calls per exception bounds throughput against a real tenant.
 *   npx tsx bench/agent.ts [invoices=2000] [concurrency=4] [planner-sample=60]
 * The planner figure comes from a second, sequential pass over a fresh simulator (concurrency 1),
 * so other exceptions' work does not land in one exception's time; CPU ms is the process's CPU
 * time per exception (the in-process simulator included), a figure load on the machine does not inflate.
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import { performance } from 'node:perf_hooks';
import { createRuntime } from '../src/app/runtime.js';
import { createRunPrefetcher } from '../src/app/run-prefetch.js';
import { settleAndRecord } from '../src/app/settle-and-record.js';
import type { Verdict } from '../src/agent/verdict.js';
import { loadConfig } from '../src/config.js';
import { openDb } from '../src/db/connection.js';
import { generateCompany, type SampleCompany } from '../src/sim/generator/index.js';
import { startSimulator } from '../src/sim/server.js';
import { percentile } from '../src/stats.js';

const endpointOf = (method: string, path: string): string =>
  `${method} ${path.replace(/\?.*$/, '').replace(/\/\d+/g, '/:id')}`;
const mean = (xs: number[]): number => xs.reduce((a, b) => a + b, 0) / Math.max(1, xs.length);

interface Pass {
  verdicts: Verdict[];
  seconds: number;
  calls: number;
  byEndpoint: Map<string, number>;
  /** Per exception: wall ms minus the ms spent waiting on Coupa exchanges, and process CPU ms. */
  plannerMs: number[];
  cpuMs: number[];
}

async function runPass(
  company: SampleCompany,
  labels: SampleCompany['exceptions'],
  concurrency: number,
): Promise<Pass> {
  const sim = await startSimulator({ dataset: company.dataset, now: company.now, rateLimit: false });
  const db = await openDb({ dataDir: 'memory://' });
  const byEndpoint = new Map<string, number>();
  const current = new AsyncLocalStorage<{ coupaMs: number }>();
  let calls = 0;
  const onCoupaCall = ({ method, path, ms }: { method: string; path: string; ms: number }): void => {
    if (path.startsWith('/oauth2/')) return;
    calls += 1;
    const endpoint = endpointOf(method, path);
    byEndpoint.set(endpoint, (byEndpoint.get(endpoint) ?? 0) + 1);
    const timing = current.getStore();
    if (timing) timing.coupaMs += ms;
  };
  const runtime = await createRuntime({
    config: loadConfig({}),
    simulator: sim,
    db,
    now: () => new Date(company.now),
    coupaLimiter: false,
    onCoupaCall,
  });
  try {
    // What `settle start` does: the run's exceptions are known, so reads are batched ahead of them.
    const prefetcher = createRunPrefetcher(
      runtime,
      labels.map((l) => l.invoiceId),
      { ownLogins: runtime.ownLogins },
    );
    const queue = [...labels];
    const verdicts: Verdict[] = [];
    const plannerMs: number[] = [];
    const cpuMs: number[] = [];
    const started = performance.now();
    await Promise.all(
      Array.from({ length: concurrency }, async () => {
        for (let label = queue.shift(); label; label = queue.shift()) {
          await prefetcher.ahead(label.invoiceId);
          const timing = { coupaMs: 0 };
          const cpu = process.cpuUsage();
          const t0 = performance.now();
          verdicts.push(
            await current.run(timing, () =>
              settleAndRecord(runtime, { invoiceId: label.invoiceId, event: label.event, brain: 'planner' }),
            ),
          );
          plannerMs.push(performance.now() - t0 - timing.coupaMs);
          const used = process.cpuUsage(cpu);
          cpuMs.push((used.user + used.system) / 1000);
        }
      }),
    );
    return { verdicts, seconds: (performance.now() - started) / 1000, calls, byEndpoint, plannerMs, cpuMs };
  } finally {
    await runtime.close();
    await db.close();
    await sim.close();
  }
}

export async function benchAgent(
  invoices = 2000,
  concurrency = 4,
  plannerSample = 60,
): Promise<Record<string, string | number>> {
  const company = generateCompany({ seed: 7, invoices });
  const labels = [...company.exceptions];
  const run = await runPass(company, labels, concurrency);
  const { verdicts } = run;
  const perVerdict = verdicts.map((v) => v.coupa_calls);
  const perException = run.calls / verdicts.length;
  const out: Record<string, string | number> = {
    exceptions: verdicts.length,
    concurrency,
    'exceptions/s': (verdicts.length / run.seconds).toFixed(1),
    'median ms': percentile(
      verdicts.map((v) => v.duration_ms),
      50,
    ),
    'p95 ms': percentile(
      verdicts.map((v) => v.duration_ms),
      95,
    ),
    'Coupa calls/exception (mean)': perException.toFixed(2),
    'Coupa calls/exception (median, own calls)': percentile(perVerdict, 50),
    'Coupa calls/exception (mean, own calls)': mean(perVerdict).toFixed(2),
    'exceptions/s at 25 req/s': (25 / perException).toFixed(2),
  };
  if (plannerSample > 0) {
    const sample = await runPass(company, labels.slice(0, plannerSample), 1);
    out['planner p50 ms (Coupa excluded, concurrency 1)'] = percentile(sample.plannerMs.map(Math.round), 50);
    out['planner p95 ms (Coupa excluded, concurrency 1)'] = percentile(sample.plannerMs.map(Math.round), 95);
    out['CPU ms/exception p50 (simulator included)'] = percentile(sample.cpuMs.map(Math.round), 50);
  }
  for (const type of [...new Set(verdicts.map((v) => v.exception_type))].sort()) {
    const c = verdicts.filter((v) => v.exception_type === type).map((v) => v.coupa_calls);
    out[`own calls: ${type}`] = mean(c).toFixed(1);
  }
  for (const [endpoint, n] of [...run.byEndpoint].sort((a, b) => b[1] - a[1])) {
    out[`calls: ${endpoint}`] = (n / verdicts.length).toFixed(2);
  }
  return out;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const result = await benchAgent(
    Number(process.argv[2] ?? 2000),
    Number(process.argv[3] ?? 4),
    Number(process.argv[4] ?? 60),
  );
  for (const [k, v] of Object.entries(result)) console.log(`  ${k.padEnd(50)} ${v}`);
}
