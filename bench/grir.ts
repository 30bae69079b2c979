/**
 * GR/IR book at scale: 50,000 PO lines (receipts, invoices, credit notes) served by the simulator
 * in a child process (as a remote Coupa would be), read by Settle into the embedded PGlite,
 * reconciled and investigated. Prints time (wall and CPU), peak memory of Settle's process, Coupa
 * calls and records read; then changes 1% of the PO lines' documents and runs again, which must
 * read only those.
 *
 *   npx tsx bench/grir.ts [poLines]
 */
import { fork, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { createCoupaClient } from '../src/coupa/index.js';
import { createRecordSource } from '../src/coupa/record-source.js';
import { openDb } from '../src/db/connection.js';
import { migrate } from '../src/db/migrate.js';
import { runGrir } from '../src/grir/run.js';

const POLINES = Number(process.argv.find((a) => /^\d+$/.test(a)) ?? 50_000);
const NOW = '2026-11-24T12:00:00Z';

type Msg =
  { url: string; clientId: string; clientSecret: string; summary: unknown } | { changed: number } | { now: string };

/** The child: generate the book, serve it, apply changes on request. */
async function simChild(): Promise<void> {
  const { generateGrirBook } = await import('../src/sim/generator/grir-book.js');
  const { emptyDataset } = await import('../src/sim/dataset.js');
  const { startSimulator } = await import('../src/sim/server.js');
  const book = generateGrirBook({ seed: 7, poLines: POLINES, now: NOW });
  const sim = await startSimulator({ dataset: { ...emptyDataset(), ...book.records }, now: NOW, rateLimit: false });
  process.send!({
    url: sim.url,
    clientId: sim.credentials.clientId,
    clientSecret: sim.credentials.clientSecret,
    summary: book.summary,
  });
  process.on('message', (m: { change?: number }) => {
    if (m.change === undefined) return;
    // 1% of PO lines: half get a new receipt, half have their invoice touched (paid).
    const receipts = sim.records('receiving-transactions');
    const invoices = sim.records('invoices');
    let nextId = Math.max(...receipts.slice(-10).map((r) => r.id)) + 1;
    const n = Math.round(POLINES * m.change);
    for (let i = 0; i < n / 2; i++) {
      const r = receipts[(i * 7919) % receipts.length]!;
      sim.upsert('receiving-transactions', {
        ...r,
        id: nextId++,
        quantity: r.quantity === null ? null : '1.0',
        total: r.quantity === null ? '10.00' : r.price,
      });
    }
    const touched = new Set<number>();
    for (let i = 0; touched.size < n / 2; i++) {
      const inv = invoices[(i * 104_729) % invoices.length]!;
      if (touched.has(inv.id)) continue;
      touched.add(inv.id);
      sim.upsert('invoices', { ...inv, paid: true });
    }
    process.send!({ changed: Math.ceil(n / 2) + touched.size });
  });
  process.on('disconnect', () => void sim.close().then(() => process.exit(0)));
}

function next(child: ChildProcess): Promise<Msg> {
  return new Promise((resolve) => child.once('message', (m) => resolve(m as Msg)));
}

async function main(): Promise<void> {
  const child = fork(fileURLToPath(import.meta.url), ['--sim', String(POLINES)], {
    execArgv: ['--import', 'tsx'],
    stdio: 'inherit',
  });
  const ready = (await next(child)) as Extract<Msg, { url: string }>;
  console.log(`book: ${JSON.stringify(ready.summary)}`);
  const db = await openDb({ dataDir: 'memory://' });
  await migrate(db);
  const baseline = process.resourceUsage().maxRSS / 1024;
  console.log(`PGlite opened and migrated: peak RSS ${baseline.toFixed(0)} MB before any GR/IR work`);
  const coupa = createCoupaClient({
    baseUrl: ready.url,
    clientId: ready.clientId,
    clientSecret: ready.clientSecret,
    limiter: false,
  });
  const records = createRecordSource(coupa);
  const run = async (label: string): Promise<Record<string, number>> => {
    const cpu = process.cpuUsage();
    const t0 = performance.now();
    const r = await runGrir({
      db,
      records,
      source: 'bench',
      now: new Date(Date.now() + 365 * 86_400_000),
      asOf: NOW.slice(0, 10),
    });
    const wall = (performance.now() - t0) / 1000;
    const used = process.cpuUsage(cpu);
    const read = Object.values(r.recordsRead).reduce((a, b) => a + b, 0);
    console.log(
      `${label}: ${r.summary.poLines.toLocaleString('en-US')} PO lines, ${r.summary.openItems} open items in ${wall.toFixed(1)} s wall (${((used.user + used.system) / 1e6).toFixed(1)} s CPU); ${r.coupaCalls} Coupa calls, ${read} records read ${JSON.stringify(r.recordsRead)}; peak RSS ${(process.resourceUsage().maxRSS / 1024).toFixed(0)} MB`,
    );
    return r.recordsRead;
  };
  await run('first run (everything)');
  child.send({ change: 0.01 });
  const changed = (await next(child)) as Extract<Msg, { changed: number }>;
  const read = await run('second run after 1% changes');
  console.log(`changed ${changed.changed} records; second run read ${Object.values(read).reduce((a, b) => a + b, 0)}`);
  await db.close();
  child.disconnect();
}

if (process.argv.includes('--sim')) void simChild();
else await main();
