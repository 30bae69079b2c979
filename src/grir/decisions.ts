/**
 * A person's decision on a GR/IR proposal, with its consequences: the approval recorded, and once
 * the proposal is fully approved the PO in Coupa carries an internal comment saying what was
 * cleared and by whom. Every decision — refused ones too — lands in the audit log.
 */
import type { AuditLog } from '../audit/index.js';
import type { CoupaClient } from '../coupa/index.js';
import { describeError } from '../errors.js';
import type { Identity } from '../guard/identity.js';
import { GrirApprovalError, type GrirProposal, type GrirProposalStore } from './proposals.js';

export interface DecisionDeps {
  proposals: GrirProposalStore;
  audit: AuditLog;
  coupa: CoupaClient;
  /** The PO id of a PO line, from the stored book. */
  poOfLine(poLineId: number): Promise<{ poId: number; poNumber: string } | null>;
  now(): Date;
}

export interface DecisionResult {
  ok: boolean;
  message: string;
  proposal?: GrirProposal;
}

/** Names the proposal in its PO comment, so a repeated post can see the comment is already there. */
export const poCommentMarker = (p: Pick<GrirProposal, 'id'>): string => `[Settle GR/IR proposal ${p.id}]`;

function poComment(p: GrirProposal, poNumber: string): string {
  const who = p.approvals.map((a) => a.by).join(' and ');
  return `GR/IR ${p.action.kind.replace(/_/g, ' ')} approved by ${who} (proposed by ${p.proposedBy}): ${p.amount} ${p.currency} on PO ${poNumber}. ${p.action.reason} Journal ${p.journal?.id ?? '—'} exported for the ERP. ${poCommentMarker(p)}`;
}

/**
 * The approved proposal's comment on its PO, posted at most once: a comment carrying the
 * proposal's marker already on the PO (an earlier attempt whose answer was lost, or a retry of
 * the whole step) is taken as done. The client itself reconciles a POST of unknown outcome.
 */
export async function ensurePoComment(
  coupa: CoupaClient,
  proposal: GrirProposal,
  po: { poId: number; poNumber: string },
): Promise<'posted' | 'already there'> {
  const marker = poCommentMarker(proposal);
  for await (const c of coupa.listCommentsOn('OrderHeader', [po.poId]))
    if (typeof c.comments === 'string' && c.comments.includes(marker)) return 'already there';
  await coupa.addPurchaseOrderComment(po.poId, poComment(proposal, po.poNumber));
  return 'posted';
}

export async function decideGrirProposal(
  deps: DecisionDeps,
  person: Identity,
  id: number,
  decision: 'approve' | 'reject',
  note?: string,
): Promise<DecisionResult> {
  const audit = (outcome: 'executed' | 'denied' | 'error', reason: string, summary: string): Promise<void> =>
    deps.audit.record({
      actor: person.id,
      actorKind: person.kind,
      tool: `grir_${decision}`,
      input: { proposal_id: id, ...(note ? { note } : {}) },
      decision: outcome,
      reason,
      coupaCalls: 0,
      resultSummary: summary,
      idempotencyKey: null,
      invoiceId: null,
    });
  let proposal: GrirProposal;
  try {
    proposal =
      decision === 'approve'
        ? await deps.proposals.approve(id, person, deps.now(), note)
        : await deps.proposals.reject(id, person, deps.now(), note ?? 'rejected');
  } catch (error) {
    if (!(error instanceof GrirApprovalError)) throw error;
    await audit('denied', error.message, 'refused');
    return { ok: false, message: error.message };
  }
  let message =
    decision === 'reject'
      ? `Proposal ${id} rejected.`
      : proposal.status === 'approved'
        ? `Proposal ${id} approved.`
        : `Approval recorded; proposal ${id} needs ${proposal.approvalsNeeded - proposal.approvals.length} more accountant.`;
  if (proposal.status === 'approved' && proposal.poLineId !== null) {
    const po = await deps.poOfLine(proposal.poLineId);
    if (po) {
      try {
        const done = await ensurePoComment(deps.coupa, proposal, po);
        message +=
          done === 'posted'
            ? ` Comment added to PO ${po.poNumber} in Coupa.`
            : ` PO ${po.poNumber} already carries its comment.`;
      } catch (error) {
        // The approval stands (it is Settle's record); the comment can be added by hand.
        message += ` The comment on PO ${po.poNumber} could not be added (${describeError(error)}).`;
      }
    }
  }
  if (proposal.status === 'approved' && proposal.kind === 'adjustment' && proposal.invoiceId !== null) {
    // The credit-note request is built from numbers and the invoice number only: no internal or other-supplier text.
    try {
      await deps.coupa.addComment(proposal.invoiceId, { text: proposal.action.reason, toSupplier: true });
      message += ` Credit-note request sent to the supplier on invoice ${proposal.invoiceId}.`;
    } catch (error) {
      message += ` The credit-note request could not be sent (${describeError(error)}).`;
    }
  }
  await audit(
    'executed',
    decision === 'approve' ? `approval ${proposal.approvals.length}/${proposal.approvalsNeeded}` : 'rejected',
    message,
  );
  return { ok: true, message, proposal };
}
