/**
 * What the review page reads and writes in its own tables: the settlement log (one row per settle
 * run, the verdict as jsonb) and the decisions people take on the page (migration 050).
 */
import { z } from 'zod';
import { Verdict } from '../agent/verdict.js';
import type { Db } from '../db/connection.js';
import { latestPerInvoiceSql, latestSettlementRow } from '../runner/settlement-log.js';

/** A verdict as stored: validated field by field, so an older or partial row still shows what it has. */
export const StoredVerdict = Verdict.partial();
export type StoredVerdict = z.infer<typeof StoredVerdict>;

export interface SettlementRow {
  id: number;
  invoiceId: number;
  supplierId: number | null;
  supplierName: string | null;
  exceptionType: string;
  decision: string;
  executed: boolean;
  rootCause: string | null;
  routeTo: string | null;
  settledAt: string;
  verdict: StoredVerdict;
}

interface DbSettlement {
  id: string;
  invoice_id: string;
  supplier_id: string | null;
  supplier_name: string | null;
  exception_type: string;
  decision: string;
  executed: boolean;
  root_cause: string | null;
  route_to: string | null;
  settled_at: Date | string;
  verdict: unknown;
}

function fromDb(r: DbSettlement): SettlementRow {
  return {
    id: Number(r.id),
    invoiceId: Number(r.invoice_id),
    supplierId: r.supplier_id === null ? null : Number(r.supplier_id),
    supplierName: r.supplier_name,
    exceptionType: r.exception_type,
    decision: r.decision,
    executed: r.executed,
    rootCause: r.root_cause,
    routeTo: r.route_to,
    settledAt: new Date(r.settled_at).toISOString(),
    verdict: StoredVerdict.safeParse(r.verdict).data ?? {},
  };
}

/** The latest settlement of every invoice, each not yet decided on the review page. */
export async function undecidedLatestSettlements(db: Db): Promise<SettlementRow[]> {
  const { rows } = await db.query<DbSettlement>(
    `select * from (${latestPerInvoiceSql()}) s
     where not exists (select 1 from review_decisions d where d.settlement_id = s.id)
     order by s.settled_at asc, s.id asc`,
  );
  return rows.map(fromDb);
}

/** The latest settlement of one invoice. */
export async function latestSettlementOf(db: Db, invoiceId: number): Promise<SettlementRow | undefined> {
  const row = await latestSettlementRow<DbSettlement>(db, invoiceId);
  return row ? fromDb(row) : undefined;
}

/** The settlement run that made each of these proposals, by proposal id. */
export async function settlementsByProposal(
  db: Db,
  proposalIds: readonly string[],
): Promise<Map<string, SettlementRow>> {
  if (proposalIds.length === 0) return new Map();
  const { rows } = await db.query<DbSettlement>(
    `select * from settlements where verdict -> 'proposal_ids' ?| $1::text[]`,
    [proposalIds],
  );
  const out = new Map<string, SettlementRow>();
  for (const row of rows.map(fromDb)) for (const id of row.verdict.proposal_ids ?? []) out.set(id, row);
  return out;
}

export interface ReviewDecision {
  invoiceId: number;
  settlementId: number | null;
  proposalId: string | null;
  decidedBy: string;
  action: 'approve' | 'reject' | 'change';
  tool: string | null;
  decision: string | null;
  outcome: string;
  reason: string;
  /** The form submission id, when the action came from a form that may be submitted twice. */
  submission?: string | null;
  waitingSince: Date;
  decidedAt: Date;
}

/**
 * Record what a person decided; it takes the item off the queue and feeds the dashboard.
 * Returns false when this submission was recorded before (a double submit).
 */
export async function recordReviewDecision(db: Db, d: ReviewDecision): Promise<boolean> {
  const { rowCount } = await db.query(
    `insert into review_decisions (invoice_id, settlement_id, proposal_id, decided_by, action, tool, decision, outcome, reason, submission, waiting_since, decided_at)
     values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12) on conflict (submission) do nothing`,
    [
      d.invoiceId,
      d.settlementId,
      d.proposalId,
      d.decidedBy,
      d.action,
      d.tool,
      d.decision,
      d.outcome,
      d.reason.slice(0, 2000),
      d.submission ?? null,
      d.waitingSince,
      d.decidedAt,
    ],
  );
  return (rowCount ?? 0) > 0;
}

/** Decisions people took on one invoice, newest first. */
export async function reviewDecisionsOf(
  db: Db,
  invoiceId: number,
): Promise<Array<Omit<ReviewDecision, 'waitingSince'>>> {
  const { rows } = await db.query<{
    invoice_id: string;
    settlement_id: string | null;
    proposal_id: string | null;
    decided_by: string;
    action: ReviewDecision['action'];
    tool: string | null;
    decision: string | null;
    outcome: string;
    reason: string;
    decided_at: Date | string;
  }>(
    'select invoice_id, settlement_id, proposal_id, decided_by, action, tool, decision, outcome, reason, decided_at from review_decisions where invoice_id = $1 order by decided_at desc, id desc',
    [invoiceId],
  );
  return rows.map((r) => ({
    invoiceId: Number(r.invoice_id),
    settlementId: r.settlement_id === null ? null : Number(r.settlement_id),
    proposalId: r.proposal_id,
    decidedBy: r.decided_by,
    action: r.action,
    tool: r.tool,
    decision: r.decision,
    outcome: r.outcome,
    reason: r.reason,
    decidedAt: new Date(r.decided_at),
  }));
}
