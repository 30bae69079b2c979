/**
 * The EN 16931 semantic model, as far as AP needs it: what CII (Factur-X / ZUGFeRD / XRechnung),
 * UBL (Peppol BIS 3, XRechnung) and cXML all say in their own words. Amounts are decimal strings
 * exactly as written; business-term numbers (BT-…) name where each comes from.
 */
export type EInvoiceSyntax = 'CII' | 'ZUGFeRD-1' | 'UBL' | 'cXML';

export interface EParty {
  name?: string;
  tradingName?: string;
  /** BT-31 / BT-48: VAT identifier. */
  vatId?: string;
  /** BT-32: tax registration other than VAT. */
  taxId?: string;
  email?: string;
  country?: string;
  address?: string;
}

export interface ELine {
  id?: string;
  name: string;
  quantity?: string;
  /** BT-146 net price, per `baseQuantity` (BT-149) units. */
  unitPrice?: string;
  baseQuantity?: string;
  /** BT-131 line net amount. */
  netAmount: string;
}

export interface ETaxBreakdown {
  category?: string;
  rate?: string;
  /** BT-116 taxable amount, BT-117 tax amount. */
  base: string;
  tax: string;
}

export interface ETotals {
  lineTotal?: string; // BT-106
  allowanceTotal?: string; // BT-107
  chargeTotal?: string; // BT-108
  taxExclusive?: string; // BT-109
  taxTotal?: string; // BT-110
  taxInclusive?: string; // BT-112
  prepaid?: string; // BT-113
  rounding?: string; // BT-114
  payable?: string; // BT-115
}

export interface EInvoice {
  syntax: EInvoiceSyntax;
  /** BT-24 specification identifier (profile), when given. */
  profile?: string;
  /** BT-3: 380 invoice, 381 credit note, 384 corrected invoice… */
  typeCode?: string;
  number?: string;
  issueDate?: string;
  dueDate?: string;
  currency?: string;
  orderReference?: string;
  buyerReference?: string;
  seller: EParty;
  buyer: EParty;
  ibans: string[];
  lines: ELine[];
  taxes: ETaxBreakdown[];
  totals: ETotals;
}

/** An ISO date from the forms e-invoices use: 20240131 (CII format 102), 2024-01-31, 2024-01-31T12:00:00. */
export function isoDate(raw: string | undefined): string | undefined {
  if (!raw) return undefined;
  const s = raw.trim();
  let m = /^(\d{4})(\d{2})(\d{2})$/.exec(s);
  if (m) return `${m[1]}-${m[2]}-${m[3]}`;
  m = /^(\d{4})-(\d{2})-(\d{2})/.exec(s);
  if (m) return `${m[1]}-${m[2]}-${m[3]}`;
  return undefined;
}
