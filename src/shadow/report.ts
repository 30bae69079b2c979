/**
 * The agreement report: how often the agent's shadow decisions matched the people's, per
 * exception type, supplier and amount band, with Wilson intervals, the disagreements by kind, the
 * false auto-release value (money the agent would have released that a person did not), and a
 * recommended mode per exception type.
 */
import type { ShadowCase } from './store.js';
import { AMOUNT_BANDS, amountBand, sumAmounts, wilson } from './stats.js';

/** When a slice has earned a mode (issue 18: autonomous at ≥ 50 cases, ≥ 98%, no false release). */
export const RECOMMENDATION = {
  autonomousMinCases: 50,
  autonomousAgreement: 0.98,
  assistedMinCases: 20,
  assistedAgreement: 0.9,
} as const;

export interface SliceFigures {
  cases: number;
  agreed: number;
  /** agreed / cases; null with no cases. */
  agreement: number | null;
  ci_low: number;
  ci_high: number;
  /** Decimal text: the invoice totals the agent would have released and a person did not. */
  false_release_value: string;
  false_releases: number;
  disagreements: Record<string, number>;
}

export interface Recommendation {
  mode: 'autonomous' | 'assisted' | 'shadow';
  reason: string;
}

export interface ShadowReport {
  since: string | null;
  /** Cases whose person's decision is known. */
  cases: number;
  /** Shadowed, the person has not acted yet. */
  awaiting_person: number;
  agreed: number;
  agreement: number | null;
  ci_low: number;
  ci_high: number;
  false_release_value: string;
  /** Coupa writes Settle made while shadowing: 0 is the promise. */
  coupa_writes: number;
  by_exception_type: Record<string, SliceFigures & { recommendation: Recommendation }>;
  by_supplier: Record<string, SliceFigures & { supplier_id: number | null }>;
  by_amount_band: Record<string, SliceFigures>;
  disagreements: Array<{
    invoice_id: number;
    exception_type: string;
    supplier: string | null;
    amount: string | null;
    agent: string;
    person: string;
    kind: string;
    person_login: string | null;
  }>;
}

const isFalseRelease = (c: ShadowCase): boolean =>
  c.agent.decision === 'resolve' && c.person !== null && c.person.decision !== 'resolve';

export function figures(cases: readonly ShadowCase[]): SliceFigures {
  const observed = cases.filter((c) => c.person !== null);
  const agreed = observed.filter((c) => c.agreed).length;
  const { low, high } = wilson(agreed, observed.length);
  const disagreements: Record<string, number> = {};
  for (const c of observed)
    if (!c.agreed && c.disagreement) disagreements[c.disagreement] = (disagreements[c.disagreement] ?? 0) + 1;
  const falseReleases = observed.filter(isFalseRelease);
  return {
    cases: observed.length,
    agreed,
    agreement: observed.length ? agreed / observed.length : null,
    ci_low: low,
    ci_high: high,
    false_release_value: sumAmounts(falseReleases.map((c) => c.amount)),
    false_releases: falseReleases.length,
    disagreements,
  };
}

export function recommend(f: SliceFigures, r = RECOMMENDATION): Recommendation {
  const pct = f.agreement === null ? '—' : `${(f.agreement * 100).toFixed(1)}%`;
  if (
    f.cases >= r.autonomousMinCases &&
    f.agreement !== null &&
    f.agreement >= r.autonomousAgreement &&
    f.false_releases === 0
  ) {
    return { mode: 'autonomous', reason: `${f.cases} cases, ${pct} agreement, no false release` };
  }
  if (f.cases >= r.assistedMinCases && f.agreement !== null && f.agreement >= r.assistedAgreement) {
    const short =
      f.false_releases > 0
        ? `${f.false_releases} false release(s)`
        : f.cases < r.autonomousMinCases
          ? `${r.autonomousMinCases - f.cases} more cases needed for autonomous`
          : `below ${r.autonomousAgreement * 100}% for autonomous`;
    return { mode: 'assisted', reason: `${f.cases} cases, ${pct} agreement; ${short}` };
  }
  const why =
    f.cases < r.assistedMinCases
      ? `only ${f.cases} case(s); ${r.assistedMinCases} needed`
      : `${pct} agreement, below ${r.assistedAgreement * 100}%`;
  return { mode: 'shadow', reason: `keep shadowing: ${why}` };
}

function groupBy<K extends string>(cases: readonly ShadowCase[], key: (c: ShadowCase) => K): Map<K, ShadowCase[]> {
  const out = new Map<K, ShadowCase[]>();
  for (const c of cases) out.set(key(c), [...(out.get(key(c)) ?? []), c]);
  return out;
}

const sorted = <T>(m: Map<string, T>): Array<[string, T]> => [...m.entries()].sort(([a], [b]) => a.localeCompare(b));

export function buildShadowReport(all: readonly ShadowCase[], since: Date | null = null): ShadowReport {
  const observed = all.filter((c) => c.person !== null);
  const total = figures(observed);
  const byType = Object.fromEntries(
    sorted(groupBy(observed, (c) => c.exceptionType)).map(([type, cs]) => {
      const f = figures(cs);
      return [type, { ...f, recommendation: recommend(f) }];
    }),
  );
  const bySupplier = Object.fromEntries(
    sorted(groupBy(observed, (c) => c.supplierName ?? `supplier ${c.supplierId ?? '?'}`)).map(([name, cs]) => [
      name,
      { ...figures(cs), supplier_id: cs[0]?.supplierId ?? null },
    ]),
  );
  const bandOrder = (label: string): number => {
    const i = AMOUNT_BANDS.findIndex((b) => b.label === label);
    return i < 0 ? AMOUNT_BANDS.length : i;
  };
  const byBand = Object.fromEntries(
    [...groupBy(observed, (c) => amountBand(c.amount)).entries()]
      .sort(([a], [b]) => bandOrder(a) - bandOrder(b))
      .map(([band, cs]) => [band, figures(cs)]),
  );
  return {
    since: since ? since.toISOString() : null,
    cases: total.cases,
    awaiting_person: all.length - observed.length,
    agreed: total.agreed,
    agreement: total.agreement,
    ci_low: total.ci_low,
    ci_high: total.ci_high,
    false_release_value: total.false_release_value,
    coupa_writes: all.reduce((n, c) => n + c.coupaWrites, 0),
    by_exception_type: byType,
    by_supplier: bySupplier,
    by_amount_band: byBand,
    disagreements: observed
      .filter((c) => !c.agreed)
      .map((c) => ({
        invoice_id: c.invoiceId,
        exception_type: c.exceptionType,
        supplier: c.supplierName,
        amount: c.amount,
        agent: [c.agent.decision, c.agent.routeTo, c.agent.disputeReason].filter(Boolean).join(' '),
        person: [c.person!.decision, c.person!.routeTo, c.person!.disputeReason].filter(Boolean).join(' '),
        kind: c.disagreement ?? 'disagreement',
        person_login: c.person!.login,
      })),
  };
}
