/**
 * What a tax engine answers about one invoice, in Settle's own terms (the adapters in `src/tax/`
 * translate AvaTax, TaxJar and the offline table into it). Pure data: the tax checks compare it
 * with what the supplier billed and what Coupa expected, and the dossier quotes who answered.
 */

/** One taxing authority's part of a line's tax, e.g. {name: "TEXAS", type: "State", rate: "6.25"}. */
export interface TaxJurisdiction {
  name: string;
  type: string;
  /** Percent, as a decimal string ("6.25"). */
  rate: string;
  /** Tax amount, when the engine states it. */
  tax?: string;
}

export interface TaxQuoteLine {
  /** The invoice line number the engine was asked about. */
  number: string;
  taxable: string;
  /** Combined rate in percent. */
  rate: string;
  tax: string;
  jurisdictions: TaxJurisdiction[];
  /** The engine treated the line as exempt / not taxable (tax code, certificate). */
  exempt?: boolean;
  /** Other rates the line may lawfully carry there (reduced VAT rates), when the engine lists them. */
  alternativeRates?: string[];
}

export interface TaxQuote {
  /** `avatax`, `taxjar`, `offline`. */
  engine: string;
  /** Who answered: the service URL or the offline table section and its source. */
  source: string;
  /** The date the answer is valid for: the engine's document date or the table's "as of". */
  asOf: string;
  currency: string;
  totalTax: string;
  lines: TaxQuoteLine[];
  /** Engine remarks worth showing a person (e.g. "local taxes not in the table"). */
  notes: string[];
  /** TaxJar's `has_nexus`, when the engine says so. */
  hasNexus?: boolean;
}

/** The address facts an engine needs. */
export interface TaxAddress {
  country: string;
  region?: string;
  postalCode?: string;
  city?: string;
  line1?: string;
}

export interface TaxQuoteRequest {
  /** The invoice number, as the engine's document code. */
  documentCode: string;
  date: string;
  currency: string;
  shipFrom: TaxAddress;
  shipTo: TaxAddress;
  lines: Array<{ number: string; amount: string; quantity: string; taxCode?: string; description?: string }>;
}

/** Why an engine gave no answer; every kind means "do not decide on a guessed rate". */
export type TaxEngineFailure = 'timeout' | 'rate_limited' | 'unavailable' | 'rejected' | 'no_rate';

/** The engine's answer as the checks see it: a quote, or the reason there is none. */
export type TaxEvidence =
  { ok: true; quote: TaxQuote } | { ok: false; engine: string; failure: TaxEngineFailure; detail: string };
