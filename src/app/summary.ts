/**
 * The end-of-run summary of `settle start`: exceptions by type and decision, the auto-resolved
 * share, what waits for people, time and Coupa calls per exception.
 */
import { costLine, summariseCost, type CostSummary, type ModelPrice } from '../domain/cost.js';
import Table from 'cli-table3';
import type { Verdict } from '../agent/verdict.js';
import { median } from '../stats.js';

const DECISIONS = ['resolve', 'route', 'dispute', 'hold', 'request_info'] as const;

export interface RunSummary {
  exceptions: number;
  byDecision: Record<string, number>;
  autoResolvedShare: number;
  proposed: number;
  shadowed: number;
  notActionable: number;
  medianMs: number;
  meanCoupaCalls: number;
  medianCoupaCalls: number;
}

export function summarize(verdicts: readonly Verdict[]): RunSummary {
  const acted = verdicts.filter((v) => v.outcome !== 'not_actionable');
  const byDecision = Object.fromEntries(DECISIONS.map((d) => [d, acted.filter((v) => v.decision === d).length]));
  const resolved = acted.filter((v) => v.decision === 'resolve' && v.executed).length;
  const calls = acted.map((v) => v.coupa_calls);
  return {
    exceptions: acted.length,
    byDecision,
    autoResolvedShare: acted.length ? resolved / acted.length : 0,
    proposed: acted.filter((v) => v.outcome === 'proposed').length,
    shadowed: acted.filter((v) => v.outcome === 'shadow').length,
    notActionable: verdicts.length - acted.length,
    medianMs: median(acted.map((v) => v.duration_ms)),
    meanCoupaCalls: calls.length ? calls.reduce((a, b) => a + b, 0) / calls.length : 0,
    medianCoupaCalls: median(calls),
  };
}

/** Exceptions by type (rows) and decision (columns). */
export function decisionTable(verdicts: readonly Verdict[]): string {
  const table = new Table({
    head: ['exception type', ...DECISIONS, 'total', 'median ms', 'Coupa calls'],
    style: { head: [], border: [], compact: true },
  });
  const types = [
    ...new Set(verdicts.filter((v) => v.outcome !== 'not_actionable').map((v) => v.exception_type)),
  ].sort();
  for (const type of types) {
    const rows = verdicts.filter((v) => v.exception_type === type && v.outcome !== 'not_actionable');
    table.push([
      type,
      ...DECISIONS.map((d) => rows.filter((v) => v.decision === d).length || ''),
      rows.length,
      Math.round(median(rows.map((v) => v.duration_ms))),
      median(rows.map((v) => v.coupa_calls)),
    ]);
  }
  return table.toString();
}

/** How the run's cost is reported: model prices, and the run's Coupa calls when counted at the client (batched reads included). */
export interface CostOptions {
  price?: ModelPrice | undefined;
  /** Every Coupa call of the run (token requests excluded); default: the sum of the verdicts' own calls. */
  runCoupaCalls?: number | undefined;
}

/** The run's cost per settled exception (acted-on exceptions only). */
export function runCost(verdicts: readonly Verdict[], options: CostOptions = {}): CostSummary {
  const acted = verdicts.filter((v) => v.outcome !== 'not_actionable');
  const own = verdicts.reduce((sum, v) => sum + v.coupa_calls, 0);
  const extra =
    options.runCoupaCalls === undefined
      ? verdicts.filter((v) => v.outcome === 'not_actionable').reduce((sum, v) => sum + v.coupa_calls, 0)
      : Math.max(0, options.runCoupaCalls - own) +
        verdicts.filter((v) => v.outcome === 'not_actionable').reduce((sum, v) => sum + v.coupa_calls, 0);
  return summariseCost(acted, options.price, extra);
}

export function summaryText(verdicts: readonly Verdict[], cost: CostOptions = {}): string {
  const s = summarize(verdicts);
  const pct = (n: number): string => `${(n * 100).toFixed(1)}%`;
  return [
    decisionTable(verdicts),
    `${s.exceptions} exceptions settled: auto-resolved ${s.byDecision.resolve ?? 0} (${pct(s.autoResolvedShare)}), routed ${s.byDecision.route ?? 0}, held ${s.byDecision.hold ?? 0}, disputed ${s.byDecision.dispute ?? 0}, information requested ${s.byDecision.request_info ?? 0}` +
      `${s.proposed ? `, ${s.proposed} proposed for approval` : ''}${s.shadowed ? `, ${s.shadowed} decided in shadow (nothing written to Coupa)` : ''}${s.notActionable ? `; ${s.notActionable} not actionable` : ''}.`,
    `Median ${Math.round(s.medianMs)} ms per exception; Coupa calls per exception: mean ${s.meanCoupaCalls.toFixed(1)}, median ${s.medianCoupaCalls}.`,
    `${costLine(runCost(verdicts, cost))}.`,
  ].join('\n');
}

export interface SummaryJson {
  exceptions: number;
  not_actionable: number;
  auto_resolved_share: number;
  median_ms: number;
  mean_coupa_calls: number;
  /** Cost per settled exception: Coupa calls (the run's batched reads spread over it), model tokens, model cost (null without prices). */
  cost_per_exception: { coupa_calls: number; tokens_in: number; tokens_out: number; model_cost: string | null };
  by_exception_type: Record<
    string,
    {
      decisions: Record<string, number>;
      outcomes: { executed: number; proposed: number; shadow: number; failed: number };
    }
  >;
}

/** The run's summary for scripts (`settle start --json FILE`). */
export function summaryJson(verdicts: readonly Verdict[], cost: CostOptions = {}): SummaryJson {
  const s = summarize(verdicts);
  const c = runCost(verdicts, cost).perException;
  const byType: SummaryJson['by_exception_type'] = {};
  for (const v of verdicts) {
    if (v.outcome === 'not_actionable') continue;
    const t = (byType[v.exception_type] ??= {
      decisions: {},
      outcomes: { executed: 0, proposed: 0, shadow: 0, failed: 0 },
    });
    t.decisions[v.decision] = (t.decisions[v.decision] ?? 0) + 1;
    if (v.outcome === 'executed' || v.outcome === 'proposed' || v.outcome === 'shadow' || v.outcome === 'failed')
      t.outcomes[v.outcome] += 1;
  }
  return {
    exceptions: s.exceptions,
    not_actionable: s.notActionable,
    auto_resolved_share: s.autoResolvedShare,
    median_ms: s.medianMs,
    mean_coupa_calls: s.meanCoupaCalls,
    cost_per_exception: {
      coupa_calls: Number(c.coupaCalls),
      tokens_in: Number(c.tokensIn),
      tokens_out: Number(c.tokensOut),
      model_cost: c.money,
    },
    by_exception_type: Object.fromEntries(Object.entries(byType).sort(([a], [b]) => a.localeCompare(b))),
  };
}
