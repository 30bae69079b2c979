/**
 * Runs eval tasks over N slots. With one slot everything runs in this thread; with more, each slot
 * is a worker thread with its own database, so cases run truly in parallel (the agent, PGlite and
 * the simulator are CPU-bound JavaScript/WASM). Results come back in task order.
 */
import { Worker } from 'node:worker_threads';
import type { Config } from '../src/config.js';
import { describeError } from '../src/errors.js';
import type { CaseResult } from './run-record.js';
import { openSlot } from './slot.js';
import { executeTask, type Task, type WorkerReply } from './task.js';
import { dataPath } from '../src/paths.js';

export interface PoolOptions {
  concurrency: number;
  config: Config;
  /** Called as each result arrives (progress). */
  onResult?: (result: CaseResult, done: number, total: number) => void;
}

/** A result for a task that could not run at all (its worker died or could not start). */
export function failedResult(task: Task, message: string): CaseResult {
  const kase = task.loaded.case;
  return {
    id: kase.id,
    file: task.loaded.file,
    title: kase.title,
    tags: kase.tags,
    trial: task.trial,
    passed: false,
    unsafe: false,
    unsafe_reasons: [],
    expected: { exception_type: kase.expected.exception_type, decision: kase.expected.decision },
    observed_decision: 'none',
    verdict: null,
    checks: [{ name: 'run', passed: false, detail: message }],
    coupa_calls: 0,
    ms: 0,
    mode: task.mode ?? kase.controls?.mode ?? 'autonomous',
    warnings: task.loaded.warnings,
    error: message,
  };
}

async function runInProcess(
  tasks: Task[],
  options: PoolOptions,
  deliver: (i: number, r: CaseResult) => void,
): Promise<void> {
  const slot = await openSlot(options.config);
  try {
    for (const [i, task] of tasks.entries()) {
      deliver(
        i,
        await executeTask(slot, options.config, task).catch((error: unknown) =>
          failedResult(task, describeError(error)),
        ),
      );
    }
  } finally {
    await slot.close();
  }
}

/** One worker thread draining the shared queue until it is empty; resolves when the worker is done. */
function drain(
  next: () => number | undefined,
  tasks: Task[],
  config: Config,
  deliver: (i: number, r: CaseResult) => void,
  onStartupError: (message: string) => void,
): Promise<void> {
  return new Promise((resolve) => {
    const worker = new Worker(dataPath('evals', 'worker-entry.mjs'), { execArgv: [], workerData: { config } });
    let current: number | undefined;
    let finished = false;
    const finish = (): void => {
      if (finished) return;
      finished = true;
      resolve();
    };
    const feed = (): void => {
      current = next();
      if (current === undefined) worker.postMessage({ type: 'close' });
      else worker.postMessage({ type: 'run', task: tasks[current] });
    };
    worker.on('message', (reply: WorkerReply) => {
      if (reply.type === 'ready') return feed();
      if (current === undefined) {
        // Start-up failed (no database): this worker takes no tasks; the others carry on.
        if (reply.type === 'failed') onStartupError(reply.message);
        void worker.terminate().finally(finish);
        return;
      }
      const i = current;
      deliver(i, reply.type === 'result' ? reply.result : failedResult(tasks[i]!, reply.message));
      feed();
    });
    const fail = (message: string): void => {
      if (current !== undefined) deliver(current, failedResult(tasks[current]!, message));
      else onStartupError(message);
      current = undefined;
      finish();
    };
    worker.on('error', (error) => fail(`eval worker crashed: ${describeError(error)}`));
    worker.on('exit', (code) => (code === 0 ? finish() : fail(`eval worker exited with code ${code}`)));
  });
}

/** Run every task; resolves to the results in task order. */
export async function runTasks(tasks: Task[], options: PoolOptions): Promise<CaseResult[]> {
  const results: Array<CaseResult | undefined> = new Array(tasks.length);
  let done = 0;
  const deliver = (i: number, result: CaseResult): void => {
    results[i] = result;
    options.onResult?.(result, ++done, tasks.length);
  };
  const slots = Math.max(1, Math.min(options.concurrency, tasks.length));
  let startupError: string | undefined;
  if (slots === 1) {
    await runInProcess(tasks, options, deliver);
  } else {
    let cursor = 0;
    const next = (): number | undefined => (cursor < tasks.length ? cursor++ : undefined);
    await Promise.all(
      Array.from({ length: slots }, () =>
        drain(next, tasks, options.config, deliver, (message) => (startupError ??= message)),
      ),
    );
  }
  // Tasks no worker took (every worker failed to start) are reported, not dropped.
  return Array.from(
    results,
    (r, i) => r ?? failedResult(tasks[i]!, startupError ?? 'no eval worker could run this case'),
  );
}
