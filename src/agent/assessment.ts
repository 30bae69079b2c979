/**
 * Typed views of the analysis results in a trace (the structured content the tools return), so
 * the planner, the verdict and the dossier read one shape.
 */
import { z } from 'zod';
import { ControlOut, FindingOut } from '../../tools/shared/output-schemas.js';
import { lastResult, type TraceEntry } from './trace.js';

const ControlView = ControlOut;
const FindingView = FindingOut;

export const AssessmentView = z.object({
  invoice_id: z.number(),
  invoice_number: z.string().nullable().default(null),
  status: z.string().default('ap_hold'),
  supplier_id: z.number().nullable().default(null),
  supplier_name: z.string().nullable().default(null),
  exception_type: z.string(),
  suggested_decision: z.enum(['resolve', 'route', 'dispute', 'hold', 'request_info']),
  route_to: z.string().nullable(),
  dispute_reason: z.string().nullable(),
  root_cause: z.string(),
  rule: z.string(),
  confidence: z.number(),
  invoice_total: z.string(),
  currency: z.string(),
  hint: z.object({ text: z.string(), type: z.string().nullable(), agrees: z.boolean().nullable() }),
  findings: z.array(FindingView),
  controls_applied: z.array(ControlView),
  suggested_coding: z
    .object({ account: z.string(), owner: z.string().nullable(), basis: z.string() })
    .nullable()
    .default(null),
  correction: z
    .object({
      invoice_id: z.number(),
      decision: z.enum(['resolve', 'route', 'dispute', 'hold', 'request_info']),
      route_to: z.string().nullable(),
      dispute_reason: z.string().nullable(),
      decided_by: z.string(),
      decided_at: z.string(),
    })
    .nullable()
    .optional()
    .catch(null),
});
export type AssessmentView = z.infer<typeof AssessmentView>;
export type FindingView = z.infer<typeof FindingView>;

export const CitationView = z.object({
  document: z.string(),
  section_id: z.string().nullable(),
  title: z.string(),
  text: z.string(),
  score: z.number(),
});
export type CitationView = z.infer<typeof CitationView>;

export const ResolutionView = z.object({
  document: z.string(),
  invoice_id: z.number().nullable(),
  exception_type: z.string().nullable(),
  decision: z.string().nullable(),
  decided_by: z.string().nullable(),
  summary: z.string(),
  score: z.number(),
});
export type ResolutionView = z.infer<typeof ResolutionView>;

/**
 * The assessment with a person's earlier correction of the same pattern applied: the suggestion
 * becomes what that person decided (the guard still checks the controls on it).
 */
export function assessmentOf(trace: readonly TraceEntry[]): AssessmentView | undefined {
  const entry = lastResult(trace, 'classify_exception');
  const parsed = AssessmentView.safeParse(entry?.structured);
  if (!parsed.success) return undefined;
  const a = parsed.data;
  const c = a.correction;
  if (!c || (c.decision === a.suggested_decision && (c.route_to ?? a.route_to) === a.route_to)) return a;
  return {
    ...a,
    suggested_decision: c.decision,
    route_to: c.decision === 'route' ? (c.route_to ?? a.route_to) : null,
    dispute_reason: c.decision === 'dispute' ? (c.dispute_reason ?? a.dispute_reason ?? 'OTHER') : null,
    rule: `${a.rule}; following ${c.decided_by}'s correction on invoice ${c.invoice_id} (the rules suggested ${a.suggested_decision})`,
  };
}

export function citationsOf(trace: readonly TraceEntry[]): CitationView[] {
  return trace
    .filter((t) => t.name === 'search_policies' && t.ok)
    .flatMap((t) => z.object({ results: z.array(CitationView) }).safeParse(t.structured).data?.results ?? []);
}

export function precedentsOf(trace: readonly TraceEntry[]): ResolutionView[] {
  return trace
    .filter((t) => t.name === 'find_similar_resolutions' && t.ok)
    .flatMap((t) => z.object({ results: z.array(ResolutionView) }).safeParse(t.structured).data?.results ?? []);
}
