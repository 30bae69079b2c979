/**
 * `settleInvoice`: one exception, end to end. A LangChain agent (an LLM over Settle's MCP tools)
 * or the offline playbook planner (its own loop through the same guard, planner-run.ts)
 * investigates and acts; Settle then builds the verdict from
 * the trace, writes the dossier, and — if the brain failed or ran out of budget before acting —
 * routes the invoice to the AP reviewer instead of leaving it half-done.
 */
import { createAgent } from 'langchain';
import type { BaseChatModel } from '@langchain/core/language_models/chat_models';
import type { BaseMessage } from '@langchain/core/messages';
import type { AuditLog } from '../audit/index.js';
import type { Config } from '../config.js';
import type { Controls, Mode } from '../domain/controls.js';
import type { Guard } from '../guard/guard.js';
import type { PolicyLibrary } from '../mcp/policies.js';
import { describeError } from '../errors.js';
import type { GuardResult } from '../guard/guard.js';
import { AGENT_IDENTITY, type Identity } from '../guard/identity.js';
import { createCaseScope, type CaseScope } from '../guard/scope.js';
import type { ExceptionEvent } from '../coupa/events.js';
import { assessmentOf, citationsOf, precedentsOf } from './assessment.js';
import { Budget, BudgetExhaustedError } from './budget.js';
import { renderDossier } from './dossier.js';
import { createLlm, llmConfigured } from '../llm/chat-model.js';
import { linkAgentToMcp } from './mcp-link.js';
import { oneDecisionMiddleware, toolErrorsToModel } from './loop-middleware.js';
import { runPlanner } from './planner-run.js';
import { flagsOf } from './playbook.js';
import { DECISION_TOOLS } from '../../tools/index.js';
import { HELD_STATUSES } from '../coupa/invoice-statuses.js';
import { SYSTEM_PROMPT, taskMessage } from './prompts.js';
import { cleanToolError, readTrace, type TraceEntry } from './trace.js';
import { buildVerdict, primaryAction } from './verdict-builder.js';
import { calibrateVerdict } from './verdict-calibration.js';
import type { ConfidenceGate } from '../domain/calibration-artifact.js';
import type { Verdict } from './verdict.js';

export type BrainChoice = 'auto' | 'planner' | 'llm';

/** What the agent needs from Settle's runtime (src/app/runtime.ts provides it). */
export interface AgentRuntime {
  guard: Guard;
  policies: PolicyLibrary;
  audit: Pick<AuditLog, 'head' | 'list'>;
  controls: Controls;
  config: Pick<Config, 'openai'>;
  mode: { get(): Promise<Mode> };
  now(): Date;
  /** The confidence calibration in force: the verdict's confidence becomes its probability. */
  calibration?: { gate(): Promise<ConfidenceGate | null> };
}

export interface SettleOptions {
  invoiceId: number;
  event?: Partial<ExceptionEvent>;
  brain?: BrainChoice;
  budget?: Partial<Budget>;
  identity?: Identity;
  /** Supply a chat model directly (tests); otherwise built from config. */
  llm?: BaseChatModel;
  /** Re-opened because the supplier answered a request (the reply's id): a repeated request thanks it and says what is still needed. */
  afterSupplierReply?: number | null;
}

interface BrainRun {
  trace: TraceEntry[];
  tokens: number;
  /** Prompt (input) and completion (output) tokens, as the model reported them. */
  tokensIn: number;
  tokensOut: number;
  error?: string;
  exhausted?: boolean;
}

type Usage = { total_tokens?: number; input_tokens?: number; output_tokens?: number };
const usageOf = (message: BaseMessage): Usage => (message as { usage_metadata?: Usage }).usage_metadata ?? {};

function tokensOf(message: BaseMessage): number {
  return usageOf(message).total_tokens ?? 0;
}

/** Input and output tokens over a transcript. */
function tokenSplit(messages: readonly BaseMessage[]): { tokensIn: number; tokensOut: number } {
  return messages.reduce(
    (sum, m) => ({
      tokensIn: sum.tokensIn + (usageOf(m).input_tokens ?? 0),
      tokensOut: sum.tokensOut + (usageOf(m).output_tokens ?? 0),
    }),
    { tokensIn: 0, tokensOut: 0 },
  );
}

/**
 * A model turn whose tool calls could not be parsed ends the loop (there is nothing to run); name
 * them, so the fallback says why the model did not settle the exception.
 */
function malformedCallsOf(message: BaseMessage | undefined): string | undefined {
  const invalid =
    (message as { invalid_tool_calls?: Array<{ name?: string; error?: string }> } | undefined)?.invalid_tool_calls ??
    [];
  if (invalid.length === 0) return undefined;
  return `the model sent malformed tool arguments (${invalid.map((c) => c.name ?? 'unnamed tool').join(', ')})`;
}

/** Run one brain through the agent loop, keeping the partial transcript if it stops early. */
async function runBrain(
  runtime: AgentRuntime,
  model: BaseChatModel,
  options: SettleOptions,
  budget: Budget,
  systemPrompt: string | undefined,
  scope: CaseScope,
): Promise<BrainRun> {
  const link = await linkAgentToMcp(runtime.guard, options.identity ?? AGENT_IDENTITY, runtime.policies, scope);
  const controller = new AbortController();
  const timer = setTimeout(
    () => controller.abort(new BudgetExhaustedError(`wall time ${budget.maxWallMs} ms`)),
    budget.maxWallMs,
  );
  let messages: BaseMessage[] = [];
  let tokens = 0;
  try {
    const agent = createAgent({
      model,
      tools: link.tools,
      middleware: [toolErrorsToModel(), oneDecisionMiddleware()],
      ...(systemPrompt ? { systemPrompt } : {}),
    });
    const stream = await agent.stream(
      { messages: [{ role: 'user', content: taskMessage(options.invoiceId, options.event) }] },
      { streamMode: 'values', recursionLimit: budget.maxToolCalls * 2 + 4, signal: controller.signal },
    );
    for await (const state of stream) {
      messages = (state as { messages: BaseMessage[] }).messages;
      tokens = messages.reduce((sum, m) => sum + tokensOf(m), 0);
      const toolCalls = messages.filter((m) => m.getType() === 'tool').length;
      if (tokens > budget.maxTokens) controller.abort(new BudgetExhaustedError(`token budget ${budget.maxTokens}`));
      if (toolCalls > budget.maxToolCalls)
        controller.abort(new BudgetExhaustedError(`tool-call budget ${budget.maxToolCalls}`));
    }
    const malformed = malformedCallsOf(messages.at(-1));
    return { trace: readTrace(messages), tokens, ...tokenSplit(messages), ...(malformed ? { error: malformed } : {}) };
  } catch (error) {
    const reason = controller.signal.aborted ? controller.signal.reason : error;
    const exhausted = reason instanceof BudgetExhaustedError || /recursion/i.test(describeError(error));
    return { trace: readTrace(messages), tokens, ...tokenSplit(messages), error: describeError(reason), exhausted };
  } finally {
    clearTimeout(timer);
    await link.close();
  }
}

/** The offline planner, driven directly through the guard (planner-run.ts), not through the agent loop. */
async function runPlaybook(
  runtime: AgentRuntime,
  settings: Parameters<typeof runPlanner>[3],
  options: SettleOptions,
  budget: Budget,
  scope: CaseScope,
): Promise<BrainRun> {
  const run = await runPlanner(runtime.guard, options.identity ?? AGENT_IDENTITY, scope, settings, budget);
  return { ...run, tokens: 0, tokensIn: 0, tokensOut: 0 };
}

function entryFromGuard(name: string, args: Record<string, unknown>, result: GuardResult): TraceEntry {
  return {
    id: `settle_${name}_${Date.now()}`,
    name,
    args,
    ok: !result.isError,
    text: result.isError ? cleanToolError(result.text) : result.text,
    ...(result.structured ? { structured: result.structured } : {}),
  };
}

/** Why the brain's decision is not the suggested one: a guard refusal it followed, or the model's own choice. */
function deviationOf(trace: readonly TraceEntry[], brain: 'planner' | 'llm'): string | undefined {
  const refused = trace.find((t) => DECISION_TOOLS.has(t.name) && !t.ok);
  if (refused) return `the guard refused ${refused.name} (${refused.text.slice(0, 200)})`;
  return brain === 'llm' ? 'the model chose this decision' : undefined;
}

async function coupaCallsSince(runtime: AgentRuntime, afterSeq: number, invoiceId: number): Promise<number> {
  const rows = await runtime.audit.list({ afterSeq, invoiceId, limit: 1000 });
  return rows.reduce((sum, r) => sum + r.coupaCalls, 0);
}

/** One settlement in progress: who acts, the case it is bound to, and the flags its verdict will carry. */
interface SettleCase {
  runtime: AgentRuntime;
  options: SettleOptions;
  identity: Identity;
  /** One case per settlement, shared by both brains and Settle's own closing calls. */
  scope: CaseScope;
  flags: string[];
}

type HeldAssessment = NonNullable<ReturnType<typeof assessmentOf>>;

export async function settleInvoice(runtime: AgentRuntime, options: SettleOptions): Promise<Verdict> {
  const started = Date.now();
  // A run a supplier's reply re-triggered writes in its own idempotency scope, whatever the brain.
  const scope = createCaseScope(options.invoiceId, {
    idempotencyContext: options.afterSupplierReply ? `supplier-reply:${options.afterSupplierReply}` : undefined,
  });
  const c: SettleCase = { runtime, options, identity: options.identity ?? AGENT_IDENTITY, scope, flags: [] };
  const budget = Budget.parse(options.budget ?? {});
  const startSeq = (await runtime.audit.head())?.seq ?? 0;
  const { run, brain, fellBack } = await runWithFallback(c, budget);

  const trace = [...run.trace];
  const assessed = assessmentOf(trace);
  // Nothing to settle when the invoice is gone or no longer held (already settled, approved, paid).
  const assessment = assessed !== undefined && HELD_STATUSES.has(assessed.status) ? assessed : undefined;
  flagRunProblems(c, run, trace);
  const deviation = assessment ? await ensureDecision(c, run, trace, assessment) : undefined;

  const classifyError = trace.find((t) => t.name === 'classify_exception' && !t.ok)?.text;
  const facts = {
    invoiceId: options.invoiceId,
    trace,
    brain,
    model: brain === 'llm' ? (runtime.config.openai.model ?? 'custom') : null,
    fellBack,
    extraFlags: c.flags,
    toolCalls: trace.length,
    coupaCalls: 0,
    tokens: run.tokens,
    tokensIn: run.tokensIn,
    tokensOut: run.tokensOut,
    durationMs: Date.now() - started,
    settledAt: runtime.now(),
    mode: await runtime.mode.get(),
    failure: assessment
      ? undefined
      : assessed
        ? `Invoice is ${assessed.status}, not held in an exception: nothing to settle.`
        : (classifyError ?? run.error),
    notActionable: !assessment && (assessed !== undefined || /not found/i.test(classifyError ?? '')),
  };
  const gate = (await runtime.calibration?.gate()) ?? null;
  if (assessment)
    await writeDossier(
      c,
      trace,
      assessment,
      calibrateVerdict(buildVerdict(facts), gate),
      deviation ?? deviationOf(trace, brain),
      brainLabel(brain, facts.model, fellBack),
    );
  const coupaCalls = await coupaCallsSince(runtime, startSeq, options.invoiceId);
  return calibrateVerdict(
    buildVerdict({ ...facts, trace, toolCalls: trace.length, coupaCalls, durationMs: Date.now() - started }),
    gate,
  );
}

/** Step 1: the chosen brain; when the LLM does not act, the playbook planner (the baseline) takes over. */
async function runWithFallback(
  c: SettleCase,
  budget: Budget,
): Promise<{ run: BrainRun; brain: 'planner' | 'llm'; fellBack: boolean }> {
  const { runtime, options, scope } = c;
  const plannerSettings = {
    invoiceId: options.invoiceId,
    exceptionCode: options.event?.exception_code,
    holdReason: options.event?.hold_reason,
    apReviewer: runtime.controls.ap_reviewer,
    afterSupplierReply: options.afterSupplierReply ?? null,
  };
  const planner = (): Promise<BrainRun> => runPlaybook(runtime, plannerSettings, options, budget, scope);
  const wantLlm =
    options.brain === 'llm' ||
    (options.brain !== 'planner' && (options.llm !== undefined || llmConfigured(runtime.config)));
  if (!wantLlm) return { run: await planner(), brain: 'planner', fellBack: false };

  const llm = options.llm ?? createLlm(runtime.config, { timeoutMs: budget.maxWallMs });
  const run = await runBrain(runtime, llm, options, budget, SYSTEM_PROMPT, scope);
  if (primaryAction(run.trace)) return { run, brain: 'llm', fellBack: false };
  // The LLM failed, refused or ran out of budget before acting.
  c.flags.push(
    `The model did not settle the exception (${run.error ?? 'no decision'}); the playbook planner took over.`,
  );
  const planned = await planner();
  return {
    run: {
      trace: [...run.trace, ...planned.trace],
      tokens: run.tokens + planned.tokens,
      tokensIn: run.tokensIn + planned.tokensIn,
      tokensOut: run.tokensOut + planned.tokensOut,
      ...(planned.error ? { error: planned.error, exhausted: planned.exhausted ?? false } : {}),
    },
    brain: 'llm',
    fellBack: true,
  };
}

/** What went wrong in the run, for the verdict's flags: the budget, an attempt to leave the case. */
function flagRunProblems(c: SettleCase, run: BrainRun, trace: readonly TraceEntry[]): void {
  if (run.exhausted) c.flags.push(`Budget exhausted (${run.error}); stopped safely.`);
  const outOfScope = trace.find((t) => !t.ok && t.text.includes('scope violation'));
  if (outOfScope) {
    const fraud = trace.some((t) => !t.ok && t.text.includes('fraud signal'));
    c.flags.push(
      `${fraud ? 'Fraud signal: supplier-written text' : 'The agent'} tried to act outside this invoice (${outOfScope.name}); the guard refused and audited it as a scope violation.`,
    );
  }
}

/**
 * Step 2: never half-act. With an assessment but no carried-out decision, route to the AP reviewer;
 * returns why the decision is not the brain's, when Settle had to step in.
 */
async function ensureDecision(
  c: SettleCase,
  run: BrainRun,
  trace: TraceEntry[],
  assessment: HeldAssessment,
): Promise<string | undefined> {
  let deviation: string | undefined;
  if (!primaryAction(trace) && !trace.some((t) => DECISION_TOOLS.has(t.name) && t.ok)) {
    deviation = `Settle stopped before deciding (${run.error ?? 'no action taken'}) and routed it to the AP reviewer for a decision`;
    const args = {
      invoice_id: c.options.invoiceId,
      approver_login: c.runtime.controls.ap_reviewer,
      reason:
        `Settle stopped before deciding (${run.error ?? 'no action taken'}); please review. ${assessment.root_cause}`.slice(
          0,
          1_900,
        ),
    };
    trace.push(
      entryFromGuard(
        'route_to_approver',
        args,
        await c.runtime.guard.call(c.identity, 'route_to_approver', args, { scope: c.scope }),
      ),
    );
  }
  if (!primaryAction(trace)) {
    const lastError = [...trace].reverse().find((t) => !t.ok)?.text ?? run.error ?? 'no action taken';
    c.flags.push(
      `No decision was carried out (${lastError.slice(0, 200)}); settle it again once Coupa answers, or by hand.`,
    );
  }
  return deviation;
}

/** Step 3: the internal dossier comment, written from the verdict (a planner hold already carried it). */
async function writeDossier(
  c: SettleCase,
  trace: TraceEntry[],
  assessment: HeldAssessment,
  verdict: Verdict,
  deviation: string | undefined,
  brain: string,
): Promise<void> {
  const primary = primaryAction(trace);
  if (primary?.name === 'hold_invoice' && String(primary.args.dossier ?? '').startsWith('SETTLE DOSSIER')) return;
  const text = renderDossier({
    assessment,
    decision: verdict.decision,
    outcomeText: OUTCOME_TEXT[verdict.outcome] ?? 'not carried out',
    routeTo: verdict.route_to,
    disputeReason: verdict.dispute_reason,
    citations: citationsOf(trace),
    precedents: precedentsOf(trace),
    flags: [...flagsOf(assessment), ...c.flags],
    confidence: verdict.confidence,
    deviation,
    brainLabel: brain,
  });
  const args = { invoice_id: c.options.invoiceId, text, to_supplier: false };
  trace.push(
    entryFromGuard(
      'add_comment',
      args,
      await c.runtime.guard.call(c.identity, 'add_comment', args, { scope: c.scope }),
    ),
  );
}

/** How the dossier words the verdict's outcome. */
const OUTCOME_TEXT: Partial<Record<Verdict['outcome'], string>> = {
  executed: 'done',
  proposed: 'proposed — waiting for an approver',
  shadow: 'shadow — recorded, not written to Coupa',
};

function brainLabel(brain: 'planner' | 'llm', model: string | null, fellBack: boolean): string {
  return brain === 'llm' ? `Settle agent (${model}${fellBack ? ', planner fallback' : ''})` : 'Settle playbook planner';
}
