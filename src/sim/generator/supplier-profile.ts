/**
 * The generator's working view of a supplier: its wire record plus what scenario builders need
 * (catalog, tax rate, numbering, pools). Only the wire records reach the dataset.
 */
import type { WireRecord } from '../dataset.js';
import type { Cents } from './money.js';

export type SupplierKind = 'goods' | 'services' | 'rent';

export interface CatalogItem {
  partNum: string;
  description: string;
  uom: string;
  price: Cents;
  /** Quantity lines are priced per unit; amount lines bill a sum (services, retainers). */
  lineType: 'quantity' | 'amount';
  /** Priced by the supplier's contract (a firm `price-terms` entry). */
  contracted: boolean;
}

export interface SupplierProfile {
  id: number;
  name: string;
  number: string;
  record: WireRecord;
  country: string;
  currency: 'USD' | 'EUR';
  /** Tax rate in basis points of a percent (8.25% → 825). */
  taxBp: number;
  eu: boolean;
  kind: SupplierKind;
  matching: '2-way' | '3-way';
  createdMs: number;
  isNew: boolean;
  onHold: boolean;
  inactive: boolean;
  /** The remit-to the supplier master holds (first active one), as the wire embeds it. */
  remitTo: Record<string, unknown>;
  paymentTerm: { code: string; days: number };
  catalog: CatalogItem[];
  contract?: { id: number; number: string };
  accountCode: string;
  /** Renders this supplier's n-th invoice number in its own style. */
  formatNumber: (seq: number) => string;
  /** Next invoice sequence number; consumed by `nextInvoiceNumber`. */
  seq: number;
}

export interface SupplierPools {
  all: SupplierProfile[];
  /** Every supplier that bills through the ordinary flow (not landlords, which bill rent). */
  billable: SupplierProfile[];
  /** Active, not on hold, older than `new_supplier_days`: safe for ordinary scenarios. */
  established: SupplierProfile[];
  establishedGoods3Way: SupplierProfile[];
  establishedServices: SupplierProfile[];
  establishedEu: SupplierProfile[];
  establishedUs: SupplierProfile[];
  contracted: SupplierProfile[];
  newSuppliers: SupplierProfile[];
  onHold: SupplierProfile[];
  inactive: SupplierProfile[];
  landlords: SupplierProfile[];
  /** [original, duplicate record] pairs: same tax id and bank, a second master record. */
  duplicateRecords: Array<[SupplierProfile, SupplierProfile]>;
  /** Suppliers set aside for one registry mismatch each, used by no other open exception. */
  registryCases: Array<{
    planted: 'vat_id_invalid' | 'iban_country_differs' | 'iban_invalid' | 'tin_invalid';
    supplier: SupplierProfile;
  }>;
}

/** The next invoice number at this supplier, unique for it even after normalisation. */
export function nextInvoiceNumber(supplier: SupplierProfile): string {
  const number = supplier.formatNumber(supplier.seq);
  supplier.seq += supplier.seq % 7 === 0 ? 2 : 1;
  return number;
}
