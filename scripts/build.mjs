#!/usr/bin/env node
/**
 * `npm run build` (also `prepare`, so `npm ci` builds): bundle the CLI into dist/ with esbuild,
 * copy the data files the code reads (dataPath(), src/paths.ts) in their source layout, and
 * prepare the store and the sample company a first start would otherwise build.
 *
 * Why a bundler rather than tsc's one-file-per-module output: Node loads an ES module graph file
 * by file, and zod plus the MCP SDK are a few hundred files — loading them was most of the time
 * `settle mcp` took to answer `initialize`. Bundled (code-split, so each command still loads only
 * its own code) the same graph loads in a fraction of that. Type checking stays with tsc
 * (`npm run typecheck`); tsx runs the sources while developing.
 *
 * Third-party packages are bundled only when they are plain JavaScript on a start-up path
 * (BUNDLED); the rest — native addons, WebAssembly, worker files, data read next to their code —
 * stay in node_modules and are imported from there.
 *
 * Plain JavaScript: it runs before anything is built and needs no tsx.
 */
import { cpSync, existsSync, mkdirSync, rmSync, statSync, readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import * as esbuild from 'esbuild';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const dist = join(root, 'dist');

/** Entry points, by source path; each lands at the same path under dist/ (`.ts` → `.js`). */
export const ENTRIES = ['src/cli.ts', 'src/app/prepared-store.ts', 'src/app/company-cache.ts', 'evals/worker.ts'];

/** Packages bundled into dist/chunks (with what they import), by name. */
export const BUNDLED = [
  'zod',
  '@modelcontextprotocol/sdk',
  'commander',
  'pg',
  'pg-pool',
  'pg-protocol',
  'pg-types',
  'decimal.js',
  'lossless-json',
];

/** Data files the code reads through dataPath(), copied under dist/ in their source layout. */
// evals/cases and evals/outsider: `settle eval` replays the project's cases by default, installed too.
export const DATA_FILES = [
  'knowledge',
  'src/db/migrations',
  'src/web/assets',
  'src/ingest/languages',
  'evals/worker-entry.mjs',
  'evals/cases',
  'evals/outsider',
  'evals/grir',
];

const packageOf = (specifier) =>
  specifier.startsWith('@') ? specifier.split('/').slice(0, 2).join('/') : specifier.split('/')[0];

/** Our code imports BUNDLED packages from the bundle and every other package from node_modules. */
const externals = {
  name: 'settle-externals',
  setup(build) {
    build.onResolve({ filter: /^[^./]/ }, (args) => {
      if (args.path.startsWith('node:')) return { external: true };
      if (args.path === 'pg-native') return { external: true }; // pg's optional native binding
      // Inside a bundled package everything it imports is bundled too, resolved from where it sits.
      if (args.importer.includes(`${'/'}node_modules${'/'}`)) return undefined;
      return BUNDLED.includes(packageOf(args.path)) ? undefined : { external: true };
    });
  },
};

function sizeOf(path) {
  const stat = statSync(path);
  return stat.isDirectory() ? readdirSync(path).reduce((sum, name) => sum + sizeOf(join(path, name)), 0) : stat.size;
}

async function build() {
  rmSync(dist, { recursive: true, force: true });
  const started = performance.now();
  await esbuild.build({
    absWorkingDir: root,
    entryPoints: ENTRIES,
    outbase: '.',
    outdir: 'dist',
    entryNames: '[dir]/[name]',
    chunkNames: 'chunks/[name]-[hash]',
    bundle: true,
    splitting: true,
    format: 'esm',
    platform: 'node',
    target: 'node20.19',
    minifySyntax: true,
    minifyWhitespace: true,
    legalComments: 'linked',
    logLevel: 'warning',
    // Bundled CommonJS packages (commander, pg) call require() for Node built-ins.
    banner: {
      js: "import { createRequire as __settleRequire } from 'node:module'; const require = __settleRequire(import.meta.url);",
    },
    plugins: [externals],
  });
  const bundled = performance.now() - started;
  for (const path of DATA_FILES) {
    if (!existsSync(join(root, path))) throw new Error(`build: ${path} is missing`);
    cpSync(join(root, path), join(dist, path), { recursive: true });
  }
  // What a first start would otherwise build: the store (migrated, knowledge indexed, so no
  // initdb and no embedding) and the default sample company (seed 7, 2000 invoices).
  const prepared = join(dist, 'prepared');
  mkdirSync(prepared, { recursive: true });
  const { prepareStore } = await import(pathToFileURL(join(dist, 'src', 'app', 'prepared-store.js')).href);
  const { prepareSampleCompany } = await import(pathToFileURL(join(dist, 'src', 'app', 'company-cache.js')).href);
  const storeBytes = await prepareStore(prepared);
  await prepareSampleCompany(prepared, root, 7, 2000);
  console.error(
    `build: dist/ ready — bundled in ${Math.round(bundled)} ms (${(sizeOf(join(dist, 'chunks')) / 2 ** 20).toFixed(1)} MB of chunks), ` +
      `prepared store ${(storeBytes / 2 ** 20).toFixed(1)} MB, sample company ${(sizeOf(join(prepared, 'company-7-2000.json')) / 2 ** 20).toFixed(1)} MB`,
  );
}

if (process.argv[1] === fileURLToPath(import.meta.url)) await build();
