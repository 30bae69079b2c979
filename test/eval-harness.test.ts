/**
 * The CI quality bar: the fast `ci` subset of evals/cases through the real harness (webhook
 * intake, queue, agent with the planner brain, simulator, PGlite; two worker-thread slots), next to
 * an invalid file and a case with a deliberately wrong expectation, which must fail.
 */
import { copyFileSync, mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../src/config.js';
import { runHarness, type HarnessOutput } from '../evals/harness.js';
import { renderReport } from '../evals/report-html.js';
import { formatHeadline, formatTable } from '../evals/table.js';

const CASES = join(import.meta.dirname, '..', 'evals', 'cases');
const WRONG_ID = 'zz-wrong-expectation';

function stageCiCases(): { dir: string; ci: number } {
  const dir = mkdtempSync(join(tmpdir(), 'settle-eval-ci-'));
  let ci = 0;
  let donor: Record<string, unknown> | undefined;
  for (const name of readdirSync(CASES).filter((n) => n.endsWith('.json'))) {
    const kase = JSON.parse(readFileSync(join(CASES, name), 'utf8')) as {
      tags: string[];
      expected: { decision: string };
    };
    if (!kase.tags.includes('ci')) continue;
    copyFileSync(join(CASES, name), join(dir, name));
    ci++;
    if (!donor && kase.expected.decision === 'route') donor = kase as unknown as Record<string, unknown>;
  }
  // The same records with an answer the controls do not give: the harness must fail it.
  const expected = { exception_type: 'quantity_variance', decision: 'dispute', dispute_reason: 'INCORRECT-QUANTITY' };
  writeFileSync(join(dir, `${WRONG_ID}.json`), JSON.stringify({ ...donor, id: WRONG_ID, tags: ['wrong'], expected }));
  writeFileSync(
    join(dir, 'zz-invalid.json'),
    JSON.stringify({
      id: 'zz-invalid',
      title: 'no expected block',
      now: '2026-03-02T10:00:00Z',
      coupa: {},
      event: { resource_id: 1 },
    }),
  );
  return { dir, ci };
}

describe('eval harness on the CI subset (planner brain)', () => {
  let output: HarnessOutput;
  let staged: { dir: string; ci: number };

  beforeAll(async () => {
    staged = stageCiCases();
    output = await runHarness({ casesDir: staged.dir, config: loadConfig({}), brain: 'planner', concurrency: 2 });
  }, 900_000);

  it('meets the quality bar: at least 95% accuracy and no unsafe case', () => {
    const ci = output.summary.by_tag.ci!;
    expect(staged.ci).toBeGreaterThanOrEqual(20);
    expect(ci.cases).toBe(staged.ci);
    const failed = output.cases
      .filter((c) => c.tags.includes('ci') && !c.passed)
      .map(
        (c) =>
          `${c.id}: ${c.checks
            .filter((k) => !k.passed)
            .map((k) => k.detail)
            .join('; ')}`,
      );
    expect(ci.accuracy, failed.join('\n')).toBeGreaterThanOrEqual(0.95);
    expect(output.summary.unsafe).toBe(0);
    process.stderr.write(
      `eval CI subset: ${(ci.accuracy * 100).toFixed(1)}% of ${ci.cases} cases, unsafe ${ci.unsafe}; whole run: ${formatHeadline(output)}\n`,
    );
  });

  it('reports the invalid file by name with the validation error and runs the others', () => {
    expect(output.invalid).toEqual([
      { file: 'zz-invalid.json', error: expect.stringMatching(/^zz-invalid\.json: expected: /) },
    ]);
    expect(output.summary.cases).toBe(staged.ci + 1);
    expect(output.summary.invalid_files).toBe(1);
  });

  it('fails a case whose expectation the records do not support', () => {
    const wrong = output.cases.find((c) => c.id === WRONG_ID)!;
    expect(wrong.passed).toBe(false);
    expect(wrong.checks.find((c) => c.name === 'decision')?.passed).toBe(false);
  });

  it('writes the output shape of case-format.md, and every write of every run is audited', () => {
    expect(output.summary).toMatchObject({
      cases: expect.any(Number),
      passed: expect.any(Number),
      accuracy: expect.any(Number),
      unsafe: 0,
    });
    expect(Object.keys(output.summary.by_exception_type)).toHaveLength(9);
    for (const c of output.cases) {
      expect(c).toMatchObject({
        id: expect.any(String),
        passed: expect.any(Boolean),
        coupa_calls: expect.any(Number),
        ms: expect.any(Number),
      });
      expect(c.verdict?.brain).toBe('planner');
      expect(c.checks.find((k) => k.name === 'audit')?.passed, c.id).toBe(true);
      for (const check of c.checks)
        expect(check).toEqual({ name: expect.any(String), passed: expect.any(Boolean), detail: expect.any(String) });
    }
    expect(output.run).toMatchObject({ brain: 'planner', model: null, trials: 1, concurrency: 2 });
  });

  it('renders a self-contained HTML report and the terminal table', () => {
    const html = renderReport(output);
    expect(html).toMatch(/^<!doctype html>/);
    expect(html.match(/<svg/g)?.length).toBeGreaterThanOrEqual(3);
    expect(html).toContain('Decision confusion matrix');
    expect(html).toContain('offline playbook planner');
    expect(html).not.toMatch(/<script|<link|src=|https?:\/\//);
    expect(html).toContain(WRONG_ID);
    const table = formatTable(output);
    for (const type of ['price_variance', 'duplicate', 'other', 'all']) expect(table).toContain(type);
  });
});
