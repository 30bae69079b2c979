/**
 * Start-up as a user meets it, from the built package (`bin/settle.js` → `dist/`), cold and warm:
 *   - `settle --help` wall time (cold: the first run; warm: median of the next five), beside a bare
 *     `node -e 0` (the floor: no Node CLI starts sooner on this machine at this load);
 *   - `settle mcp` over stdio: `initialize` and `tools/list` answered, from spawn;
 *   - idle RSS of `settle mcp` after it has answered and sat idle for 2 s (before any tool call);
 *   - the first `search_policies` answer, from spawn, in a second process that calls it right after
 *     `tools/list` (cold: an empty data directory; warm: the data directory the cold run left).
 * Each figure also shows the CPU time the process had used by then and the machine's 1-minute load
 * average when it was taken: on a shared machine wall time swings with the load, CPU time much
 * less. Targets are printed next to the figures and read, not asserted.
 *
 *   npm run build && npm run bench -- startup
 *   SETTLE_BENCH_LAUNCH="npx -y settle-mcp" npm run bench -- startup   # as Claude Desktop launches an installed copy
 */
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { median } from '../src/stats.js';

const ROOT = join(import.meta.dirname, '..');
const BIN = join(ROOT, 'bin', 'settle.js');
const TICKS_PER_SECOND = 100; // USER_HZ on Linux
/** The command that starts Settle: `node bin/settle.js` unless SETTLE_BENCH_LAUNCH names another. */
const LAUNCH = process.env.SETTLE_BENCH_LAUNCH?.trim()
  ? process.env.SETTLE_BENCH_LAUNCH.trim().split(/\s+/)
  : [process.execPath, BIN];

interface Figure {
  wallMs: number;
  cpuMs?: number;
  /** 1-minute load average when the figure was taken. */
  load?: number;
}

/** CPU time (user + system) a live process has used so far, from /proc. */
function cpuMsOf(pid: number): number | undefined {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / TICKS_PER_SECOND;
  } catch {
    return undefined;
  }
}

function rssMbOf(pid: number): number | undefined {
  try {
    const kb = /VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1];
    return kb ? Number(kb) / 1024 : undefined;
  } catch {
    return undefined;
  }
}

/**
 * One run of `command` to its exit: wall time, and the CPU time it used — read from the shell that
 * waited for it (/proc/<sh>/stat counts the CPU of the children it has reaped).
 */
function runOnce(command: readonly string[]): Figure {
  const started = performance.now();
  const run = spawnSync('/bin/sh', ['-c', '"$@" >/dev/null && cat /proc/$$/stat', 'sh', ...command], {
    encoding: 'utf8',
  });
  const wallMs = performance.now() - started;
  if (run.status !== 0) throw new Error(`${command.join(' ')} exited ${run.status}: ${run.stderr}`);
  const fields = run.stdout.split(') ')[1]?.split(' ');
  const cpuMs = fields ? ((Number(fields[13]) + Number(fields[14])) * 1000) / TICKS_PER_SECOND : undefined;
  return { wallMs, cpuMs, load: loadavg()[0]! };
}

interface McpRun {
  initialize: Figure;
  toolsList: Figure;
  tools: number;
  /** After 2 s idle, when asked to sit idle. */
  idleRssMb?: number;
  /** From spawn, when asked to search right after tools/list. */
  search?: Figure;
}

/** One `settle mcp` process spoken to over stdio, newline-delimited JSON-RPC as a client does. */
async function mcpRun(dataDir: string, then: 'idle' | 'search'): Promise<McpRun> {
  const started = performance.now();
  const child = spawn(LAUNCH[0]!, [...LAUNCH.slice(1), 'mcp'], {
    env: { ...process.env, SETTLE_DATA_DIR: dataDir, COUPA_BASE_URL: '', DATABASE_URL: '', SETTLE_LOG_LEVEL: 'silent' },
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr.on('data', (d: Buffer) => void (stderr += d.toString()));
  const waiting = new Map<number, (message: { result?: Record<string, unknown>; error?: unknown }) => void>();
  let buffered = '';
  child.stdout.on('data', (d: Buffer) => {
    buffered += d.toString();
    for (let nl = buffered.indexOf('\n'); nl >= 0; nl = buffered.indexOf('\n')) {
      const line = buffered.slice(0, nl);
      buffered = buffered.slice(nl + 1);
      const message = JSON.parse(line) as { id?: number; result?: Record<string, unknown>; error?: unknown };
      if (typeof message.id === 'number') waiting.get(message.id)?.(message);
    }
  });
  const exited = new Promise<never>((_, reject) =>
    child.on('exit', (code) => reject(new Error(`settle mcp exited ${code}: ${stderr.trim()}`))),
  );
  exited.catch(() => undefined);
  let nextId = 0;
  const request = (method: string, params: Record<string, unknown>) => {
    const id = ++nextId;
    const answer = new Promise<{ result?: Record<string, unknown>; error?: unknown }>((resolve) =>
      waiting.set(id, resolve),
    );
    child.stdin.write(`${JSON.stringify({ jsonrpc: '2.0', id, method, params })}\n`);
    return Promise.race([answer, exited]);
  };
  // npx runs Settle as its child: the figures are those of the process tree's newest node process.
  const pid = (): number => settlePid(child.pid!);
  const figure = (): Figure => ({ wallMs: performance.now() - started, cpuMs: cpuMsOf(pid()), load: loadavg()[0]! });
  try {
    await request('initialize', {
      protocolVersion: '2025-06-18',
      capabilities: {},
      clientInfo: { name: 'bench', version: '1' },
    });
    const initialize = figure();
    child.stdin.write(`${JSON.stringify({ jsonrpc: '2.0', method: 'notifications/initialized' })}\n`);
    const list = await request('tools/list', {});
    const toolsList = figure();
    const tools = (list.result?.tools as unknown[]).length;
    if (then === 'idle') {
      await new Promise((r) => setTimeout(r, 2000));
      return { initialize, toolsList, tools, idleRssMb: rssMbOf(pid()) };
    }
    const found = await request('tools/call', {
      name: 'search_policies',
      arguments: { query: 'price variance tolerance' },
    });
    if (!found.result || found.result.isError)
      throw new Error(`search_policies failed: ${JSON.stringify(found).slice(0, 300)}`);
    return { initialize, toolsList, tools, search: figure() };
  } finally {
    child.stdin.end();
    // Let it close its store (a client closes stdin, then signals), so the warm run opens a clean one.
    await Promise.race([new Promise((r) => child.once('exit', r)), new Promise((r) => setTimeout(r, 10_000))]);
    child.kill();
  }
}

/** The deepest descendant of `pid` (npx → sh → node), or `pid` itself. */
function settlePid(pid: number): number {
  try {
    const children = readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8')
      .trim()
      .split(/\s+/)
      .filter(Boolean)
      .map(Number);
    return children.length ? settlePid(children[children.length - 1]!) : pid;
  } catch {
    return pid;
  }
}

const ms = (f: Figure): string =>
  `${Math.round(f.wallMs)} ms${f.cpuMs === undefined ? '' : ` (cpu ${Math.round(f.cpuMs)} ms)`}${f.load === undefined ? '' : ` [load ${f.load.toFixed(1)}]`}`;
const verdict = (value: number, target: number): string => (value <= target ? 'within target' : 'OVER target');

if (!process.env.SETTLE_BENCH_LAUNCH && !existsSync(join(ROOT, 'dist', 'src', 'cli.js'))) {
  console.error('startup: no build — run `npm run build` first (the benchmark measures the built package)');
  process.exit(2);
}
console.log(
  `   machine: ${loadavg()
    .map((l) => l.toFixed(1))
    .join(' ')} load average, node ${process.version}, launch: ${LAUNCH.map((a) => a.replace(ROOT, '.')).join(' ')}`,
);

// A bare `node -e 0` beside it: the floor no CLI starts under, on this machine at this load.
const runs = (command: readonly string[]) => Array.from({ length: 6 }, () => runOnce(command));
const warm = (figures: Figure[]): Figure => ({
  wallMs: median(figures.slice(1).map((f) => f.wallMs)),
  cpuMs: median(figures.slice(1).map((f) => f.cpuMs ?? 0)),
  load: figures[figures.length - 1]!.load,
});
const help = runs([...LAUNCH, '--help']);
const bare = runs([process.execPath, '-e', '0']);
console.log(
  `   settle --help          cold ${ms(help[0]!)}, warm ${ms(warm(help))}   target ≤ 150 ms: ${verdict(warm(help).wallMs, 150)}`,
);
console.log(`   (node -e 0             cold ${ms(bare[0]!)}, warm ${ms(warm(bare))}: the floor)`);

const dataDir = mkdtempSync(join(tmpdir(), 'settle-bench-startup-'));
try {
  // cold: the first process ever on this data directory; warm: the next ones.
  const runs = [
    ['cold', await mcpRun(dataDir, 'search')],
    ['warm', await mcpRun(dataDir, 'search')],
    ['warm', await mcpRun(dataDir, 'idle')],
  ] as const;
  for (const [label, run] of runs) {
    console.log(
      `   mcp ${label}: initialize ${ms(run.initialize)}   target ≤ 300 ms: ${verdict(run.initialize.wallMs, 300)}`,
    );
    console.log(`   mcp ${label}: tools/list (${run.tools} tools) ${ms(run.toolsList)}`);
    if (run.search)
      console.log(
        `   mcp ${label}: first search_policies ${ms(run.search)} from spawn   target ≤ 1500 ms: ${verdict(run.search.wallMs, 1500)}`,
      );
    if (run.idleRssMb !== undefined || !run.search) {
      console.log(
        `   mcp ${label}: idle RSS ${run.idleRssMb?.toFixed(0) ?? '?'} MB   target ≤ 150 MB: ${run.idleRssMb === undefined ? 'unknown' : verdict(run.idleRssMb, 150)}`,
      );
    }
  }
} finally {
  rmSync(dataDir, { recursive: true, force: true });
}
