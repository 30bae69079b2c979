/**
 * Generates, from the zod schemas the code validates with: docs/case.schema.json,
 * docs/controls.schema.json, and the field tables between `<!-- generated:NAME -->` and
 * `<!-- /generated -->` in docs/case-format.md and docs/controls.md.
 *
 *   npx tsx scripts/gen-schema-docs.ts           # write
 *   npx tsx scripts/gen-schema-docs.ts --check   # list stale files, exit 1 (test/schema-docs.test.ts)
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { caseJsonSchema, controlsJsonSchema, schemaText } from '../src/cli/json-schemas.js';

const DOCS = join(import.meta.dirname, '..', 'docs');
type Property = {
  type?: string | string[];
  enum?: unknown[];
  default?: unknown;
  description?: string;
  items?: Property;
  anyOf?: Property[];
  $ref?: string;
};

function typeOf(p: Property): string {
  if (p.enum) return p.enum.map((v) => `\`${String(v)}\``).join(' | ');
  if (p.anyOf) return p.anyOf.map(typeOf).join(' or ');
  if (p.type === 'array') return `array of ${p.items ? typeOf(p.items) : 'any'}`;
  if (Array.isArray(p.type)) return p.type.join(' or ');
  return p.type ?? 'object';
}

const cell = (text: string): string => text.replaceAll('|', '\\|').replaceAll('\n', ' ');

/** A markdown table of an object schema's properties: field, type, required/default, meaning. */
export function fieldTable(
  schema: { properties?: Record<string, Property>; required?: string[] },
  prefix = '',
): string {
  const rows = Object.entries(schema.properties ?? {})
    .filter(([name]) => name !== '$schema')
    .map(([name, p]) => {
      const need =
        p.default !== undefined
          ? `default \`${JSON.stringify(p.default)}\``
          : schema.required?.includes(name)
            ? 'required'
            : 'optional';
      return `| \`${prefix}${name}\` | ${cell(typeOf(p))} | ${need} | ${cell(p.description ?? '')} |`;
    });
  return ['| field | type | | meaning |', '|---|---|---|---|', ...rows].join('\n');
}

/** Every generated file and its expected content. */
export function generatedFiles(): Map<string, string> {
  const replay = caseJsonSchema();
  const controls = controlsJsonSchema();
  const props = replay.properties as Record<
    string,
    Property & { properties?: Record<string, Property>; required?: string[] }
  >;
  const tables: Record<string, string> = {
    'case-fields': fieldTable(replay as never),
    'expected-fields': fieldTable(props.expected!, 'expected.'),
    'controls-fields': fieldTable(controls as never),
  };
  const files = new Map<string, string>([
    [join(DOCS, 'case.schema.json'), schemaText(replay)],
    [join(DOCS, 'controls.schema.json'), schemaText(controls)],
  ]);
  for (const doc of ['case-format.md', 'controls.md']) {
    const path = join(DOCS, doc);
    const text = readFileSync(path, 'utf8').replace(
      /(<!-- generated:([a-z-]+) -->\n)[\s\S]*?(<!-- \/generated -->)/g,
      (whole, open: string, name: string, close: string) => {
        const table = tables[name];
        if (table === undefined) throw new Error(`${doc}: no generated table named "${name}"`);
        return `${open}${table}\n${close}`;
      },
    );
    files.set(path, text);
  }
  return files;
}

/** Files whose content on disk differs from what the schemas give. */
export function staleFiles(): string[] {
  const stale: string[] = [];
  for (const [path, text] of generatedFiles()) {
    let current = '';
    try {
      current = readFileSync(path, 'utf8');
    } catch {
      // missing counts as stale
    }
    if (current !== text) stale.push(path);
  }
  return stale;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  if (process.argv.includes('--check')) {
    const stale = staleFiles();
    for (const path of stale) console.error(`stale: ${path} (run npx tsx scripts/gen-schema-docs.ts)`);
    process.exit(stale.length ? 1 : 0);
  }
  for (const [path, text] of generatedFiles()) writeFileSync(path, text);
  console.error('wrote docs/case.schema.json, docs/controls.schema.json and the field tables');
}
