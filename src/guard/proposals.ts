/**
 * Proposals: writes the guard did not execute on its own. A person with the approver role
 * approves or rejects each one; approval executes the stored write exactly once (the decision is
 * claimed with a conditional update, so two approvers clicking together cannot both execute it).
 */
import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import type { Db } from '../db/connection.js';

export const ProposalStatus = z.enum(['pending', 'approved', 'rejected', 'executed', 'failed']);
export type ProposalStatus = z.infer<typeof ProposalStatus>;

export const Proposal = z.object({
  id: z.string(),
  createdAt: z.string(),
  tool: z.string(),
  input: z.record(z.string(), z.unknown()),
  invoiceId: z.number().nullable(),
  invoiceTotal: z.string().nullable(),
  proposer: z.string(),
  proposerKind: z.string(),
  reason: z.string(),
  evidence: z.array(z.string()),
  status: ProposalStatus,
  decidedBy: z.string().nullable(),
  decidedAt: z.string().nullable(),
  decisionReason: z.string().nullable(),
  result: z.unknown().nullable(),
});
export type Proposal = z.infer<typeof Proposal>;

export interface NewProposal {
  tool: string;
  input: Record<string, unknown>;
  invoiceId?: number | undefined;
  invoiceTotal?: string | undefined;
  proposer: string;
  proposerKind: string;
  reason: string;
  evidence?: string[];
}

export interface ProposalFilter {
  status?: ProposalStatus;
  invoiceId?: number;
  limit?: number;
}

export interface ProposalStore {
  create(p: NewProposal): Promise<Proposal>;
  get(id: string): Promise<Proposal | undefined>;
  list(filter?: ProposalFilter): Promise<Proposal[]>;
  /** Atomically move pending → approved|rejected; returns undefined if it was not pending. */
  claimDecision(
    id: string,
    decision: 'approved' | 'rejected',
    decidedBy: string,
    reason: string,
  ): Promise<Proposal | undefined>;
  finish(id: string, status: 'executed' | 'failed', result: unknown): Promise<void>;
}

interface Row {
  id: string;
  created_at: Date | string;
  tool: string;
  input: Record<string, unknown>;
  invoice_id: string | number | null;
  invoice_total: string | null;
  proposer: string;
  proposer_kind: string;
  reason: string;
  evidence: string[];
  status: ProposalStatus;
  decided_by: string | null;
  decided_at: Date | string | null;
  decision_reason: string | null;
  result: unknown;
}

const iso = (v: Date | string | null): string | null => (v === null ? null : new Date(v).toISOString());

function fromRow(r: Row): Proposal {
  return {
    id: r.id,
    createdAt: iso(r.created_at)!,
    tool: r.tool,
    input: r.input,
    invoiceId: r.invoice_id === null ? null : Number(r.invoice_id),
    invoiceTotal: r.invoice_total,
    proposer: r.proposer,
    proposerKind: r.proposer_kind,
    reason: r.reason,
    evidence: r.evidence ?? [],
    status: r.status,
    decidedBy: r.decided_by,
    decidedAt: iso(r.decided_at),
    decisionReason: r.decision_reason,
    result: r.result ?? null,
  };
}

export function createProposalStore(db: Db): ProposalStore {
  return {
    async create(p) {
      const { rows } = await db.query<Row>(
        `insert into proposals (id, tool, input, invoice_id, invoice_total, proposer, proposer_kind, reason, evidence)
         values ($1, $2, $3, $4, $5, $6, $7, $8, $9) returning *`,
        [
          randomUUID(),
          p.tool,
          JSON.stringify(p.input),
          p.invoiceId ?? null,
          p.invoiceTotal ?? null,
          p.proposer,
          p.proposerKind,
          p.reason,
          JSON.stringify(p.evidence ?? []),
        ],
      );
      return fromRow(rows[0]!);
    },
    async get(id) {
      const { rows } = await db.query<Row>('select * from proposals where id = $1', [id]);
      return rows[0] ? fromRow(rows[0]) : undefined;
    },
    async list(filter = {}) {
      const where: string[] = [];
      const params: unknown[] = [];
      if (filter.status) where.push(`status = $${params.push(filter.status)}`);
      if (filter.invoiceId !== undefined) where.push(`invoice_id = $${params.push(filter.invoiceId)}`);
      const sql = `select * from proposals ${where.length ? `where ${where.join(' and ')}` : ''}
                   order by created_at asc, id asc limit $${params.push(filter.limit ?? 100)}`;
      const { rows } = await db.query<Row>(sql, params);
      return rows.map(fromRow);
    },
    async claimDecision(id, decision, decidedBy, reason) {
      const { rows } = await db.query<Row>(
        `update proposals set status = $2, decided_by = $3, decided_at = now(), decision_reason = $4
         where id = $1 and status = 'pending' returning *`,
        [id, decision, decidedBy, reason],
      );
      return rows[0] ? fromRow(rows[0]) : undefined;
    },
    async finish(id, status, result) {
      await db.query('update proposals set status = $2, result = $3 where id = $1', [
        id,
        status,
        JSON.stringify(result ?? null),
      ]);
    },
  };
}
