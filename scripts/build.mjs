#!/usr/bin/env node
/**
 * `npm run build` (also `prepare`, so `npm ci` builds): compile src/, tools/ and evals/ to dist/
 * with tsc, then copy the data files the compiled code reads relative to itself — dist/ mirrors
 * the source layout, so `join(import.meta.dirname, '..', '..', 'knowledge')` holds in both.
 * Plain JavaScript: it runs before anything is compiled and needs no tsx.
 */
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const dist = join(root, 'dist');

/** Data files the compiled code reads, as [source, destination under dist/]. */
export const DATA_FILES = [
  ['knowledge', 'knowledge'],
  ['src/db/migrations', 'src/db/migrations'],
  ['src/web/assets', 'src/web/assets'],
  ['evals/worker-entry.mjs', 'evals/worker-entry.mjs'],
];

async function build() {
  rmSync(dist, { recursive: true, force: true });
  const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
  const result = spawnSync(process.execPath, [tsc, '-p', join(root, 'tsconfig.build.json')], { stdio: 'inherit' });
  if (result.status !== 0) {
    console.error('build: tsc failed (see above); dist/ is incomplete');
    process.exit(result.status ?? 1);
  }
  for (const [from, to] of DATA_FILES) {
    if (!existsSync(join(root, from))) throw new Error(`build: ${from} is missing`);
    cpSync(join(root, from), join(dist, to), { recursive: true });
  }
  // The prepared store (migrated, knowledge indexed) spares a first start initdb and embedding.
  const { prepareStore } = await import(pathToFileURL(join(dist, 'src', 'app', 'prepared-store.js')).href);
  const bytes = await prepareStore();
  console.error(`build: dist/ ready (data files copied, prepared store ${(bytes / 2 ** 20).toFixed(1)} MB)`);
}

if (process.argv[1] === fileURLToPath(import.meta.url)) await build();
