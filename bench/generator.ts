/**
 * Sample-company generator: time and peak memory at 10k and 100k invoices. Each size runs in its
 * own child process so peak RSS (`resourceUsage().maxRSS`) belongs to that size alone; the child
 * also reports CPU time (a fairer figure than wall time on a shared machine) and the JSON size.
 *
 *   npx tsx bench/generator.ts            # both sizes
 *   npx tsx bench/generator.ts 25000      # one size
 */
import { execFileSync } from 'node:child_process';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { generateCompany, serializeDataset } from '../src/sim/generator/index.js';

const SIZES = [10_000, 100_000];
const CHILD_FLAG = '--child';

interface ChildResult {
  invoices: number;
  generateMs: number;
  generateCpuMs: number;
  serializeMs: number;
  jsonMb: number;
  peakRssMb: number;
  heapUsedMb: number;
  exceptions: number;
}

/** Runs in the child: generate once, serialise once, report. */
function measureHere(invoices: number): ChildResult {
  const cpu = process.cpuUsage();
  const start = performance.now();
  const company = generateCompany({ seed: 7, invoices });
  const generateMs = performance.now() - start;
  const cpuUsed = process.cpuUsage(cpu);
  const heapUsedMb = process.memoryUsage().heapUsed / 2 ** 20;
  const serializeStart = performance.now();
  let chars = 0;
  for (const chunk of serializeDataset(company.dataset)) chars += chunk.length;
  return {
    invoices,
    generateMs,
    generateCpuMs: (cpuUsed.user + cpuUsed.system) / 1000,
    serializeMs: performance.now() - serializeStart,
    jsonMb: chars / 2 ** 20,
    peakRssMb: process.resourceUsage().maxRSS / 1024,
    heapUsedMb,
    exceptions: company.summary.exceptions,
  };
}

function measureInChild(invoices: number): ChildResult {
  const out = execFileSync(
    process.execPath,
    ['--import', 'tsx', fileURLToPath(import.meta.url), CHILD_FLAG, String(invoices)],
    {
      encoding: 'utf8',
      maxBuffer: 1 << 20,
    },
  );
  return JSON.parse(out.trim().split('\n').pop() ?? '{}') as ChildResult;
}

/** Generator figures for `npm run bench`: one flat record, keys named by size. */
export async function benchGenerator(sizes: number[] = SIZES): Promise<Record<string, string | number>> {
  const figures: Record<string, string | number> = {};
  for (const size of sizes) {
    const r = measureInChild(size);
    const k = `generator ${size / 1000}k`;
    figures[`${k} time (ms)`] = Math.round(r.generateMs);
    figures[`${k} cpu (ms)`] = Math.round(r.generateCpuMs);
    figures[`${k} peak rss (MB)`] = Math.round(r.peakRssMb);
    figures[`${k} heap after (MB)`] = Math.round(r.heapUsedMb);
    figures[`${k} json (MB)`] = Math.round(r.jsonMb);
    figures[`${k} serialise (ms)`] = Math.round(r.serializeMs);
    figures[`${k} open exceptions`] = r.exceptions;
  }
  return figures;
}

const isMain = process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href;
if (isMain) {
  const childAt = process.argv.indexOf(CHILD_FLAG);
  if (childAt >= 0) {
    console.log(JSON.stringify(measureHere(Number(process.argv[childAt + 1]))));
  } else {
    const sizes = process.argv
      .slice(2)
      .map(Number)
      .filter((n) => Number.isInteger(n) && n > 0);
    const figures = await benchGenerator(sizes.length > 0 ? sizes : SIZES);
    for (const [name, value] of Object.entries(figures)) console.log(`${name.padEnd(36)} ${value}`);
  }
}
