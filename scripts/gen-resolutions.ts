/**
 * Writes `knowledge/resolutions/resolutions.jsonl`: the sample company's past resolutions (seed 7),
 * one JSON object per line in the knowledge store's snake_case format. Deterministic: re-running
 * produces the same bytes, so the committed file only changes when the generator does.
 *
 *   npx tsx scripts/gen-resolutions.ts [--invoices 2000] [--out knowledge/resolutions/resolutions.jsonl]
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { toResolutionRecord } from '../src/knowledge/resolution-docs.js';
import { generateCompany, generatePastResolutions } from '../src/sim/generator/index.js';

const SEED = 7;
const MIN_RESOLUTIONS = 200;

const { values } = parseArgs({
  options: {
    invoices: { type: 'string', default: '2000' },
    out: { type: 'string', default: 'knowledge/resolutions/resolutions.jsonl' },
  },
});
const invoices = Number(values.invoices);
const company = generateCompany({ seed: SEED, invoices });
const resolutions = generatePastResolutions(company, Number.MAX_SAFE_INTEGER);
if (resolutions.length < MIN_RESOLUTIONS) {
  console.error(`only ${resolutions.length} past resolutions from ${invoices} invoices; pass a larger --invoices`);
  process.exit(1);
}
// Validated against the loader's schema so a generator change cannot write a file the store rejects.
const lines = resolutions.map((r) => JSON.stringify(toResolutionRecord(r)));
const out = resolve(values.out);
mkdirSync(dirname(out), { recursive: true });
writeFileSync(out, `${lines.join('\n')}\n`);
console.log(`wrote ${lines.length} past resolutions (seed ${SEED}, ${invoices} invoices) to ${values.out}`);
