/**
 * What a document prints that can be checked against a supplier master record: VAT and tax
 * ids, IBANs, web and e-mail domains. The customer's own ids and domains (own-company.ts) are
 * left out: they are on the invoice too, as the buyer's.
 */
import { isValidIban } from '../domain/text-signals.js';
import type { OwnCompanyCheck } from './own-company.js';
import type { ExtractedInvoice } from './types.js';

export interface PrintedEvidence {
  taxIds: string[];
  ibans: string[];
  /** Registrable domains ("qualityhosting.de"), from e-mail addresses and web addresses. */
  domains: string[];
}

const EU_VAT =
  /\b(AT|BE|BG|CY|CZ|DE|DK|EE|EL|ES|FI|FR|GB|HR|HU|IE|IT|LT|LU|LV|MT|NL|PL|PT|RO|SE|SI|SK|XI)\s?-?((?:\d[\s.]?){8,12}|[0-9A-Z]{2}\d{9}|\d{9}B\d{2}|[A-Z]\d{7}[A-Z]|\d{8}[A-Z])\b/g;
const EIN_OR_GSTIN = /(?:tax\s*id|ein|gstin|tin)\W{0,6}(\d{2}-\d{7}|\d{2}[A-Z]{5}\d{4}[A-Z]\d[A-Z0-9]{2})/gi;
const IBAN = /\b[A-Z]{2}\d{2}(?:\s?[A-Z0-9]{4}){2,7}(?:\s?[A-Z0-9]{1,4})?\b/g;
const DOMAIN = /(?:@|\bwww\.|\bhttps?:\/\/(?:www\.)?)([a-z0-9-]+(?:\.[a-z0-9-]+)*\.[a-z]{2,6})\b/gi;
/** Mail services anyone can use: a domain there says nothing about who sent the invoice. */
const SHARED = new Set([
  'gmail.com',
  'googlemail.com',
  'yahoo.com',
  'hotmail.com',
  'outlook.com',
  'live.com',
  'icloud.com',
  'gmx.de',
  'gmx.net',
  'web.de',
  'orange.fr',
  'free.fr',
  'example.com',
]);

/** "mail.shop.qualityhosting.co.uk" → "qualityhosting.co.uk". */
export function registrableDomain(host: string): string {
  const parts = host
    .toLowerCase()
    .replace(/^www\./, '')
    .split('.');
  const secondLevel =
    parts.length >= 3 && /^(?:co|com|org|net|ac|gov)$/.test(parts.at(-2)!) && parts.at(-1)!.length === 2;
  return parts.slice(secondLevel ? -3 : -2).join('.');
}

/** The domain of an e-mail address or web address on a master record, if any. */
export function domainOf(value: string | null | undefined): string | undefined {
  if (!value) return undefined;
  const host = value.includes('@') ? value.split('@').pop()! : value.replace(/^[a-z]+:\/\//i, '').split(/[/?#]/)[0]!;
  return /^[a-z0-9.-]+\.[a-z]{2,}$/i.test(host) ? registrableDomain(host) : undefined;
}

/** Ids and domains printed on the document, the customer's own left out. */
export function printedEvidence(text: string, invoice: ExtractedInvoice, own: OwnCompanyCheck): PrintedEvidence {
  const taxIds = new Set<string>();
  if (invoice.fields.taxId) taxIds.add(invoice.fields.taxId.value.replace(/\s/g, ''));
  for (const m of text.toUpperCase().matchAll(EU_VAT)) taxIds.add(`${m[1]}${m[2]!.replace(/[\s.]/g, '')}`);
  for (const m of text.matchAll(EIN_OR_GSTIN)) taxIds.add(m[1]!.toUpperCase());
  const ibans = new Set<string>();
  if (invoice.fields.iban) ibans.add(invoice.fields.iban.value.replace(/\s/g, ''));
  for (const m of text.toUpperCase().matchAll(IBAN)) {
    const iban = m[0].replace(/\s/g, '');
    if (isValidIban(iban)) ibans.add(iban);
  }
  const domains = new Set<string>();
  for (const m of text.matchAll(DOMAIN)) {
    const d = registrableDomain(m[1]!);
    if (!SHARED.has(d) && !own.isOwnDomain(d)) domains.add(d);
  }
  return {
    taxIds: [...taxIds].filter((t) => !own.isOwnTaxId(t)),
    ibans: [...ibans].filter((i) => !own.isOwnIban(i)),
    domains: [...domains],
  };
}
