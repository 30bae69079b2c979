/**
 * The one place where the runner is wired to the agent: `settle worker` and `settle serve` settle
 * each queued invoice with Settle's agent (see src/app/agent-settle-fn.ts).
 */
import { createAgentSettleFn } from '../app/agent-settle-fn.js';
import type { Runtime } from '../app/runtime.js';
import type { SettleFn } from './types.js';

/** The SettleFn `settle worker` and `settle serve` use. */
export function createDefaultSettleFn(runtime: Runtime): SettleFn {
  return createAgentSettleFn(runtime);
}
