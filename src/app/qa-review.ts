/**
 * A person's QA verdict on an autonomous settlement. Agreement counts for the slice; a
 * disagreement also becomes a correction in the resolution memory (the next case of the pattern
 * follows the reviewer) and, where the invoice can still be changed, a corrective proposal for an
 * approver. Every verdict is audited under the reviewer's name and re-runs the demotion check.
 */
import { z } from 'zod';
import { CHANGEABLE_STATUSES } from '../coupa/invoice-statuses.js';
import { Decision } from '../domain/vocabulary.js';
import type { Identity } from '../guard/identity.js';
import { createQaStore, type QaSample } from '../shadow/qa-store.js';
import { runDemotionCheck } from './autonomy-check.js';
import type { Runtime } from './runtime.js';

export const QaVerdictInput = z.object({
  verdict: z.enum(['agree', 'disagree']),
  reason: z.string().trim().min(3, 'give a reason of at least 3 characters').max(2_000),
  correct_decision: Decision.optional(),
  route_to: z.string().trim().min(1).max(100).optional(),
});
export type QaVerdictInput = z.infer<typeof QaVerdictInput>;

async function correctiveProposal(
  runtime: Runtime,
  sample: QaSample,
  input: QaVerdictInput,
  reviewer: string,
): Promise<string | undefined> {
  const invoice = await runtime.records.invoice(sample.invoiceId, { fresh: true }).catch(() => null);
  if (!invoice || !CHANGEABLE_STATUSES.has(String(invoice.status))) return undefined;
  const why = `QA review by ${reviewer}: ${input.reason}`.slice(0, 1_900);
  const call =
    input.correct_decision === 'dispute'
      ? {
          tool: 'dispute_invoice',
          input: {
            invoice_id: sample.invoiceId,
            reason_code: 'OTHER',
            supplier_message:
              'Our review found a problem with this invoice; please contact accounts payable before resubmitting.',
          },
        }
      : {
          tool: 'route_to_approver',
          input: {
            invoice_id: sample.invoiceId,
            approver_login: input.route_to ?? runtime.controls.ap_reviewer,
            reason: why,
          },
        };
  const proposal = await runtime.proposals.create({
    ...call,
    invoiceId: sample.invoiceId,
    invoiceTotal: invoice.grossTotal ?? invoice.totalWithTaxes ?? undefined,
    proposer: 'settle-qa',
    proposerKind: 'system',
    reason: why,
    evidence: [`QA sample ${sample.id}: agent decided ${sample.decision} (${sample.drawnBecause})`],
  });
  return proposal.id;
}

export async function submitQaVerdict(
  runtime: Runtime,
  identity: Identity,
  sampleId: number,
  input: QaVerdictInput,
): Promise<{ ok: boolean; message: string }> {
  const qa = createQaStore(runtime.db);
  const sample = await qa.review(sampleId, {
    by: identity.id,
    verdict: input.verdict,
    comment: input.reason,
    ...(input.correct_decision ? { correctDecision: input.correct_decision } : {}),
    ...(input.route_to ? { correctRouteTo: input.route_to } : {}),
    at: runtime.now(),
  });
  if (!sample) return { ok: false, message: `QA sample ${sampleId} is unknown or already reviewed.` };
  let proposalId: string | undefined;
  if (input.verdict === 'disagree') {
    const decision = input.correct_decision ?? 'route';
    await runtime.knowledge.recordResolution({
      invoiceId: sample.invoiceId,
      exceptionType: sample.exceptionType as never,
      decision,
      decidedBy: identity.id,
      source: 'human',
      summary: `QA review: ${identity.id} disagreed with Settle's ${sample.decision} — ${input.reason}`,
      ...(sample.supplierId ? { supplierId: sample.supplierId } : {}),
      ...(sample.supplierName ? { supplierName: sample.supplierName } : {}),
      decidedAt: runtime.now().toISOString(),
      correction: { agentDecision: sample.decision as never, ...(input.route_to ? { routeTo: input.route_to } : {}) },
    });
    proposalId = await correctiveProposal(runtime, sample, input, identity.id);
    if (proposalId) await qa.setCorrectiveProposal(sample.id, proposalId);
  }
  await runtime.audit.record({
    actor: identity.id,
    actorKind: 'person',
    tool: 'qa_review',
    input: { sample: sampleId, ...input },
    decision: 'executed',
    reason: `${input.verdict}: ${input.reason}`,
    coupaCalls: 0,
    resultSummary: proposalId ? `corrective proposal ${proposalId}` : input.verdict,
    idempotencyKey: null,
    invoiceId: sample.invoiceId,
  });
  const demoted = await runDemotionCheck({ db: runtime.db, controls: runtime.controls, now: runtime.now() });
  const note = demoted.length ? ` ${demoted.length} slice(s) demoted to assisted.` : '';
  return {
    ok: true,
    message: `QA verdict recorded (${input.verdict}).${proposalId ? ` Corrective proposal ${proposalId} waits for an approver.` : ''}${note}`,
  };
}
