/**
 * What a person decides on the review page, carried out through the same guard as every other
 * caller: approve or reject a stored proposal (`guard.decideProposal`, which executes the stored
 * write exactly once), or choose another action (`guard.call` as the person, so the mode rules
 * apply to people too). Each outcome is recorded for the queue and dashboard and, once it has
 * settled the invoice, written back to the knowledge store as a human past resolution.
 */
import type { Runtime } from '../app/runtime.js';
import type { Decision, ExceptionType } from '../domain/vocabulary.js';
import type { GuardResult } from '../guard/guard.js';
import type { Identity } from '../guard/identity.js';
import { latestSettlementOf, recordReviewDecision, settlementsByProposal } from './review-store.js';
import { toolCallFor, type ChangeRequest } from './change-request.js';
import { DECISION_OF_TOOL } from '../../tools/index.js';

export interface DecisionOutcome {
  kind: 'ok' | 'warn' | 'error';
  message: string;
}

interface Waiting {
  settlementId: number | null;
  exceptionType: ExceptionType | 'other';
  supplierId: number | null;
  supplierName: string | null;
  rootCause: string | null;
  since: Date;
}

/** What the item was waiting on: the settlement that made the proposal, else the invoice's latest. */
async function waitingFacts(
  runtime: Runtime,
  invoiceId: number,
  proposalId: string | null,
  fallbackSince: string,
): Promise<Waiting> {
  const s =
    (proposalId ? (await settlementsByProposal(runtime.db, [proposalId])).get(proposalId) : undefined) ??
    (await latestSettlementOf(runtime.db, invoiceId));
  return {
    settlementId: s?.id ?? null,
    exceptionType: (s?.verdict.exception_type ?? 'other') as ExceptionType,
    supplierId: s?.supplierId ?? null,
    supplierName: s?.supplierName ?? null,
    rootCause: s?.rootCause ?? null,
    since: new Date(s?.settledAt ?? fallbackSince),
  };
}

/** Write the person's settled decision back as a past resolution (source human); failures are reported, not thrown. */
async function writeBack(
  runtime: Runtime,
  identity: Identity,
  invoiceId: number,
  decision: Decision,
  w: Waiting,
  what: string,
): Promise<string | undefined> {
  try {
    await runtime.knowledge.recordResolution({
      invoiceId,
      exceptionType: w.exceptionType,
      decision,
      decidedBy: identity.id,
      source: 'human',
      summary: `${what}${w.rootCause ? ` Root cause: ${w.rootCause}` : ''}`.slice(0, 4000),
      ...(w.supplierId ? { supplierId: w.supplierId } : {}),
      ...(w.supplierName ? { supplierName: w.supplierName } : {}),
      decidedAt: runtime.now().toISOString(),
    });
    return undefined;
  } catch (error) {
    return `not written to the knowledge store: ${(error as Error).message}`;
  }
}

interface Recorded {
  proposalId: string | null;
  action: 'approve' | 'reject' | 'change';
  tool: string | null;
  outcome: string;
  reason: string;
  submission?: string;
}

async function record(
  runtime: Runtime,
  identity: Identity,
  invoiceId: number,
  w: Waiting,
  d: Recorded,
): Promise<boolean> {
  return recordReviewDecision(runtime.db, {
    invoiceId,
    settlementId: w.settlementId,
    proposalId: d.proposalId,
    decidedBy: identity.id,
    action: d.action,
    tool: d.tool,
    decision: d.tool ? (DECISION_OF_TOOL.get(d.tool) ?? null) : null,
    outcome: d.outcome,
    reason: d.reason,
    submission: d.submission ?? null,
    waitingSince: w.since,
    decidedAt: runtime.now(),
  });
}

const already = (r: GuardResult): boolean =>
  r.outcome === 'denied' && /already (approved|rejected|executed|failed|decided)/.test(r.text);

/** Approve a pending proposal: the guard executes its stored write once, as this person. */
export async function approveProposal(
  runtime: Runtime,
  identity: Identity,
  proposalId: string,
  note: string,
): Promise<DecisionOutcome> {
  const proposal = await runtime.proposals.get(proposalId);
  if (!proposal) return { kind: 'error', message: `No proposal ${proposalId}.` };
  const result = await runtime.guard.decideProposal(
    identity,
    proposalId,
    'approve',
    note || 'approved on the review page',
  );
  if (already(result)) return { kind: 'warn', message: `Nothing done: ${result.text.replace(/^Denied: /, '')}.` };
  if (result.outcome === 'denied') return { kind: 'error', message: result.text };
  const invoiceId = proposal.invoiceId ?? 0;
  const w = await waitingFacts(runtime, invoiceId, proposalId, proposal.createdAt);
  await record(runtime, identity, invoiceId, w, {
    proposalId,
    action: 'approve',
    tool: proposal.tool,
    outcome: result.isError ? 'failed' : 'executed',
    reason: note,
  });
  if (result.isError) return { kind: 'error', message: `Approved, but the write failed: ${result.text}` };
  const decision = DECISION_OF_TOOL.get(proposal.tool);
  const problem =
    decision && invoiceId
      ? await writeBack(
          runtime,
          identity,
          invoiceId,
          decision,
          w,
          `${identity.id} approved the proposed ${proposal.tool} on the review page: ${result.text}${note ? ` Note: ${note}` : ''}`,
        )
      : undefined;
  return {
    kind: problem ? 'warn' : 'ok',
    message: `Approved and executed: ${result.text}${problem ? ` (${problem})` : ''}`,
  };
}

/** Reject a pending proposal with a reason; the invoice stays held, and the overruled proposal stops being precedent. */
export async function rejectProposal(
  runtime: Runtime,
  identity: Identity,
  proposalId: string,
  reason: string,
): Promise<DecisionOutcome> {
  const proposal = await runtime.proposals.get(proposalId);
  if (!proposal) return { kind: 'error', message: `No proposal ${proposalId}.` };
  const result = await runtime.guard.decideProposal(identity, proposalId, 'reject', reason);
  if (already(result)) return { kind: 'warn', message: `Nothing done: ${result.text.replace(/^Denied: /, '')}.` };
  if (result.isError) return { kind: 'error', message: result.text };
  const invoiceId = proposal.invoiceId ?? 0;
  const w = await waitingFacts(runtime, invoiceId, proposalId, proposal.createdAt);
  await record(runtime, identity, invoiceId, w, {
    proposalId,
    action: 'reject',
    tool: proposal.tool,
    outcome: 'rejected',
    reason,
  });
  const problem =
    invoiceId && DECISION_OF_TOOL.has(proposal.tool)
      ? await writeBack(
          runtime,
          identity,
          invoiceId,
          'hold',
          w,
          `${identity.id} rejected the proposed ${proposal.tool}; the invoice stays held. Reason: ${reason}`,
        )
      : undefined;
  return {
    kind: problem ? 'warn' : 'ok',
    message: `Proposal rejected; the invoice stays held.${problem ? ` (${problem})` : ''}`,
  };
}

/**
 * Carry out another action than the one waiting, as this person; a pending proposal it replaces is
 * rejected. The submission id makes a double submit harmless: the guard replays the write by its
 * idempotency key, and the bookkeeping below runs once.
 */
export async function changeAction(
  runtime: Runtime,
  identity: Identity,
  change: ChangeRequest,
): Promise<DecisionOutcome> {
  const call = toolCallFor(change);
  const result = await runtime.guard.call(identity, call.tool, call.args, { systemKey: call.key });
  if (result.isError) return { kind: 'error', message: `${call.tool} was not carried out. ${result.text}` };
  const w = await waitingFacts(runtime, change.invoice_id, change.proposal_id ?? null, runtime.now().toISOString());
  const first = await record(runtime, identity, change.invoice_id, w, {
    proposalId: change.proposal_id ?? null,
    action: 'change',
    tool: call.tool,
    outcome: result.outcome,
    reason: change.note,
    submission: change.submission,
  });
  if (!first)
    return {
      kind: 'warn',
      message: `Already received (this form was submitted before); nothing was done twice. ${result.text}`,
    };
  const replaced = change.proposal_id
    ? await runtime.guard.decideProposal(
        identity,
        change.proposal_id,
        'reject',
        `replaced by ${call.tool} on the review page: ${change.note}`,
      )
    : undefined;
  const replacedNote = replaced
    ? replaced.isError
      ? ` The earlier proposal was not rejected: ${replaced.text}`
      : ' The earlier proposal was rejected.'
    : '';
  if (result.outcome === 'proposed') {
    // Assisted mode: a person's state change waits for a second approver, exactly like the agent's.
    return {
      kind: 'warn',
      message: `Not executed yet: in ${await runtime.mode.get()} mode a state change needs a second approver. Your ${call.tool} is stored as proposal ${result.proposalId}; another approver must approve it.${replacedNote}`,
    };
  }
  const problem = await writeBack(
    runtime,
    identity,
    change.invoice_id,
    change.decision,
    w,
    `${identity.id} chose ${change.decision} on the review page: ${result.text} Note: ${change.note}`,
  );
  return {
    kind: problem ? 'warn' : 'ok',
    message: `Done: ${result.text}${replacedNote}${problem ? ` (${problem})` : ''}`,
  };
}
