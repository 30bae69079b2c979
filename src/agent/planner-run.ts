/**
 * The offline playbook planner's own loop. The planner is deterministic and reads only the trace,
 * so it needs none of what an LLM agent loop provides (messages, tool binding, an MCP client with
 * schema conversion per exception): those were most of its non-database time (issue 16). It calls
 * each tool through `guard.call` — the very entry point the MCP server's `tools/call` uses — with
 * the agent's identity and the case scope, so every call is validated, scope-checked, mode- and
 * control-checked and audited exactly as before. The LLM brain keeps the LangChain loop.
 *
 * The loop keeps the agent loop's rules: one decision per exception (a second carried-out write
 * is refused), reads of one step run together, and the tool-call and wall-time budgets stop it
 * safely (before a call would exceed them, not after).
 */
import type { Guard, GuardResult } from '../guard/guard.js';
import type { Identity } from '../guard/identity.js';
import type { CaseScope } from '../guard/scope.js';
import { BudgetExhaustedError, type Budget } from './budget.js';
import { DECISION_TOOLS } from '../../tools/index.js';
import { planNext, type PlannedCall } from './playbook.js';
import { cleanToolError, type TraceEntry } from './trace.js';

export interface PlannerSettings {
  invoiceId: number;
  exceptionCode?: string | null | undefined;
  holdReason?: string | null | undefined;
  apReviewer: string;
  /** Re-opened by a supplier's answer (issue 25): the planner's follow-up request then differs from the first. */
  afterSupplierReply?: number | null;
}

export interface PlannerRun {
  trace: TraceEntry[];
  error?: string;
  exhausted?: boolean;
}

/** A tool answer as the trace records it: the same fields the MCP path yields (structured only on success). */
export function traceOf(id: string, call: PlannedCall, result: GuardResult): TraceEntry {
  return {
    id,
    name: call.name,
    args: call.args,
    ok: !result.isError,
    text: result.isError ? cleanToolError(result.text) : result.text,
    ...(result.structured && !result.isError ? { structured: result.structured } : {}),
  };
}

const carriedOut = (e: TraceEntry): boolean =>
  e.ok && (e.structured?.status === 'executed' || e.structured?.status === 'proposed');

/** Run the playbook to its finish through the guard, appending to `trace` (which may hold an earlier brain's calls). */
export async function runPlanner(
  guard: Guard,
  identity: Identity,
  scope: CaseScope,
  settings: PlannerSettings,
  budget: Budget,
  prior: readonly TraceEntry[] = [],
): Promise<PlannerRun> {
  const trace: TraceEntry[] = [];
  const deadline = Date.now() + budget.maxWallMs;
  let turn = 0;
  const stop = (reason: string): PlannerRun => ({
    trace,
    error: new BudgetExhaustedError(reason).message,
    exhausted: true,
  });
  for (;;) {
    const step = planNext({ ...settings, trace: [...prior, ...trace] });
    if ('finish' in step) return { trace };
    turn += 1;
    if (trace.length + step.calls.length > budget.maxToolCalls) return stop(`tool-call budget ${budget.maxToolCalls}`);
    const remaining = deadline - Date.now();
    if (remaining <= 0) return stop(`wall time ${budget.maxWallMs} ms`);
    const call = async (c: PlannedCall, i: number): Promise<TraceEntry> => {
      const id = `plan_${turn}_${i}`;
      const decided = [...prior, ...trace].find((e) => DECISION_TOOLS.has(e.name) && carriedOut(e));
      if (DECISION_TOOLS.has(c.name) && decided) {
        return {
          id,
          name: c.name,
          args: c.args,
          ok: false,
          text: `refused — ${decided.name} already carried out this exception's decision; Settle acts once per exception. Stop and summarise.`,
        };
      }
      return traceOf(id, c, await guard.call(identity, c.name, c.args, { scope }));
    };
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<'timeout'>((resolve) => {
      timer = setTimeout(() => resolve('timeout'), remaining);
    });
    // Reads of one step run together; a decision write is always alone in its step.
    const answered = await Promise.race([Promise.all(step.calls.map(call)), timeout]).finally(() =>
      clearTimeout(timer),
    );
    if (answered === 'timeout') return stop(`wall time ${budget.maxWallMs} ms`);
    trace.push(...answered);
  }
}
