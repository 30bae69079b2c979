/**
 * The dashboard's figures, computed in SQL over the settlement log and the review decisions for a
 * window ending at the runtime's clock: exceptions per day by type, the auto-resolved share, time
 * to settle (agent run time; human wait from routing to decision), top suppliers and root causes.
 */
import type { Db } from '../db/connection.js';
import { latestPerInvoiceSql } from '../runner/settlement-log.js';

export interface Percentiles {
  count: number;
  medianMs: number | null;
  p90Ms: number | null;
}

export interface DashboardData {
  windowDays: number;
  /** Days (YYYY-MM-DD, UTC) in order, and per exception type one count per day. */
  days: string[];
  byType: Array<{ type: string; counts: number[]; total: number }>;
  settled: number;
  autoResolved: number;
  agentTime: Percentiles;
  humanTime: Percentiles;
  topSuppliers: Array<{ name: string; count: number }>;
  rootCauses: Array<{ rule: string; count: number }>;
}

const ACTIONABLE = `coalesce(verdict ->> 'outcome', '') <> 'not_actionable'`;

function dayRange(end: Date, days: number): string[] {
  const out: string[] = [];
  for (let i = days - 1; i >= 0; i--) out.push(new Date(end.getTime() - i * 86_400_000).toISOString().slice(0, 10));
  return out;
}

async function percentiles(db: Db, sql: string, params: unknown[]): Promise<Percentiles> {
  const { rows } = await db.query<{ n: number; median: string | null; p90: string | null }>(sql, params);
  const r = rows[0];
  return {
    count: Number(r?.n ?? 0),
    medianMs: r?.median == null ? null : Number(r.median),
    p90Ms: r?.p90 == null ? null : Number(r.p90),
  };
}

/** Figures for the `windowDays` days ending at `now`. */
export async function loadDashboard(db: Db, now: Date, windowDays = 30): Promise<DashboardData> {
  const days = dayRange(now, windowDays);
  const since = new Date(`${days[0]}T00:00:00Z`);

  const { rows: daily } = await db.query<{ day: string; exception_type: string; n: number }>(
    `select to_char(settled_at at time zone 'UTC', 'YYYY-MM-DD') as day, exception_type, count(distinct invoice_id)::int as n
     from settlements where settled_at >= $1 and ${ACTIONABLE} group by 1, 2`,
    [since],
  );
  const types = new Map<string, number[]>();
  for (const r of daily) {
    const counts = types.get(r.exception_type) ?? days.map(() => 0);
    const i = days.indexOf(r.day);
    if (i >= 0) counts[i] = (counts[i] ?? 0) + Number(r.n);
    types.set(r.exception_type, counts);
  }
  // Show from the first day with an exception (at least the last week), not a month of blanks.
  const first = Math.min(
    days.length - 7,
    ...[...types.values()].map((c) => c.findIndex((n) => n > 0)).filter((i) => i >= 0),
  );
  const from = Math.max(0, first);
  const byType = [...types]
    .map(([type, counts]) => ({ type, counts: counts.slice(from), total: counts.reduce((a, b) => a + b, 0) }))
    .sort((a, b) => b.total - a.total);

  const latest = `with latest as (${latestPerInvoiceSql(`settled_at >= $1 and ${ACTIONABLE}`)})`;
  const { rows: share } = await db.query<{ total: number; auto: number }>(
    `${latest} select count(*)::int as total, (count(*) filter (where decision = 'resolve' and executed))::int as auto from latest`,
    [since],
  );
  const agentTime = await percentiles(
    db,
    `select count(*)::int as n, percentile_cont(0.5) within group (order by d) as median, percentile_cont(0.9) within group (order by d) as p90
     from (select (verdict ->> 'duration_ms')::numeric as d from settlements where settled_at >= $1 and verdict ? 'duration_ms') x`,
    [since],
  );
  const humanTime = await percentiles(
    db,
    `select count(*)::int as n, percentile_cont(0.5) within group (order by d) as median, percentile_cont(0.9) within group (order by d) as p90
     from (select greatest(0, extract(epoch from (decided_at - waiting_since)) * 1000) as d from review_decisions
           where decided_at >= $1 and outcome in ('executed', 'rejected')) x`,
    [since],
  );
  const { rows: suppliers } = await db.query<{ name: string; n: number }>(
    `${latest} select coalesce(supplier_name, 'Unknown supplier') as name, count(*)::int as n from latest group by 1 order by 2 desc, 1 limit 6`,
    [since],
  );
  const { rows: causes } = await db.query<{ rule: string; n: number }>(
    `${latest} select coalesce(verdict ->> 'rule', exception_type) as rule, count(*)::int as n from latest group by 1 order by 2 desc, 1 limit 6`,
    [since],
  );
  return {
    windowDays,
    days: days.slice(from),
    byType,
    settled: Number(share[0]?.total ?? 0),
    autoResolved: Number(share[0]?.auto ?? 0),
    agentTime,
    humanTime,
    topSuppliers: suppliers.map((s) => ({ name: s.name, count: Number(s.n) })),
    // Rules read "5 billed beyond ordered → dispute": the leading precedence step means little here.
    rootCauses: causes.map((c) => ({ rule: c.rule.replace(/^\d+\s+/, ''), count: Number(c.n) })),
  };
}
