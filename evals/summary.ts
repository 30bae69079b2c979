/**
 * The run's summary: accuracy overall, per exception type, per expected decision and per tag; the
 * decision confusion matrix; and, with `--trials K`, pass@1 next to pass^k.
 *
 * - pass@1: the share of all runs (cases × trials) that passed.
 * - pass^k: the share of cases that passed in every one of the K trials.
 * `passed` counts cases that passed in every trial and `accuracy` is pass^k, so a case only counts
 * as settled correctly when it is settled correctly every time (identical to pass@1 when K = 1).
 */
import { Decision, ExceptionType } from '../src/domain/vocabulary.js';
import { median } from '../src/stats.js';
import { summariseCost, type ModelPrice } from '../src/domain/cost.js';
import type { CaseResult } from './run-record.js';

export interface Slice {
  cases: number;
  passed: number;
  accuracy: number;
  pass_at_1: number;
  unsafe: number;
  median_coupa_calls: number;
  /** Coupa calls per exception, mean over runs (reads and writes, token requests excluded). */
  mean_coupa_calls: number;
  median_ms: number;
}

export interface Summary extends Slice {
  trials: number;
  runs: number;
  pass_hat_k: number;
  unsafe_cases: string[];
  by_exception_type: Record<string, Slice>;
  by_decision: Record<string, Slice>;
  by_tag: Record<string, Slice>;
  /** expected decision → decision in the verdict → runs. */
  confusion: Record<string, Record<string, number>>;
  invalid_files: number;
  /** Cost per settled exception: Coupa calls, model tokens in/out, model cost (decimal text; null without SETTLE_MODEL_PRICE_IN/OUT). */
  cost_per_exception: { coupa_calls: number; tokens_in: number; tokens_out: number; model_cost: string | null };
}

export { median };

const ratio = (a: number, b: number): number => (b === 0 ? 0 : Math.round((a / b) * 10_000) / 10_000);

/** pass@1 and pass^k over runs grouped by case id. */
export function passRates(runs: readonly Pick<CaseResult, 'id' | 'passed'>[]): {
  cases: number;
  passedAll: number;
  passAt1: number;
  passHatK: number;
} {
  const byCase = new Map<string, boolean[]>();
  for (const r of runs) byCase.set(r.id, [...(byCase.get(r.id) ?? []), r.passed]);
  const passedAll = [...byCase.values()].filter((trials) => trials.every(Boolean)).length;
  return {
    cases: byCase.size,
    passedAll,
    passAt1: ratio(runs.filter((r) => r.passed).length, runs.length),
    passHatK: ratio(passedAll, byCase.size),
  };
}

function slice(runs: readonly CaseResult[]): Slice {
  const rates = passRates(runs);
  const unsafe = new Set(runs.filter((r) => r.unsafe).map((r) => r.id)).size;
  return {
    cases: rates.cases,
    passed: rates.passedAll,
    accuracy: rates.passHatK,
    pass_at_1: rates.passAt1,
    unsafe,
    median_coupa_calls: median(runs.map((r) => r.coupa_calls)),
    mean_coupa_calls: runs.length
      ? Math.round((runs.reduce((sum, r) => sum + r.coupa_calls, 0) / runs.length) * 100) / 100
      : 0,
    median_ms: median(runs.map((r) => r.ms)),
  };
}

function groupBy(runs: readonly CaseResult[], keys: (r: CaseResult) => string[]): Record<string, Slice> {
  const groups = new Map<string, CaseResult[]>();
  for (const r of runs) for (const k of keys(r)) groups.set(k, [...(groups.get(k) ?? []), r]);
  return Object.fromEntries(
    [...groups.entries()].sort(([a], [b]) => a.localeCompare(b)).map(([k, v]) => [k, slice(v)]),
  );
}

/** Summarise every run (all trials of all cases). */
export function summarize(
  runs: readonly CaseResult[],
  trials: number,
  invalidFiles: number,
  price?: ModelPrice,
): Summary {
  const cost = summariseCost(
    runs.map((r) => ({
      coupa_calls: r.coupa_calls,
      tokens_in: r.verdict?.tokens_in,
      tokens_out: r.verdict?.tokens_out,
    })),
    price,
  ).perException;
  const confusion: Record<string, Record<string, number>> = {};
  for (const expected of Decision.options)
    confusion[expected] = Object.fromEntries([...Decision.options, 'none'].map((d) => [d, 0]));
  for (const r of runs) {
    const row = confusion[r.expected.decision]!;
    const got = r.verdict?.decision ?? 'none';
    row[got] = (row[got] ?? 0) + 1;
  }
  const byType = groupBy(runs, (r) => [r.expected.exception_type]);
  // Every type appears, even with no cases, so reports line up across runs.
  for (const t of ExceptionType.options) byType[t] ??= slice([]);
  const all = slice(runs);
  return {
    ...all,
    trials,
    runs: runs.length,
    pass_hat_k: all.accuracy,
    unsafe_cases: [...new Set(runs.filter((r) => r.unsafe).map((r) => r.id))].sort(),
    by_exception_type: Object.fromEntries(ExceptionType.options.map((t) => [t, byType[t]!])),
    by_decision: groupBy(runs, (r) => [r.expected.decision]),
    by_tag: groupBy(runs, (r) => r.tags),
    confusion,
    invalid_files: invalidFiles,
    cost_per_exception: {
      coupa_calls: Number(cost.coupaCalls),
      tokens_in: Number(cost.tokensIn),
      tokens_out: Number(cost.tokensOut),
      model_cost: cost.money,
    },
  };
}
