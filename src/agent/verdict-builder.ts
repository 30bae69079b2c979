/**
 * Builds the verdict from the trace: the decision is what the guard actually executed or
 * proposed, not what the brain says it did.
 */
import type { Decision, ExceptionType } from '../domain/vocabulary.js';
import { hashOf } from '../guard/canonical.js';
import { assessmentOf, citationsOf, type AssessmentView } from './assessment.js';
import { flagsOf } from './playbook.js';
import { AGENT_WRITE_TOOLS, DECISION_OF_TOOL, DECISION_TOOLS } from '../../tools/index.js';
import type { TraceEntry } from './trace.js';
import type { Outcome, Verdict } from './verdict.js';

export interface VerdictFacts {
  invoiceId: number;
  trace: readonly TraceEntry[];
  brain: 'planner' | 'llm';
  model: string | null;
  fellBack: boolean;
  extraFlags: string[];
  toolCalls: number;
  coupaCalls: number;
  tokens: number;
  tokensIn?: number;
  tokensOut?: number;
  durationMs: number;
  mode: string;
  settledAt: Date;
  /** Why no assessment exists (invoice not found, Coupa down), when that is the case. */
  failure?: string | undefined;
  /** The invoice is missing or not held: nothing was, or should have been, done. */
  notActionable?: boolean;
}

/** The primary action: the last write that carried out a decision (executed or proposed). */
export function primaryAction(trace: readonly TraceEntry[]): TraceEntry | undefined {
  return [...trace]
    .reverse()
    .find(
      (t) =>
        DECISION_TOOLS.has(t.name) &&
        t.ok &&
        (t.structured?.status === 'executed' ||
          t.structured?.status === 'proposed' ||
          t.structured?.status === 'shadow'),
    );
}

function evidenceOf(a: AssessmentView): Verdict['evidence'] {
  return a.findings.slice(0, 12).map((f) => ({
    source: `${f.kind}${f.line ? ` (line ${f.line})` : ''}`,
    detail: [f.summary, ...f.evidence.slice(0, 3)].join(' — ').slice(0, 600),
  }));
}

export function buildVerdict(facts: VerdictFacts): Verdict {
  const a = facts.notActionable ? undefined : assessmentOf(facts.trace);
  const primary = primaryAction(facts.trace);
  const decision: Decision = primary ? DECISION_OF_TOOL.get(primary.name)! : (a?.suggested_decision ?? 'hold');
  // Not actionable only when there is provably nothing to do (invoice gone or no longer held); a
  // run that could not read or write Coupa failed and must be retried.
  const status = primary?.structured?.status;
  const outcome: Outcome = primary
    ? status === 'executed'
      ? 'executed'
      : status === 'shadow'
        ? 'shadow'
        : 'proposed'
    : facts.notActionable
      ? 'not_actionable'
      : 'failed';
  const writes = facts.trace.filter((t) => AGENT_WRITE_TOOLS.has(t.name));
  const citations = citationsOf(facts.trace).filter((c) => c.section_id);
  const citedIds = new Set<string>();
  return {
    invoice_id: facts.invoiceId,
    invoice_number: a?.invoice_number ?? null,
    supplier: { id: a?.supplier_id ?? null, name: a?.supplier_name ?? null },
    exception_type: (a?.exception_type ?? 'other') as ExceptionType,
    decision,
    outcome,
    executed: outcome === 'executed',
    route_to: decision === 'route' ? String(primary?.args.approver_login ?? a?.route_to ?? '') || null : null,
    dispute_reason:
      decision === 'dispute' ? String(primary?.args.reason_code ?? a?.dispute_reason ?? '') || null : null,
    root_cause: a?.root_cause ?? facts.failure ?? 'No assessment was possible.',
    rule: a?.rule ?? null,
    evidence: a ? evidenceOf(a) : [{ source: 'settle', detail: facts.failure ?? 'no records' }],
    policy_citations: citations
      .filter((c) => !citedIds.has(c.section_id!) && citedIds.add(c.section_id!))
      .map((c) => ({ document: c.document, section_id: c.section_id!, title: c.title })),
    suggested_coding: a?.suggested_coding ?? null,
    flags: [...(a ? flagsOf(a) : []), ...facts.extraFlags],
    actions: writes.map((t) => ({
      tool: t.name,
      outcome: !t.ok
        ? /denied/i.test(t.text)
          ? ('denied' as const)
          : ('error' as const)
        : t.structured?.status === 'proposed'
          ? ('proposed' as const)
          : t.structured?.status === 'shadow'
            ? ('shadow' as const)
            : ('executed' as const),
      detail: t.text.slice(0, 300),
    })),
    proposal_ids: writes.map((t) => t.structured?.proposal_id).filter((p): p is string => typeof p === 'string'),
    confidence: Math.max(0, Math.min(1, (a?.confidence ?? 0.3) - (facts.fellBack ? 0.1 : 0) - (primary ? 0 : 0.2))),
    brain: facts.brain,
    model: facts.model,
    fell_back: facts.fellBack,
    tool_calls: facts.toolCalls,
    coupa_calls: facts.coupaCalls,
    tokens: facts.tokens,
    tokens_in: facts.tokensIn ?? 0,
    tokens_out: facts.tokensOut ?? 0,
    duration_ms: facts.durationMs,
    // The mode the primary action ran in (an autonomy rule may differ from the global mode).
    mode: typeof primary?.structured?.mode === 'string' ? primary.structured.mode : facts.mode,
    settled_at: facts.settledAt.toISOString(),
    invoice_total: a?.invoice_total ?? null,
    currency: a?.currency ?? null,
    autonomy_rule:
      typeof primary?.structured?.autonomy_rule === 'string' && primary.structured.autonomy_rule !== 'global mode'
        ? primary.structured.autonomy_rule
        : null,
    // No fingerprint for a failed run: the runner must not skip the retry as "unchanged".
    facts:
      a && outcome !== 'failed'
        ? hashOf({
            status: a.status,
            exception_type: a.exception_type,
            suggested_decision: a.suggested_decision,
            route_to: a.route_to,
            root_cause: a.root_cause,
          })
        : null,
  };
}
