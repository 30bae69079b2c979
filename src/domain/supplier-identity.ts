/**
 * Are two supplier records the same company? Duplicate bills hide behind duplicate supplier master
 * records: the same tax id or bank account under a second id, or a near-identical name.
 */
import { distance } from 'fastest-levenshtein';
import type { Supplier, SupplierInformation } from '../coupa/schemas.js';

/** Name similarity (0–1) at or above which two names are taken as the same company. */
export const SUPPLIER_NAME_SIMILARITY = 0.9;

const LEGAL_WORDS = new Set([
  'inc',
  'incorporated',
  'llc',
  'llp',
  'lp',
  'ltd',
  'limited',
  'corp',
  'corporation',
  'co',
  'company',
  'plc',
  'gmbh',
  'ag',
  'kg',
  'sa',
  'sarl',
  'sas',
  'srl',
  'spa',
  'bv',
  'nv',
  'oy',
  'ab',
  'as',
  'pty',
  'group',
  'holdings',
  'the',
  'and',
]);

export interface SupplierFacts {
  id?: number;
  name?: string | null;
  taxId?: string | null;
  /** Normalised bank account identifiers (IBAN, or routing+account). */
  bankAccounts: string[];
}

export interface SupplierLink {
  /** 0 when not linked; 1 same id; 0.95 tax id or bank account; 0.9 near-identical name. */
  strength: number;
  reason: string;
}

/** Company name without punctuation and legal-form words, e.g. "ACME Supply, Inc." → "acme supply". */
export function normaliseCompanyName(name: string): string {
  const tokens = name
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/&/g, ' ')
    .replace(/[^a-z0-9]+/g, ' ')
    .trim()
    .split(' ');
  return tokens.filter((t) => t && !LEGAL_WORDS.has(t)).join(' ');
}

/** Similarity 0–1 of two company names, insensitive to legal suffixes and word order. */
export function companyNameSimilarity(a: string, b: string): number {
  const na = normaliseCompanyName(a);
  const nb = normaliseCompanyName(b);
  if (!na || !nb) return 0;
  const sim = (x: string, y: string): number => 1 - distance(x, y) / Math.max(x.length, y.length);
  const sorted = (s: string): string => s.split(' ').sort().join(' ');
  return Math.max(sim(na, nb), sim(sorted(na), sorted(nb)));
}

/** Tax ids compared without spaces, punctuation or a two-letter country prefix. */
export function normaliseTaxId(id: string | null | undefined): string | undefined {
  const s = id?.toUpperCase().replace(/[^A-Z0-9]/g, '');
  if (!s) return undefined;
  return s.replace(/^[A-Z]{2}(?=\d)/, '');
}

/** Bank identifiers as comparable strings: IBAN alone, or routing:account. */
export function bankAccountsOf(info: readonly SupplierInformation[], supplierId: number | undefined): string[] {
  const out: string[] = [];
  for (const rec of info) {
    if ((rec.supplier?.id ?? rec.supplierId) !== supplierId) continue;
    for (const a of rec.supplierInformationAddresses) {
      if (a.ibanNumber) out.push(`IBAN:${a.ibanNumber.toUpperCase().replace(/[^A-Z0-9]/g, '')}`);
      if (a.bankAccountNumber)
        out.push(
          `ACCT:${(a.bankRoutingNumber ?? '').replace(/\D/g, '')}:${a.bankAccountNumber.replace(/[^A-Za-z0-9]/g, '')}`,
        );
    }
  }
  return out;
}

/** Facts about a supplier record for identity comparison. */
export function supplierFacts(supplier: Supplier, info: readonly SupplierInformation[]): SupplierFacts {
  const sim = info.find((r) => (r.supplier?.id ?? r.supplierId) === supplier.id);
  return {
    id: supplier.id,
    name: supplier.name,
    taxId: supplier.taxId ?? sim?.taxId,
    bankAccounts: bankAccountsOf(info, supplier.id),
  };
}

/** Whether `a` and `b` are the same company, how strongly, and why. */
export function linkSuppliers(a: SupplierFacts, b: SupplierFacts): SupplierLink {
  if (a.id !== undefined && a.id === b.id) return { strength: 1, reason: `same supplier id ${a.id}` };
  const ta = normaliseTaxId(a.taxId);
  const tb = normaliseTaxId(b.taxId);
  if (ta && tb && ta === tb) return { strength: 0.95, reason: `supplier ${b.id} has the same tax id (${b.taxId})` };
  // Two known, different tax ids are two companies, whatever their names or banks say.
  if (ta && tb) return { strength: 0, reason: 'different tax ids' };
  const shared = a.bankAccounts.find((x) => b.bankAccounts.includes(x));
  if (shared) return { strength: 0.95, reason: `supplier ${b.id} is paid to the same bank account` };
  if (a.name && b.name) {
    const sim = companyNameSimilarity(a.name, b.name);
    if (sim >= SUPPLIER_NAME_SIMILARITY) {
      return {
        strength: 0.9,
        reason: `supplier ${b.id} "${b.name}" has a near-identical name (similarity ${sim.toFixed(2)})`,
      };
    }
  }
  return { strength: 0, reason: 'different supplier' };
}
