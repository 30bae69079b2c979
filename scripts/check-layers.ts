/**
 * Layering, written down and checked: which parts of Settle may import which. `coupa` knows
 * nothing of MCP or LLMs, `domain` is pure, `mcp` sits on the guard, the agent on MCP, and only the
 * composition layers (`app`, `cli`, `web`, `evals`) may reach everything. Exits 1 on a wrong-way import.
 *   npx tsx scripts/check-layers.ts
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const ANY = '*';

/** layer → layers it may import (files at the top of src/, such as errors.ts and config.ts, are shared). */
export const ALLOWED: Record<string, readonly string[] | typeof ANY> = {
  'src/coupa': [],
  'src/domain': ['src/coupa'],
  'src/db': [],
  'src/audit': ['src/db'],
  'src/knowledge': ['src/db', 'src/domain'],
  'src/sim': ['src/coupa', 'src/domain', 'src/tax'],
  'src/tax': ['src/domain'],
  'src/registry': ['src/domain'],
  'src/guard': ['src/domain', 'src/db', 'src/coupa', 'src/knowledge', 'src/audit', 'src/requests'],
  // Supplier conversations: the request store and mail, replies that re-queue the invoice.
  'src/requests': ['src/db', 'src/coupa', 'src/domain', 'src/runner'],
  'src/mcp': ['src/guard', 'src/coupa', 'src/domain', 'src/knowledge', 'src/audit', 'src/db'],
  tools: ['src/guard', 'src/domain', 'src/coupa', 'src/mcp', 'src/knowledge', 'src/ingest', 'src/db', 'src/grir'],
  'src/agent': ['src/mcp', 'src/guard', 'src/domain', 'src/coupa', 'src/audit', 'src/knowledge'],
  'src/runner': ['src/db', 'src/coupa', 'src/domain'],
  'src/shadow': ['src/db', 'src/coupa', 'src/domain', 'src/guard'],
  'src/grir': ['src/db', 'src/coupa', 'src/domain', 'src/audit', 'src/guard'],
  'src/ingest': ['src/coupa', 'src/domain', 'src/guard', 'src/db', 'src/agent', 'src/knowledge', 'src/mcp'],
  'src/web': ANY,
  'src/app': ANY,
  'src/cli': ANY,
  evals: ANY,
};

function layerOf(file: string): string | undefined {
  const rel = relative(ROOT, file).split(sep).join('/');
  return Object.keys(ALLOWED).find((layer) => rel.startsWith(`${layer}/`));
}

function* sourceFiles(dir: string): Generator<string> {
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) yield* sourceFiles(path);
    else if (path.endsWith('.ts')) yield path;
  }
}

export function violations(): string[] {
  const found: string[] = [];
  for (const top of ['src', 'tools', 'evals']) {
    for (const file of sourceFiles(join(ROOT, top))) {
      const from = layerOf(file);
      if (!from) continue;
      const allowed = ALLOWED[from]!;
      if (allowed === ANY) continue;
      for (const match of readFileSync(file, 'utf8').matchAll(/(?:from|import)\s*\(?\s*'(\.{1,2}\/[^']+)'/g)) {
        const target = layerOf(resolve(dirname(file), match[1]!));
        if (target && target !== from && !allowed.includes(target)) {
          found.push(`${relative(ROOT, file)} imports ${match[1]} (${from} may not depend on ${target})`);
        }
      }
    }
  }
  return found;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const found = violations();
  for (const v of found) console.error(v);
  console.error(found.length ? `${found.length} wrong-way import(s)` : 'layers ok');
  process.exit(found.length ? 1 : 0);
}
