/**
 * The supplier-conversation figures of a tenant: requests sent (per item asked), answered,
 * still pending, escalated; replies kept as evidence only; invoices re-opened by an answer.
 */
import type { Queryable } from '../db/transaction.js';

export interface RequestCounts {
  sent: number;
  emailed: number;
  answered: number;
  pending: number;
  escalated: number;
  replies: number;
  evidenceOnly: number;
  reopened: number;
}

export async function requestCounts(db: Queryable, tenant: string): Promise<RequestCounts> {
  const {
    rows: [r],
  } = await db.query<Record<keyof RequestCounts, string>>(
    `select count(*) as sent,
            count(*) filter (where 'email' = any(channels)) as emailed,
            count(*) filter (where status = 'answered') as answered,
            count(*) filter (where status = 'pending') as pending,
            count(*) filter (where escalated_at is not null) as escalated,
            (select count(*) from supplier_replies where tenant = $1) as replies,
            (select count(*) from supplier_replies where tenant = $1 and event_id is null) as "evidenceOnly",
            (select count(distinct invoice_id) from supplier_replies where tenant = $1 and event_id is not null) as reopened
       from supplier_requests where tenant = $1`,
    [tenant],
  );
  const n = (v: string | undefined): number => Number(v ?? 0);
  return {
    sent: n(r?.sent),
    emailed: n(r?.emailed),
    answered: n(r?.answered),
    pending: n(r?.pending),
    escalated: n(r?.escalated),
    replies: n(r?.replies),
    evidenceOnly: n(r?.evidenceOnly),
    reopened: n(r?.reopened),
  };
}

export function requestCountsLine(c: RequestCounts): string {
  return (
    `Supplier requests: ${c.sent} sent (${c.emailed} also by e-mail), ${c.answered} answered, ${c.pending} pending, ${c.escalated} escalated to the AP owner; ` +
    `${c.replies} replies (${c.evidenceOnly} answered nothing and were kept as evidence), ${c.reopened} invoices re-opened by an answer.`
  );
}
