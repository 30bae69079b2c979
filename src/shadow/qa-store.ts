/**
 * QA after autonomy: every settlement the agent carried out enters a draw — a share at random,
 * everything above a value, and the first N under a newly promoted rule. A person reviews what is
 * drawn (agree / disagree with a reason); their verdicts are the slice's agreement after promotion.
 */
import { createHash } from 'node:crypto';
import { Decimal } from 'decimal.js';
import type { Queryable } from '../db/transaction.js';
import type { LabelledOutcome } from './demotion.js';

export interface QaPolicy {
  /** Share drawn at random (0–1). */
  share: number;
  /** Every settlement with an invoice total at or above this is drawn. */
  aboveValue: string;
  /** The first N settlements under a rule a person promoted are drawn. */
  firstAfterPromotion: number;
}

export const DEFAULT_QA: QaPolicy = { share: 0.05, aboveValue: '10000.00', firstAfterPromotion: 20 };

export interface QaCandidate {
  settlementId: number;
  tenant: string;
  invoiceId: number;
  exceptionType: string;
  supplierId: number | null;
  supplierName: string | null;
  amount: string | null;
  decision: string;
  confidence: number | null;
  autonomyRule: string | null;
  settledAt: Date;
}

export interface QaSample extends QaCandidate {
  id: number;
  drawnBecause: string;
  reviewedBy: string | null;
  reviewedAt: Date | null;
  verdict: 'agree' | 'disagree' | null;
  comment: string | null;
  correctDecision: string | null;
  correctRouteTo: string | null;
  correctiveProposalId: string | null;
}

/** A uniform draw in [0, 1) fixed by the settlement: the same settlement is always in or out. */
export function drawValue(c: Pick<QaCandidate, 'tenant' | 'settlementId' | 'invoiceId'>): number {
  const h = createHash('sha256').update(`${c.tenant}:${c.settlementId}:${c.invoiceId}`).digest();
  return h.readUIntBE(0, 6) / 2 ** 48;
}

/** Why a settlement is drawn, or null. `promotedSoFar` counts settlements already under its promoted rule. */
export function drawReason(c: QaCandidate, policy: QaPolicy, promotedSoFar: number | null): string | null {
  if (c.autonomyRule && promotedSoFar !== null && promotedSoFar < policy.firstAfterPromotion)
    return `newly promoted slice (${promotedSoFar + 1} of the first ${policy.firstAfterPromotion})`;
  try {
    if (c.amount !== null && new Decimal(c.amount).greaterThanOrEqualTo(policy.aboveValue))
      return `invoice total at or above ${policy.aboveValue}`;
  } catch {
    /* an unreadable amount is judged by the random draw */
  }
  return drawValue(c) < policy.share ? `random ${Math.round(policy.share * 1000) / 10}% sample` : null;
}

interface Row {
  id: string;
  settlement_id: string;
  tenant: string | null;
  invoice_id: string;
  exception_type: string;
  supplier_id: string | null;
  supplier_name: string | null;
  amount: string | null;
  decision: string;
  confidence: number | null;
  autonomy_rule: string | null;
  drawn_because: string;
  sampled_at: Date;
  reviewed_by: string | null;
  reviewed_at: Date | null;
  verdict: 'agree' | 'disagree' | null;
  comment: string | null;
  correct_decision: string | null;
  correct_route_to: string | null;
  corrective_proposal_id: string | null;
}

function fromRow(r: Row): QaSample {
  return {
    id: Number(r.id),
    settlementId: Number(r.settlement_id),
    tenant: r.tenant ?? '',
    invoiceId: Number(r.invoice_id),
    exceptionType: r.exception_type,
    supplierId: r.supplier_id === null ? null : Number(r.supplier_id),
    supplierName: r.supplier_name,
    amount: r.amount,
    decision: r.decision,
    confidence: r.confidence,
    autonomyRule: r.autonomy_rule,
    settledAt: new Date(r.sampled_at),
    drawnBecause: r.drawn_because,
    reviewedBy: r.reviewed_by,
    reviewedAt: r.reviewed_at ? new Date(r.reviewed_at) : null,
    verdict: r.verdict,
    comment: r.comment,
    correctDecision: r.correct_decision,
    correctRouteTo: r.correct_route_to,
    correctiveProposalId: r.corrective_proposal_id,
  };
}

export interface QaStore {
  /** Enter one settlement into the draw; returns the sample when drawn. */
  consider(c: QaCandidate, policy?: QaPolicy): Promise<QaSample | undefined>;
  pending(limit?: number): Promise<QaSample[]>;
  get(id: number): Promise<QaSample | undefined>;
  /** Record a person's verdict once; undefined when already reviewed or unknown. */
  review(
    id: number,
    v: {
      by: string;
      verdict: 'agree' | 'disagree';
      comment: string;
      correctDecision?: string;
      correctRouteTo?: string;
      at: Date;
    },
  ): Promise<QaSample | undefined>;
  setCorrectiveProposal(id: number, proposalId: string): Promise<void>;
  list(options?: { since?: Date }): Promise<QaSample[]>;
}

export function createQaStore(db: Queryable): QaStore {
  return {
    async consider(c, policy = DEFAULT_QA) {
      let promotedSoFar: number | null = null;
      if (c.autonomyRule && /\(promoted by /.test(c.autonomyRule)) {
        const { rows } = await db.query<{ n: number }>(
          `select count(*)::int as n from qa_samples where autonomy_rule = $1 and drawn_because like 'newly promoted%'`,
          [c.autonomyRule],
        );
        promotedSoFar = Number(rows[0]?.n ?? 0);
      }
      const because = drawReason(c, policy, promotedSoFar);
      if (!because) return undefined;
      const { rows } = await db.query<Row>(
        `insert into qa_samples (settlement_id, tenant, invoice_id, exception_type, supplier_id, supplier_name, amount, decision, confidence, autonomy_rule, drawn_because, sampled_at)
         values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12) on conflict (settlement_id) do nothing returning *`,
        [
          c.settlementId,
          c.tenant,
          c.invoiceId,
          c.exceptionType,
          c.supplierId,
          c.supplierName,
          c.amount,
          c.decision,
          c.confidence,
          c.autonomyRule,
          because,
          c.settledAt,
        ],
      );
      return rows[0] ? fromRow(rows[0]) : undefined;
    },
    async pending(limit = 100) {
      const { rows } = await db.query<Row>(
        'select * from qa_samples where reviewed_at is null order by sampled_at, id limit $1',
        [limit],
      );
      return rows.map(fromRow);
    },
    async get(id) {
      const { rows } = await db.query<Row>('select * from qa_samples where id = $1', [id]);
      return rows[0] ? fromRow(rows[0]) : undefined;
    },
    async review(id, v) {
      const { rows } = await db.query<Row>(
        `update qa_samples set reviewed_by = $2, reviewed_at = $3, verdict = $4, comment = $5, correct_decision = $6, correct_route_to = $7
         where id = $1 and reviewed_at is null returning *`,
        [id, v.by, v.at, v.verdict, v.comment, v.correctDecision ?? null, v.correctRouteTo ?? null],
      );
      return rows[0] ? fromRow(rows[0]) : undefined;
    },
    async setCorrectiveProposal(id, proposalId) {
      await db.query('update qa_samples set corrective_proposal_id = $2 where id = $1', [id, proposalId]);
    },
    async list(options = {}) {
      const { rows } = await db.query<Row>(
        'select * from qa_samples where ($1::timestamptz is null or sampled_at >= $1) order by sampled_at, id',
        [options.since ?? null],
      );
      return rows.map(fromRow);
    },
  };
}

/** Reviewed QA samples as labelled outcomes for the demotion check. */
export async function qaOutcomes(db: Queryable, since: Date): Promise<LabelledOutcome[]> {
  const reviewed = (await createQaStore(db).list()).filter((s) => s.reviewedAt && s.reviewedAt >= since && s.verdict);
  return reviewed.map((s) => ({
    at: s.reviewedAt!,
    source: 'qa',
    invoiceId: s.invoiceId,
    exceptionType: s.exceptionType,
    supplierId: s.supplierId,
    supplierNumber: null,
    amount: s.amount,
    agreed: s.verdict === 'agree',
    falseRelease: s.verdict === 'disagree' && s.decision === 'resolve' && (s.correctDecision ?? 'route') !== 'resolve',
  }));
}
