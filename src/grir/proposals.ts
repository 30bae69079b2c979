/**
 * GR/IR clearings and invoice adjustments waiting for an accountant. Anyone with `grir:propose`
 * (a person, or the model through MCP) may propose; only a person with `grir:approve` who did not
 * propose it may approve; a write-off or an adjustment above the threshold needs two different
 * approvers. The proposal's action is stored once and approved as stored: an approval never
 * takes new amounts. Approved clearings become balanced journal entries.
 */
import { z } from 'zod';
import type { Db } from '../db/connection.js';
import { inTransaction } from '../db/transaction.js';
import { Dec } from '../domain/money.js';
import { ProposedAction } from '../domain/grir/types.js';
import { assertBalanced, type JournalEntry } from '../domain/grir/journal.js';
import type { Identity } from '../guard/identity.js';

export const GrirProposalKind = z.enum(['clearing', 'adjustment']);
export type GrirProposalKind = z.infer<typeof GrirProposalKind>;

export interface GrirProposal {
  id: number;
  source: string;
  poLineId: number | null;
  invoiceId: number | null;
  kind: GrirProposalKind;
  action: ProposedAction;
  amount: string;
  currency: string;
  proposedBy: string;
  proposedVia: string;
  proposedAt: string;
  status: 'pending' | 'approved' | 'rejected';
  approvalsNeeded: number;
  approvals: Array<{ by: string; at: string; note?: string }>;
  journal: JournalEntry | null;
}

/** Refusals a person can act on: shown as they are, never as a stack. */
export class GrirApprovalError extends Error {
  override name = 'GrirApprovalError';
}

/** Amount above which write-offs and adjustments need a second approver (default 1,000.00). */
export const DEFAULT_SECOND_APPROVER_THRESHOLD = '1000.00';

interface Row {
  id: string;
  source: string;
  po_line_id: string | null;
  invoice_id: string | null;
  kind: GrirProposalKind;
  action: ProposedAction;
  amount: string;
  currency: string;
  proposed_by: string;
  proposed_via: string;
  proposed_at: Date;
  status: GrirProposal['status'];
  approvals_needed: number;
  approvals: GrirProposal['approvals'];
  journal: JournalEntry | null;
}

const fromRow = (r: Row): GrirProposal => ({
  id: Number(r.id),
  source: r.source,
  poLineId: r.po_line_id === null ? null : Number(r.po_line_id),
  invoiceId: r.invoice_id === null ? null : Number(r.invoice_id),
  kind: r.kind,
  action: r.action,
  amount: new Dec(r.amount).toFixed(2),
  currency: r.currency,
  proposedBy: r.proposed_by,
  proposedVia: r.proposed_via,
  proposedAt: r.proposed_at.toISOString(),
  status: r.status,
  approvalsNeeded: r.approvals_needed,
  approvals: r.approvals,
  journal: r.journal,
});

export interface ProposeInput {
  source: string;
  kind: GrirProposalKind;
  poLineId?: number;
  invoiceId?: number;
  action: ProposedAction;
  proposedBy: Identity;
  /** `mcp`, `review-site`, `settle grir`. */
  via: string;
  now: Date;
  secondApproverThreshold?: string;
}

/** How many approvers a proposal needs. */
export function approvalsNeeded(
  kind: GrirProposalKind,
  action: ProposedAction,
  threshold: string = DEFAULT_SECOND_APPROVER_THRESHOLD,
): number {
  const secondEligible = kind === 'adjustment' || action.kind === 'write_off';
  return secondEligible && new Dec(action.amount).gt(threshold) ? 2 : 1;
}

export interface GrirProposalStore {
  propose(input: ProposeInput): Promise<GrirProposal>;
  get(id: number): Promise<GrirProposal | null>;
  list(source: string, options?: { status?: GrirProposal['status']; limit?: number }): Promise<GrirProposal[]>;
  /** One approval by `approver`; the proposal is approved when enough different people have. */
  approve(id: number, approver: Identity, now: Date, note?: string): Promise<GrirProposal>;
  reject(id: number, approver: Identity, now: Date, note: string): Promise<GrirProposal>;
  /** Approved clearings as journal entries (oldest first). */
  journal(source: string, options?: { since?: Date }): Promise<JournalEntry[]>;
}

function journalFor(p: GrirProposal, approvers: string[], date: string): JournalEntry | null {
  if (p.action.lines.length === 0) return null;
  const entry: JournalEntry = {
    id: `GRIR-${p.id}`,
    date,
    currency: p.currency,
    lines: p.action.lines,
    proposedBy: p.proposedBy,
    approvedBy: approvers,
    reference: p.action.lines[0]?.memo.replace(/:.*$/, '') ?? `proposal ${p.id}`,
  };
  assertBalanced(entry);
  return entry;
}

export function createGrirProposalStore(db: Db): GrirProposalStore {
  const get = async (id: number): Promise<GrirProposal | null> => {
    const { rows } = await db.query<Row>('select * from grir_proposals where id = $1', [id]);
    return rows[0] ? fromRow(rows[0]) : null;
  };

  async function decide(
    id: number,
    approver: Identity,
    now: Date,
    decision: 'approve' | 'reject',
    note?: string,
  ): Promise<GrirProposal> {
    if (!approver.scopes.has('grir:approve') || approver.kind !== 'person')
      throw new GrirApprovalError('approving GR/IR proposals needs a person with the accountant role');
    return inTransaction(db, async (c) => {
      const { rows } = await c.query<Row>('select * from grir_proposals where id = $1 for update', [id]);
      if (!rows[0]) throw new GrirApprovalError(`no GR/IR proposal ${id}`);
      const p = fromRow(rows[0]);
      if (p.status !== 'pending') throw new GrirApprovalError(`proposal ${id} is already ${p.status}`);
      if (p.proposedBy === approver.id) throw new GrirApprovalError('the person who proposed it cannot approve it');
      if (p.approvals.some((a) => a.by === approver.id))
        throw new GrirApprovalError(
          `${approver.id} has already approved proposal ${id}; a second accountant must approve`,
        );
      if (decision === 'reject') {
        await c.query(
          `update grir_proposals set status = 'rejected', decided_at = $2, approvals = approvals || $3::jsonb where id = $1`,
          [id, now, JSON.stringify([{ by: approver.id, at: now.toISOString(), note, rejected: true }])],
        );
      } else {
        const approvals = [...p.approvals, { by: approver.id, at: now.toISOString(), ...(note ? { note } : {}) }];
        const done = approvals.length >= p.approvalsNeeded;
        const journal = done
          ? journalFor(
              p,
              approvals.map((a) => a.by),
              now.toISOString().slice(0, 10),
            )
          : null;
        await c.query(
          'update grir_proposals set approvals = $2::jsonb, status = $3, decided_at = $4, journal = $5::jsonb where id = $1',
          [
            id,
            JSON.stringify(approvals),
            done ? 'approved' : 'pending',
            done ? now : null,
            journal ? JSON.stringify(journal) : null,
          ],
        );
      }
      const { rows: after } = await c.query<Row>('select * from grir_proposals where id = $1', [id]);
      return fromRow(after[0]!);
    });
  }

  return {
    async propose(input) {
      const action = ProposedAction.parse(input.action);
      if (action.lines.length > 0) assertBalanced({ id: 'proposal', lines: action.lines });
      const needed = approvalsNeeded(input.kind, action, input.secondApproverThreshold);
      const { rows } = await db.query<Row>(
        `insert into grir_proposals (source, po_line_id, invoice_id, kind, action, amount, currency, proposed_by, proposed_via, proposed_at, approvals_needed)
         values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) returning *`,
        [
          input.source,
          input.poLineId ?? null,
          input.invoiceId ?? null,
          input.kind,
          JSON.stringify(action),
          action.amount,
          action.currency,
          input.proposedBy.id,
          input.via,
          input.now,
          needed,
        ],
      );
      return fromRow(rows[0]!);
    },
    get,
    async list(source, options = {}) {
      const { rows } = await db.query<Row>(
        'select * from grir_proposals where source = $1 and ($2::text is null or status = $2) order by proposed_at, id limit $3',
        [source, options.status ?? null, options.limit ?? 200],
      );
      return rows.map(fromRow);
    },
    approve: (id, approver, now, note) => decide(id, approver, now, 'approve', note),
    reject: (id, approver, now, note) => decide(id, approver, now, 'reject', note),
    async journal(source, options = {}) {
      const { rows } = await db.query<{ journal: JournalEntry }>(
        `select journal from grir_proposals where source = $1 and status = 'approved' and journal is not null and ($2::timestamptz is null or decided_at >= $2) order by decided_at, id`,
        [source, options.since ?? null],
      );
      return rows.map((r) => r.journal);
    },
  };
}
