/**
 * Where the planner's time goes, per exception (issue 16): the bench's sequential planner pass
 * (concurrency 1, a fresh simulator) with every SQL statement timed at the `pg` client and grouped
 * by what it does, every tool call timed through the guard, and Coupa's exchanges timed apart.
 *   npx tsx bench/agent-profile.ts [invoices=400] [exceptions=60]
 * For a function-level view add `node --cpu-prof --import tsx bench/agent-profile.ts`.
 * Statements run one at a time on PGlite's single connection, so their wall times add up; on a
 * loaded machine wall time stretches, so the process CPU per exception is printed beside it.
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import { performance } from 'node:perf_hooks';
import pg from 'pg';
import { createRuntime } from '../src/app/runtime.js';
import { createRunPrefetcher } from '../src/app/run-prefetch.js';
import { settleAndRecord } from '../src/app/settle-and-record.js';
import { loadConfig } from '../src/config.js';
import { openDb } from '../src/db/connection.js';
import { generateCompany } from '../src/sim/generator/index.js';
import { startSimulator } from '../src/sim/server.js';
import { percentile } from '../src/stats.js';

/** A statement's group: its first words with identifiers kept, literals and parameters dropped. */
function sqlGroup(sql: string): string {
  const s = sql.replace(/\s+/g, ' ').trim().toLowerCase();
  const table = /(?:from|into|update|table) ([a-z_]+)/.exec(s)?.[1] ?? '';
  const head = s.split(' ').slice(0, 2).join(' ');
  if (/^(begin|commit|rollback|set local|select set_config)/.test(s)) return s.split(' ')[0]!;
  if (s.includes('pg_advisory_xact_lock')) return s.startsWith('insert') ? `lock + insert … ${table}` : 'advisory lock';
  return `${head} … ${table}`.slice(0, 60);
}

interface Tally {
  n: number;
  ms: number;
  cpuMs: number;
}
const add = (m: Map<string, Tally>, key: string, ms: number, cpuMs: number): void => {
  const t = m.get(key) ?? { n: 0, ms: 0, cpuMs: 0 };
  t.n += 1;
  t.ms += ms;
  t.cpuMs += cpuMs;
  m.set(key, t);
};
const cpuSince = (c0: NodeJS.CpuUsage): number => {
  const used = process.cpuUsage(c0);
  return (used.user + used.system) / 1000;
};

interface Stage {
  sql: Map<string, Tally>;
  active: boolean;
}
const stage = new AsyncLocalStorage<Stage>();
const sqlTotals = new Map<string, Tally>();
let measuring = false;

// Every statement passes Client#query (the pool's query included).
const originalQuery = pg.Client.prototype.query as (...args: unknown[]) => unknown;
(pg.Client.prototype as unknown as { query: (...args: unknown[]) => unknown }).query = function (
  this: pg.Client,
  ...args: unknown[]
): unknown {
  const config = args[0] as string | { text?: string };
  const text = typeof config === 'string' ? config : (config?.text ?? '');
  if (!measuring) return originalQuery.apply(this, args);
  const t0 = performance.now();
  const c0 = process.cpuUsage();
  const done = (): void => add(sqlTotals, sqlGroup(text), performance.now() - t0, cpuSince(c0));
  // The pool passes a callback (and gets no promise back); a checked-out client gets a promise.
  const callback = args.at(-1);
  if (typeof callback === 'function') {
    args[args.length - 1] = (...res: unknown[]): unknown => {
      done();
      return (callback as (...r: unknown[]) => unknown)(...res);
    };
    return originalQuery.apply(this, args);
  }
  const result = originalQuery.apply(this, args);
  return result instanceof Promise ? result.finally(done) : result;
};

async function main(invoices: number, exceptions: number): Promise<void> {
  const company = generateCompany({ seed: 7, invoices });
  const labels = company.exceptions.slice(0, exceptions);
  const sim = await startSimulator({ dataset: company.dataset, now: company.now, rateLimit: false });
  const db = await openDb({ dataDir: 'memory://' });
  const current = new AsyncLocalStorage<{ coupaMs: number }>();
  const runtime = await createRuntime({
    config: loadConfig({}),
    simulator: sim,
    db,
    now: () => new Date(company.now),
    coupaLimiter: false,
    onCoupaCall: ({ ms }) => {
      const t = current.getStore();
      if (t) t.coupaMs += ms;
    },
  });
  const toolTotals = new Map<string, Tally>();
  const guardCall = runtime.guard.call.bind(runtime.guard);
  runtime.guard.call = async (identity, name, args, options) => {
    const t0 = performance.now();
    const c0 = process.cpuUsage();
    try {
      return await guardCall(identity, name, args, options);
    } finally {
      if (measuring) add(toolTotals, name, performance.now() - t0, cpuSince(c0));
    }
  };
  const prefetcher = createRunPrefetcher(
    runtime,
    labels.map((l) => l.invoiceId),
    { ownLogins: runtime.ownLogins },
  );
  const wall: number[] = [];
  const cpu: number[] = [];
  const coupa: number[] = [];
  let first = true;
  let windowStart = 0n;
  for (const label of labels) {
    if (!first && windowStart === 0n) windowStart = process.hrtime.bigint() / 1000n;
    await prefetcher.ahead(label.invoiceId);
    const timing = { coupaMs: 0 };
    // The first exception loads the agent modules (LangChain's import): left out of the figures.
    measuring = !first;
    const c0 = process.cpuUsage();
    const t0 = performance.now();
    await current.run(timing, () =>
      stage.run({ sql: new Map(), active: true }, () =>
        settleAndRecord(runtime, { invoiceId: label.invoiceId, event: label.event, brain: 'planner' }),
      ),
    );
    const used = process.cpuUsage(c0);
    if (!first) {
      wall.push(performance.now() - t0 - timing.coupaMs);
      cpu.push((used.user + used.system) / 1000);
      coupa.push(timing.coupaMs);
    }
    first = false;
  }
  measuring = false;
  // The measured window on the monotonic clock (µs), to cut a --cpu-prof profile to it.
  console.log(`window µs: ${windowStart} ${process.hrtime.bigint() / 1000n}`);
  await runtime.close();
  await db.close();
  await sim.close();

  const n = wall.length;
  const mean = (xs: number[]): number => xs.reduce((a, b) => a + b, 0) / Math.max(1, xs.length);
  console.log(`exceptions measured: ${n} (of ${labels.length}; the first warms up)`);
  console.log(
    `per exception: wall p50 ${percentile(wall.map(Math.round), 50)} ms (mean ${mean(wall).toFixed(1)}), Coupa excluded`,
  );
  console.log(
    `               CPU  p50 ${percentile(cpu.map(Math.round), 50)} ms (mean ${mean(cpu).toFixed(1)}), process (simulator included)`,
  );
  console.log(`               Coupa wall mean ${mean(coupa).toFixed(1)} ms`);
  const sqlAll = [...sqlTotals.values()].reduce((a, t) => ({
    n: a.n + t.n,
    ms: a.ms + t.ms,
    cpuMs: a.cpuMs + t.cpuMs,
  }));
  const row = (k: string, t: Tally, width: number): string =>
    `  ${k.padEnd(width)} ${(t.n / n).toFixed(2).padStart(6)}/exc ${(t.ms / n).toFixed(2).padStart(7)} ms wall ${(t.cpuMs / n).toFixed(2).padStart(7)} ms CPU`;
  console.log(row('SQL, all statements (per exception)', sqlAll, 62));
  for (const [k, t] of [...sqlTotals].sort((a, b) => b[1].cpuMs - a[1].cpuMs).slice(0, 25)) console.log(row(k, t, 62));
  console.log('tools (inclusive: reads of one step run together, so their times overlap):');
  for (const [k, t] of [...toolTotals].sort((a, b) => b[1].cpuMs - a[1].cpuMs)) console.log(row(k, t, 62));
}

await main(Number(process.argv[2] ?? 400), Number(process.argv[3] ?? 60));
