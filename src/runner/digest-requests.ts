/**
 * The digest's supplier-request section: what Settle is still waiting on from suppliers, oldest
 * first, with reminders and escalations. Read with its own SQL (the runner does not import the
 * request module); a runner-only schema without the table has none.
 */
import type { Queryable } from './sql.js';

export interface PendingRequestLine {
  invoiceId: number;
  invoiceNumber: string | null;
  supplierName: string | null;
  asked: string;
  askedAt: Date;
  reminders: number;
  escalatedTo: string | null;
}

export interface DigestRequests {
  pending: number;
  escalated: number;
  answeredInWindow: number;
  oldest: PendingRequestLine[];
}

export async function computeDigestRequests(
  db: Queryable,
  since: Date,
  until: Date,
  limit = 10,
): Promise<DigestRequests | null> {
  const { rows: present } = await db.query<{ t: string | null }>(`select to_regclass('supplier_requests')::text as t`);
  if (!present[0]?.t) return null;
  const {
    rows: [totals],
  } = await db.query<{ pending: number; escalated: number; answered: number }>(
    `select count(*) filter (where status = 'pending')::int as pending,
            count(*) filter (where status = 'pending' and escalated_at is not null)::int as escalated,
            count(*) filter (where status = 'answered' and answered_at >= $1 and answered_at < $2)::int as answered
       from supplier_requests`,
    [since, until],
  );
  const { rows } = await db.query<{
    invoice_id: string;
    invoice_number: string | null;
    supplier_name: string | null;
    asked: string;
    asked_at: Date;
    reminders: number;
    escalated_to: string | null;
  }>(
    `select invoice_id, invoice_number, supplier_name, asked, asked_at, reminders, escalated_to
       from supplier_requests where status = 'pending' order by asked_at, id limit $1`,
    [limit],
  );
  return {
    pending: totals?.pending ?? 0,
    escalated: totals?.escalated ?? 0,
    answeredInWindow: totals?.answered ?? 0,
    oldest: rows.map((r) => ({
      invoiceId: Number(r.invoice_id),
      invoiceNumber: r.invoice_number,
      supplierName: r.supplier_name,
      asked: r.asked,
      askedAt: new Date(r.asked_at),
      reminders: r.reminders,
      escalatedTo: r.escalated_to,
    })),
  };
}

/** Plain lines (escaped by the caller's formatter): the counts, then the oldest pending items. */
export function digestRequestLines(r: DigestRequests, until: Date): string[] {
  const days = (at: Date): number => Math.max(0, Math.floor((until.getTime() - at.getTime()) / 86_400_000));
  return [
    `${r.pending} pending with suppliers (${r.escalated} escalated), ${r.answeredInWindow} answered in this window`,
    ...r.oldest.map(
      (p) =>
        `invoice ${p.invoiceNumber ?? p.invoiceId} · ${(p.supplierName ?? 'unknown supplier').replace(/[\u0000-\u001f\u007f]+/g, ' ').slice(0, 60)} · ${p.asked.slice(0, 80)} · ${days(p.askedAt)}d · ${p.reminders} reminder(s)${p.escalatedTo ? ` · escalated to ${p.escalatedTo}` : ''}`,
    ),
  ];
}
