/**
 * The README's tool table, generated from the registry (`tools/index.ts`), so what the README says
 * is what a model is offered. `npx tsx scripts/tool-table.ts` prints it; `--write` replaces the
 * table between `<!-- tools:start -->` and `<!-- tools:end -->` in README.md. A test keeps the two
 * in step.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { ToolDefinition } from '../src/guard/tool.js';
import { TOOLS } from '../tools/index.js';

export const TABLE_START = '<!-- tools:start -->';
export const TABLE_END = '<!-- tools:end -->';
export const README = fileURLToPath(new URL('../README.md', import.meta.url));

/** The first sentence of a description ("e.g." and "i.e." do not end one). */
export function firstSentence(text: string): string {
  const m = /^([\s\S]*?(?<!\be\.g|\bi\.e)[.!?])(?=\s|$)/.exec(text.trim());
  return (m?.[1] ?? text).replace(/\s+/g, ' ').trim();
}

const cell = (text: string): string => text.replace(/\|/g, '\\|');

/** The Markdown table: one row per tool, in registry order. */
export function toolTable(tools: readonly ToolDefinition[] = TOOLS): string {
  const rows = tools.map(
    (t) =>
      `| \`${t.name}\` | ${cell(t.title)} | ${t.guardClass} | ${t.annotations.readOnlyHint ? 'yes' : 'no'} | ${cell(firstSentence(t.description))} |`,
  );
  return ['| tool | title | class | read-only | what it does |', '|---|---|---|---|---|', ...rows].join('\n');
}

/** README text with the generated table between the markers; throws when the markers are missing. */
export function withToolTable(readme: string, table: string = toolTable()): string {
  const start = readme.indexOf(TABLE_START);
  const end = readme.indexOf(TABLE_END);
  if (start < 0 || end < start) throw new Error(`README.md needs ${TABLE_START} … ${TABLE_END} markers`);
  return `${readme.slice(0, start + TABLE_START.length)}\n${table}\n${readme.slice(end)}`;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  if (process.argv.includes('--write')) {
    writeFileSync(README, withToolTable(readFileSync(README, 'utf8')));
    process.stderr.write(`tool table written to ${README} (${TOOLS.length} tools)\n`);
  } else {
    process.stdout.write(`${toolTable()}\n`);
  }
}
