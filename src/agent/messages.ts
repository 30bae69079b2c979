/**
 * The words Settle writes: supplier-facing messages (polite, no internal data — the guard's
 * output filter checks them again) and the justification text of a resolve.
 */
import type { AssessmentView, CitationView } from './assessment.js';

const MISSING_LABELS: Record<string, string> = {
  missing_vat_id: 'your VAT registration number (required on EU VAT invoices)',
  missing_invoice_date: 'the invoice date',
  missing_payment_term: 'the payment terms',
  missing_backup_documents: 'the supporting documents (timesheet, delivery note or statement of work)',
};

export function missingItems(a: AssessmentView): string[] {
  const items = a.findings
    .filter((f) => f.exception_type === 'missing_information')
    .map((f) => MISSING_LABELS[f.kind] ?? f.summary);
  return items.length ? [...new Set(items)] : ['the missing invoice details'];
}

function greeting(a: AssessmentView): string {
  return `Hello${a.supplier_name ? ` ${a.supplier_name}` : ''},`;
}

/** Billed beyond what the PO line allows: units on a quantity line, money on an amount line. */
const OVER_PO = new Set(['billed_over_ordered', 'amount_over_po']);

/** Why the invoice goes back, in supplier terms: the deciding line and its numbers, nothing internal. */
function supplierReason(a: AssessmentView): string {
  const deciding = a.findings.find((f) => OVER_PO.has(f.kind) || f.kind === 'price_over_contract') ?? a.findings[0];
  if (!deciding) return 'it does not match our purchase order';
  const fig = deciding.figures;
  const line = deciding.line ? `line ${deciding.line} ` : '';
  if (OVER_PO.has(deciding.kind)) {
    const billed = fig.cumulative ?? fig.billed;
    const ordered = fig.ordered;
    const prior =
      fig.alreadyInvoiced && fig.alreadyInvoiced !== '0' && fig.alreadyInvoiced !== '0.00'
        ? ` (${fig.alreadyInvoiced} of it on earlier invoices)`
        : '';
    return billed && ordered
      ? `${line}brings the total billed ${fig.basis ?? 'quantity'} to ${billed}${prior} while the purchase order allows ${ordered}`
      : `${line}bills more than the purchase order allows`;
  }
  if (deciding.kind === 'price_over_contract') {
    const price = fig.invoicePrice;
    const contract = fig.contractPrice;
    return price && contract
      ? `${line}is billed at ${price} per unit while the agreed contract price is ${contract}`
      : `${line}is billed above the agreed contract price`;
  }
  return `${line}does not match our purchase order`;
}

export function disputeMessage(a: AssessmentView): string {
  return [
    greeting(a),
    `we are returning invoice ${a.invoice_number ?? a.invoice_id} because ${supplierReason(a)}.`,
    'Please send a corrected invoice or a credit note for the difference, quoting the original invoice number.',
    'Thank you, Accounts Payable',
  ].join(' ');
}

export function informationRequest(a: AssessmentView, options: { replyRef?: number | null } = {}): string {
  return [
    greeting(a),
    // The reference makes each follow-up its own write (not an idempotent replay of the last one).
    ...(options.replyRef ? [`thank you for your reply (our reference R${options.replyRef}).`] : []),
    `to process invoice ${a.invoice_number ?? a.invoice_id} we need ${missingItems(a).join('; ')}.`,
    'Please reply to this message with the information or submit a corrected invoice.',
    'Thank you, Accounts Payable',
  ].join(' ');
}

export function firstCitation(citations: readonly CitationView[]): CitationView | undefined {
  return citations.find((c) => c.section_id);
}

export function resolveJustification(a: AssessmentView, citations: readonly CitationView[]): string {
  const within = a.controls_applied
    .filter((c) => c.within)
    .map((c) => `${c.control} ${c.actual} ≤ ${c.limit}`)
    .slice(0, 4);
  const cite = firstCitation(citations);
  return `Within policy: ${a.root_cause}${within.length ? ` Controls: ${within.join('; ')}.` : ''}${cite ? ` Per ${cite.section_id}.` : ''}`.slice(
    0,
    1_900,
  );
}

export function routeReason(a: AssessmentView): string {
  return `${a.root_cause} (${a.rule})`.slice(0, 1_900);
}

/** A search query that finds the governing clause for this assessment. */
export function policyQuery(a: AssessmentView): string {
  const kinds = a.findings.slice(0, 2).map((f) => f.kind.replace(/_/g, ' '));
  return `${a.exception_type.replace(/_/g, ' ')} ${a.suggested_decision} ${kinds.join(' ')}`.trim();
}
