/**
 * Labelled outcomes for calibration from what people decided: shadow cases whose person's
 * decision is known, and reviewed QA samples. Each carries the agent's raw confidence at the time,
 * whether the person agreed, and whether the agent's decision released the invoice.
 */
import type { ConfidenceLabel } from '../domain/calibration.js';
import type { Queryable } from '../db/transaction.js';

export async function shadowLabels(db: Queryable): Promise<ConfidenceLabel[]> {
  const { rows } = await db.query<{
    id: string;
    exception_type: string;
    agent_confidence: number;
    agreed: boolean;
    agent_decision: string;
    amount: string | null;
  }>(
    `select id, exception_type, agent_confidence, agreed, agent_decision, amount from shadow_cases
      where agreed is not null and agent_confidence is not null order by id`,
  );
  return rows.map((r) => ({
    id: `shadow:${r.id}`,
    source: 'shadow',
    exceptionType: r.exception_type,
    raw: clamp(r.agent_confidence),
    correct: r.agreed,
    released: r.agent_decision === 'resolve',
    amount: decimalOrNull(r.amount),
  }));
}

export async function qaLabels(db: Queryable): Promise<ConfidenceLabel[]> {
  const { rows } = await db.query<{
    id: string;
    exception_type: string;
    confidence: number;
    verdict: string;
    decision: string;
    amount: string | null;
  }>(
    `select id, exception_type, confidence, verdict, decision, amount from qa_samples
      where verdict is not null and confidence is not null order by id`,
  );
  return rows.map((r) => ({
    id: `qa:${r.id}`,
    source: 'qa',
    exceptionType: r.exception_type,
    raw: clamp(r.confidence),
    correct: r.verdict === 'agree',
    released: r.decision === 'resolve',
    amount: decimalOrNull(r.amount),
  }));
}

const clamp = (x: number): number => Math.max(0, Math.min(1, Number(x)));

/** Amounts are stored as text; anything that is not a plain decimal counts as unknown. */
export const decimalOrNull = (a: string | null | undefined): string | null =>
  a && /^-?\d+(\.\d+)?$/.test(a.trim()) ? a.trim() : null;
