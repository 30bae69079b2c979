/**
 * The customer's own company: its name, VAT ids, IBANs, web/e-mail domains and addresses are
 * printed on every invoice it receives (bill-to, ship-to, "your VAT id") and must never be taken
 * for the supplier's. Configured with a JSON file named by SETTLE_OWN_COMPANY_FILE; without one,
 * the sample company's own details (Northwind Traders, the simulator's buyer).
 */
import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { companyNameSimilarity, normaliseTaxId } from '../domain/supplier-identity.js';
import { formatIssues } from '../issues.js';

export const OwnCompany = z
  .object({
    /** Legal and trading names ("Northwind Traders Inc.", "Northwind"). */
    names: z.array(z.string().min(2)).min(1),
    /** VAT and tax ids, any spelling ("DE 123 456 789"). */
    taxIds: z.array(z.string()).default([]),
    ibans: z.array(z.string()).default([]),
    /** Web and e-mail domains ("northwind.example"). */
    domains: z.array(z.string()).default([]),
    /** Street lines and postal codes of the company's sites, as printed ("200 Harbor Way"). */
    addresses: z.array(z.string()).default([]),
  })
  .strict();
export type OwnCompany = z.infer<typeof OwnCompany>;

/** The sample company's own details (scripts/ingest-fixtures/layouts.ts prints them as the customer). */
export const SAMPLE_OWN_COMPANY: OwnCompany = {
  names: ['Northwind Traders Inc.', 'Northwind Corporate'],
  taxIds: [],
  ibans: [],
  domains: ['northwind.example'],
  addresses: ['200 Harbor Way', 'Seattle, WA 98101'],
};

/** Read and check an own-company file; the error names the file and the problem. */
export function loadOwnCompany(path: string | undefined): OwnCompany {
  if (!path) return SAMPLE_OWN_COMPANY;
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(path, 'utf8'));
  } catch (error) {
    throw new Error(`SETTLE_OWN_COMPANY_FILE ${path}: ${(error as Error).message.split('\n')[0]}`);
  }
  const parsed = OwnCompany.safeParse(raw);
  if (!parsed.success)
    throw new Error(
      `SETTLE_OWN_COMPANY_FILE ${path}: ${formatIssues(parsed.error, { root: '(top)', limit: Number.POSITIVE_INFINITY })}`,
    );
  return parsed.data;
}

const squash = (s: string): string => s.toUpperCase().replace(/[^A-Z0-9]/g, '');

/** Questions about one document's text asked of the customer's own details. */
export interface OwnCompanyCheck {
  isOwnName(name: string): boolean;
  isOwnTaxId(id: string): boolean;
  isOwnIban(iban: string): boolean;
  isOwnDomain(domain: string): boolean;
}

export function ownCompanyCheck(own: OwnCompany): OwnCompanyCheck {
  // normaliseTaxId drops the country prefix: "DE123456789" and "123456789" are one id.
  const taxIds = new Set(own.taxIds.map((t) => normaliseTaxId(t)));
  const ibans = new Set(own.ibans.map(squash));
  const domains = own.domains.map((d) => d.toLowerCase().replace(/^www\./, ''));
  return {
    isOwnName: (name) => own.names.some((n) => companyNameSimilarity(name, n) >= 0.85),
    isOwnTaxId: (id) => taxIds.has(normaliseTaxId(id)),
    isOwnIban: (iban) => ibans.has(squash(iban)),
    isOwnDomain: (domain) => {
      const d = domain.toLowerCase().replace(/^www\./, '');
      return domains.some((o) => d === o || d.endsWith(`.${o}`) || o.split('.')[0] === d);
    },
  };
}
