/**
 * Earned autonomy: the mode a write runs in is chosen per slice — exception type, supplier (id,
 * number or tag) and invoice amount — by the first matching rule, the global mode otherwise.
 * Rules come from the controls file plus the promotions and demotions people (or the rolling
 * agreement check) made at runtime, which are read first. The slice is re-derived from Coupa at
 * call time, like the controls: nothing the caller says picks the mode.
 */
import { Decimal } from 'decimal.js';
import type { ConfidenceGate } from '../domain/calibration-artifact.js';
import type { AutonomyRule, Controls, Mode } from '../domain/controls.js';
import type { ToolContext } from './context.js';

/** What a rule can match on, read from Coupa for the invoice a write concerns. */
export interface Slice {
  exceptionType: string | null;
  supplierId: number | null;
  supplierNumber: string | null;
  /** Invoice gross total as decimal text, null when unreadable. */
  amount: string | null;
  /** The assessment's raw confidence, re-derived like the rest (absent: no confidence gate applies). */
  confidence?: number | null;
}

/** A rule together with where it came from (the controls file or a runtime change). */
export interface SourcedRule {
  rule: AutonomyRule;
  /** `controls #2`, `promoted by jlee 2026-11-24`, `demoted: agreement 81% < 90%` … */
  source: string;
}

/** Which mode applies and why; the reason goes on every audit row of the call. */
export interface AutonomyChoice {
  mode: Mode;
  /** Human-readable: the matched rule's name and source, or the global default. */
  rule: string;
  /** Position of the matched rule in the list, null for the global mode. */
  index: number | null;
}

/** The invoice's slice, as the composition root reads it (classification lives above the guard). */
export type SliceReader = (ctx: ToolContext, invoiceId: number) => Promise<Slice | null>;

const asList = <T>(v: T | T[] | undefined): T[] | undefined =>
  v === undefined ? undefined : Array.isArray(v) ? v : [v];

function supplierMatches(rule: AutonomyRule, slice: Slice, tags: Controls['supplier_tags']): boolean {
  const keys = new Set([slice.supplierId, slice.supplierNumber].filter((k) => k !== null).map((k) => String(k).trim()));
  const named = asList(rule.supplier);
  if (named && !named.some((s) => keys.has(String(s).trim()))) return false;
  if (rule.supplier_tag !== undefined) {
    const members = tags[rule.supplier_tag] ?? [];
    if (!members.some((s) => keys.has(String(s).trim()))) return false;
  }
  return true;
}

function amountMatches(rule: AutonomyRule, amount: string | null): boolean {
  if (rule.amount_min === undefined && rule.amount_max === undefined) return true;
  // An unreadable amount never falls into a bounded range: the rule does not apply.
  if (amount === null) return false;
  let value: Decimal;
  try {
    value = new Decimal(amount);
  } catch {
    return false;
  }
  if (rule.amount_min !== undefined && value.lessThan(rule.amount_min)) return false;
  if (rule.amount_max !== undefined && !value.lessThan(rule.amount_max)) return false;
  return true;
}

/** True when the rule's every condition holds for the slice (an empty rule matches everything). */
export function ruleMatches(rule: AutonomyRule, slice: Slice, tags: Controls['supplier_tags'] = {}): boolean {
  const types = asList(rule.exception_type);
  if (types && (slice.exceptionType === null || !types.includes(slice.exceptionType as never))) return false;
  return supplierMatches(rule, slice, tags) && amountMatches(rule, slice.amount);
}

/** A rule in one line, for audit rows, the report and the review page. */
export function describeRule(rule: AutonomyRule): string {
  const parts = [
    rule.exception_type ? `type ${asList(rule.exception_type)!.join('|')}` : null,
    rule.supplier !== undefined ? `supplier ${asList(rule.supplier)!.join('|')}` : null,
    rule.supplier_tag ? `tag ${rule.supplier_tag}` : null,
    rule.amount_min !== undefined || rule.amount_max !== undefined
      ? `amount ${rule.amount_min ?? '0'}–${rule.amount_max ?? '∞'}`
      : null,
  ].filter(Boolean);
  return `${parts.length ? parts.join(', ') : 'every slice'} → ${rule.mode}`;
}

/** First match wins; no match (or no slice) is the global mode. */
export function chooseMode(
  rules: readonly SourcedRule[],
  slice: Slice | null,
  tags: Controls['supplier_tags'],
  globalMode: Mode,
): AutonomyChoice {
  if (slice) {
    for (const [index, { rule, source }] of rules.entries()) {
      if (ruleMatches(rule, slice, tags))
        return { mode: rule.mode, rule: `${rule.name ?? describeRule(rule)} (${source})`, index };
    }
  }
  return { mode: globalMode, rule: 'global mode', index: null };
}

export interface AutonomyResolverDeps {
  /** Runtime promotions/demotions first, then the controls file's rules. */
  rules(): Promise<SourcedRule[]>;
  sliceOf: SliceReader;
  /** The calibration in force, if any: an autonomous write under its type's threshold waits for a person. */
  confidenceGate?: () => Promise<ConfidenceGate | null>;
}

/**
 * Autonomy is for high-confidence cases only: under a calibration, an autonomous choice whose
 * calibrated confidence is below its exception type's threshold becomes assisted, with
 * "low confidence" and the figures as the reason.
 */
export function gateByConfidence(
  choice: AutonomyChoice,
  slice: Slice | null,
  gate: ConfidenceGate | null,
): AutonomyChoice {
  if (choice.mode !== 'autonomous' || !gate || !slice || slice.confidence === undefined || slice.confidence === null)
    return choice;
  const type = slice.exceptionType ?? 'other';
  const p = gate.calibrate(type, slice.confidence);
  const { threshold } = gate.threshold(type);
  if (threshold !== null && p >= threshold) return choice;
  const why =
    threshold === null
      ? `no confidence is high enough for ${type} to settle alone`
      : `${p.toFixed(3)} is below the ${type} threshold ${threshold.toFixed(3)}`;
  return {
    mode: 'assisted',
    rule: `low confidence: ${why} (${gate.label}; otherwise ${choice.rule})`,
    index: choice.index,
  };
}

/** The guard's hook: the mode for one write on one invoice. */
export type AutonomyResolver = (
  ctx: ToolContext,
  invoiceId: number | null,
  globalMode: Mode,
) => Promise<AutonomyChoice>;

export function createAutonomyResolver(deps: AutonomyResolverDeps): AutonomyResolver {
  return async (ctx, invoiceId, globalMode) => {
    const rules = await deps.rules();
    const gate = (await deps.confidenceGate?.()) ?? null;
    // No rules and no calibration to hold an autonomous write back (the common case) costs no Coupa read.
    if (invoiceId === null || (rules.length === 0 && (gate === null || globalMode !== 'autonomous')))
      return { mode: globalMode, rule: 'global mode', index: null };
    const slice = await deps.sliceOf(ctx, invoiceId);
    return gateByConfidence(chooseMode(rules, slice, ctx.controls.supplier_tags, globalMode), slice, gate);
  };
}

/** The controls file's rules, labelled by position. */
export function controlsRules(controls: Pick<Controls, 'autonomy'>): SourcedRule[] {
  return controls.autonomy.map((rule, i) => ({ rule, source: `controls rule ${i + 1}` }));
}
