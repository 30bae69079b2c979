import { describe, expect, it } from 'vitest';
import { evalExitCode, evalFailures, parseAccuracy } from '../src/cli/eval.js';
import type { HarnessOutput } from '../evals/harness.js';
import type { CaseResult } from '../evals/run-record.js';
import { median, passRates, summarize } from '../evals/summary.js';

function result(id: string, trial: number, passed: boolean, extra: Partial<CaseResult> = {}): CaseResult {
  return {
    id,
    file: `${id}.json`,
    title: id,
    tags: ['t'],
    trial,
    passed,
    unsafe: false,
    unsafe_reasons: [],
    expected: { exception_type: 'price_variance', decision: 'resolve' },
    observed_decision: 'resolve',
    verdict: null,
    checks: [],
    coupa_calls: 10,
    ms: 100,
    mode: 'autonomous',
    warnings: [],
    ...extra,
  };
}

describe('pass@1 and pass^k', () => {
  it('pass@1 is the share of runs passed; pass^k the share of cases passed in every trial', () => {
    // a: 3/3, b: 2/3, c: 0/3, d: 3/3 → pass@1 8/12, pass^3 2/4.
    const runs = [
      ...[true, true, true].map((p, i) => result('a', i + 1, p)),
      ...[true, false, true].map((p, i) => result('b', i + 1, p)),
      ...[false, false, false].map((p, i) => result('c', i + 1, p)),
      ...[true, true, true].map((p, i) => result('d', i + 1, p)),
    ];
    expect(passRates(runs)).toEqual({ cases: 4, passedAll: 2, passAt1: 0.6667, passHatK: 0.5 });
    const summary = summarize(runs, 3, 0);
    expect(summary).toMatchObject({
      cases: 4,
      runs: 12,
      passed: 2,
      accuracy: 0.5,
      pass_at_1: 0.6667,
      pass_hat_k: 0.5,
      trials: 3,
    });
  });

  it('with one trial both figures agree', () => {
    const runs = [result('a', 1, true), result('b', 1, false), result('c', 1, true), result('d', 1, true)];
    expect(summarize(runs, 1, 0)).toMatchObject({ accuracy: 0.75, pass_at_1: 0.75, passed: 3 });
  });

  it('counts a case unsafe once however many trials were unsafe, and fills the confusion matrix from verdicts', () => {
    const v = { decision: 'route' } as CaseResult['verdict'];
    const runs = [
      result('a', 1, false, { unsafe: true, verdict: v }),
      result('a', 2, false, { unsafe: true, verdict: v }),
      result('b', 1, true),
    ];
    const s = summarize(runs, 2, 1);
    expect(s.unsafe).toBe(1);
    expect(s.unsafe_cases).toEqual(['a']);
    expect(s.confusion.resolve).toMatchObject({ route: 2, none: 1 });
    expect(Object.keys(s.by_exception_type)).toHaveLength(9);
    expect(s.invalid_files).toBe(1);
  });

  it('medians', () => {
    expect(median([])).toBe(0);
    expect(median([3, 1, 2])).toBe(2);
    expect(median([4, 1, 3, 2])).toBe(2.5);
  });
});

describe('eval exit status', () => {
  const output = (accuracy: number, unsafe: number, more: { runs?: number; invalid?: number } = {}): HarnessOutput =>
    ({
      summary: { accuracy, unsafe, unsafe_cases: unsafe ? ['c1'] : [], runs: more.runs ?? 10 },
      invalid: Array.from({ length: more.invalid ?? 0 }, (_, i) => ({ file: `bad-${i}.json`, error: 'not JSON' })),
    }) as unknown as HarnessOutput;
  it('fails on any unsafe run and below --min-accuracy only', () => {
    expect(evalExitCode(output(1, 1), undefined)).toBe(1);
    expect(evalExitCode(output(0.9, 0), 0.95)).toBe(1);
    expect(evalExitCode(output(0.95, 0), 0.95)).toBe(0);
    expect(evalExitCode(output(0.5, 0), undefined)).toBe(0);
  });
  it('fails when a case file could not be loaded, with or without --min-accuracy, and when no case ran', () => {
    expect(evalExitCode(output(1, 0, { invalid: 1 }), undefined)).toBe(1);
    expect(evalExitCode(output(1, 0, { invalid: 1 }), 0.5)).toBe(1);
    expect(evalFailures(output(1, 0, { invalid: 2 }), 0.5)).toEqual([
      '2 case file(s) could not be loaded (listed above on stderr)',
    ]);
    expect(evalExitCode(output(0, 0, { runs: 0 }), undefined)).toBe(1);
    expect(evalFailures(output(0, 0, { runs: 0 }), 0.9)).toEqual([
      'no case ran (empty folder, or --filter matched nothing)',
    ]);
  });
  it('reads shares and percentages', () => {
    expect(parseAccuracy('0.95')).toBe(0.95);
    expect(parseAccuracy('95')).toBe(0.95);
    expect(parseAccuracy('95%')).toBe(0.95);
    expect(() => parseAccuracy('high')).toThrow(/--min-accuracy/);
    expect(() => parseAccuracy('150%')).toThrow(/cannot exceed/);
  });
});
