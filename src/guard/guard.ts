/**
 * The guard: the one enforcement point every tool call passes, from Claude Desktop, any MCP
 * client, the review page and Settle's own agent alike. Order for every call, each stage a named
 * function (the call-only checks in ./call-stages.ts):
 *   1 schema (unknown fields rejected) → 2 caller's scopes → 3 mode → 2b case scope → 2c supplier text
 *   → 2d approval binding → 4 controls → 5 idempotency and execution,
 * and every outcome — allowed, denied, proposed, failed — lands in the audit log.
 */
import type { Mode } from '../domain/controls.js';
import { describeError } from '../errors.js';
import { createCoupaCallCounter, type CallTally, type CoupaCallCounter } from './call-counter.js';
import {
  approvalBindingRefusal,
  caseScopeRefusal,
  invoiceTotalOf,
  parseCall,
  supplierTextRefusal,
  type PreparedCall,
} from './call-stages.js';
import { hashOf } from './canonical.js';
import type { ToolContext, ToolServices } from './context.js';
import type { Identity, Scope } from './identity.js';
import type { IdempotencyStore } from './idempotency.js';
import type { Proposal, ProposalStore } from './proposals.js';
import { isCoupaWriteClass, isWriteClass, type ControlCheck, type GuardClass, type ToolDefinition } from './tool.js';
import { randomBytes } from 'node:crypto';
import type { AutonomyResolver } from './autonomy.js';
import type { CaseScope } from './scope.js';
import type { SupplierTextPolicy } from './supplier-text.js';
import { toToolMessage } from './tool-message.js';

export { IdempotencyKey } from './call-stages.js';

export type GuardOutcome = 'executed' | 'replayed' | 'proposed' | 'shadow' | 'denied' | 'error';

export interface GuardResult {
  outcome: GuardOutcome;
  isError: boolean;
  text: string;
  structured?: Record<string, unknown>;
  proposalId?: string;
  coupaCalls: number;
}

/** What the guard writes for every call; the audit module persists it hash-chained. */
export interface AuditEntry {
  actor: string;
  actorKind: string;
  tool: string;
  input: unknown;
  decision: 'allowed' | 'denied' | 'proposed' | 'executed' | 'shadow' | 'error';
  reason: string;
  coupaCalls: number;
  resultSummary: string;
  idempotencyKey: string | null;
  invoiceId: number | null;
}

export interface AuditSink {
  record(entry: AuditEntry): Promise<void>;
}

export interface GuardDeps {
  tools: readonly ToolDefinition[];
  /** What tool handlers use; the guard builds each call's context from it (the caller, the mode, decideProposal). */
  services: ToolServices;
  /** The counter the Coupa client reports its calls to (default: a counter nothing reports to). */
  coupaCalls?: CoupaCallCounter;
  audit: AuditSink;
  proposals: ProposalStore;
  idempotency: IdempotencyStore;
  /** Current mode (a person may switch it at runtime). */
  mode: () => Promise<Mode>;
  /** A read-only deployment lists and runs no write tools, on every transport. */
  readOnly?: boolean;
  /** Which Coupa tenant writes go to: derived idempotency keys never match across tenants. */
  tenant: string;
  /** Earned autonomy: the mode for a write on one invoice's slice (default: the global mode). */
  autonomy?: AutonomyResolver;
  /** Where failed calls are logged (pino or anything with its `warn`/`error` shape); default: nowhere. */
  logger?: GuardLogger;
  /** What a supplier-visible message on this invoice is checked against (other suppliers, bank numbers, internal text, URL allow-list). */
  supplierTextPolicy?: (invoiceId: number | null, ctx: ToolContext) => Promise<SupplierTextPolicy>;
}

export interface GuardLogger {
  warn(details: Record<string, unknown>, message: string): void;
  error(details: Record<string, unknown>, message: string): void;
}

export interface CallOptions {
  /** Execute as a person's approval of this stored proposal. */
  asApprovalOf?: Proposal;
  /** An agent session bound to one case: implied arguments filled in, everything outside it denied. */
  scope?: CaseScope;
  /** An idempotency key in a reserved namespace (reserved-keys.ts), minted by Settle itself. */
  systemKey?: string;
}

export interface Guard {
  /** Tools this identity may see (read-only deployments and missing scopes hide write tools; a case session sees no review tools). */
  listTools(identity: Identity, scope?: CaseScope): ToolDefinition[];
  call(identity: Identity, toolName: string, args: unknown, options?: CallOptions): Promise<GuardResult>;
  /** Approve (execute exactly once) or reject a stored proposal. */
  decideProposal(
    identity: Identity,
    proposalId: string,
    decision: 'approve' | 'reject',
    reason: string,
  ): Promise<GuardResult>;
  /** The context a tool call by `identity` runs with (also for reads outside a tool call, e.g. the review page). */
  contextFor(identity: Identity): Promise<ToolContext>;
}

const CLASS_SCOPE: Record<GuardClass, Scope> = {
  read: 'invoices:read',
  analysis: 'invoices:read',
  comment: 'invoices:comment',
  state: 'invoices:write',
  memory: 'invoices:write',
  review: 'proposals:decide',
};

function requiredScope(tool: ToolDefinition): Scope {
  return tool.requiredScope ?? CLASS_SCOPE[tool.guardClass];
}

/**
 * Whether `identity` sees `tool`: read-only deployments and missing scopes hide it, and a session
 * bound to one case never sees the review tools.
 */
export function toolVisible(tool: ToolDefinition, identity: Identity, readOnly: boolean, scope?: CaseScope): boolean {
  if (readOnly && isWriteClass(tool.guardClass)) return false;
  if (scope && tool.guardClass === 'review') return false;
  return identity.scopes.has(requiredScope(tool));
}

function modeVerdict(guardClass: GuardClass, mode: Mode): 'execute' | 'propose' | 'shadow' {
  // Shadow decides as autonomous would (controls included) and then writes nothing.
  if (mode === 'shadow' && isCoupaWriteClass(guardClass)) return 'shadow';
  if (guardClass === 'comment') return mode === 'monitor' ? 'propose' : 'execute';
  if (guardClass === 'state') return mode === 'autonomous' ? 'execute' : 'propose';
  return 'execute';
}

/** The mode a call runs in and what it means for this tool: execute, propose, or record in shadow. */
interface ModeDecision {
  mode: Mode;
  /** The autonomy rule that gave the mode, or `global mode`. */
  rule: string;
  /** `mode X` or `mode X by autonomy rule R`, for audit reasons. */
  note: string;
  /** The mode came from the invoice's slice: the result names it. */
  slicing: boolean;
  /** A person's approval of a stored proposal: executes whatever the mode. */
  approved: boolean;
  verdict: 'execute' | 'propose' | 'shadow';
}

interface ProposeArgs {
  identity: Identity;
  tool: ToolDefinition;
  input: Record<string, unknown>;
  invoiceId: number | null;
  key: string;
  mode: Mode;
  rule: string;
  check: ControlCheck;
  counter: CallTally;
  ctx: ToolContext;
}

/** Names one failed call in the log and its audit row, so an operator can find one from the other. */
function newIncidentId(): string {
  return `E-${randomBytes(5).toString('hex')}`;
}

export function createGuard(deps: GuardDeps): Guard {
  const byName = new Map(deps.tools.map((t) => [t.name, t]));
  const coupaCalls = deps.coupaCalls ?? createCoupaCallCounter();

  async function contextFor(identity: Identity): Promise<ToolContext> {
    const mode = await deps.mode();
    return {
      ...deps.services,
      identity,
      controls: { ...deps.services.controls, mode },
      mode,
      decideProposal: (id, decision, reason) => decideProposal(identity, id, decision, reason),
    };
  }

  async function audit(
    identity: Identity,
    tool: string,
    input: unknown,
    e: Omit<AuditEntry, 'actor' | 'actorKind' | 'tool' | 'input'>,
  ): Promise<void> {
    // The name of an unknown tool is caller-supplied: keep it within what an audit row holds.
    const name = tool.length === 0 ? '(empty tool name)' : tool.length > 200 ? `${tool.slice(0, 199)}…` : tool;
    await deps.audit.record({ actor: identity.id, actorKind: identity.kind, tool: name, input, ...e });
  }

  async function call(
    identity: Identity,
    toolName: string,
    args: unknown,
    options: CallOptions = {},
  ): Promise<GuardResult> {
    const counter: CallTally = { calls: 0 };
    try {
      const result = await coupaCalls.run(counter, () => guardedCall(identity, toolName, args, options, counter));
      if (options.scope && !result.isError)
        options.scope.noteSupplierText(toolName, `${result.text}\n${JSON.stringify(result.structured ?? {})}`);
      return result;
    } catch (error) {
      // The audit write itself (or something before the tool ran) failed: log it, tell the caller nothing more.
      const incident = newIncidentId();
      deps.logger?.error(
        { incident, tool: toolName, actor: identity.id, err: error },
        'guard failed before the call could be audited',
      );
      return {
        outcome: 'error',
        isError: true,
        text: `Error: ${toToolMessage(error, incident).text}`,
        coupaCalls: counter.calls,
      };
    }
  }

  /** One call through the numbered stages; the first stage that says no ends it with a denial. */
  async function guardedCall(
    identity: Identity,
    toolName: string,
    args: unknown,
    options: CallOptions,
    counter: CallTally,
  ): Promise<GuardResult> {
    const tool = byName.get(toolName);
    const deny = async (
      reason: string,
      hint: string,
      invoiceId: number | null = null,
      key: string | null = null,
    ): Promise<GuardResult> => {
      await audit(identity, toolName, args, {
        decision: 'denied',
        reason,
        coupaCalls: counter.calls,
        resultSummary: hint,
        idempotencyKey: key,
        invoiceId,
      });
      return { outcome: 'denied', isError: true, text: `Denied: ${reason}. ${hint}`.trim(), coupaCalls: counter.calls };
    };
    if (!tool || (deps.readOnly && isWriteClass(tool.guardClass))) {
      return deny(`no tool named "${toolName}" is available`, 'List the tools to see what this deployment offers.');
    }

    // 1. Schema: strict, unknown fields rejected. Write tools may carry an idempotency key.
    const parsed = parseCall(tool, args, options);
    if (!parsed.ok) return deny(parsed.reason, parsed.hint);
    const { input, suppliedKey } = parsed;
    const invoiceId = tool.invoiceIdOf?.(input) ?? null;

    // 2. Scopes.
    const scope = requiredScope(tool);
    if (!identity.scopes.has(scope)) {
      return deny(
        `caller "${identity.id}" lacks the "${scope}" scope`,
        'Ask an administrator for a role that includes it.',
        invoiceId,
      );
    }

    const ctx = await contextFor(identity);
    // Derived keys are per caller: another identity's identical write is its own write, never a replay.
    // A case session's idempotency context (a re-run after a supplier's reply) is part of the derivation.
    const context = options.scope?.idempotencyContext;
    const key = isWriteClass(tool.guardClass)
      ? (suppliedKey ??
        `derived:${hashOf({ tenant: deps.tenant, caller: identity.id, tool: tool.name, input, ...(context ? { context } : {}) })}`)
      : null;
    const call: PreparedCall = { identity, tool, input, invoiceId, key, options, counter, ctx };
    try {
      // 3. Mode: the global one, or the first autonomy rule matching the invoice's slice.
      const mode = await modeFor(call);
      // 2b–2d. What no mode lifts: the case's bounds, the supplier-visible text, an approval's binding.
      const refusal =
        (await caseScopeRefusal(call)) ??
        (await supplierTextRefusal(call, deps.supplierTextPolicy)) ??
        (await approvalBindingRefusal(call));
      if (refusal) return await deny(refusal.reason, refusal.hint, refusal.invoiceId ?? invoiceId, key);

      // 4. Controls, re-derived from Coupa by the tool itself — never taken from the caller.
      let check: ControlCheck = { ok: true };
      if (tool.checkControls && !(mode.approved && identity.kind === 'person'))
        check = await tool.checkControls(input, ctx);
      if (mode.verdict === 'propose')
        return await propose({
          identity,
          tool,
          input,
          invoiceId,
          key: key!,
          mode: mode.mode,
          rule: mode.rule,
          check,
          counter,
          ctx,
        });
      if (!check.ok) {
        return await deny(
          `control "${check.control}" exceeded: ${check.reason}${mode.rule === 'global mode' ? '' : ` (${mode.note})`}`,
          `Instead: ${check.instead}`,
          invoiceId,
          key,
        );
      }
      if (mode.verdict === 'shadow') return await recordShadow(call, mode);

      // 5. Idempotency, then execution.
      return await execute(call, mode);
    } catch (error) {
      return await failed(call, error);
    }
  }

  /**
   * Stage 3: the global mode, or the first autonomy rule matching the invoice's slice (re-read from
   * Coupa). A person's approval of a stored proposal is the human decision a mode waits for.
   */
  async function modeFor(call: PreparedCall): Promise<ModeDecision> {
    const approved = call.options.asApprovalOf !== undefined;
    const globalMode = await deps.mode();
    const slicing = deps.autonomy !== undefined && isCoupaWriteClass(call.tool.guardClass) && !approved;
    const { mode, rule } = slicing
      ? await deps.autonomy!(call.ctx, call.invoiceId, globalMode)
      : { mode: globalMode, rule: 'global mode' };
    const note = rule === 'global mode' ? `mode ${mode}` : `mode ${mode} by autonomy rule ${rule}`;
    const modal = modeVerdict(call.tool.guardClass, mode);
    // A tool a person always decides (alwaysPropose) is proposed wherever the mode would execute it.
    const verdict = approved ? 'execute' : call.tool.alwaysPropose && modal === 'execute' ? 'propose' : modal;
    return { mode, rule, note, slicing, approved, verdict };
  }

  /** Shadow mode: decided within the controls, audited, and nothing written or proposed. */
  async function recordShadow(
    { identity, tool, input, invoiceId, key, counter }: PreparedCall,
    mode: ModeDecision,
  ): Promise<GuardResult> {
    const detail = `Shadow mode: ${tool.name} decided within the controls and recorded; nothing was written to Coupa and nothing was proposed.`;
    await audit(identity, tool.name, input, {
      decision: 'shadow',
      reason: `${mode.note}: decided, not written`,
      coupaCalls: counter.calls,
      resultSummary: 'not written (shadow)',
      idempotencyKey: key,
      invoiceId,
    });
    return {
      outcome: 'shadow',
      isError: false,
      text: detail,
      structured: { status: 'shadow', detail, mode: mode.mode, autonomy_rule: mode.rule },
      coupaCalls: counter.calls,
    };
  }

  /** Stage 5: a write runs once per idempotency key (a repeat replays the stored result); a read just runs. */
  async function execute(call: PreparedCall, mode: ModeDecision): Promise<GuardResult> {
    const { identity, tool, input, invoiceId, key, options, counter, ctx } = call;
    if (key) {
      const { result, replayed } = await deps.idempotency.once(
        { key, tool: tool.name, inputHash: hashOf(input), caller: identity.id },
        async () => {
          const r = await tool.handler(input, ctx);
          return { data: tool.outputSchema.parse(r.data) as Record<string, unknown>, text: r.text };
        },
      );
      await audit(identity, tool.name, input, {
        decision: 'executed',
        reason: replayed
          ? 'replayed stored result for idempotency key'
          : mode.approved
            ? `approved proposal ${options.asApprovalOf!.id}`
            : `${mode.note}, within controls`,
        coupaCalls: counter.calls,
        resultSummary: result.text,
        idempotencyKey: key,
        invoiceId,
      });
      const text = replayed
        ? `${result.text} (Repeat of an earlier call with the same idempotency key: nothing new was written.)`
        : result.text;
      const structured = mode.slicing ? { ...result.data, mode: mode.mode, autonomy_rule: mode.rule } : result.data;
      return {
        outcome: replayed ? 'replayed' : 'executed',
        isError: false,
        text,
        structured,
        coupaCalls: counter.calls,
      };
    }
    const r = await tool.handler(input, ctx);
    const data = tool.outputSchema.parse(r.data) as Record<string, unknown>;
    await audit(identity, tool.name, input, {
      decision: 'allowed',
      reason: 'read',
      coupaCalls: counter.calls,
      resultSummary: r.text,
      idempotencyKey: null,
      invoiceId: r.invoiceId ?? invoiceId,
    });
    return { outcome: 'executed', isError: false, text: r.text, structured: data, coupaCalls: counter.calls };
  }

  /** The one error path: the caller gets toToolMessage's words; the log and the audit row get the incident id. */
  async function failed(
    { identity, tool, input, invoiceId, key, counter }: PreparedCall,
    error: unknown,
  ): Promise<GuardResult> {
    const incident = newIncidentId();
    const message = toToolMessage(error, incident);
    const details = { incident, kind: message.kind, tool: tool.name, actor: identity.id, invoiceId, err: error };
    if (message.internal) deps.logger?.error(details, 'tool call failed: internal error');
    else deps.logger?.warn({ ...details, err: describeError(error) }, `tool call failed: ${message.kind}`);
    await audit(identity, tool.name, input, {
      decision: 'error',
      reason: `${message.text} [${incident}]`,
      coupaCalls: counter.calls,
      resultSummary: `failed (${message.kind}, ${incident})`,
      idempotencyKey: key,
      invoiceId,
    });
    return { outcome: 'error', isError: true, text: `Error: ${message.text}`, coupaCalls: counter.calls };
  }

  async function propose(p: ProposeArgs): Promise<GuardResult> {
    const { identity, tool, input, invoiceId, key, mode, rule, check, counter } = p;
    const invoiceTotal = invoiceId === null ? undefined : await invoiceTotalOf(p.ctx, invoiceId, false);
    const byRule = rule === 'global mode' ? '' : ` (autonomy rule ${rule})`;
    const reason = `mode "${mode}"${byRule} requires a person to approve ${tool.guardClass === 'comment' ? 'comments' : 'state changes'}`;
    const evidence = [
      ...(check.evidence ?? []),
      ...(check.ok ? [] : [`control "${check.control}" exceeded: ${check.reason}`]),
    ];
    const { result: proposal } = await deps.idempotency.once(
      { key: `proposal:${key}`, tool: tool.name, inputHash: hashOf(input), caller: identity.id },
      () =>
        deps.proposals.create({
          tool: tool.name,
          input,
          invoiceId: invoiceId ?? undefined,
          invoiceTotal,
          proposer: identity.id,
          proposerKind: identity.kind,
          reason,
          evidence,
        }),
    );
    const text = `Proposed (not executed): ${reason}. Proposal ${proposal.id} waits for an approver.`;
    await audit(identity, tool.name, input, {
      decision: 'proposed',
      reason,
      coupaCalls: counter.calls,
      resultSummary: `proposal ${proposal.id}`,
      idempotencyKey: key,
      invoiceId,
    });
    return {
      outcome: 'proposed',
      isError: false,
      text,
      proposalId: proposal.id,
      coupaCalls: counter.calls,
      structured: {
        status: 'proposed',
        proposal_id: proposal.id,
        detail: text,
        ...(isCoupaWriteClass(tool.guardClass) ? { mode, autonomy_rule: rule } : {}),
      },
    };
  }

  async function decideProposal(
    identity: Identity,
    proposalId: string,
    decision: 'approve' | 'reject',
    reason: string,
  ): Promise<GuardResult> {
    // Called by the decide_proposal tool, this runs inside that tool call, whose own audit row
    // records the outcome; called directly (the review page), it writes the row itself.
    const withinToolCall = coupaCalls.current() !== undefined;
    const record = async (e: Omit<AuditEntry, 'actor' | 'actorKind' | 'tool' | 'input'>): Promise<void> => {
      if (!withinToolCall) await audit(identity, 'decide_proposal', { proposalId, decision, reason }, e);
    };
    const fail = async (why: string): Promise<GuardResult> => {
      await record({
        decision: 'denied',
        reason: why,
        coupaCalls: 0,
        resultSummary: 'not decided',
        idempotencyKey: null,
        invoiceId: null,
      });
      return { outcome: 'denied', isError: true, text: `Denied: ${why}`, coupaCalls: 0 };
    };
    if (!identity.scopes.has('proposals:decide') || identity.kind === 'agent')
      return fail(`caller "${identity.id}" may not decide proposals`);
    const proposal = await deps.proposals.get(proposalId);
    if (!proposal) return fail(`no proposal ${proposalId}`);
    if (proposal.proposer === identity.id) return fail('the identity that proposed an action cannot approve it');
    // Checked before claiming, so an approval attempted in monitor mode leaves the proposal pending.
    const globalMode = await deps.mode();
    if (decision === 'approve' && (globalMode === 'monitor' || globalMode === 'shadow')) {
      return fail(`${globalMode} mode writes nothing to Coupa; switch to assisted or autonomous to execute approvals`);
    }
    const claimed = await deps.proposals.claimDecision(
      proposalId,
      decision === 'approve' ? 'approved' : 'rejected',
      identity.id,
      reason,
    );
    // Lost the race to another approver (or decided before): report the status as it is now.
    if (!claimed)
      return fail(`proposal ${proposalId} is already ${(await deps.proposals.get(proposalId))?.status ?? 'decided'}`);
    if (decision === 'reject') {
      await record({
        decision: 'executed',
        reason: `rejected: ${reason}`,
        coupaCalls: 0,
        resultSummary: `proposal ${proposalId} rejected`,
        idempotencyKey: null,
        invoiceId: proposal.invoiceId,
      });
      return {
        outcome: 'executed',
        isError: false,
        text: `Proposal ${proposalId} rejected.`,
        structured: { status: 'rejected', proposal_id: proposalId },
        coupaCalls: 0,
      };
    }
    // Execute exactly the stored arguments, with an idempotency key bound to the proposal.
    const result = await call(identity, proposal.tool, proposal.input, {
      asApprovalOf: proposal,
      systemKey: `approval:${proposal.id}`,
    });
    await deps.proposals.finish(proposalId, result.isError ? 'failed' : 'executed', {
      outcome: result.outcome,
      text: result.text,
    });
    return result;
  }

  return {
    listTools: (identity, scope) => deps.tools.filter((t) => toolVisible(t, identity, deps.readOnly ?? false, scope)),
    call,
    decideProposal,
    contextFor,
  };
}
