/**
 * The agent loop's middleware. One decision per exception: once a write tool has carried out (or
 * proposed) a decision, any further decision write is refused with a tool error, so a model that
 * keeps acting cannot route, dispute and hold the same invoice in one run. Denied writes do not
 * count — the model may follow the guard's "Instead" advice. Parallel calls are serialised so two
 * decisions in one model turn cannot both slip through.
 */
import { createMiddleware, toolErrorMiddleware } from 'langchain';
import { ToolMessage } from '@langchain/core/messages';
import { DECISION_TOOLS } from '../../tools/index.js';
import { traceEntry } from './trace.js';

/** Whether a tool answer says the decision was executed or stored as a proposal. */
function carriedOut(name: string, args: Record<string, unknown>, answer: unknown): boolean {
  if (!(answer instanceof ToolMessage)) return false;
  const entry = traceEntry(answer.tool_call_id, { name, args }, answer);
  return entry.ok && (entry.structured?.status === 'executed' || entry.structured?.status === 'proposed');
}

/** A fresh middleware per run (it remembers the run's decision). */
export function oneDecisionMiddleware(): ReturnType<typeof createMiddleware> {
  let decided: string | undefined;
  let queue: Promise<unknown> = Promise.resolve();
  return createMiddleware({
    name: 'SettleOneDecision',
    wrapToolCall: (request, handler) => {
      const { name, args, id } = request.toolCall;
      if (!DECISION_TOOLS.has(name)) return handler(request);
      const run = queue.then(async () => {
        if (decided) {
          return new ToolMessage({
            tool_call_id: id ?? '',
            status: 'error',
            content: `Error: refused — ${decided} already carried out this exception's decision; Settle acts once per exception. Stop and summarise.`,
          });
        }
        const result = await handler(request);
        if (carriedOut(name, args, result)) decided = name;
        return result;
      });
      queue = run.catch(() => undefined);
      return run;
    },
  });
}

/**
 * With any tool middleware present, LangChain's tool node no longer turns a failing tool into an
 * error message for the model; this restores that (the guard's denials and "Instead" advice are
 * written for the model), except when the run was aborted — then the abort must propagate.
 */
export function toolErrorsToModel(): ReturnType<typeof toolErrorMiddleware> {
  return toolErrorMiddleware({
    onError: (error, request) =>
      request.runtime.signal?.aborted ? undefined : error instanceof Error ? error.message : String(error),
  });
}
