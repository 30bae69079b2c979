/**
 * Which supplier master record sent this document. Candidates come from the PO's supplier, a
 * tax-id lookup and a name search; each is scored on name similarity, tax id and remit-to. The
 * printed name alone never decides: a look-alike name with another tax id is another company.
 */
import { query } from '../coupa/index.js';
import type { Supplier } from '../coupa/schemas.js';
import { companyNameSimilarity, normaliseCompanyName, normaliseTaxId } from '../domain/supplier-identity.js';
import { firstN, type IngestCoupa } from './coupa-port.js';
import type { ExtractedInvoice, ValidationProblem } from './types.js';

export interface SupplierMatch {
  supplier?: Supplier;
  /** 0–1: how sure the match is (drives the supplier field's confidence). */
  strength: number;
  remitToAddressId?: number;
  /** What tied the document to the record ("tax id DE123456789", "remit-to address", "name 0.96"). */
  evidence: string[];
  problems: ValidationProblem[];
}

function evidenceFor(s: Supplier, name: string | undefined, taxId: string | undefined, poSupplierId: number | undefined, text: string): string[] {
  const out: string[] = [];
  const nameSim = name ? Math.max(companyNameSimilarity(name, s.name), s.displayName ? companyNameSimilarity(name, s.displayName) : 0) : 0;
  if (nameSim >= 0.6) out.push(`name "${name}" ~ "${s.name}" (${nameSim.toFixed(2)})`);
  if (taxId !== undefined && normaliseTaxId(taxId) === normaliseTaxId(s.taxId)) out.push(`tax id ${taxId}`);
  if (remitToOf(s, text) !== undefined) out.push('remit-to address on the master');
  if (s.id === poSupplierId) out.push("the PO's supplier");
  return out;
}

const squash = (s: string): string => s.toLowerCase().replace(/[^a-z0-9]/g, '');

async function candidates(coupa: IngestCoupa, name: string | undefined, taxId: string | undefined, poSupplierId: number | undefined): Promise<Supplier[]> {
  const found = new Map<number, Supplier>();
  if (poSupplierId !== undefined) {
    const s = await coupa.getSupplier(poSupplierId);
    found.set(s.id, s);
  }
  if (taxId) for (const s of await firstN(coupa.listSuppliers(query().where('tax-id', taxId)), 10)) found.set(s.id, s);
  // The longest word of the name is the most selective search term ("Lueilwitz-Klein Office Products" → lueilwitz).
  const word = name ? normaliseCompanyName(name).split(/[\s-]+/).sort((a, b) => b.length - a.length)[0] : undefined;
  if (word && word.length >= 4) for (const s of await firstN(coupa.listSuppliers(query().where('name', 'contains', word)), 50)) found.set(s.id, s);
  return [...found.values()];
}

/** Remit-to address of `supplier` whose street and postal code the document prints. */
function remitToOf(supplier: Supplier, text: string): number | undefined {
  const haystack = squash(text);
  const hit = supplier.remitToAddresses.find((a) => a.street1 && a.postalCode && haystack.includes(squash(a.street1)) && haystack.includes(squash(a.postalCode)));
  return hit?.id;
}

function score(s: Supplier, name: string | undefined, taxId: string | undefined, poSupplierId: number | undefined, text: string): number {
  const nameSim = name ? Math.max(companyNameSimilarity(name, s.name), s.displayName ? companyNameSimilarity(name, s.displayName) : 0) : 0;
  const taxSame = taxId !== undefined && normaliseTaxId(taxId) === normaliseTaxId(s.taxId);
  const remit = remitToOf(s, text) !== undefined;
  const evidence = (taxSame ? 1 : 0) + (remit ? 1 : 0) + (s.id === poSupplierId ? 1 : 0);
  if (nameSim >= 0.9) return Math.min(1, 0.9 + 0.04 * evidence);
  if (taxSame && nameSim >= 0.6) return 0.9 + 0.03 * evidence;
  // No legible name, but the tax id and the PO or remit-to agree: the same company.
  if (!name && taxSame && evidence >= 2) return 0.88;
  return nameSim * 0.8 + 0.05 * evidence;
}

/** Match the document to a supplier; `text` is the whole document (for remit-to evidence). */
export async function matchSupplier(coupa: IngestCoupa, invoice: ExtractedInvoice, text: string, poSupplierId: number | undefined): Promise<SupplierMatch> {
  const name = invoice.fields.supplierName?.value;
  const taxId = invoice.fields.taxId?.value;
  const ranked = (await candidates(coupa, name, taxId, poSupplierId))
    .map((s) => ({ s, score: score(s, name, taxId, poSupplierId, `${invoice.fields.remitTo?.value ?? ''} ${text}`) }))
    .sort((a, b) => b.score - a.score);
  const best = ranked[0];
  const problems: ValidationProblem[] = [];
  if (!best || best.score < 0.85) {
    problems.push({ code: 'supplier_not_matched', severity: 'error', field: 'supplierName', message: `no supplier on the master matches "${name ?? '(no name found)'}"${best ? ` (closest: ${best.s.name})` : ''}` });
    return { strength: best?.score ?? 0, evidence: [], problems };
  }
  const supplier = best.s;
  if (taxId && supplier.taxId && normaliseTaxId(taxId) !== normaliseTaxId(supplier.taxId)) {
    problems.push({ code: 'tax_id_mismatch', severity: 'error', field: 'taxId', message: `the document's tax id ${taxId} is not ${supplier.name}'s tax id on the master` });
  }
  if (poSupplierId !== undefined && supplier.id !== poSupplierId) {
    problems.push({ code: 'po_supplier_mismatch', severity: 'error', field: 'poNumber', message: `the PO belongs to supplier ${poSupplierId}, the document is from ${supplier.name} (${supplier.id})` });
  }
  if (supplier.status !== 'active' || supplier.onHold) {
    problems.push({ code: 'supplier_not_active', severity: 'error', field: 'supplierName', message: `${supplier.name} is ${supplier.onHold ? 'on hold' : supplier.status} on the master` });
  }
  // A printed remit-to must itself be on the master: the letterhead elsewhere proves nothing about it.
  const remitToAddressId = remitToOf(supplier, invoice.fields.remitTo?.value ?? text);
  if (invoice.fields.remitTo && remitToAddressId === undefined) {
    problems.push({ code: 'remit_to_unknown', severity: 'error', field: 'remitTo', message: `the remit-to address is not one of ${supplier.name}'s remit-to addresses on the master` });
  }
  const evidence = evidenceFor(supplier, name, taxId, poSupplierId, `${invoice.fields.remitTo?.value ?? ''} ${text}`);
  return { supplier, strength: best.score, ...(remitToAddressId !== undefined ? { remitToAddressId } : {}), evidence, problems };
}
