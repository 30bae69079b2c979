/**
 * Agent benchmark: exceptions settled per second by the offline planner against the in-process
 * simulator, median and p95 time per exception, and Coupa calls per exception by exception type and
 * by endpoint. Coupa's
 * 25 requests/s per tenant divided by calls per exception bounds throughput against a real tenant.
 *   npx tsx bench/agent.ts [invoices=2000] [concurrency=4]
 */
import { performance } from 'node:perf_hooks';
import { createRuntime } from '../src/app/runtime.js';
import { settleAndRecord } from '../src/app/settle-and-record.js';
import type { Verdict } from '../src/agent/verdict.js';
import { loadConfig } from '../src/config.js';
import { openDb } from '../src/db/connection.js';
import { generateCompany } from '../src/sim/generator/index.js';
import { startSimulator } from '../src/sim/server.js';
import { percentile } from '../src/stats.js';

export async function benchAgent(invoices = 2000, concurrency = 4): Promise<Record<string, string | number>> {
  const company = generateCompany({ seed: 7, invoices });
  const sim = await startSimulator({ dataset: company.dataset, now: company.now, rateLimit: false });
  const db = await openDb({ dataDir: 'memory://' });
  const byEndpoint = new Map<string, number>();
  const onCoupaCall = ({ method, path }: { method: string; path: string }): void => {
    const endpoint = `${method} ${path.replace(/\?.*$/, '').replace(/\/\d+/g, '/:id')}`;
    byEndpoint.set(endpoint, (byEndpoint.get(endpoint) ?? 0) + 1);
  };
  const runtime = await createRuntime({ config: loadConfig({}), simulator: sim, db, now: () => new Date(company.now), coupaLimiter: false, onCoupaCall });
  try {
    const labels = [...company.exceptions];
    const verdicts: Verdict[] = [];
    const started = performance.now();
    await Promise.all(
      Array.from({ length: concurrency }, async () => {
        for (let label = labels.shift(); label; label = labels.shift()) {
          verdicts.push(await settleAndRecord(runtime, { invoiceId: label.invoiceId, event: label.event, brain: 'planner' }));
        }
      }),
    );
    const seconds = (performance.now() - started) / 1000;
    const ms = verdicts.map((v) => v.duration_ms);
    const calls = verdicts.map((v) => v.coupa_calls);
    const out: Record<string, string | number> = {
      exceptions: verdicts.length,
      concurrency,
      'exceptions/s': (verdicts.length / seconds).toFixed(1),
      'median ms': percentile(ms, 50),
      'p95 ms': percentile(ms, 95),
      'Coupa calls/exception (mean)': (calls.reduce((a, b) => a + b, 0) / calls.length).toFixed(2),
      'Coupa calls/exception (median)': percentile(calls, 50),
      'exceptions/s at 25 req/s': (25 / (calls.reduce((a, b) => a + b, 0) / calls.length)).toFixed(2),
    };
    for (const type of [...new Set(verdicts.map((v) => v.exception_type))].sort()) {
      const c = verdicts.filter((v) => v.exception_type === type).map((v) => v.coupa_calls);
      out[`calls: ${type}`] = (c.reduce((a, b) => a + b, 0) / c.length).toFixed(1);
    }
    for (const [endpoint, n] of [...byEndpoint].sort((a, b) => b[1] - a[1])) {
      out[`calls: ${endpoint}`] = (n / verdicts.length).toFixed(2);
    }
    return out;
  } finally {
    await runtime.close();
    await db.close();
    await sim.close();
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const result = await benchAgent(Number(process.argv[2] ?? 2000), Number(process.argv[3] ?? 4));
  for (const [k, v] of Object.entries(result)) console.log(`  ${k.padEnd(46)} ${v}`);
}
