/**
 * Agent benchmark: exceptions settled per second by the offline planner against the in-process
 * simulator, Coupa calls per exception (every HTTP exchange of the run — the run's batched reads
 * included — divided by the exceptions; token requests excluded) by exception type and endpoint,
 * and the planner's own time per exception with Coupa latency excluded. Coupa's 25 requests/s per
 * tenant divided by calls per exception bounds throughput against a real tenant.
 *   npx tsx bench/agent.ts [invoices=2000] [concurrency=4] [planner-sample=60]
 * The planner figures come from a second, sequential pass (concurrency 1) against a fresh
 * simulator in a child process, as a remote Coupa would be: wall ms is the exception's time minus
 * its Coupa exchanges, CPU ms is Settle's process CPU time per exception (the simulator's work is
 * in the other process). On a loaded machine wall time stretches and CPU time much less, so both
 * are printed; `bench/agent-profile.ts` shows where the time goes.
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import { fork, type ChildProcess } from 'node:child_process';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { createRuntime } from '../src/app/runtime.js';
import { createRunPrefetcher } from '../src/app/run-prefetch.js';
import { settleAndRecord } from '../src/app/settle-and-record.js';
import type { Verdict } from '../src/agent/verdict.js';
import { loadConfig } from '../src/config.js';
import { openDb } from '../src/db/connection.js';
import { generateCompany, type SampleCompany } from '../src/sim/generator/index.js';
import { startSimulator } from '../src/sim/server.js';
import type { SimClient, SimulatorHandle } from '../src/sim/types.js';
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

/** The simulator in this process, or in a child process (its CPU time then stays out of ours). */
interface Coupa {
  sim: Pick<SimulatorHandle, 'url' | 'credentials'>;
  close(): Promise<void>;
}

const inProcess = async (company: SampleCompany): Promise<Coupa> => {
  const sim = await startSimulator({ dataset: company.dataset, now: company.now, rateLimit: false });
  return { sim, close: () => sim.close() };
};

/** The child: the same company (the generator is deterministic), served until disconnected. */
async function simChild(invoices: number): Promise<void> {
  const company = generateCompany({ seed: 7, invoices });
  const sim = await startSimulator({ dataset: company.dataset, now: company.now, rateLimit: false });
  process.send!({ url: sim.url, credentials: sim.credentials });
  process.on('disconnect', () => void sim.close().then(() => process.exit(0)));
}

async function inChild(invoices: number): Promise<Coupa> {
  const child: ChildProcess = fork(fileURLToPath(import.meta.url), ['--sim', String(invoices)], {
    execArgv: ['--import', 'tsx'],
    stdio: 'inherit',
  });
  const sim = await new Promise<{ url: string; credentials: SimClient }>((resolve, reject) => {
    child.once('message', (m) => resolve(m as { url: string; credentials: SimClient }));
    child.once('exit', (code) => reject(new Error(`simulator child exited with ${code}`)));
  });
  return {
    sim,
    close: async () => {
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.disconnect();
      await exited;
    },
  };
}

async function runPass(
  company: SampleCompany,
  labels: SampleCompany['exceptions'],
  concurrency: number,
  coupa: Coupa,
): Promise<Pass> {
  const { sim } = coupa;
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
    simulator: sim as SimulatorHandle, // the runtime needs only its address and credentials
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
    await coupa.close();
  }
}

export async function benchAgent(
  invoices = 2000,
  concurrency = 4,
  plannerSample = 60,
): Promise<Record<string, string | number>> {
  const company = generateCompany({ seed: 7, invoices });
  const labels = [...company.exceptions];
  const run = await runPass(company, labels, concurrency, await inProcess(company));
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
    const sample = await runPass(company, labels.slice(0, plannerSample), 1, await inChild(invoices));
    // The first exception loads the agent's modules (LangChain's import) and is left out.
    const wall = sample.plannerMs.slice(1).map(Math.round);
    const cpu = sample.cpuMs.slice(1).map(Math.round);
    out['planner exceptions timed (concurrency 1)'] = wall.length;
    out['planner p50 ms per exception, wall (Coupa excluded)'] = percentile(wall, 50);
    out['planner p95 ms per exception, wall (Coupa excluded)'] = percentile(wall, 95);
    out['planner p50 ms per exception, CPU (Settle only)'] = percentile(cpu, 50);
    out['planner p95 ms per exception, CPU (Settle only)'] = percentile(cpu, 95);
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

if (process.argv.includes('--sim')) void simChild(Number(process.argv[process.argv.indexOf('--sim') + 1]));
else if (import.meta.url === `file://${process.argv[1]}`) {
  const result = await benchAgent(
    Number(process.argv[2] ?? 2000),
    Number(process.argv[3] ?? 4),
    Number(process.argv[4] ?? 60),
  );
  for (const [k, v] of Object.entries(result)) console.log(`  ${k.padEnd(52)} ${v}`);
  const load = (await import('node:os')).loadavg().map((x) => x.toFixed(2));
  console.log(`  ${'load average at the end (1, 5, 15 min)'.padEnd(52)} ${load.join(' ')}`);
}
