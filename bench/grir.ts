/**
 * GR/IR book at scale: 50,000 PO lines (receipts, invoices, credit notes) served by the simulator
 * in a child process (as a remote Coupa would be), read by the built `settle grir` into the embedded
 * store (PGlite in a fresh data folder, as a first run makes it), reconciled and investigated.
 * Prints time (wall and CPU), peak memory of Settle's process, when each phase began, Coupa calls
 * and records read; then changes 1% of the PO lines' documents and runs again, which must read only
 * those. The simulator's work is not counted: it stands for the remote tenant.
 *
 *   npm run build && npm run bench -- grir        # or: npx tsx bench/grir.ts [poLines]
 */
import { fork, spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';

const POLINES = Number(process.argv.find((a) => /^\d+$/.test(a)) ?? 50_000);
const NOW = '2026-11-24T12:00:00Z';
const ROOT = join(import.meta.dirname, '..');
const BIN = join(ROOT, 'bin', 'settle.js');
const TIME = '/usr/bin/time';
/** Extra node flags for Settle's process, e.g. SETTLE_BENCH_NODE_ARGS=--cpu-prof to see where its time goes. */
const NODE_ARGS = process.env.SETTLE_BENCH_NODE_ARGS?.trim().split(/\s+/) ?? [];

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

const kb = (field: string, pid: number): number | undefined => {
  try {
    const v = new RegExp(`${field}:\\s+(\\d+)`).exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1];
    return v ? Number(v) / 1024 : undefined;
  } catch {
    return undefined;
  }
};

interface RunFigures {
  wall: number;
  cpu: number;
  peakMb: number;
  phases: string[];
  report: { recordsRead: Record<string, number>; coupaCalls: number; summary: { poLines: number; openItems: number } };
}

/**
 * One `settle grir` from the built package, as a user runs it against a remote Coupa: wall time,
 * CPU time and peak RSS from /usr/bin/time (the process's own figures), and when each phase began
 * (from its progress lines on stderr) with the RSS high-water mark at that moment.
 */
function settleGrir(env: NodeJS.ProcessEnv, jsonFile: string): Promise<RunFigures> {
  const timeFile = join(dirname(jsonFile), 'time.txt');
  const child = spawn(
    TIME,
    [
      '-f',
      '%e %U %S %M',
      '-o',
      timeFile,
      process.execPath,
      ...NODE_ARGS,
      BIN,
      'grir',
      '--as-of',
      NOW.slice(0, 10),
      '--json',
      jsonFile,
    ],
    { env, stdio: ['ignore', 'ignore', 'pipe'] },
  );
  const t0 = performance.now();
  const phases: string[] = [];
  let lastPhase = '';
  createInterface({ input: child.stderr! }).on('line', (line) => {
    const phase = /^(reading [a-z ]+|reconciling|saving)/.exec(line)?.[1];
    if (!phase || phase === lastPhase) return;
    lastPhase = phase;
    // /usr/bin/time's child is Settle: its pid is the only child of the time process.
    let peak = '?';
    try {
      const pid = Number(readFileSync(`/proc/${child.pid}/task/${child.pid}/children`, 'utf8').trim());
      peak = kb('VmHWM', pid)?.toFixed(0) ?? '?';
    } catch {
      // Settle already exited: the final peak comes from /usr/bin/time.
    }
    phases.push(`${((performance.now() - t0) / 1000).toFixed(1)} s ${phase} (peak ${peak} MB)`);
  });
  return new Promise((resolve, reject) =>
    child.on('exit', (code) => {
      if (code !== 0) return reject(new Error(`settle grir exited with ${code}`));
      const [wall, user, sys, maxKb] = readFileSync(timeFile, 'utf8').trim().split(/\s+/).slice(-4).map(Number);
      resolve({
        wall: wall!,
        cpu: user! + sys!,
        peakMb: maxKb! / 1024,
        phases,
        report: JSON.parse(readFileSync(jsonFile, 'utf8')) as RunFigures['report'],
      });
    }),
  );
}

async function main(): Promise<void> {
  if (!existsSync(join(ROOT, 'dist', 'src', 'cli.js'))) {
    console.error('grir bench: run `npm run build` first (it measures the built package)');
    process.exit(1);
  }
  if (!existsSync(TIME)) {
    console.error(`grir bench: needs ${TIME} (GNU time) for the CPU and peak-memory figures`);
    process.exit(1);
  }
  const child = fork(fileURLToPath(import.meta.url), ['--sim', String(POLINES)], {
    execArgv: ['--import', 'tsx'],
    stdio: 'inherit',
  });
  const ready = (await next(child)) as Extract<Msg, { url: string }>;
  console.log(`book: ${JSON.stringify(ready.summary)}`);
  const work = mkdtempSync(join(tmpdir(), 'settle-grir-bench-'));
  const env = {
    ...process.env,
    SETTLE_DATA_DIR: join(work, 'data'),
    COUPA_BASE_URL: ready.url,
    COUPA_CLIENT_ID: ready.clientId,
    COUPA_CLIENT_SECRET: ready.clientSecret,
    // The simulator has no rate limit here: the figure is Settle's own cost, not Coupa's 25 requests/s.
    COUPA_RATE_PER_SECOND: '100000',
    COUPA_BURST: '100000',
  };
  const run = async (label: string, n: number): Promise<RunFigures> => {
    const load = loadavg()[0]!.toFixed(2);
    const f = await settleGrir(env, join(work, `run-${n}.json`));
    const read = Object.values(f.report.recordsRead).reduce((a, b) => a + b, 0);
    console.log(
      `${label}: ${f.report.summary.poLines.toLocaleString('en-US')} PO lines, ${f.report.summary.openItems} open items in ${f.wall.toFixed(1)} s wall (${f.cpu.toFixed(1)} s CPU), peak RSS ${f.peakMb.toFixed(0)} MB; ${f.report.coupaCalls} Coupa calls, ${read} records read ${JSON.stringify(f.report.recordsRead)}; load average ${load} at start`,
    );
    for (const p of f.phases) console.log(`   ${p}`);
    return f;
  };
  try {
    const first = await run('first run (everything)', 1);
    child.send({ change: 0.01 });
    const changed = (await next(child)) as Extract<Msg, { changed: number }>;
    const second = await run('second run after 1% changes', 2);
    const read = Object.values(second.report.recordsRead).reduce((a, b) => a + b, 0);
    console.log(`changed ${changed.changed} records; second run read ${read}`);
    console.log(
      `goal: ≤ 30 s and ≤ 500 MB for the first run — ${first.wall <= 30 ? 'met' : 'missed'} (${first.wall.toFixed(1)} s wall, ${first.cpu.toFixed(1)} s CPU), ${first.peakMb <= 500 ? 'met' : 'missed'} (${first.peakMb.toFixed(0)} MB)`,
    );
  } finally {
    child.disconnect();
    rmSync(work, { recursive: true, force: true });
  }
}

if (process.argv.includes('--sim')) void simChild();
else await main();
