/**
 * The replay harness: load a folder of cases, validate them (invalid files are reported by name
 * and skipped), run each case K times over parallel slots, score every run and summarise.
 * The output object is the JSON of case-format.md ("Output the harness writes").
 */
import { availableParallelism } from 'node:os';
import type { Dialect } from '../src/sim/dialects.js';
import { performance } from 'node:perf_hooks';
import type { Config } from '../src/config.js';
import type { Mode } from '../src/domain/controls.js';
import { filterByTag, loadCases, type InvalidCase, type LoadedCase } from './load-cases.js';
import { runTasks } from './pool.js';
import type { CaseResult } from './run-record.js';
import { summarize, type Summary } from './summary.js';
import type { Task } from './task.js';

export interface HarnessOptions {
  casesDir: string;
  config: Config;
  brain: 'planner' | 'llm';
  /** Run every case in this mode instead of its own `controls.mode`. */
  mode?: Mode | undefined;
  /** Serve every case in this simulator dialect (src/sim/dialects.ts) instead of Coupa's documented shape. */
  dialect?: Dialect | undefined;
  trials?: number;
  /** Only cases carrying this tag. */
  filter?: string | undefined;
  /** Parallel slots (default: the core count). */
  concurrency?: number;
  /** Progress: each result as it arrives. */
  onResult?: (result: CaseResult, done: number, total: number) => void;
  /** Progress: after loading, before running. */
  onLoaded?: (info: { cases: number; invalid: InvalidCase[]; runs: number; concurrency: number }) => void;
}

export interface HarnessRun {
  brain: 'planner' | 'llm';
  /** The chat model behind the llm brain (null for the planner). */
  model: string | null;
  mode_override: Mode | null;
  /** The simulator dialect the cases were served in. */
  dialect: Dialect;
  cases_dir: string;
  filter: string | null;
  trials: number;
  concurrency: number;
  started_at: string;
  duration_ms: number;
}

export interface HarnessOutput {
  summary: Summary;
  run: HarnessRun;
  invalid: InvalidCase[];
  cases: CaseResult[];
}

/** Default parallelism: one slot per core. */
export function defaultConcurrency(): number {
  return Math.max(1, availableParallelism());
}

/** Load, run and score. Throws UserError only when the folder itself cannot be read. */
export async function runHarness(options: HarnessOptions): Promise<HarnessOutput> {
  const started = performance.now();
  const startedAt = new Date().toISOString();
  const trials = Math.max(1, Math.floor(options.trials ?? 1));
  const { cases, invalid } = loadCases(options.casesDir);
  const selected: LoadedCase[] = filterByTag(cases, options.filter);
  const tasks: Task[] = [];
  // Trial-major order: every case's first run comes before any second run.
  for (let trial = 1; trial <= trials; trial++) {
    for (const loaded of selected)
      tasks.push({ loaded, trial, brain: options.brain, mode: options.mode, dialect: options.dialect });
  }
  const concurrency = Math.max(1, Math.min(options.concurrency ?? defaultConcurrency(), tasks.length || 1));
  options.onLoaded?.({ cases: selected.length, invalid, runs: tasks.length, concurrency });
  const results = tasks.length
    ? await runTasks(tasks, {
        concurrency,
        config: options.config,
        ...(options.onResult ? { onResult: options.onResult } : {}),
      })
    : [];
  return {
    summary: summarize(results, trials, invalid.length, options.config.modelPrice),
    run: {
      brain: options.brain,
      model: options.brain === 'llm' ? (options.config.openai.model ?? 'custom') : null,
      mode_override: options.mode ?? null,
      dialect: options.dialect ?? 'coupa',
      cases_dir: options.casesDir,
      filter: options.filter ?? null,
      trials,
      concurrency,
      started_at: startedAt,
      duration_ms: Math.round(performance.now() - started),
    },
    invalid,
    cases: results,
  };
}
