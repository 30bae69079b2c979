/**
 * Structured e-invoices: recognise the XML syntax (CII, ZUGFeRD 1, UBL, cXML), read it into the
 * EN 16931 model, check its arithmetic, and turn it into an extraction whose values are exact.
 * The XML is preferred over the visual layer; where they disagree, that is a finding.
 */
import { Dec } from '../../domain/money.js';
import type { ExtractedField, ExtractedInvoice, ExtractedLine, ValidationProblem } from '../types.js';
import { checkArithmetic } from './checks.js';
import { readCii } from './cii.js';
import { readCxml } from './cxml.js';
import type { EInvoice } from './model.js';
import { readUbl } from './ubl.js';
import { parseXml } from './xml.js';

export type { EInvoice } from './model.js';
export { checkArithmetic } from './checks.js';
export { embeddedXml, type EmbeddedFile } from './attachments.js';

/** Read as exactly as the XML states them; arithmetic that fails lowers what it involves. */
const EXACT = 0.99;
const BROKEN = 0.5;

/** The e-invoice in `xml`, or undefined when it is not one of the syntaxes read here. Throws on malformed XML. */
export function readEInvoice(xml: string): EInvoice | undefined {
  const parsed = parseXml(xml);
  if (parsed.CrossIndustryInvoice) return readCii(parsed.CrossIndustryInvoice as never, 'CII');
  if (parsed.CrossIndustryDocument) return readCii(parsed.CrossIndustryDocument as never, 'ZUGFeRD-1');
  // Early ZUGFeRD 1.0 drafts named the CII root `Invoice` too; its header element tells them apart.
  if (parsed.Invoice && typeof parsed.Invoice === 'object' && 'HeaderExchangedDocument' in parsed.Invoice)
    return readCii(parsed.Invoice as never, 'ZUGFeRD-1');
  if (parsed.Invoice) return readUbl(parsed.Invoice as never, 'Invoice');
  if (parsed.CreditNote) return readUbl(parsed.CreditNote as never, 'CreditNote');
  if (parsed.cXML && typeof parsed.cXML === 'object' && 'Request' in (parsed.cXML as object))
    return readCxml(parsed.cXML as never);
  return undefined;
}

/** How a syntax is named to a person. */
export function formatName(inv: EInvoice, embedded: boolean): string {
  const profile = inv.profile ?? '';
  if (inv.syntax === 'cXML') return 'cXML';
  if (inv.syntax === 'ZUGFeRD-1') return 'ZUGFeRD 1.0';
  const xr = /xrechnung/i.test(profile) ? 'XRechnung ' : '';
  if (inv.syntax === 'UBL') return `${xr || (/peppol/i.test(profile) ? 'Peppol BIS 3 ' : '')}UBL`;
  return embedded ? `Factur-X/ZUGFeRD${xr ? ' (XRechnung)' : ''}` : `${xr}CII`;
}

/** A decimal string as printed amounts are compared: at least two decimals. */
function money(s: string | undefined): string | undefined {
  if (s === undefined || !/^-?\d+(\.\d+)?$/.test(s.trim())) return undefined;
  const v = new Dec(s.trim());
  return v.toFixed(Math.max(2, v.decimalPlaces()));
}

const isSectionLine = (l: EInvoice['lines'][number]): boolean =>
  new Dec(l.netAmount).isZero() &&
  (l.quantity === undefined || (/^-?\d+(\.\d+)?$/.test(l.quantity) && new Dec(l.quantity).isZero()));

/** BT-109, or what the other totals prove it to be when a profile leaves it out. */
function netTotal(inv: EInvoice): string | undefined {
  const t = inv.totals;
  if (t.taxExclusive) return t.taxExclusive;
  if (t.taxInclusive && t.taxTotal) return new Dec(t.taxInclusive).minus(t.taxTotal).toString();
  return undefined;
}

const quantity = (s: string | undefined): string | undefined =>
  s && /^-?\d+(\.\d+)?$/.test(s.trim()) ? new Dec(s.trim()).toString() : undefined;

/** The extraction an e-invoice gives, with its arithmetic findings. */
export function eInvoiceToExtraction(inv: EInvoice, embedded: boolean): ExtractedInvoice {
  const arithmetic = checkArithmetic(inv);
  const broken = new Set(arithmetic.flatMap((a) => a.fields));
  const field = (
    value: string | undefined,
    name?: 'subtotal' | 'tax' | 'total' | 'lines',
  ): ExtractedField | undefined =>
    value === undefined || value === ''
      ? undefined
      : { value, confidence: name && broken.has(name) ? BROKEN : EXACT, source: 'xml' };
  const seller = inv.seller;
  const fields: ExtractedInvoice['fields'] = {
    supplierName: field(seller.name ?? seller.tradingName),
    invoiceNumber: field(inv.number),
    invoiceDate: field(inv.issueDate),
    dueDate: field(inv.dueDate),
    currency: field(inv.currency?.toUpperCase()),
    poNumber: field(inv.orderReference),
    subtotal: field(money(netTotal(inv)), 'subtotal'),
    tax: field(
      money(
        inv.totals.taxTotal ??
          (inv.totals.taxExclusive && inv.totals.taxInclusive
            ? new Dec(inv.totals.taxInclusive).minus(inv.totals.taxExclusive).toString()
            : undefined),
      ),
      'tax',
    ),
    total: field(money(inv.totals.taxInclusive ?? inv.totals.payable), 'total'),
    taxId: field(seller.vatId?.replace(/\s/g, '') ?? seller.taxId),
    iban: field(inv.ibans[0]?.replace(/\s/g, '').toUpperCase()),
    remitTo: field(seller.address),
  };
  // BASIC-profile lines may carry no amount (they say what was bought, not what it cost); section
  // headings travel as lines of quantity 0 and amount 0 (Odoo). Neither is a line to pay.
  const lines: ExtractedLine[] = inv.lines
    .filter((l) => money(l.netAmount) !== undefined && !isSectionLine(l))
    .map((l) => ({
      description: { value: l.name, confidence: EXACT, source: 'xml' },
      amount: field(money(l.netAmount), 'lines') ?? { value: '', confidence: 0, source: 'xml' },
      ...(quantity(l.quantity) ? { quantity: field(quantity(l.quantity), 'lines')! } : {}),
      ...(money(l.unitPrice) ? { unitPrice: field(money(l.unitPrice), 'lines')! } : {}),
    }));
  const findings: ValidationProblem[] = arithmetic.map((a) => ({
    code: 'einvoice_arithmetic',
    severity: 'error',
    field: a.fields[0],
    message: `the e-invoice's sums do not add up (${a.rule}): ${a.message}`,
  }));
  if (inv.typeCode === '381')
    findings.push({
      code: 'credit_note',
      severity: 'error',
      message: 'the e-invoice is a credit note (type 381); credit notes are handled by a person',
    });
  return {
    fields: Object.fromEntries(Object.entries(fields).filter(([, v]) => v !== undefined)),
    lines,
    format: formatName(inv, embedded),
    findings,
    evidence: [`read from the ${formatName(inv, embedded)} XML${embedded ? ' embedded in the PDF' : ''}`],
  };
}
