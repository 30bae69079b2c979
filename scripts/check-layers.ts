/**
 * Layering, written down in README.md (the table between `<!-- layers:start -->` and
 * `<!-- layers:end -->`) and checked here: every file under src/, tools/, evals/, bench/, scripts/ and
 * test/, following relative imports transitively, so a layer that reaches another through a third
 * is caught too. Exits 1 on a wrong-way import, naming the chain.
 *   npx tsx scripts/check-layers.ts
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const README = join(ROOT, 'README.md');
/** Every folder that holds code; a file outside them is not Settle's. */
export const CHECKED = ['src', 'tools', 'evals', 'bench', 'scripts', 'test'] as const;
/** The files at the top of src/ (config, errors, issues …) that every layer shares. */
export const SHARED = 'src (top-level files)';
/** What the shared files may import themselves. */
const SHARED_MAY_IMPORT = ['src/domain', 'src/coupa'];

/** layer → the layers it may reach, directly or through others. */
export type Layering = ReadonlyMap<string, ReadonlySet<string>>;

const backticked = (cell: string): string[] => [...cell.matchAll(/`([^`]+)`/g)].map((m) => m[1]!);

/** The layering as README.md writes it; throws when the table is missing or names no layers. */
export function readLayering(readme: string = readFileSync(README, 'utf8')): Layering {
  const start = readme.indexOf('<!-- layers:start -->');
  const end = readme.indexOf('<!-- layers:end -->');
  if (start < 0 || end < start)
    throw new Error('README.md needs its <!-- layers:start --> … <!-- layers:end --> table');
  const rows = readme
    .slice(start, end)
    .split('\n')
    .filter((line) => line.startsWith('| `'));
  const named = rows.flatMap((row) => backticked(row.split('|')[1] ?? ''));
  const layering = new Map<string, Set<string>>();
  for (const row of rows) {
    const [, who = '', may = ''] = row.split('|');
    const everything = may.trim().startsWith('everything');
    const listed = backticked(may);
    const allowed = everything ? named.filter((layer) => !listed.includes(layer)) : listed;
    for (const layer of backticked(who)) layering.set(layer, new Set(allowed));
  }
  if (layering.size === 0) throw new Error('README.md layering table names no layers');
  return layering;
}

/** The layer of a file: its folder under src/, or the top folder; the shared top-level src files. */
export function layerOf(file: string): string | undefined {
  const parts = relative(ROOT, file).split(sep);
  if (!(CHECKED as readonly string[]).includes(parts[0]!)) return undefined;
  if (parts[0] !== 'src') return parts[0];
  if (parts.length > 2) return `src/${parts[1]}`;
  return parts[1] === 'cli.ts' ? 'src/cli' : SHARED;
}

function* codeFiles(dir: string): Generator<string> {
  for (const name of readdirSync(dir)) {
    if (name === 'node_modules' || name.startsWith('.')) continue;
    const path = join(dir, name);
    if (statSync(path).isDirectory()) yield* codeFiles(path);
    else if (/\.(ts|mts|mjs|js)$/.test(name) && !name.endsWith('.d.ts')) yield path;
  }
}

/** The source file a relative specifier names (`./x.js` is written for `./x.ts`). */
function resolveImport(from: string, specifier: string): string | undefined {
  const base = resolve(dirname(from), specifier);
  const candidates = [
    base,
    base.replace(/\.js$/, '.ts'),
    base.replace(/\.mjs$/, '.mts'),
    `${base}.ts`,
    join(base, 'index.ts'),
  ];
  return candidates.find((c) => existsSync(c) && statSync(c).isFile());
}

/** Relative imports of one file: static, re-exports, type-only and dynamic `import()`. */
function importsOf(file: string): string[] {
  const text = readFileSync(file, 'utf8');
  const found: string[] = [];
  for (const m of text.matchAll(/(?:\bfrom|\bimport)\s*\(?\s*['"](\.{1,2}\/[^'"]+)['"]/g)) {
    const target = resolveImport(file, m[1]!);
    if (target) found.push(target);
  }
  return found;
}

function allowedFor(layering: Layering, layer: string): ReadonlySet<string> | undefined {
  return layer === SHARED ? new Set(SHARED_MAY_IMPORT) : layering.get(layer);
}

/** Every wrong-way dependency, direct or transitive, one line per file and layer it must not reach. */
export function violations(layering: Layering = readLayering()): string[] {
  const files = CHECKED.flatMap((top) => (existsSync(join(ROOT, top)) ? [...codeFiles(join(ROOT, top))] : []));
  const edges = new Map(files.map((f) => [f, importsOf(f)]));
  const found: string[] = [];
  for (const file of files) {
    const from = layerOf(file)!;
    const allowed = allowedFor(layering, from);
    if (!allowed) {
      found.push(`${relative(ROOT, file)}: layer ${from} is not in README.md's layering table`);
      continue;
    }
    // Breadth-first over everything this file reaches, remembering how, to name the chain.
    const via = new Map<string, string>([[file, '']]);
    const queue = [file];
    const reported = new Set<string>();
    while (queue.length > 0) {
      const current = queue.shift()!;
      for (const next of edges.get(current) ?? importsOf(current)) {
        if (via.has(next)) continue;
        via.set(next, current);
        const to = layerOf(next);
        if (to && to !== from && to !== SHARED && !allowed.has(to)) {
          if (!reported.has(to)) {
            reported.add(to);
            found.push(`${chain(via, next)} (${from} may not depend on ${to})`);
          }
          continue;
        }
        queue.push(next);
      }
    }
  }
  return found;
}

function chain(via: ReadonlyMap<string, string>, end: string): string {
  const steps: string[] = [];
  for (let at: string | undefined = end; at; at = via.get(at) || undefined) steps.unshift(relative(ROOT, at));
  return steps.join(' → ');
}

if (process.argv[1] && fileURLToPath(import.meta.url) === resolve(process.argv[1])) {
  const found = violations();
  for (const v of found) console.error(v);
  console.error(found.length ? `${found.length} wrong-way import(s)` : 'layers ok');
  process.exit(found.length ? 1 : 0);
}
