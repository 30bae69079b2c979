/**
 * Autonomy is kept only while it is earned: over a rolling window, every autonomous slice's
 * labelled outcomes (shadow cases, QA reviews of its settlements) are counted, and a slice whose
 * agreement falls below its threshold — or that released money a person would not have — demotes
 * itself to assisted. The demotion is a runtime autonomy change by `settle`, audited and
 * announced in the next digest.
 */
import type { AuditSink } from '../guard/guard.js';
import { chooseMode, describeRule, type SourcedRule } from '../guard/autonomy.js';
import type { Controls } from '../domain/controls.js';
import type { AutonomyStore } from './autonomy-store.js';
import { RECOMMENDATION } from './report.js';
import { wilson } from './stats.js';

/** One decision of the agent that a person has judged. */
export interface LabelledOutcome {
  at: Date;
  source: 'shadow' | 'qa';
  invoiceId: number;
  exceptionType: string;
  supplierId: number | null;
  supplierNumber: string | null;
  amount: string | null;
  agreed: boolean;
  /** The agent released (resolved) and the person would not have. */
  falseRelease: boolean;
}

export interface DemotionPolicy {
  windowDays: number;
  /** Below this many outcomes in the window a slice is not judged. */
  minCases: number;
  threshold: number;
}

export const DEFAULT_DEMOTION: DemotionPolicy = {
  windowDays: 30,
  minCases: 10,
  threshold: RECOMMENDATION.autonomousAgreement,
};

export interface Demotion {
  rule: SourcedRule;
  cases: number;
  agreed: number;
  ciLow: number;
  ciHigh: number;
  falseReleases: number;
  reason: string;
}

/**
 * Which autonomous rules should demote now. An outcome counts against the rule that governs its
 * slice today (first match wins), so a narrow promoted slice is judged on its own cases.
 */
export function findDemotions(
  rules: readonly SourcedRule[],
  outcomes: readonly LabelledOutcome[],
  now: Date,
  tags: Controls['supplier_tags'],
  globalMode: Controls['mode'],
  policy: DemotionPolicy = DEFAULT_DEMOTION,
): Demotion[] {
  const from = now.getTime() - policy.windowDays * 86_400_000;
  const recent = outcomes.filter((o) => o.at.getTime() >= from && o.at.getTime() <= now.getTime());
  const sliceOf = (o: LabelledOutcome) => ({
    exceptionType: o.exceptionType,
    supplierId: o.supplierId,
    supplierNumber: o.supplierNumber,
    amount: o.amount,
  });
  const groups: Array<{ rule: SourcedRule; outcomes: LabelledOutcome[] }> = rules.map((rule, index) => ({
    rule,
    outcomes:
      rule.rule.mode === 'autonomous'
        ? recent.filter((o) => chooseMode(rules, sliceOf(o), tags, globalMode).index === index)
        : [],
  }));
  // With autonomy as the global mode, each exception type no rule covers is judged on its own.
  if (globalMode === 'autonomous') {
    const uncovered = recent.filter((o) => chooseMode(rules, sliceOf(o), tags, globalMode).index === null);
    for (const type of [...new Set(uncovered.map((o) => o.exceptionType))].sort()) {
      groups.push({
        rule: { rule: { exception_type: type as never, mode: 'autonomous' }, source: 'global mode' },
        outcomes: uncovered.filter((o) => o.exceptionType === type),
      });
    }
  }
  const out: Demotion[] = [];
  for (const { rule: sourced, outcomes: mine } of groups) {
    if (sourced.rule.mode !== 'autonomous' || mine.length === 0) continue;
    const agreed = mine.filter((o) => o.agreed).length;
    const falseReleases = mine.filter((o) => o.falseRelease).length;
    const { low, high } = wilson(agreed, mine.length);
    const rate = agreed / mine.length;
    const below = mine.length >= policy.minCases && rate < policy.threshold;
    if (!below && falseReleases === 0) continue;
    const pct = `${(rate * 100).toFixed(1)}%`;
    const reason =
      falseReleases > 0
        ? `${falseReleases} false release(s) in the last ${policy.windowDays} days (${agreed}/${mine.length} agreed)`
        : `agreement ${pct} (95% CI ${(low * 100).toFixed(1)}–${(high * 100).toFixed(1)}%) over ${mine.length} reviewed cases in the last ${policy.windowDays} days, below ${(policy.threshold * 100).toFixed(0)}%`;
    out.push({ rule: sourced, cases: mine.length, agreed, ciLow: low, ciHigh: high, falseReleases, reason });
  }
  return out;
}

/** Record each demotion as a runtime change by `settle` and audit it. */
export async function applyDemotions(
  demotions: readonly Demotion[],
  deps: { store: AutonomyStore; audit: AuditSink; now: Date },
): Promise<void> {
  for (const d of demotions) {
    const rule = { ...d.rule.rule, mode: 'assisted' as const };
    await deps.store.record({ rule, kind: 'demotion', reason: d.reason, changedBy: 'settle', at: deps.now });
    await deps.audit.record({
      actor: 'settle',
      actorKind: 'system',
      tool: 'autonomy_demote',
      input: { rule, from: d.rule.rule.mode, source: d.rule.source },
      decision: 'executed',
      reason: d.reason,
      coupaCalls: 0,
      resultSummary: `${describeRule(d.rule.rule)} demoted to assisted`,
      idempotencyKey: null,
      invoiceId: null,
    });
  }
}
