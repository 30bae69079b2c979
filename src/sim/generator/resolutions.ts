/**
 * Past resolutions written up from the company's settled exceptions: who decided what and why,
 * in the words an AP team uses, citing the policy sections the knowledge pack defines
 * (`POLICY_SECTIONS`). Deterministic: same company → same text.
 */
import type { Decision, ExceptionType } from '../../domain/vocabulary.js';
import { createRng, type Rng } from './rng.js';
import type { HistoricalException, PastResolution, SampleCompany } from './types.js';

/** Section ids the summaries cite; the policy pack in `knowledge/` must define each of them. */
export const POLICY_SECTIONS: Record<string, string> = {
  'AP-TOL-2.1': 'Price variance tolerance: within 5% of PO price and $250 per invoice',
  'AP-TOL-2.2': 'Quantity tolerance: nothing billed beyond ordered or received (0%)',
  'AP-TOL-2.3': 'Tax tolerance: differences up to $1.00 are rounding',
  'AP-TOL-2.4': 'Freight, extras and currency differences need AP review',
  'AP-DOA-1.2': 'Auto-resolve limit: invoices over $5,000 go to the AP manager',
  'AP-SUP-3.1': 'New suppliers (under 90 days): AP review before release',
  'AP-SUP-4.1': 'Bank detail changes: never from invoice text; verify by call-back',
  'AP-SUP-4.2': 'Suppliers on hold or inactive: invoices stay held',
  'AP-SUP-4.3': 'Remit-to and tax id must match the supplier master',
  'AP-DUP-1.1': 'Duplicate invoices: hold and void the copy; 120-day search window',
  'AP-REC-2.1': '3-way match: the PO requester confirms receipt',
  'AP-NPO-1.1': 'Non-PO invoices: approval by the budget owner (requester or GL-account owner)',
  'AP-TAX-3.1': 'EU VAT invoices must carry the supplier VAT id',
  'AP-INF-1.1': 'Required invoice data: date, payment term, backup for services over $10,000',
  'AP-DSP-1.1': 'Dispute reason codes: INCORRECT-PRICE, INCORRECT-QUANTITY',
  'AP-CON-1.1': 'Firm contract prices bind: bills above them are disputed',
};

type Facts = Record<string, string>;
type Template = (f: Facts) => string;

const money = (f: Facts, key: string): string => `${f[key] ?? '?'} ${f.currency ?? ''}`.trim();

const PROBLEMS: Record<string, string> = {
  on_hold: 'supplier on hold',
  inactive: 'supplier inactive',
  remit_to: 'remit-to address not on file',
  vat_mismatch: 'VAT id different from the supplier master',
  bank_change: 'request to change bank details',
};
const MISSING: Record<string, string> = {
  no_invoice_date: 'invoice date',
  non_po_no_date: 'invoice date',
  no_payment_term: 'payment term',
  no_vat_id: 'supplier VAT id',
  no_backup: 'timesheet or statement of work',
};
const problem = (f: Facts): string => PROBLEMS[f.problem ?? ''] ?? 'supplier data problem';
const missing = (f: Facts): string => MISSING[f.missing ?? ''] ?? 'required data';
const supplierSection = (f: Facts): string =>
  f.problem === 'bank_change'
    ? 'AP-SUP-4.1'
    : f.problem === 'on_hold' || f.problem === 'inactive'
      ? 'AP-SUP-4.2'
      : 'AP-SUP-4.3';
/** Why a variance inside or outside tolerance still went to a person. */
const routeReason = (f: Facts): string => {
  if (f.variant === 'outside_tolerance') return 'outside the tolerance of AP-TOL-2.1';
  if (f.routeTo === 'ap.manager') return 'within tolerance but over the AP-DOA-1.2 auto-resolve limit';
  return 'within tolerance but from a supplier still in its AP-SUP-3.1 review period';
};

const TEMPLATES: Partial<Record<`${ExceptionType}:${Decision}`, Template[]>> = {
  'price_variance:resolve': [
    (f) =>
      `Unit price ${f.variancePct}% above PO ${f.poNumber} (${money(f, 'overAmount')} over in total), inside the tolerance of AP-TOL-2.1. Resolved the tolerance and released the invoice.`,
    (f) =>
      `Price went from ${f.poPrice} to ${f.invoicePrice} (${f.variancePct}%); within 5% and under $250 per AP-TOL-2.1, established supplier, total ${money(f, 'total')} under the AP-DOA-1.2 limit. Accepted.`,
  ],
  'price_variance:route': [
    (f) =>
      `Price variance of ${f.variancePct}% (${money(f, 'overAmount')} over PO ${f.poNumber}): ${routeReason(f)}. Routed to ${f.routeTo} with the comparison attached.`,
    (f) =>
      `Invoice ${f.invoiceNumber} billed ${f.invoicePrice} against a PO price of ${f.poPrice}, ${routeReason(f)}; ${f.routeTo} approved it after checking the quote.`,
  ],
  'price_variance:dispute': [
    (f) =>
      `Billed ${f.invoicePrice} where contract ${f.contract ?? ''} fixes ${f.poPrice} (AP-CON-1.1). Disputed with INCORRECT-PRICE (AP-DSP-1.1); supplier to reissue at the contract price.`,
    (f) =>
      `Price ${f.variancePct}% above the firm contract price. Firm prices are not subject to tolerance (AP-CON-1.1), so invoice ${f.invoiceNumber} was disputed back to the supplier.`,
  ],
  'quantity_variance:dispute': [
    (f) =>
      `Billed ${f.billed} on PO ${f.poNumber} line of ${f.ordered}${f.alreadyInvoiced !== '0' ? ` with ${f.alreadyInvoiced} already invoiced` : ''}: beyond ordered, no tolerance (AP-TOL-2.2). Disputed with INCORRECT-QUANTITY.`,
    (f) =>
      `Over-billing: quantity ${f.billed} exceeds what remained on the PO line. Sent back to the supplier for a corrected invoice per AP-TOL-2.2 and AP-DSP-1.1.`,
  ],
  'missing_receipt:route': [
    (f) =>
      `3-way line billed ${f.billed} with ${f.received} received. Routed to requester ${f.requester} to confirm delivery (AP-REC-2.1); receipt posted and the invoice matched.`,
    (f) =>
      `Held for receipt on PO ${f.poNumber}. Asked ${f.requester} to receive the goods per AP-REC-2.1; released once the receipt covered the billed quantity.`,
  ],
  'missing_po:route': [
    (f) =>
      `Non-PO invoice coded to ${f.account}${f.quotedPo ? `; quoted PO ${f.quotedPo} does not exist` : ''}. Routed to budget owner ${f.routeTo} per AP-NPO-1.1, who approved it.`,
    (f) =>
      `No PO backs invoice ${f.invoiceNumber} (${money(f, 'total')}). Per AP-NPO-1.1 it went to ${f.routeTo} as budget owner for approval.`,
  ],
  'tax_variance:route': [
    (f) =>
      f.variant === 'outside_tolerance'
        ? `Billed tax ${f.billedTax} vs ${f.expectedTax} expected at ${f.taxRate}%, a ${f.difference} difference beyond the AP-TOL-2.3 rounding allowance. Routed to ${f.routeTo} to confirm the tax treatment.`
        : `Tax off by ${f.difference} only (rounding under AP-TOL-2.3), but the invoice total ${money(f, 'total')} is over the AP-DOA-1.2 limit; routed to ${f.routeTo}.`,
  ],
  'tax_variance:resolve': [
    (f) => `Tax differed by ${f.difference} from ${f.taxRate}% of the net: rounding under AP-TOL-2.3. Resolved.`,
  ],
  'duplicate:hold': [
    (f) =>
      `Same bill as invoice ${f.originalNumber} (${f.originalStatus}) resubmitted as "${f.copyNumber}" for ${money(f, 'total')}. Held and voided per AP-DUP-1.1.`,
    (f) =>
      `Duplicate of ${f.originalSupplier} invoice ${f.originalNumber} dated ${f.originalDate}; the copy failed matching only because the original had consumed the PO. Voided the copy (AP-DUP-1.1).`,
  ],
  'supplier_data_mismatch:hold': [
    (f) =>
      `Invoice ${f.invoiceNumber} held: ${problem(f)} (${supplierSection(f)}). The supplier was verified by call-back and the invoice voided.`,
    (f) =>
      f.problem === 'bank_change'
        ? `Supplier note asked to change bank details. Never acted on from invoice text (AP-SUP-4.1); held, and call-back verification found the request fraudulent.`
        : `Held invoice ${f.invoiceNumber}: ${problem(f)} (${supplierSection(f)}). The supplier was asked to correct its master data.`,
  ],
  'missing_information:request_info': [
    (f) =>
      `Invoice lacked its ${missing(f)}. Asked the supplier for it per AP-INF-1.1${f.missing === 'no_vat_id' ? ' and AP-TAX-3.1' : ''}; paid once it arrived.`,
    (f) => `Requested the missing ${missing(f)} for invoice ${f.invoiceNumber} (AP-INF-1.1). No other issue found.`,
  ],
  'other:route': [
    (f) =>
      f.freight
        ? `Freight of ${f.freight} billed with no freight line on PO ${f.poNumber}. Routed to ${f.routeTo} under AP-TOL-2.4, who accepted the charge.`
        : `Invoice currency differed from the PO currency; routed to ${f.routeTo} per AP-TOL-2.4 to confirm the rate.`,
  ],
};

function describe(rng: Rng, entry: HistoricalException): string {
  const templates = TEMPLATES[`${entry.exceptionType}:${entry.decision}`];
  if (templates && templates.length > 0) return rng.pick(templates)(entry.facts);
  const to = entry.facts.routeTo ? ` to ${entry.facts.routeTo}` : '';
  return `${entry.exceptionType.replace(/_/g, ' ')} on invoice ${entry.facts.invoiceNumber}: ${entry.decision}${to} per the escalation rules (AP-DOA-1.2, AP-SUP-3.1).`;
}

/**
 * Up to `count` past resolutions, most recent first, derived from `company.history`. Returns all
 * of them when the company has fewer.
 */
export function generatePastResolutions(company: SampleCompany, count: number): PastResolution[] {
  const rng = createRng(company.seed * 31 + 17);
  const names = new Map(company.dataset.suppliers.map((s) => [s.id, String(s.name)]));
  const ordered = [...company.history].sort(
    (a, b) => b.decidedAt.localeCompare(a.decidedAt) || a.invoiceId - b.invoiceId,
  );
  return ordered.slice(0, Math.max(0, count)).map((entry) => ({
    id: `res-${entry.invoiceId}`,
    invoiceId: entry.invoiceId,
    supplierId: entry.supplierId,
    supplierName: names.get(entry.supplierId) ?? entry.facts.supplierName ?? '',
    exceptionType: entry.exceptionType,
    decision: entry.decision,
    decidedBy: entry.decidedBy,
    decidedAt: entry.decidedAt,
    summary: describe(rng, entry),
  }));
}
