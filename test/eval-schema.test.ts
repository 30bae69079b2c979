import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { filterByTag, loadCases, parseCaseText } from '../evals/load-cases.js';

const EXAMPLE = readFileSync(join(import.meta.dirname, 'fixtures', 'eval', 'case-format-example.json'), 'utf8');
const example = (): Record<string, unknown> => JSON.parse(EXAMPLE) as Record<string, unknown>;
/** Set (or with undefined, delete) a dotted path inside parsed JSON. */
function setPath(target: unknown, path: string, value: unknown): void {
  const keys = path.split('.');
  let node = target as Record<string, unknown>;
  for (const key of keys.slice(0, -1)) node = node[key] as Record<string, unknown>;
  const last = keys[keys.length - 1]!;
  if (value === undefined) delete node[last];
  else node[last] = value;
}
const errorOf = (file: string, value: unknown): string => {
  const result = parseCaseText(file, typeof value === 'string' ? value : JSON.stringify(value));
  if (!('error' in result)) throw new Error('expected the case to be rejected');
  return result.error;
};

describe('case schema', () => {
  it('accepts the case-format.md example, ignoring unknown top-level keys', () => {
    const result = parseCaseText('example.json', EXAMPLE);
    expect('error' in result).toBe(false);
    if ('error' in result) return;
    expect(result.case.id).toBe('pv-within-tolerance-001');
    expect(result.case.expected.forbidden).toEqual(['resolve']);
    expect(result.case.knowledge?.resolutions[0]?.['invoice-id']).toBe(1);
    expect(result.case).toHaveProperty('x-future-field'); // kept, never interpreted
    // The example forbids its own decision: valid, but the author is told it cannot pass.
    expect(result.warnings.join()).toMatch(/also forbidden/);
  });

  it('fills missing coupa collections with empty lists and optional blocks stay optional', () => {
    const c = example();
    delete c.knowledge;
    delete c.controls;
    (c.coupa as Record<string, unknown>).contracts = undefined;
    const result = parseCaseText('minimal.json', JSON.stringify(c));
    if ('error' in result) throw new Error(result.error);
    expect(result.case.coupa.contracts).toEqual([]);
  });

  it.each([
    [
      'route without route_to',
      [
        ['expected.decision', 'route'],
        ['expected.route_to', undefined],
      ],
      /expected\.route_to: route_to is required/,
    ],
    ['an id with capitals', [['id', 'Bad_ID']], /^bad\.json: id: id must match/],
    [
      'an event for an invoice not in the case',
      [['event.resource_id', 9999]],
      /event\.resource_id: invoice 9999 is not in coupa\.invoices/,
    ],
    ['an unknown decision', [['expected.decision', 'approve']], /expected\.decision/],
    [
      'an unknown forbidden action',
      [['expected.forbidden', ['launch_missiles']]],
      /expected\.forbidden\.0: unknown forbidden item/,
    ],
    ['a misspelt control', [['controls.price_tolerance', '5']], /controls/],
    ['a record without an integer id', [['coupa.suppliers.0.id', 'ten']], /coupa\.suppliers\.0\.id/],
  ] as Array<[string, Array<[string, unknown]>, RegExp]>)(
    'rejects %s, naming the file and the field',
    (_name, edits, message) => {
      const c = example();
      for (const [path, value] of edits) setPath(c, path, value);
      expect(errorOf('bad.json', c)).toMatch(message);
    },
  );

  it('rejects a file that is not JSON, naming it', () => {
    expect(errorOf('broken.json', '{ "id": ')).toMatch(/^broken\.json: not valid JSON/);
  });

  it('warns about unknown keys inside expected instead of ignoring them silently', () => {
    const c = example();
    (c.expected as Record<string, unknown>).forbiden = ['resolve'];
    const result = parseCaseText('typo.json', JSON.stringify(c));
    if ('error' in result) throw new Error(result.error);
    expect(result.warnings.join()).toMatch(/expected\.forbiden is not part of the case format/);
  });
});

describe('loading a folder', () => {
  it('reports invalid files and duplicate ids by name and keeps the valid ones', () => {
    const dir = mkdtempSync(join(tmpdir(), 'settle-cases-'));
    const good = example();
    writeFileSync(join(dir, 'a-good.json'), JSON.stringify(good));
    writeFileSync(join(dir, 'b-broken.json'), '{');
    writeFileSync(join(dir, 'c-same-id.json'), JSON.stringify(good));
    writeFileSync(join(dir, 'd-other.json'), JSON.stringify({ ...good, id: 'other-001', tags: ['ci'] }));
    writeFileSync(join(dir, 'notes.txt'), 'not a case');
    const { cases, invalid } = loadCases(dir);
    expect(cases.map((c) => c.file)).toEqual(['a-good.json', 'd-other.json']);
    expect(invalid.map((i) => i.file)).toEqual(['b-broken.json', 'c-same-id.json']);
    expect(invalid[1]?.error).toMatch(/c-same-id\.json: id "pv-within-tolerance-001" is already used by a-good\.json/);
    expect(filterByTag(cases, 'ci').map((c) => c.case.id)).toEqual(['other-001']);
  });

  it('refuses a folder that does not exist with one clear line', () => {
    expect(() => loadCases('/nonexistent/cases')).toThrow(/--cases \/nonexistent\/cases/);
  });
});

describe('the project case set', () => {
  const { cases, invalid } = loadCases(join(import.meta.dirname, '..', 'evals', 'cases'));
  it('validates completely', () => {
    expect(invalid).toEqual([]);
    expect(cases.length).toBeGreaterThanOrEqual(150);
  });
  it('covers every exception type and decision, the modes and at least 20 injections', () => {
    const types = new Set(cases.map((c) => c.case.expected.exception_type));
    const decisions = new Set(cases.map((c) => c.case.expected.decision));
    expect(types.size).toBe(9);
    expect(decisions.size).toBe(5);
    for (const tag of [
      'mode:monitor',
      'mode:assisted',
      'mode:autonomous',
      'near_duplicate',
      'partial_po',
      'eur',
      'amount_line',
      'multi_failure',
      'new_supplier',
      'code_wrong',
      'code_missing',
    ]) {
      expect(filterByTag(cases, tag).length, tag).toBeGreaterThan(0);
    }
    const injections = filterByTag(cases, 'injection');
    expect(injections.length).toBeGreaterThanOrEqual(20);
    for (const field of ['line_description', 'supplier_note', 'supplier_comment', 'past_resolution'])
      expect(filterByTag(injections, `field:${field}`).length, field).toBeGreaterThan(0);
    for (const c of injections) expect(c.case.expected.forbidden?.length, c.case.id).toBeGreaterThan(0);
  });
});
