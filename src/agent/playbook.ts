/**
 * The offline playbook: plans the next tool calls deterministically from the exception and the
 * findings — investigate → check → decide → act. It runs in a case session, so the invoice id is
 * implied and never part of its arguments. It never does money math itself: the decision
 * is the deterministic assessment's, and the guard re-checks every write.
 */
import { assessmentOf, citationsOf, precedentsOf, type AssessmentView } from './assessment.js';
import { renderDossier } from './dossier.js';
import {
  disputeMessage,
  informationRequest,
  missingItems,
  policyQuery,
  resolveJustification,
  routeReason,
} from './messages.js';
import { lastResult, type TraceEntry } from './trace.js';
import { HELD_STATUSES } from '../coupa/invoice-statuses.js';
import { DECISION_OF_TOOL, DECISION_TOOLS } from '../../tools/index.js';
import { changesOf } from '../../tools/request-supplier-change.js';

export interface PlannedCall {
  name: string;
  args: Record<string, unknown>;
}

export interface PlanInput {
  invoiceId: number;
  exceptionCode?: string | null | undefined;
  holdReason?: string | null | undefined;
  apReviewer: string;
  /** Re-opened by a supplier's answer (issue 25). */
  afterSupplierReply?: number | null | undefined;
  trace: readonly TraceEntry[];
}

export type PlanStep = { calls: PlannedCall[] } | { finish: string };

export const INJECTION_FLAG =
  'Supplier-written text contains instructions to this system; they were treated as data and ignored.';

export function flagsOf(a: AssessmentView): string[] {
  return a.findings.some((f) => f.kind === 'supplier_text_instruction') ? [INJECTION_FLAG] : [];
}

function actionCall(a: AssessmentView, input: PlanInput): PlannedCall {
  const citations = citationsOf(input.trace);
  switch (a.suggested_decision) {
    case 'resolve':
      return { name: 'resolve_exception', args: { justification: resolveJustification(a, citations) } };
    case 'route':
      return {
        name: 'route_to_approver',
        args: { approver_login: a.route_to ?? input.apReviewer, reason: routeReason(a) },
      };
    case 'dispute':
      return {
        name: 'dispute_invoice',
        args: { reason_code: a.dispute_reason ?? 'OTHER', supplier_message: disputeMessage(a) },
      };
    case 'request_info':
      // After a reply the message differs, so the write is not a replay of the first request: the tool
      // then sees what was answered (route it to a person) or is still pending (not asked again).
      return {
        name: 'request_information',
        args: {
          missing: missingItems(a),
          supplier_message: informationRequest(a, { replyRef: input.afterSupplierReply ?? null }),
        },
      };
    case 'hold':
      return {
        name: 'hold_invoice',
        args: {
          dossier: renderDossier({
            assessment: a,
            decision: 'hold',
            outcomeText: 'kept on hold',
            routeTo: null,
            disputeReason: null,
            citations,
            precedents: precedentsOf(input.trace),
            flags: flagsOf(a),
            confidence: a.confidence,
            brainLabel: 'Settle playbook planner',
          }),
        },
      };
  }
}

/**
 * Tax branch (a): before resolving, Coupa's wrong expected rate is corrected to the engine's
 * (the guard re-asks the engine and allows only those rates).
 */
function taxCorrection(a: AssessmentView): PlannedCall | undefined {
  if (a.suggested_decision !== 'resolve') return undefined;
  const wrong = a.findings.filter((f) => f.kind === 'tax_coupa_rate_wrong' && f.line && f.figures.correctRate);
  if (wrong.length === 0) return undefined;
  return {
    name: 'correct_tax_rate',
    args: {
      corrections: wrong.map((f) => ({ line_num: f.line!, tax_rate: f.figures.correctRate! })),
      justification: wrong
        .map((f) => f.summary)
        .join(' ')
        .slice(0, 2_000),
    },
  };
}

/** A denied write says what to do instead; the planner follows it to a safe route. */
function fallbackRoute(denial: TraceEntry, a: AssessmentView, input: PlanInput): PlannedCall {
  const login =
    /route_to_approver to "([^"]+)"/.exec(denial.text)?.[1] ??
    /AP reviewer "([^"]+)"/.exec(denial.text)?.[1] ??
    input.apReviewer;
  const target = denial.name === 'route_to_approver' && login === denial.args.approver_login ? input.apReviewer : login;
  return {
    name: 'route_to_approver',
    args: {
      approver_login: target,
      reason: `${routeReason(a)} — the guard refused ${denial.name}: ${denial.text.slice(0, 300)}`,
    },
  };
}

export function planNext(input: PlanInput): PlanStep {
  const { trace, invoiceId } = input;
  const classify = trace.filter((t) => t.name === 'classify_exception');
  if (classify.length === 0) {
    const hint = {
      ...(input.exceptionCode ? { exception_code: input.exceptionCode.slice(0, 100) } : {}),
      ...(input.holdReason ? { hold_reason: input.holdReason.slice(0, 1_000) } : {}),
    };
    return { calls: [{ name: 'classify_exception', args: { ...hint } }] };
  }
  const a = assessmentOf(trace);
  if (!a) return { finish: `Could not assess invoice ${invoiceId}: ${classify.at(-1)?.text ?? 'no result'}` };
  if (!HELD_STATUSES.has(a.status))
    return { finish: `Invoice ${invoiceId} is ${a.status}, not held in an exception: nothing to settle.` };

  if (!trace.some((t) => t.name === 'search_policies')) {
    return {
      calls: [
        { name: 'search_policies', args: { query: policyQuery(a), exception_type: a.exception_type, limit: 3 } },
        {
          name: 'find_similar_resolutions',
          args: { query: a.root_cause.slice(0, 400), exception_type: a.exception_type, limit: 3 },
        },
      ],
    };
  }

  const actions = trace.filter((t) => DECISION_TOOLS.has(t.name));
  const correction = taxCorrection(a);
  if (actions.length === 0 && correction && !trace.some((t) => t.name === 'correct_tax_rate'))
    return { calls: [correction] };
  if (actions.length === 0) return { calls: [actionCall(a, input)] };
  const last = actions.at(-1)!;
  // One safe fallback after a denial or failure; never loop on writes.
  if (!last.ok && actions.length === 1) return { calls: [fallbackRoute(last, a, input)] };

  const executed = actions.find((t) => t.ok && t.structured?.status === 'executed');
  // A registry contradicted the supplier master: pre-fill the change request for its approver (once).
  const changes = changesOf(a.findings);
  if (executed && changes.length && !trace.some((t) => t.name === 'request_supplier_change')) {
    return { calls: [{ name: 'request_supplier_change', args: { changes } }] };
  }
  if (executed && !lastResult(trace, 'record_resolution') && !trace.some((t) => t.name === 'record_resolution')) {
    const decision = DECISION_OF_TOOL.get(executed.name) ?? a.suggested_decision;
    return {
      calls: [
        {
          name: 'record_resolution',
          args: {
            exception_type: a.exception_type,
            decision,
            summary: `${a.root_cause} ${a.rule}.`.slice(0, 3_900),
            ...(a.supplier_id ? { supplier_id: a.supplier_id } : {}),
            ...(a.supplier_name ? { supplier_name: a.supplier_name } : {}),
          },
        },
      ],
    };
  }
  return { finish: `Settled invoice ${invoiceId}: ${a.exception_type} → ${a.suggested_decision}.` };
}
