/**
 * The daily digest, computed from the settlement log: what came in, what Settle cleared by
 * itself, what waits for a person (oldest first) and which suppliers cause the most exceptions.
 * Only the latest settlement of each invoice counts, so a re-settled invoice is one exception.
 */
import type { Queryable } from './sql.js';
import { computeDigestQa, type DigestQa } from './digest-qa.js';
import { computeDigestRequests, type DigestRequests } from './digest-requests.js';
import { latestPerInvoiceSql } from './settlement-log.js';

export interface DigestCount {
  key: string;
  count: number;
}

export interface WaitingItem {
  invoiceId: number;
  supplierName: string | null;
  exceptionType: string;
  decision: string;
  routeTo: string | null;
  settledAt: Date;
}

export interface DigestData {
  since: Date;
  until: Date;
  /** Invoices settled in the window. */
  newExceptions: number;
  byType: DigestCount[];
  byRootCause: DigestCount[];
  /** Resolved and executed by Settle without a person. */
  autoResolved: number;
  /** Latest settlement routed, held, or not executed (waits for an approver): oldest first. */
  waiting: WaitingItem[];
  waitingTotal: number;
  topSuppliers: DigestCount[];
  /** Earned autonomy: slices that demoted themselves in the window, one line each. */
  demotions: string[];
  /** Quality assurance of autonomous settlements (null on a runner-only schema). */
  qa: DigestQa | null;
  /** What waits on suppliers, oldest first (null on a runner-only schema). */
  supplierRequests?: DigestRequests | null;
}

export interface DigestOptions {
  since: Date;
  until?: Date;
  /** How far back an invoice still counts as waiting (default 14 days). */
  waitingWindowDays?: number;
  /** Items listed under "waiting" and "top suppliers" (default 10 and 5). */
  waitingLimit?: number;
  topSuppliers?: number;
}

const LATEST = latestPerInvoiceSql('settled_at >= $1 and settled_at < $2');

/** Settle itself cleared it: resolved and executed. */
const AUTO_RESOLVED = `(executed and decision = 'resolve')`;
/** A person has to act: routed or held, or anything proposed but not executed. */
const WAITS_FOR_PEOPLE = `(decision in ('route', 'hold') or not executed)`;

async function counts(db: Queryable, column: string, since: Date, until: Date, limit: number): Promise<DigestCount[]> {
  const { rows } = await db.query<{ key: string; count: number }>(
    `select coalesce(${column}, 'unknown') as key, count(*)::int as count
       from (${LATEST}) latest group by 1 order by 2 desc, 1 limit $3`,
    [since, until, limit],
  );
  return rows;
}

/** Slices whose agreement fell below their threshold and that demoted themselves (autonomy_changes). */
async function demotionsIn(db: Queryable, since: Date, until: Date): Promise<string[]> {
  // A runner-only schema (workers on a database without the agent's tables) has had no demotions.
  const { rows: present } = await db.query<{ t: string | null }>(`select to_regclass('autonomy_changes')::text as t`);
  if (!present[0]?.t) return [];
  const { rows } = await db.query<{ rule: { exception_type?: string | string[]; name?: string }; reason: string }>(
    `select rule, reason from autonomy_changes where kind = 'demotion' and changed_by = 'settle' and changed_at >= $1 and changed_at < $2 order by id`,
    [since, until],
  );
  return rows.map(
    (r) =>
      `${r.rule.name ?? [r.rule.exception_type ?? 'slice'].flat().join('|')} demoted itself to assisted: ${r.reason}`,
  );
}

/** Compute the digest for `[since, until)`. */
export async function computeDigest(db: Queryable, options: DigestOptions): Promise<DigestData> {
  const { since } = options;
  const until = options.until ?? new Date();
  const waitingSince = new Date(until.getTime() - (options.waitingWindowDays ?? 14) * 86_400_000);
  const totals = await db.query<{ total: number; auto: number }>(
    `select count(*)::int as total, count(*) filter (where ${AUTO_RESOLVED})::int as auto from (${LATEST}) latest`,
    [since, until],
  );
  const waiting = await db.query<{
    invoice_id: string;
    supplier_name: string | null;
    exception_type: string;
    decision: string;
    route_to: string | null;
    settled_at: Date;
    total: number;
  }>(
    `select invoice_id, supplier_name, exception_type, decision, route_to, settled_at, count(*) over ()::int as total
       from (${LATEST}) latest where ${WAITS_FOR_PEOPLE}
      order by settled_at asc, invoice_id limit $3`,
    [waitingSince, until, options.waitingLimit ?? 10],
  );
  return {
    since,
    until,
    newExceptions: totals.rows[0]?.total ?? 0,
    autoResolved: totals.rows[0]?.auto ?? 0,
    byType: await counts(db, 'exception_type', since, until, 20),
    byRootCause: await counts(db, 'root_cause', since, until, 20),
    waiting: waiting.rows.map((r) => ({
      invoiceId: Number(r.invoice_id),
      supplierName: r.supplier_name,
      exceptionType: r.exception_type,
      decision: r.decision,
      routeTo: r.route_to,
      settledAt: r.settled_at,
    })),
    waitingTotal: waiting.rows[0]?.total ?? 0,
    topSuppliers: await counts(
      db,
      `coalesce(supplier_name, 'supplier ' || supplier_id::text)`,
      since,
      until,
      options.topSuppliers ?? 5,
    ),
    demotions: await demotionsIn(db, since, until),
    qa: await computeDigestQa(db, since, until),
    supplierRequests: await computeDigestRequests(db, since, until, options.waitingLimit ?? 10),
  };
}

/** `24h`, `90m`, `7d` or an ISO date → the instant that long before `now`. */
export function parseSince(value: string, now: Date = new Date()): Date {
  const relative = /^(\d+)\s*([mhd])$/.exec(value.trim());
  if (relative) {
    const unit = { m: 60_000, h: 3_600_000, d: 86_400_000 }[relative[2] as 'm' | 'h' | 'd'];
    return new Date(now.getTime() - Number(relative[1]) * unit);
  }
  const at = Date.parse(value);
  if (Number.isNaN(at)) throw new RangeError(`--since takes 24h, 90m, 7d or an ISO date, got "${value}"`);
  return new Date(at);
}
