/**
 * Ground truth for an open exception: from the findings a scenario planted to the expected
 * decision, applying case-format.md "When several findings apply" (riskiest first, the first
 * that fires decides) with the company's controls. Also builds the call-out event.
 */
import type { Controls } from '../../domain/controls.js';
import type { Decision, ExceptionType } from '../../domain/vocabulary.js';
import type { ExceptionEvent } from '../dataset.js';
import type { InvoiceDraft } from './context.js';
import type { Cents } from './money.js';
import { parseCents } from './money.js';
import type { Rng } from './rng.js';
import type { ExceptionLabel } from './types.js';

/** What is wrong with an invoice, as the scenario built it. */
export type Finding =
  | { kind: 'supplier_risk'; why: string }
  /** A registry contradicts the supplier master (VAT id, IBAN, US TIN): held for the change request. */
  | { kind: 'registry_mismatch'; what: string }
  /** The tax engine decides: (a) Coupa's rate wrong, (b) billed wrong, (c) use tax, (d) tax team. */
  | { kind: 'tax_engine'; branch: 'a' | 'b' | 'c' | 'd' }
  | { kind: 'duplicate' }
  | { kind: 'missing_information'; what: string }
  | { kind: 'missing_po'; budgetOwner: string }
  | { kind: 'billed_beyond_ordered' }
  | { kind: 'billed_beyond_received'; requester: string }
  | { kind: 'above_contract_price' }
  | { kind: 'outside_tolerance'; type: 'price_variance' | 'tax_variance' | 'other' }
  | { kind: 'within_tolerance'; type: 'price_variance' | 'tax_variance' };

export interface Verdict {
  exceptionType: ExceptionType;
  decision: Decision;
  routeTo?: string;
  disputeReason?: string;
}

const PRIORITY: ReadonlyArray<Finding['kind']> = [
  'supplier_risk',
  'registry_mismatch',
  'duplicate',
  'missing_information',
  'missing_po',
  'billed_beyond_ordered',
  'billed_beyond_received',
  'above_contract_price',
  'tax_engine',
  'outside_tolerance',
  'within_tolerance',
];

/** The expected verdict: the highest-priority finding decides (case-format.md, steps 1–6). */
export function decide(
  findings: Finding[],
  facts: { grossTotal: Cents; supplierIsNew: boolean },
  controls: Controls,
): Verdict {
  const ranked = [...findings].sort((a, b) => PRIORITY.indexOf(a.kind) - PRIORITY.indexOf(b.kind));
  const top = ranked[0];
  if (!top) throw new RangeError('an exception needs at least one finding');
  switch (top.kind) {
    case 'supplier_risk':
      return { exceptionType: 'supplier_data_mismatch', decision: 'hold' };
    case 'registry_mismatch':
      return { exceptionType: 'supplier_data_mismatch', decision: 'hold' };
    case 'duplicate':
      return { exceptionType: 'duplicate', decision: 'hold' };
    case 'missing_information':
      return { exceptionType: 'missing_information', decision: 'request_info' };
    case 'missing_po':
      return { exceptionType: 'missing_po', decision: 'route', routeTo: top.budgetOwner };
    case 'billed_beyond_ordered':
      return { exceptionType: 'quantity_variance', decision: 'dispute', disputeReason: 'INCORRECT-QUANTITY' };
    case 'billed_beyond_received':
      return { exceptionType: 'missing_receipt', decision: 'route', routeTo: top.requester };
    case 'above_contract_price':
      return { exceptionType: 'price_variance', decision: 'dispute', disputeReason: 'INCORRECT-PRICE' };
    case 'tax_engine':
      return taxEngineVerdict(top.branch, controls);
    case 'outside_tolerance':
      return { exceptionType: top.type, decision: 'route', routeTo: controls.ap_reviewer };
    case 'within_tolerance': {
      if (facts.grossTotal > parseCents(controls.auto_resolve_max_invoice_total)) {
        return { exceptionType: top.type, decision: 'route', routeTo: controls.escalation_reviewer };
      }
      if (facts.supplierIsNew) return { exceptionType: top.type, decision: 'route', routeTo: controls.ap_reviewer };
      return { exceptionType: top.type, decision: 'resolve' };
    }
  }
}

/** The tax workflow per branch (issue 23): (a) correct Coupa's rate and resolve, (b) dispute, (c)/(d) the tax team. */
function taxEngineVerdict(branch: 'a' | 'b' | 'c' | 'd', controls: Controls): Verdict {
  if (branch === 'a') return { exceptionType: 'tax_variance', decision: 'resolve' };
  if (branch === 'b') return { exceptionType: 'tax_variance', decision: 'dispute', disputeReason: 'TAX-ERROR' };
  return { exceptionType: 'tax_variance', decision: 'route', routeTo: controls.tax_team };
}

/** The code a Coupa call-out would carry for each type of failure it saw. */
export const EXCEPTION_CODES: Record<ExceptionType, string> = {
  price_variance: 'PRICE_MISMATCH',
  quantity_variance: 'QUANTITY_MISMATCH',
  missing_receipt: 'RECEIPT_REQUIRED',
  missing_po: 'NO_PO_MATCH',
  tax_variance: 'TAX_MISMATCH',
  duplicate: 'POSSIBLE_DUPLICATE',
  supplier_data_mismatch: 'SUPPLIER_DATA_MISMATCH',
  missing_information: 'MISSING_REQUIRED_FIELD',
  other: 'TOLERANCE_FAILURE',
};
const ALL_CODES = Object.values(EXCEPTION_CODES);

/** A label whose invoice has no id yet (ids are given after every invoice exists). */
export interface PendingLabel {
  draft: InvoiceDraft;
  verdict: Verdict;
  tags: string[];
  forbidden?: Decision[];
  note: string;
  /** The call-out's `exception_code`; null when the call-out omitted it. */
  exceptionCode: string | null;
  holdReason: string;
}

/**
 * The code the call-out carries. `seenAs` is what Coupa's validation saw (a resubmitted duplicate
 * is seen as a quantity failure); a few percent lose the code or carry a wrong one, as real
 * call-outs do. Returns the code and a tag naming the noise, if any.
 */
export function drawExceptionCode(rng: Rng, seenAs: string): { code: string | null; tag?: string } {
  const noise = rng.weighted([
    ['none', 92],
    ['missing', 4],
    ['wrong', 4],
  ] as const);
  const wrong = rng.pick(ALL_CODES.filter((c) => c !== seenAs));
  if (noise === 'missing') return { code: null, tag: 'code_missing' };
  if (noise === 'wrong') return { code: wrong, tag: 'code_wrong' };
  return { code: seenAs };
}

/** The final label, once the invoice has its id. */
export function toLabel(pending: PendingLabel): ExceptionLabel {
  const id = pending.draft.record.id;
  if (id <= 0) throw new RangeError('label built before invoice ids were assigned');
  const event: ExceptionEvent = {
    event_type: 'invoice.exception.created',
    resource_id: id,
    hold_reason: pending.holdReason,
  };
  if (pending.exceptionCode !== null) event.exception_code = pending.exceptionCode;
  const { verdict } = pending;
  return {
    invoiceId: id,
    exceptionType: verdict.exceptionType,
    expectedDecision: verdict.decision,
    ...(verdict.routeTo ? { routeTo: verdict.routeTo } : {}),
    ...(verdict.disputeReason ? { disputeReason: verdict.disputeReason } : {}),
    ...(pending.forbidden?.length ? { forbidden: pending.forbidden } : {}),
    tags: pending.tags,
    event,
    note: pending.note,
  };
}
