/**
 * `npm run bench [-- name …]`: runs each benchmark in its own process (clean memory figures) and
 * prints its figures. Names: client, sim, generator, knowledge, duplicates, audit, agent, runner, ingest, startup, grir.
 * Benchmarks print figures; none asserts a speed — speed goals are read, not tested.
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const BENCHES: Record<string, string> = {
  client: 'client GETs per second against the simulator over loopback',
  sim: 'simulator query latency at 100k invoices',
  generator: 'sample-company generator time and peak memory',
  knowledge: 'hybrid search latency and recall, ingestion rate',
  duplicates: 'duplicate check latency against 100k history invoices',
  audit: 'audit append and verify rates (PGlite and PostgreSQL)',
  agent: 'exceptions settled per second by the planner, Coupa calls per exception',
  runner: 'webhook intake burst and queue drain (PostgreSQL)',
  ingest:
    'invoice ingestion pages per second (text PDF and OCR), a 1,000-PDF mailbox dry run (files/s, p95, peak memory)',
  startup: 'settle --help, MCP stdio initialize, first search_policies, idle RSS (built package, cold and warm)',
  grir: 'GR/IR book: 50,000 PO lines read, reconciled and investigated (time, CPU, peak memory), then a second run after 1% changes',
};

const here = dirname(fileURLToPath(import.meta.url));
const tsx = join(here, '..', 'node_modules', 'tsx', 'dist', 'cli.mjs');
const wanted = process.argv.slice(2).filter((a) => !a.startsWith('-'));
const unknown = wanted.filter((w) => !(w in BENCHES));
if (unknown.length) {
  console.error(`bench: unknown benchmark(s) ${unknown.join(', ')}; choose from ${Object.keys(BENCHES).join(', ')}`);
  process.exit(2);
}
let failed = 0;
for (const name of wanted.length ? wanted : Object.keys(BENCHES)) {
  const file = join(here, `${name}.ts`);
  if (!existsSync(file)) {
    console.log(`\n== ${name}: not present`);
    continue;
  }
  console.log(`\n== ${name}: ${BENCHES[name]}`);
  const result = spawnSync(process.execPath, ['--expose-gc', tsx, file], { stdio: 'inherit' });
  if (result.status !== 0) {
    failed += 1;
    console.log(`   (${name} exited with ${result.status})`);
  }
}
process.exit(failed ? 1 : 0);
