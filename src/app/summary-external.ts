/**
 * The `npm start` summary's lines for the sample company's cases that only a source outside
 * Coupa settles (issue 23): each tax-engine branch and registry mismatch, what its label
 * expects and what Settle decided, so a run shows them without opening the audit log.
 */
import type { Verdict } from '../agent/verdict.js';
import type { ExceptionLabel } from '../sim/generator/types.js';

const TITLES: Record<string, string> = {
  tax_branch_a: "tax (a) Coupa's rate wrong",
  tax_branch_b: 'tax (b) supplier billed wrong',
  tax_branch_c: 'tax (c) US use tax',
  tax_branch_d: 'tax (d) exemption → tax team',
  registry_vat_id_invalid: 'registry: VAT id invalid',
  registry_iban_invalid: 'registry: IBAN invalid',
  registry_iban_country_differs: 'registry: IBAN country ≠ remit-to',
  registry_tin_invalid: 'registry: US TIN invalid',
};

const outcome = (decision: string, routeTo?: string | null, reason?: string | null): string =>
  `${decision}${routeTo ? ` → ${routeTo}` : ''}${reason ? ` (${reason})` : ''}`;

/** The section, or undefined when none of the run's exceptions is such a case. */
export function externalCasesText(labels: readonly ExceptionLabel[], verdicts: readonly Verdict[]): string | undefined {
  const byInvoice = new Map(verdicts.map((v) => [v.invoice_id, v]));
  const rows: string[] = [];
  let right = 0;
  for (const label of labels) {
    const tag = label.tags.find((t) => t in TITLES);
    const v = tag ? byInvoice.get(label.invoiceId) : undefined;
    if (!tag || !v) continue;
    const expected = outcome(label.expectedDecision, label.routeTo, label.disputeReason);
    const got = outcome(v.decision, v.route_to, v.dispute_reason);
    if (expected === got) right++;
    rows.push(
      `  ${(TITLES[tag] ?? tag).padEnd(36)} invoice ${label.invoiceId}  expected ${expected}; settled ${got} ${expected === got ? '✓' : '✗'}`,
    );
  }
  if (!rows.length) return undefined;
  return [
    `Tax engine and registry cases (outside sources): ${right} of ${rows.length} settled as labelled`,
    ...rows,
  ].join('\n');
}
