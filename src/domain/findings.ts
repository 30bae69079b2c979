/**
 * A finding is one thing the deterministic checks saw wrong with an invoice, with the numbers side
 * by side (as printed strings) and the records that show it. Findings are data: tolerance, the
 * decision precedence and the dossier all read the same object.
 */
import type { ExceptionType } from './vocabulary.js';

export const FINDING_KINDS = [
  // 1. supplier record and payment data
  'supplier_not_found',
  'supplier_on_hold',
  'supplier_inactive',
  'remit_to_not_on_file',
  'tax_id_mismatch',
  'bank_change_request',
  'bank_details_not_on_file',
  // supplier data against outside registries (registry-check.ts)
  'vat_id_invalid',
  'registered_name_differs',
  'iban_invalid',
  'iban_country_differs',
  'tin_invalid',
  'registry_unavailable',
  // 2. duplicates
  'duplicate',
  // 2½. a field the decision rests on could not be read from Coupa → a person checks it
  'unreadable_field',
  // 3. missing information
  'missing_vat_id',
  'missing_invoice_date',
  'missing_payment_term',
  'missing_backup_documents',
  // 4. missing PO
  'missing_po',
  // 5. matching, price and tax
  'billed_over_ordered',
  'billed_over_received',
  'price_over_contract',
  'amount_over_po',
  'price_over_po',
  // tax against a tax engine (tax-engine-check.ts)
  'tax_engine_unavailable',
  'tax_needs_specialist',
  'tax_billed_wrong',
  'use_tax_due',
  'tax_coupa_rate_wrong',
  'tax_amount_mismatch',
  'tax_rate_unexpected',
  'unplanned_charges',
  'currency_mismatch',
  // signals that only gate `resolve`
  'supplier_text_instruction',
  'new_supplier',
] as const;
export type FindingKind = (typeof FINDING_KINDS)[number];

/** The exception_type each kind of finding is evidence of. */
export const EXCEPTION_TYPE_OF: Readonly<Record<FindingKind, ExceptionType>> = {
  supplier_not_found: 'supplier_data_mismatch',
  supplier_on_hold: 'supplier_data_mismatch',
  supplier_inactive: 'supplier_data_mismatch',
  remit_to_not_on_file: 'supplier_data_mismatch',
  tax_id_mismatch: 'supplier_data_mismatch',
  bank_change_request: 'supplier_data_mismatch',
  bank_details_not_on_file: 'supplier_data_mismatch',
  vat_id_invalid: 'supplier_data_mismatch',
  registered_name_differs: 'supplier_data_mismatch',
  iban_invalid: 'supplier_data_mismatch',
  iban_country_differs: 'supplier_data_mismatch',
  tin_invalid: 'supplier_data_mismatch',
  registry_unavailable: 'supplier_data_mismatch',
  duplicate: 'duplicate',
  unreadable_field: 'other',
  missing_vat_id: 'missing_information',
  missing_invoice_date: 'missing_information',
  missing_payment_term: 'missing_information',
  missing_backup_documents: 'missing_information',
  missing_po: 'missing_po',
  billed_over_ordered: 'quantity_variance',
  billed_over_received: 'missing_receipt',
  price_over_contract: 'price_variance',
  amount_over_po: 'price_variance',
  price_over_po: 'price_variance',
  tax_engine_unavailable: 'tax_variance',
  tax_needs_specialist: 'tax_variance',
  tax_billed_wrong: 'tax_variance',
  use_tax_due: 'tax_variance',
  tax_coupa_rate_wrong: 'tax_variance',
  tax_amount_mismatch: 'tax_variance',
  tax_rate_unexpected: 'tax_variance',
  unplanned_charges: 'other',
  currency_mismatch: 'other',
  supplier_text_instruction: 'other',
  new_supplier: 'other',
};

/** Riskiest first: the order `FINDING_KINDS` is declared in (case-format "When several findings apply"). */
export function riskRank(kind: FindingKind): number {
  return FINDING_KINDS.indexOf(kind);
}

export interface Finding {
  kind: FindingKind;
  exceptionType: ExceptionType;
  /** One sentence for people: what is wrong, with the numbers. */
  summary: string;
  /** Invoice line number (as Coupa prints it) when the finding is about one line. */
  lineNum?: string;
  invoiceLineId?: number;
  orderLineId?: number;
  /** Numbers side by side as printed strings, e.g. {invoicePrice: "10.30", poPrice: "10.00"}. */
  figures: Record<string, string>;
  /** Record references and quoted facts that show the finding, e.g. "PO 4001 line 1 price 10.00". */
  evidence: string[];
}

/** Builds a finding with its exception type filled in from the kind. */
export function finding(
  kind: FindingKind,
  summary: string,
  figures: Record<string, string> = {},
  evidence: string[] = [],
  where: Pick<Finding, 'lineNum' | 'invoiceLineId' | 'orderLineId'> = {},
): Finding {
  return { kind, exceptionType: EXCEPTION_TYPE_OF[kind], summary, figures, evidence, ...dropUndefined(where) };
}

/** Stable sort, riskiest first, then by line. */
export function sortByRisk(findings: readonly Finding[]): Finding[] {
  return [...findings].sort(
    (a, b) => riskRank(a.kind) - riskRank(b.kind) || Number(a.lineNum ?? 0) - Number(b.lineNum ?? 0),
  );
}

function dropUndefined<T extends object>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}
