/**
 * From the records to findings and the case-format `exception_type`: every check runs on the
 * invoice and its context (not on the event's hint, which may be missing or wrong); the riskiest
 * finding names the type.
 */
import { checkUnplannedCharges } from './charges.js';
import type { InvoiceContext } from './context.js';
import type { Controls } from './controls.js';
import {
  duplicateFindings,
  findDuplicateCandidates,
  POSSIBLE_DUPLICATE,
  type DuplicateCandidate,
} from './duplicates.js';
import { finding, sortByRisk, type Finding } from './findings.js';
import type { HintReading } from './hint.js';
import { matchInvoice } from './match.js';
import { checkReadProblems } from './read-problems.js';
import { checkRequiredData } from './required-data.js';
import { checkRegistries } from './registry-check.js';
import { checkSupplier } from './supplier.js';
import { checkTax, checkVatId } from './tax.js';
import { checkTaxAgainstEngine } from './tax-engine-check.js';
import type { ExceptionType } from './vocabulary.js';

const OVER_BILLED = new Set(['billed_over_ordered', 'billed_over_received', 'amount_over_po']);

/**
 * A resubmitted copy with a new number fails matching because the original already consumed the
 * PO line; that is a duplicate, not a quantity problem. A candidate with the same lines and
 * amount that scored below the threshold (e.g. dated more than a week apart) explains the failure.
 */
function duplicateExplainingOverBilling(
  candidates: readonly DuplicateCandidate[],
  matching: readonly Finding[],
): Finding[] {
  const overBilled = matching.filter((f) => OVER_BILLED.has(f.kind));
  if (overBilled.length === 0 || candidates.some((c) => c.isDuplicate)) return [];
  const original = candidates.find((c) => c.sameLines && c.sameAmount && c.score >= POSSIBLE_DUPLICATE && c.consumesPo);
  if (!original) return [];
  const state = original.paid ? 'paid' : original.status;
  return [
    finding(
      'duplicate',
      `Resubmitted copy of invoice ${original.invoiceNumber} (id ${original.invoiceId}, ${state}): same lines and amount, and the original already consumed the PO line, which is why line ${overBilled[0]?.lineNum ?? '?'} fails matching.`,
      {
        originalInvoiceId: String(original.invoiceId),
        originalInvoiceNumber: original.invoiceNumber,
        originalStatus: state,
        score: original.score.toFixed(2),
        explains: overBilled.map((f) => f.kind).join(','),
      },
      [
        `invoice ${original.invoiceNumber} (id ${original.invoiceId}, ${state})`,
        ...original.reasons,
        ...overBilled.map((f) => f.summary),
      ],
    ),
  ];
}

/** Runs every check and returns the findings, riskiest first. */
export function collectFindings(
  ctx: InvoiceContext,
  controls: Controls,
  now: Date,
): { findings: Finding[]; duplicates: DuplicateCandidate[] } {
  const duplicates = findDuplicateCandidates(ctx, controls);
  // A tax engine's answer, when there is one, replaces the check against the invoice's own rate.
  const matching = [
    ...matchInvoice(ctx),
    ...(checkTaxAgainstEngine(ctx, controls) ?? checkTax(ctx)),
    ...checkUnplannedCharges(ctx),
  ];
  const findings = [
    ...checkSupplier(ctx, controls, now),
    ...checkRegistries(ctx),
    ...duplicateFindings(duplicates),
    ...duplicateExplainingOverBilling(duplicates, matching),
    ...checkReadProblems(ctx),
    ...checkRequiredData(ctx),
    ...checkVatId(ctx),
    ...matching,
  ];
  return { findings: sortByRisk(findings), duplicates };
}

/** Kinds that never name the exception type by themselves (they only gate `resolve`). */
export const GATE_ONLY_KINDS: ReadonlySet<string> = new Set([
  'new_supplier',
  'supplier_text_instruction',
  'unreadable_field',
]);

/** The exception type the records show: the riskiest finding's, else the hint's, else `other`. */
export function exceptionTypeOf(findings: readonly Finding[], hint: HintReading): ExceptionType {
  const first = sortByRisk(findings).find((f) => !GATE_ONLY_KINDS.has(f.kind));
  return first?.exceptionType ?? hint.type ?? 'other';
}
