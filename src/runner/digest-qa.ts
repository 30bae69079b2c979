/**
 * The digest's QA figures: what the QA draw took in the digest's window, and, over the rolling
 * window the autonomy rules judge on, the share of reviewed autonomous settlements people agreed
 * with (Wilson 95% interval), the value released that a reviewer would not have, and what still
 * waits for review — overall and per exception type.
 */
import { wilson } from '../stats.js';
import type { Queryable } from './sql.js';

export interface DigestQaSlice {
  key: string;
  reviewed: number;
  agreed: number;
  ciLow: number;
  ciHigh: number;
  /** Decimal text. */
  falseReleaseValue: string;
}

export interface DigestQa {
  /** Settlements drawn for review in the digest's window. */
  drawn: number;
  /** Drawn and not reviewed yet (any age). */
  pending: number;
  windowDays: number;
  overall: DigestQaSlice;
  byType: DigestQaSlice[];
}

// A false release: the agent resolved (released) and the reviewer would have decided otherwise.
const FALSE_RELEASE = `verdict = 'disagree' and decision = 'resolve' and coalesce(correct_decision, 'route') <> 'resolve'`;
const NUMERIC = `case when amount ~ '^-?[0-9]+(\\.[0-9]+)?$' then amount::numeric else 0 end`;

export async function computeDigestQa(
  db: Queryable,
  since: Date,
  until: Date,
  windowDays = 30,
): Promise<DigestQa | null> {
  const { rows: present } = await db.query<{ t: string | null }>(`select to_regclass('qa_samples')::text as t`);
  if (!present[0]?.t) return null;
  const from = new Date(until.getTime() - windowDays * 86_400_000);
  const { rows: counts } = await db.query<{ drawn: number; pending: number }>(
    `select count(*) filter (where sampled_at >= $1 and sampled_at < $2)::int as drawn, count(*) filter (where reviewed_at is null)::int as pending from qa_samples`,
    [since, until],
  );
  const { rows } = await db.query<{ key: string | null; reviewed: number; agreed: number; false_release: string }>(
    `select exception_type as key, count(*)::int as reviewed, count(*) filter (where verdict = 'agree')::int as agreed,
            coalesce(sum(${NUMERIC}) filter (where ${FALSE_RELEASE}), 0)::numeric(20,2)::text as false_release
       from qa_samples where reviewed_at >= $1 and reviewed_at < $2 and verdict is not null
      group by rollup (exception_type) order by exception_type nulls last`,
    [from, until],
  );
  const slice = (r: (typeof rows)[number]): DigestQaSlice => {
    const { low, high } = wilson(r.agreed, r.reviewed);
    return {
      key: r.key ?? 'all',
      reviewed: r.reviewed,
      agreed: r.agreed,
      ciLow: low,
      ciHigh: high,
      falseReleaseValue: r.false_release,
    };
  };
  const overall = rows.find((r) => r.key === null);
  return {
    drawn: counts[0]?.drawn ?? 0,
    pending: counts[0]?.pending ?? 0,
    windowDays,
    overall: overall
      ? slice(overall)
      : { key: 'all', reviewed: 0, agreed: 0, ciLow: 0, ciHigh: 1, falseReleaseValue: '0.00' },
    byType: rows.filter((r) => r.key !== null).map(slice),
  };
}

const pct = (x: number): string => `${(x * 100).toFixed(1)}%`;

/** One line per figure, for the chat messages. */
export function digestQaLines(qa: DigestQa): string[] {
  const o = qa.overall;
  const agreement = o.reviewed
    ? `${o.agreed}/${o.reviewed} agreed, ${pct(o.agreed / o.reviewed)} (95% CI ${pct(o.ciLow)}–${pct(o.ciHigh)})`
    : 'none reviewed';
  return [
    `${qa.drawn} drawn for review · ${qa.pending} waiting for a reviewer`,
    `last ${qa.windowDays} days: ${agreement} · false release ${o.falseReleaseValue}`,
    ...qa.byType.map(
      (s) =>
        `${s.key}: ${s.agreed}/${s.reviewed} agreed (${pct(s.ciLow)}–${pct(s.ciHigh)}) · false release ${s.falseReleaseValue}`,
    ),
  ];
}
