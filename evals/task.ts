/** One unit of eval work — a case and a trial number — and running it to a scored result. */
import type { Config } from '../src/config.js';
import type { Mode } from '../src/domain/controls.js';
import type { Dialect } from '../src/sim/dialects.js';
import type { LoadedCase } from './load-cases.js';
import { runCase } from './run-case.js';
import type { CaseResult } from './run-record.js';
import { scoreRun } from './score.js';
import type { EvalSlot } from './slot.js';

export interface Task {
  loaded: LoadedCase;
  trial: number;
  brain: 'planner' | 'llm';
  mode?: Mode | undefined;
  dialect?: Dialect | undefined;
}

export type WorkerReply =
  { type: 'ready' } | { type: 'result'; result: CaseResult } | { type: 'failed'; message: string };

/** Run and score one task in `slot`. */
export async function executeTask(slot: EvalSlot, config: Config, task: Task): Promise<CaseResult> {
  const run = await runCase(slot, task.loaded.case, config, {
    brain: task.brain,
    mode: task.mode,
    trial: task.trial,
    dialect: task.dialect,
  });
  return scoreRun(task.loaded, run, task.trial);
}
