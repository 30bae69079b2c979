/**
 * Shadow cases: the agent's decision on an invoice it shadowed, and — once Coupa shows it — the
 * decision a person took on the same invoice, side by side. One row per invoice and tenant; a
 * re-run before the person acts replaces the agent's side, never the person's.
 */
import type { Queryable } from '../db/transaction.js';

export interface AgentSide {
  tenant: string;
  invoiceId: number;
  settlementId: number | null;
  exceptionType: string;
  supplierId: number | null;
  supplierName: string | null;
  /** Invoice gross total as decimal text. */
  amount: string | null;
  currency: string | null;
  decision: string;
  routeTo: string | null;
  disputeReason: string | null;
  confidence: number | null;
  coupaWrites: number;
  decidedAt: Date;
}

/** What a person did, read back from Coupa. */
export interface PersonSide {
  decision: string;
  routeTo: string | null;
  disputeReason: string | null;
  login: string | null;
  /** The Coupa facts the decision was read from (status, approver, dispute code, comment). */
  evidence: string[];
  observedAt: Date;
}

/** The agent's side as stored (its decision fields grouped under `agent`), with the person's beside it. */
export interface ShadowCase extends Pick<
  AgentSide,
  | 'tenant'
  | 'invoiceId'
  | 'settlementId'
  | 'exceptionType'
  | 'supplierId'
  | 'supplierName'
  | 'amount'
  | 'currency'
  | 'coupaWrites'
  | 'decidedAt'
> {
  id: number;
  agent: Pick<AgentSide, 'decision' | 'routeTo' | 'disputeReason' | 'confidence'>;
  person: PersonSide | null;
  agreed: boolean | null;
  /** `agent resolve / person route`, … ; null when they agreed or the person has not acted. */
  disagreement: string | null;
}

interface Row {
  id: string;
  tenant: string;
  invoice_id: string;
  settlement_id: string | null;
  exception_type: string;
  supplier_id: string | null;
  supplier_name: string | null;
  amount: string | null;
  currency: string | null;
  agent_decision: string;
  agent_route_to: string | null;
  agent_dispute_reason: string | null;
  agent_confidence: number | null;
  coupa_writes: number;
  decided_at: Date;
  person_decision: string | null;
  person_route_to: string | null;
  person_dispute_reason: string | null;
  person_login: string | null;
  person_evidence: string[] | null;
  observed_at: Date | null;
  agreed: boolean | null;
  disagreement: string | null;
}

function fromRow(r: Row): ShadowCase {
  return {
    id: Number(r.id),
    tenant: r.tenant,
    invoiceId: Number(r.invoice_id),
    settlementId: r.settlement_id === null ? null : Number(r.settlement_id),
    exceptionType: r.exception_type,
    supplierId: r.supplier_id === null ? null : Number(r.supplier_id),
    supplierName: r.supplier_name,
    amount: r.amount,
    currency: r.currency,
    agent: {
      decision: r.agent_decision,
      routeTo: r.agent_route_to,
      disputeReason: r.agent_dispute_reason,
      confidence: r.agent_confidence,
    },
    coupaWrites: Number(r.coupa_writes),
    decidedAt: new Date(r.decided_at),
    person:
      r.person_decision === null || r.observed_at === null
        ? null
        : {
            decision: r.person_decision,
            routeTo: r.person_route_to,
            disputeReason: r.person_dispute_reason,
            login: r.person_login,
            evidence: r.person_evidence ?? [],
            observedAt: new Date(r.observed_at),
          },
    agreed: r.agreed,
    disagreement: r.disagreement,
  };
}

/**
 * Do the two decisions agree? The decision must match, and for a route the person routed to
 * must match, for a dispute the reason code. A route to someone else is a disagreement on who.
 */
export function compareDecisions(
  agent: ShadowCase['agent'],
  person: Pick<PersonSide, 'decision' | 'routeTo' | 'disputeReason'>,
): { agreed: boolean; disagreement: string | null } {
  if (agent.decision !== person.decision)
    return { agreed: false, disagreement: `agent ${agent.decision} / person ${person.decision}` };
  if (agent.decision === 'route' && agent.routeTo && person.routeTo && agent.routeTo !== person.routeTo) {
    return { agreed: false, disagreement: 'route to a different person' };
  }
  if (
    agent.decision === 'dispute' &&
    agent.disputeReason &&
    person.disputeReason &&
    agent.disputeReason !== person.disputeReason
  ) {
    return { agreed: false, disagreement: 'dispute with a different reason' };
  }
  return { agreed: true, disagreement: null };
}

export interface ShadowStore {
  recordAgent(side: AgentSide): Promise<void>;
  /** Cases whose person's decision is not known yet, oldest first. */
  open(tenant: string, limit?: number): Promise<ShadowCase[]>;
  recordPerson(caseId: number, person: PersonSide): Promise<ShadowCase | undefined>;
  /** Every case decided at or after `since` (all tenants: the report reads the deployment's history). */
  list(options?: { since?: Date; tenant?: string }): Promise<ShadowCase[]>;
  byInvoice(tenant: string, invoiceId: number): Promise<ShadowCase | undefined>;
}

export function createShadowStore(db: Queryable): ShadowStore {
  return {
    async recordAgent(a) {
      await db.query(
        `insert into shadow_cases (tenant, invoice_id, settlement_id, exception_type, supplier_id, supplier_name, amount, currency,
           agent_decision, agent_route_to, agent_dispute_reason, agent_confidence, coupa_writes, decided_at)
         values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14)
         on conflict (tenant, invoice_id) do update set
           settlement_id = excluded.settlement_id, exception_type = excluded.exception_type, supplier_id = excluded.supplier_id,
           supplier_name = excluded.supplier_name, amount = excluded.amount, currency = excluded.currency,
           agent_decision = excluded.agent_decision, agent_route_to = excluded.agent_route_to,
           agent_dispute_reason = excluded.agent_dispute_reason, agent_confidence = excluded.agent_confidence,
           coupa_writes = shadow_cases.coupa_writes + excluded.coupa_writes, decided_at = excluded.decided_at
         where shadow_cases.observed_at is null`,
        [
          a.tenant,
          a.invoiceId,
          a.settlementId,
          a.exceptionType,
          a.supplierId,
          a.supplierName,
          a.amount,
          a.currency,
          a.decision,
          a.routeTo,
          a.disputeReason,
          a.confidence,
          a.coupaWrites,
          a.decidedAt,
        ],
      );
    },
    async open(tenant, limit = 500) {
      const { rows } = await db.query<Row>(
        `select * from shadow_cases where tenant = $1 and observed_at is null order by decided_at, id limit $2`,
        [tenant, limit],
      );
      return rows.map(fromRow);
    },
    async recordPerson(caseId, p) {
      const {
        rows: [current],
      } = await db.query<Row>('select * from shadow_cases where id = $1', [caseId]);
      if (!current) return undefined;
      const { agreed, disagreement } = compareDecisions(fromRow(current).agent, p);
      const { rows } = await db.query<Row>(
        `update shadow_cases set person_decision = $2, person_route_to = $3, person_dispute_reason = $4, person_login = $5,
           person_evidence = $6, observed_at = $7, agreed = $8, disagreement = $9
         where id = $1 and observed_at is null returning *`,
        [
          caseId,
          p.decision,
          p.routeTo,
          p.disputeReason,
          p.login,
          JSON.stringify(p.evidence),
          p.observedAt,
          agreed,
          disagreement,
        ],
      );
      return rows[0] ? fromRow(rows[0]) : undefined;
    },
    async list(options = {}) {
      const { rows } = await db.query<Row>(
        `select * from shadow_cases where ($1::timestamptz is null or decided_at >= $1) and ($2::text is null or tenant = $2) order by decided_at, id`,
        [options.since ?? null, options.tenant ?? null],
      );
      return rows.map(fromRow);
    },
    async byInvoice(tenant, invoiceId) {
      const { rows } = await db.query<Row>('select * from shadow_cases where tenant = $1 and invoice_id = $2', [
        tenant,
        invoiceId,
      ]);
      return rows[0] ? fromRow(rows[0]) : undefined;
    },
  };
}
