/**
 * What outside registries said about a supplier's identifiers, each answer with who answered and
 * when (answers are cached with their date). Pure data for the checks in registry-check.ts.
 */

export interface VatRegistryAnswer {
  /** The VAT id as checked, with its country prefix ("DE136695976"). */
  vatId: string;
  /** False: bad format, bad check digits, or not (or no longer) registered. Null: no answer. */
  valid: boolean | null;
  /** `format`: the number cannot exist; `check_digits`: it fails its country's check; `registry`: the registry says so. */
  invalidBecause?: 'format' | 'check_digits' | 'registry';
  /** The registered trader name, when the registry gives it. */
  registeredName?: string;
  /** `VIES` or `offline check digits (jsvat)`. */
  source: string;
  checkedAt: string;
  /** Why no answer (timeout, rate limit, service down). */
  failure?: string;
}

export interface BankRegistryAnswer {
  iban: string;
  valid: boolean;
  /** The IBAN's own country (its first two letters, when valid). */
  country?: string;
  bic?: string;
  bicValid?: boolean;
  source: string;
  checkedAt: string;
}

export interface TinAnswer {
  tin: string;
  /** `ein` or `ssn` format recognised; `invalid` neither. */
  format: 'ein' | 'ssn' | 'invalid';
  /** The IRS TIN-matching result code for this TIN and name, when a result file is configured. */
  irsMatch?: { code: string; meaning: string; matched: boolean; file: string };
  source: string;
  checkedAt: string;
}

export interface RegistryEvidence {
  vat?: VatRegistryAnswer;
  bank?: BankRegistryAnswer[];
  tin?: TinAnswer;
}
