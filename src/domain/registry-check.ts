/**
 * Supplier data against outside registries (issue 23): the VAT id (VIES or check digits), the
 * bank account (IBAN/BIC checksum, its country against the remit-to's), the US TIN (format, IRS
 * TIN match). Every finding names Coupa's value and the registry's, for the change request the
 * supplier-master approver decides; Settle never changes supplier or bank data itself.
 */
import type { InvoiceContext } from './context.js';
import { finding, type Finding } from './findings.js';
import type { RegistryEvidence } from './registry-evidence.js';
import { companyNameSimilarity, SUPPLIER_NAME_SIMILARITY } from './supplier-identity.js';
import { billingCountry, isEuVatInvoice } from './tax.js';

/** The identifiers to look up for this invoice's supplier. */
export interface RegistryFacts {
  vatId?: string;
  banks: Array<{ iban: string; bic?: string }>;
  usTin?: string;
}

const EU_VAT_SHAPE =
  /^(AT|BE|BG|CY|CZ|DE|DK|EE|EL|GR|ES|FI|FR|HR|HU|IE|IT|LT|LU|LV|MT|NL|PL|PT|RO|SE|SI|SK)[0-9A-Z]{2,13}$/;

function supplierInfoOf(ctx: InvoiceContext) {
  const id = ctx.supplier?.id ?? ctx.invoice.supplier?.id;
  return (ctx.supplierInformation ?? []).find((r) => (r.supplier?.id ?? r.supplierId) === id);
}

export function registryFactsOf(ctx: InvoiceContext): RegistryFacts {
  const info = supplierInfoOf(ctx);
  const clean = (v: string | null | undefined): string | undefined =>
    v?.replace(/[\s.-]/g, '').toUpperCase() || undefined;
  const vatCandidates = [ctx.invoice.remitToAddress?.vatNumber, ctx.supplier?.taxId, info?.taxId]
    .map(clean)
    .filter((v): v is string => !!v && EU_VAT_SHAPE.test(v));
  const banks = (info?.supplierInformationAddresses ?? [])
    .filter((a) => a.ibanNumber)
    .map((a) => ({ iban: a.ibanNumber!, ...(a.swiftCode ? { bic: a.swiftCode } : {}) }));
  const country = billingCountry(ctx.invoice, ctx.supplier);
  const tin = ctx.supplier?.taxId ?? info?.taxId;
  return {
    ...(isEuVatInvoice(ctx) && vatCandidates[0] ? { vatId: vatCandidates[0] } : {}),
    banks,
    ...(country === 'US' && tin && /^[\d-]{9,11}$/.test(tin.trim()) ? { usTin: tin.trim() } : {}),
  };
}

const when = (checkedAt: string): string => checkedAt.slice(0, 10);

/** Registry findings, or none when no registry was consulted. */
export function checkRegistries(ctx: InvoiceContext): Finding[] {
  const r: RegistryEvidence | undefined = ctx.registryEvidence;
  if (!r) return [];
  const out: Finding[] = [];
  const supplierName = ctx.supplier?.name ?? ctx.invoice.supplier?.name ?? '';
  if (r.vat?.valid === null && r.vat.failure) {
    out.push(
      finding(
        'registry_unavailable',
        `The VAT registry could not confirm ${r.vat.vatId} (${r.vat.failure}): a person checks it before payment.`,
        { field: 'vat id', coupa: r.vat.vatId, source: r.vat.source },
        [`${r.vat.source}, ${when(r.vat.checkedAt)}: ${r.vat.failure}`],
      ),
    );
  } else if (r.vat?.valid === false) {
    const why =
      r.vat.invalidBecause === 'registry'
        ? 'is not (or no longer) registered'
        : r.vat.invalidBecause === 'check_digits'
          ? "fails its country's check digits"
          : 'is not a valid VAT id format';
    out.push(
      finding(
        'vat_id_invalid',
        `VAT id ${r.vat.vatId} on file for ${supplierName} ${why} (${r.vat.source}, ${when(r.vat.checkedAt)}).`,
        { field: 'vat id', coupa: r.vat.vatId, registry: why, source: r.vat.source, checkedAt: when(r.vat.checkedAt) },
        [`${r.vat.source} on ${when(r.vat.checkedAt)}: ${r.vat.vatId} ${why}`],
      ),
    );
  } else if (
    r.vat?.valid &&
    r.vat.registeredName &&
    supplierName &&
    companyNameSimilarity(r.vat.registeredName, supplierName) < SUPPLIER_NAME_SIMILARITY
  ) {
    out.push(
      finding(
        'registered_name_differs',
        `The VAT registry names ${r.vat.vatId} "${r.vat.registeredName}", Coupa's supplier is "${supplierName}".`,
        {
          field: 'name',
          coupa: supplierName,
          registry: r.vat.registeredName,
          source: r.vat.source,
          checkedAt: when(r.vat.checkedAt),
        },
        [`${r.vat.source} on ${when(r.vat.checkedAt)}: ${r.vat.vatId} registered to ${r.vat.registeredName}`],
      ),
    );
  }
  const remitCountry = billingCountry(ctx.invoice, ctx.supplier);
  for (const b of r.bank ?? []) {
    if (!b.valid) {
      out.push(
        finding(
          'iban_invalid',
          `The IBAN on file for ${supplierName} fails its checksum or structure (${b.source}).`,
          { field: 'iban', coupa: maskIban(b.iban), registry: 'invalid checksum or structure', source: b.source },
          [`${maskIban(b.iban)} is not a valid IBAN`],
        ),
      );
    } else if (b.country && remitCountry && b.country !== remitCountry) {
      out.push(
        finding(
          'iban_country_differs',
          `The bank account on file is in ${b.country} (IBAN) while the remit-to is in ${remitCountry}.`,
          { field: 'bank country', coupa: remitCountry, registry: b.country, source: b.source },
          [`IBAN ${maskIban(b.iban)} country ${b.country}; remit-to country ${remitCountry}`],
        ),
      );
    }
  }
  if (r.tin && (r.tin.format === 'invalid' || r.tin.irsMatch?.matched === false)) {
    const why =
      r.tin.format === 'invalid'
        ? 'is not a valid EIN or SSN format'
        : `IRS TIN matching result ${r.tin.irsMatch!.code}: ${r.tin.irsMatch!.meaning}`;
    out.push(
      finding(
        'tin_invalid',
        `US taxpayer id ${r.tin.tin} for ${supplierName} ${why}.`,
        {
          field: 'tax id',
          coupa: r.tin.tin,
          registry: why,
          source: r.tin.irsMatch ? `IRS TIN matching (${r.tin.irsMatch.file})` : r.tin.source,
        },
        [why],
      ),
    );
  }
  return out;
}

/** "DE89 **** 3000": enough to tell accounts apart, never the number. */
export function maskIban(iban: string): string {
  const s = iban.replace(/\s/g, '');
  return s.length > 8 ? `${s.slice(0, 4)} **** ${s.slice(-4)}` : '****';
}
