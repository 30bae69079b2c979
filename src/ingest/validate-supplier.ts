/**
 * Which supplier master record sent this document, from evidence that can be checked: the VAT
 * or tax id, the IBAN (Supplier Information), the web or e-mail domain, the remit-to address,
 * the PO's supplier, and a fuzzy name match. Candidates come from the PO's supplier, a tax-id
 * lookup per printed id and a name search. The customer's own name, ids and domains are left
 * out (own-company.ts). The printed name alone never decides: a look-alike name with another
 * tax id is another company; and a misread name does not hide a supplier whose ids all agree.
 */
import { query } from '../coupa/index.js';
import type { Supplier, SupplierInformation } from '../coupa/schemas.js';
import { companyNameSimilarity, normaliseCompanyName, normaliseTaxId } from '../domain/supplier-identity.js';
import { firstN, type IngestCoupa } from './coupa-port.js';
import { ownCompanyCheck, SAMPLE_OWN_COMPANY, type OwnCompany } from './own-company.js';
import { domainOf, printedEvidence, type PrintedEvidence } from './supplier-evidence.js';
import type { ExtractedInvoice, ValidationProblem } from './types.js';

export interface SupplierMatch {
  supplier?: Supplier;
  /** 0–1: how sure the match is (drives the supplier field's confidence). */
  strength: number;
  remitToAddressId?: number;
  /** What tied the document to the record ("tax id DE123456789", "IBAN …6789", "domain acme.de", "name 0.96"). */
  evidence: string[];
  problems: ValidationProblem[];
}

const squash = (s: string): string => s.toLowerCase().replace(/[^a-z0-9]/g, '');
const clean = (s: string): string => s.toUpperCase().replace(/[^A-Z0-9]/g, '');

/** Remit-to address of `supplier` whose street and postal code the document prints. */
function remitToOf(supplier: Supplier, text: string): number | undefined {
  const haystack = squash(text);
  const hit = supplier.remitToAddresses.find(
    (a) => a.street1 && a.postalCode && haystack.includes(squash(a.street1)) && haystack.includes(squash(a.postalCode)),
  );
  return hit?.id;
}

/** The master's own tax ids: the supplier's and its remit-to addresses' VAT numbers. */
const masterTaxIds = (s: Supplier): string[] =>
  [s.taxId, ...s.remitToAddresses.map((a) => a.vatNumber)].flatMap((t) =>
    normaliseTaxId(t) ? [normaliseTaxId(t)!] : [],
  );
const masterDomains = (s: Supplier): string[] =>
  [s.website, s.poEmail, s.primaryContact?.email].flatMap((v) => (domainOf(v) ? [domainOf(v)!] : []));
const masterIbans = (info: SupplierInformation | null | undefined): string[] =>
  (info?.supplierInformationAddresses ?? [])
    .flatMap((a) => [a.ibanNumber, a.bankAccountNumber])
    .filter((v): v is string => Boolean(v))
    .map(clean);

interface Scored {
  s: Supplier;
  score: number;
  evidence: string[];
  taxSame: boolean;
}

interface Facts {
  name?: string;
  printed: PrintedEvidence;
  text: string;
  poSupplierId?: number;
  info?: SupplierInformation | null;
}

/** The evidence tying one master record to the document, and how strong it is together. */
function judge(s: Supplier, f: Facts): Scored {
  const nameSim = f.name
    ? Math.max(companyNameSimilarity(f.name, s.name), s.displayName ? companyNameSimilarity(f.name, s.displayName) : 0)
    : 0;
  const ids = masterTaxIds(s);
  const taxHit = f.printed.taxIds.find((t) => ids.includes(normaliseTaxId(t)!));
  const ibans = masterIbans(f.info);
  const ibanHit = f.printed.ibans.find((i) => ibans.includes(clean(i)));
  const domains = masterDomains(s);
  const domainHit = f.printed.domains.find((d) => domains.includes(d));
  const remit = remitToOf(s, f.text) !== undefined;
  const po = s.id === f.poSupplierId;
  const evidence: string[] = [];
  if (nameSim >= 0.6) evidence.push(`name "${f.name}" ~ "${s.name}" (${nameSim.toFixed(2)})`);
  if (taxHit) evidence.push(`tax id ${taxHit}`);
  if (ibanHit) evidence.push(`IBAN …${ibanHit.slice(-4)} on Supplier Information`);
  if (domainHit) evidence.push(`domain ${domainHit}`);
  if (remit) evidence.push('remit-to address on the master');
  if (po) evidence.push("the PO's supplier");
  // Ids only this supplier should print; the remit-to and PO corroborate.
  const strong = (taxHit ? 1 : 0) + (ibanHit ? 1 : 0) + (domainHit ? 1 : 0);
  const corroborating = strong + (remit ? 1 : 0) + (po ? 1 : 0);
  let score: number;
  if (nameSim >= 0.9) score = Math.min(1, 0.9 + 0.04 * corroborating);
  else if (strong >= 1 && nameSim >= 0.6) score = Math.min(1, 0.9 + 0.03 * corroborating);
  // The name was not legible or was misread, but two independent facts name the same company.
  else if (strong >= 1 && corroborating >= 2) score = 0.88;
  else score = nameSim * 0.8 + 0.05 * corroborating;
  return { s, score, evidence, taxSame: Boolean(taxHit) };
}

async function candidates(
  coupa: IngestCoupa,
  name: string | undefined,
  taxIds: readonly string[],
  poSupplierId: number | undefined,
): Promise<Supplier[]> {
  const found = new Map<number, Supplier>();
  if (poSupplierId !== undefined) {
    const s = await coupa.getSupplier(poSupplierId);
    found.set(s.id, s);
  }
  for (const taxId of taxIds.slice(0, 3))
    for (const s of await firstN(coupa.listSuppliers(query().where('tax-id', taxId)), 10)) found.set(s.id, s);
  // The longest word of the name is the most selective search term ("Lueilwitz-Klein Office Products" → lueilwitz).
  const word = name
    ? normaliseCompanyName(name)
        .split(/[\s-]+/)
        .sort((a, b) => b.length - a.length)[0]
    : undefined;
  if (word && word.length >= 4)
    for (const s of await firstN(coupa.listSuppliers(query().where('name', 'contains', word)), 50)) found.set(s.id, s);
  return [...found.values()];
}

/** Match the document to a supplier; `text` is the whole document (for remit-to and id evidence). */
export async function matchSupplier(
  coupa: IngestCoupa,
  invoice: ExtractedInvoice,
  text: string,
  poSupplierId: number | undefined,
  ownCompany: OwnCompany = SAMPLE_OWN_COMPANY,
): Promise<SupplierMatch> {
  const own = ownCompanyCheck(ownCompany);
  const problems: ValidationProblem[] = [];
  const printedName = invoice.fields.supplierName?.value;
  // The customer's own name read as the supplier's is no evidence of anything.
  const name = printedName && !own.isOwnName(printedName) ? printedName : undefined;
  if (printedName && !name)
    problems.push({
      code: 'supplier_is_customer',
      severity: 'warning',
      field: 'supplierName',
      message: `"${printedName}" is the customer's own name, not the supplier's; the supplier was looked for by its ids instead`,
    });
  const printed = printedEvidence(text, invoice, own);
  const facts: Facts = {
    ...(name ? { name } : {}),
    printed,
    text: `${invoice.fields.remitTo?.value ?? ''} ${text}`,
    ...(poSupplierId !== undefined ? { poSupplierId } : {}),
  };
  const found = await candidates(coupa, name, printed.taxIds, poSupplierId);
  let ranked = found.map((s) => judge(s, facts)).sort((a, b) => b.score - a.score);
  // Bank details live on Supplier Information: fetched for the few leading candidates only.
  if (printed.ibans.length > 0) {
    const leaders = await Promise.all(
      ranked
        .slice(0, 3)
        .map(async (r) => judge(r.s, { ...facts, info: await coupa.getSupplierInformation(r.s.id).catch(() => null) })),
    );
    ranked = [...leaders, ...ranked.slice(3)].sort((a, b) => b.score - a.score);
  }
  const best = ranked[0];
  if (!best || best.score < 0.85) {
    problems.push({
      code: 'supplier_not_matched',
      severity: 'error',
      field: 'supplierName',
      message: `no supplier on the master matches "${name ?? '(no name found)'}"${printed.taxIds.length ? ` or tax id ${printed.taxIds.join(', ')}` : ''}${best ? ` (closest: ${best.s.name})` : ''}`,
    });
    return { strength: best?.score ?? 0, evidence: [], problems };
  }
  const supplier = best.s;
  const read = invoice.fields.supplierName;
  if (
    name &&
    read &&
    companyNameSimilarity(name, supplier.name) < 0.6 &&
    (!supplier.displayName || companyNameSimilarity(name, supplier.displayName) < 0.6)
  ) {
    // A name read with confidence that names another company contradicts the ids; a guessed one was merely misread.
    problems.push({
      code: 'supplier_name_differs',
      severity: read.confidence >= 0.9 ? 'error' : 'warning',
      field: 'supplierName',
      message: `the document names "${name}", but its ${best.evidence.join(', ')} are ${supplier.name}'s`,
    });
  }
  const taxId = invoice.fields.taxId?.value;
  if (taxId && !own.isOwnTaxId(taxId) && supplier.taxId && !masterTaxIds(supplier).includes(normaliseTaxId(taxId)!)) {
    problems.push({
      code: 'tax_id_mismatch',
      severity: 'error',
      field: 'taxId',
      message: `the document's tax id ${taxId} is not ${supplier.name}'s tax id on the master`,
    });
  }
  if (poSupplierId !== undefined && supplier.id !== poSupplierId) {
    problems.push({
      code: 'po_supplier_mismatch',
      severity: 'error',
      field: 'poNumber',
      message: `the PO belongs to supplier ${poSupplierId}, the document is from ${supplier.name} (${supplier.id})`,
    });
  }
  if (supplier.status !== 'active' || supplier.onHold) {
    problems.push({
      code: 'supplier_not_active',
      severity: 'error',
      field: 'supplierName',
      message: `${supplier.name} is ${supplier.onHold ? 'on hold' : supplier.status} on the master`,
    });
  }
  // A printed remit-to must itself be on the master: the letterhead elsewhere proves nothing about it.
  const remitToAddressId = remitToOf(supplier, invoice.fields.remitTo?.value ?? text);
  if (invoice.fields.remitTo && remitToAddressId === undefined) {
    problems.push({
      code: 'remit_to_unknown',
      severity: 'error',
      field: 'remitTo',
      message: `the remit-to address is not one of ${supplier.name}'s remit-to addresses on the master`,
    });
  }
  return {
    supplier,
    strength: best.score,
    ...(remitToAddressId !== undefined ? { remitToAddressId } : {}),
    evidence: best.evidence,
    problems,
  };
}
