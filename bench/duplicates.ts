/**
 * Duplicate check against a large history: the sample company with 100k invoices in the simulator,
 * and `check_duplicates` as the tool runs it — the invoice, the supplier's history and the same gross
 * total at any supplier read over loopback HTTP with a cold cache, then scored — for open exceptions
 * and a spread of other invoices. Prints p50/p95 of the whole check and of the scoring alone.
 *
 *   npx tsx bench/duplicates.ts [invoices=100000] [checks=200]
 */
import { performance } from 'node:perf_hooks';
import { pathToFileURL } from 'node:url';
import { createRuntime } from '../src/app/runtime.js';
import { loadConfig } from '../src/config.js';
import { createRecordSource } from '../src/coupa/record-source.js';
import { openDb } from '../src/db/connection.js';
import { findDuplicateCandidates } from '../src/domain/index.js';
import { createIdentity } from '../src/guard/identity.js';
import { loadInvoiceContext } from '../tools/shared/invoice-context.js';
import { generateCompany } from '../src/sim/generator/index.js';
import { startSimulator } from '../src/sim/server.js';
import { percentile } from '../src/stats.js';

export async function benchDuplicates(invoices = 100_000, checks = 200): Promise<Record<string, string | number>> {
  const company = generateCompany({ seed: 7, invoices });
  const sim = await startSimulator({ dataset: company.dataset, now: company.now, rateLimit: false });
  const db = await openDb({ dataDir: 'memory://' });
  const runtime = await createRuntime({
    config: loadConfig({}),
    simulator: sim,
    db,
    now: () => new Date(company.now),
    coupaLimiter: false,
    knowledgeDirs: [],
  });
  try {
    const ctx = await runtime.contextFor(createIdentity('bench', 'agent', ['agent']));
    // Half open exceptions (the real workload), half invoices spread over the whole history.
    const all = company.dataset.invoices.map((i) => Number(i.id));
    const exceptions = company.exceptions.map((e) => e.invoiceId);
    const ids = [
      ...exceptions.slice(0, checks / 2),
      ...Array.from(
        { length: checks - Math.min(exceptions.length, checks / 2) },
        (_, i) => all[Math.floor((i * all.length) / checks)]!,
      ),
    ];
    const whole: number[] = [];
    const scoring: number[] = [];
    let candidates = 0;
    let withDuplicate = 0;
    let historyRows = 0;
    for (const id of ids) {
      const started = performance.now();
      // A fresh record source per check: every read goes to the simulator, as for a first look.
      const invoiceCtx = await loadInvoiceContext({ ...ctx, records: createRecordSource(runtime.coupa) }, id);
      const scoreStart = performance.now();
      const found = findDuplicateCandidates(invoiceCtx!, ctx.controls);
      const done = performance.now();
      whole.push(done - started);
      scoring.push(done - scoreStart);
      candidates += found.length;
      if (found.some((c) => c.isDuplicate)) withDuplicate += 1;
      historyRows += invoiceCtx!.history?.length ?? 0;
    }
    return {
      'history invoices in Coupa': invoices,
      checks: ids.length,
      'check p50 ms (reads + scoring)': percentile(whole, 50).toFixed(1),
      'check p95 ms (reads + scoring)': percentile(whole, 95).toFixed(1),
      'scoring p50 ms': percentile(scoring, 50).toFixed(2),
      'scoring p95 ms': percentile(scoring, 95).toFixed(2),
      'history rows scored per check (mean)': (historyRows / ids.length).toFixed(1),
      'candidates per check (mean)': (candidates / ids.length).toFixed(2),
      'checks that found a duplicate': withDuplicate,
    };
  } finally {
    await runtime.close();
    await db.close();
    await sim.close();
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const result = await benchDuplicates(Number(process.argv[2] ?? 100_000), Number(process.argv[3] ?? 200));
  for (const [k, v] of Object.entries(result)) console.log(`  ${k.padEnd(40)} ${v}`);
}
