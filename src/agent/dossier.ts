/**
 * The internal dossier comment: what an AP analyst reads on the invoice in Coupa. Written to be
 * understood in under two minutes — what failed, the numbers side by side, the policy clause,
 * what was done (or is suggested) and why. Plain text, because Coupa comments are plain text.
 */
import type { AssessmentView, CitationView, ResolutionView } from './assessment.js';

export interface DossierInput {
  assessment: AssessmentView;
  decision: string;
  /** e.g. "executed", "proposed — waiting for an approver", "not executed". */
  outcomeText: string;
  routeTo: string | null;
  disputeReason: string | null;
  citations: readonly CitationView[];
  precedents: readonly ResolutionView[];
  flags: readonly string[];
  confidence: number;
  brainLabel: string;
  /** Why the decision taken differs from the one the checks suggest (budget stop, guard refusal, model's choice). */
  deviation?: string | undefined;
}

const DECISION_WORDS: Record<string, string> = {
  resolve: 'Resolve — tolerances cleared, invoice continues to approvals',
  route: 'Route to',
  dispute: 'Dispute back to the supplier',
  hold: 'Keep on hold for AP review',
  request_info: 'Request information from the supplier',
};

function decisionLine(d: DossierInput): string {
  const base = DECISION_WORDS[d.decision] ?? d.decision;
  if (d.decision === 'route') return `${base} ${d.routeTo ?? '?'}`;
  if (d.decision === 'dispute' && d.disputeReason) return `${base} (${d.disputeReason})`;
  return base;
}

function figuresLine(figures: Record<string, string>): string {
  return Object.entries(figures)
    .filter(([k]) => k !== 'currency')
    .map(([k, v]) => `${k} ${v}`)
    .join(' | ');
}

/** First sentence of a clause, so the dossier quotes rather than pastes. */
function clauseExcerpt(text: string): string {
  const body = text
    .replace(/^#+.*\n/, '')
    .replace(/\s+/g, ' ')
    .trim();
  const sentence = /^(.{20,220}?[.;])\s/.exec(body)?.[1] ?? body.slice(0, 220);
  return sentence;
}

export function renderDossier(d: DossierInput): string {
  const a = d.assessment;
  const lines: string[] = [];
  lines.push(
    `SETTLE DOSSIER — invoice ${a.invoice_number ?? a.invoice_id}${a.supplier_name ? ` from ${a.supplier_name}` : ''} (${a.invoice_total} ${a.currency})`,
  );
  const hint = a.hint.type
    ? ` (event said ${a.hint.text}${a.hint.agrees === false ? ' — the records disagree' : ''})`
    : '';
  lines.push(`Exception: ${a.exception_type}${hint}`);
  lines.push(`Decision: ${decisionLine(d)} — ${d.outcomeText}`);
  lines.push(`Root cause: ${a.root_cause}`);
  const shown = a.findings.filter((f) => f.kind !== 'new_supplier' || a.suggested_decision !== 'resolve').slice(0, 6);
  if (shown.length) {
    lines.push('What failed (numbers side by side):');
    for (const f of shown) {
      const figures = figuresLine(f.figures);
      lines.push(`- ${f.line ? `line ${f.line} ` : ''}${f.kind.replace(/_/g, ' ')}: ${figures || f.summary}`);
    }
  }
  // Which tax engine answered, its date and the jurisdiction breakdown (issue 23).
  const engine = [
    ...new Set(a.findings.flatMap((f) => f.evidence.filter((e) => /^(engine|jurisdictions):/.test(e)))),
  ].slice(0, 4);
  if (engine.length) {
    lines.push('Tax engine:');
    for (const e of engine) lines.push(`- ${e}`);
  }
  const controls = a.controls_applied.slice(0, 6);
  if (controls.length) {
    lines.push('Controls:');
    for (const c of controls)
      lines.push(`- ${c.control}: ${c.actual} vs limit ${c.limit} — ${c.within ? 'within' : 'EXCEEDED'}`);
  }
  const cited = d.citations.filter((c) => c.section_id).slice(0, 2);
  if (cited.length) {
    lines.push('Policy:');
    for (const c of cited) lines.push(`- ${c.section_id} ${c.title}: "${clauseExcerpt(c.text)}"`);
  }
  if (a.suggested_coding) {
    lines.push(
      `Suggested coding: GL ${a.suggested_coding.account}${a.suggested_coding.owner ? ` (budget owner ${a.suggested_coding.owner})` : ''} — ${a.suggested_coding.basis}`,
    );
  }
  const precedents = d.precedents.filter((p) => p.decision).slice(0, 3);
  if (precedents.length) {
    lines.push(
      `Precedent: ${precedents.map((p) => `${p.exception_type ?? '?'} → ${p.decision}${p.decided_by ? ` by ${p.decided_by}` : ''}`).join('; ')}`,
    );
  }
  for (const flag of d.flags) lines.push(`Flag: ${flag}`);
  // A reader must never see "Decision: route" explained by a rule that says "resolve".
  lines.push(
    d.decision === a.suggested_decision
      ? `Why: ${a.rule}.`
      : `Why: ${d.deviation ?? `${d.decision} was chosen over the suggested ${a.suggested_decision}`}; the checks alone suggest ${a.suggested_decision} (${a.rule}).`,
  );
  lines.push(`Confidence ${d.confidence.toFixed(2)} · ${d.brainLabel}`);
  return lines.join('\n');
}
