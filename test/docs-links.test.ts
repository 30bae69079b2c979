/**
 * The documents a user reads from a clone hold together: every relative link in README.md,
 * docs/ and evals/README.md resolves to a file in the repository, and no document points outside
 * it. The generated parts (JSON Schemas, field tables) match the schemas the code validates with.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { describe, expect, it } from 'vitest';
import { staleFiles } from '../scripts/gen-schema-docs.js';

const REPO = fileURLToPath(new URL('..', import.meta.url));
const DOCUMENTS = [
  'README.md',
  'evals/README.md',
  ...readdirSync(join(REPO, 'docs'))
    .filter((f) => f.endsWith('.md'))
    .map((f) => `docs/${f}`),
];

/** Link targets in markdown: [text](target) and <img src="target">, code spans and fences left out. */
export function linkTargets(markdown: string): string[] {
  const prose = markdown.replace(/```[\s\S]*?```/g, '').replace(/`[^`\n]*`/g, '');
  const links = [...prose.matchAll(/\]\(\s*<?([^)\s>]+)>?(?:\s+"[^"]*")?\s*\)/g)].map((m) => m[1]!);
  const images = [...prose.matchAll(/<img[^>]+src="([^"]+)"/g)].map((m) => m[1]!);
  return [...links, ...images];
}

/** Broken or outside-the-repository relative links of one document. */
export function badLinks(root: string, document: string, markdown: string): string[] {
  const bad: string[] = [];
  for (const target of linkTargets(markdown)) {
    if (/^[a-z][a-z0-9+.-]*:/i.test(target) || target.startsWith('#')) continue; // URLs, mailto:, anchors
    const path = decodeURIComponent(target.split('#')[0]!);
    const absolute = resolve(root, dirname(document), path);
    if (relative(root, absolute).startsWith('..')) bad.push(`${document}: ${target} points outside the repository`);
    else if (!existsSync(absolute)) bad.push(`${document}: ${target} does not exist`);
  }
  return bad;
}

describe('links in the documentation', () => {
  it('finds the links it checks, and flags a broken one and one leaving the repository', () => {
    const sample =
      '[ok](docs/controls.md) [gone](docs/nope.md) [out](../shared/case-format.md) `[code](x.md)` [web](https://example.com) [anchor](#fields)';
    expect(linkTargets(sample)).toEqual([
      'docs/controls.md',
      'docs/nope.md',
      '../shared/case-format.md',
      'https://example.com',
      '#fields',
    ]);
    expect(badLinks(REPO, 'README.md', sample)).toEqual([
      'README.md: docs/nope.md does not exist',
      'README.md: ../shared/case-format.md points outside the repository',
    ]);
  });

  it.each(DOCUMENTS)('%s: every relative link resolves inside the repository', (document) => {
    expect(badLinks(REPO, document, readFileSync(join(REPO, document), 'utf8'))).toEqual([]);
  });

  it.each(DOCUMENTS)('%s: names no path outside the repository', (document) => {
    const text = readFileSync(join(REPO, document), 'utf8');
    expect(text.match(/(?:^|[\s(`'"])\.\.\/(?:\.\.\/)*shared\/[^\s)`'"]*/g) ?? []).toEqual([]);
  });

  it('has every document the README names', () => {
    const readme = readFileSync(join(REPO, 'README.md'), 'utf8');
    for (const named of readme.match(/docs\/[a-z0-9-]+\.(?:md|json)/g) ?? [])
      expect(existsSync(join(REPO, named)), named).toBe(true);
  });
});

describe('generated schema documentation', () => {
  it('docs/*.schema.json and the field tables are up to date (npx tsx scripts/gen-schema-docs.ts)', () => {
    expect(staleFiles().map((f) => relative(REPO, f))).toEqual([]);
  });

  it('validates the project cases with docs/case.schema.json, and names a bad field', () => {
    const ajv = new Ajv2020({ strict: false, allErrors: true, validateFormats: false });
    const validate = ajv.compile(JSON.parse(readFileSync(join(REPO, 'docs', 'case.schema.json'), 'utf8')) as object);
    const dir = join(REPO, 'evals', 'cases');
    for (const file of readdirSync(dir)
      .filter((f) => f.endsWith('.json'))
      .slice(0, 10)) {
      const ok = validate(JSON.parse(readFileSync(join(dir, file), 'utf8')));
      expect(ok, `${file}: ${JSON.stringify(validate.errors?.slice(0, 3))}`).toBe(true);
    }
    const bad = {
      ...(JSON.parse(
        readFileSync(
          join(
            dir,
            readdirSync(dir).find((f) => f.endsWith('.json'))!,
          ),
          'utf8',
        ),
      ) as object),
      expected: { exception_type: 'price_variance', decision: 'approve' },
    };
    expect(validate(bad)).toBe(false);
    expect(validate.errors?.some((e) => e.instancePath === '/expected/decision')).toBe(true);
  });

  it('validates a controls file with docs/controls.schema.json, $schema key included', () => {
    const ajv = new Ajv2020({ strict: false });
    const validate = ajv.compile(
      JSON.parse(readFileSync(join(REPO, 'docs', 'controls.schema.json'), 'utf8')) as object,
    );
    expect(validate({ $schema: './controls.schema.json', mode: 'monitor', price_tolerance_amount: '100.00' })).toBe(
      true,
    );
    expect(validate({ mode: 'sometimes' })).toBe(false);
    expect(validate({ mdoe: 'monitor' })).toBe(false); // unknown fields are refused, as the guard does
  });
});
