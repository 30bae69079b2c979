/**
 * The hand-written GR/IR eval cases (evals/grir/*.json) through the same harness `settle eval`
 * uses (evals/grir-harness.ts): each served by a fresh simulator over HTTP, read into PGlite and
 * reconciled; root cause and action scored per PO line, adjustments by their total. Accuracy per
 * cause must reach 0.95 (these are small: every case must pass).
 */
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDb, type Db } from '../src/db/connection.js';
import { migrate } from '../src/db/migrate.js';
import { formatGrirEval, loadGrirCases, runGrirCase } from '../evals/grir-harness.js';

const DIR = fileURLToPath(new URL('../evals/grir/', import.meta.url));
const cases = loadGrirCases(DIR);
let db: Db;

beforeAll(async () => {
  db = await openDb({ dataDir: 'memory://' });
  await migrate(db);
});
afterAll(async () => db?.close());

describe('GR/IR eval cases', () => {
  expect(cases.length).toBeGreaterThanOrEqual(15);
  for (const c of cases) {
    it(`${c.id}: ${c.title}`, async () => {
      const result = await runGrirCase(db, c);
      expect(result.misses).toEqual([]);
      expect(result.passed).toBe(true);
    });
  }

  it('a case whose expectation is wrong fails, with the reason (perturbation)', async () => {
    const c = cases.find((x) => x.expected.grir?.length)!;
    const wrong = {
      ...c,
      id: `${c.id}-perturbed`,
      expected: { ...c.expected, grir: c.expected.grir!.map((e) => ({ ...e, cause: 'fx_difference' })) },
    };
    const result = await runGrirCase(db, wrong);
    expect(result.passed).toBe(false);
    expect(result.misses[0]).toMatch(/expected fx_difference/);
    const line = formatGrirEval({
      cases: 1,
      passed: 0,
      byCause: { fx_difference: { right: 0, all: 1 } },
      results: [result],
    });
    expect(line).toMatch(/^GR\/IR cases: 0\/1 passed/);
    expect(line).toMatch(/FAIL .*-perturbed/);
  });
});
