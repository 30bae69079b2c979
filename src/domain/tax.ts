/**
 * Tax check: the tax an invoice should carry from its line totals and rate (header-level or
 * line-level taxation) against what it bills, and, for EU VAT invoices, the supplier's VAT id.
 * Differences are findings with the numbers; `tax_tolerance_amount` decides what is rounding.
 */
import type { Invoice, RemitToAddress, Supplier } from '../coupa/schemas.js';
import { invoiceCurrency, lineNumOf, type InvoiceContext } from './context.js';
import { finding, type Finding } from './findings.js';
import { hintMentions } from './hint.js';
import { decimalOr, Money } from './money.js';

const EU_COUNTRIES = new Set([
  'AT',
  'BE',
  'BG',
  'CY',
  'CZ',
  'DE',
  'DK',
  'EE',
  'ES',
  'FI',
  'FR',
  'GR',
  'EL',
  'HR',
  'HU',
  'IE',
  'IT',
  'LT',
  'LU',
  'LV',
  'MT',
  'NL',
  'PL',
  'PT',
  'RO',
  'SE',
  'SI',
  'SK',
]);

/** VAT rates (standard and reduced, %) a country charges; a rate outside its list is a finding. */
export const EU_VAT_RATES: Readonly<Record<string, readonly string[]>> = {
  DE: ['19', '7', '0'],
  FR: ['20', '10', '5.5', '2.1', '0'],
  NL: ['21', '9', '0'],
  IE: ['23', '13.5', '9', '4.8', '0'],
  ES: ['21', '10', '4', '0'],
  IT: ['22', '10', '5', '4', '0'],
  BE: ['21', '12', '6', '0'],
  AT: ['20', '13', '10', '0'],
  PT: ['23', '13', '6', '0'],
  LU: ['17', '14', '8', '3', '0'],
  SE: ['25', '12', '6', '0'],
  DK: ['25', '0'],
  FI: ['25.5', '24', '14', '10', '0'],
  PL: ['23', '8', '5', '0'],
};

/** The country the invoice is billed from: its remit-to, else the supplier's first remit-to or primary address. */
export function billingCountry(invoice: Invoice, supplier?: Supplier | null): string | undefined {
  const code =
    invoice.remitToAddress?.country?.code ??
    supplier?.remitToAddresses[0]?.country?.code ??
    supplier?.primaryAddress?.country?.code;
  return code?.toUpperCase();
}

/**
 * An EU VAT invoice: billed from an EU country; when no country is on file at all, an invoice in
 * EUR is taken as one (a USD supplier billing in EUR is a currency question, not a VAT one).
 */
export function isEuVatInvoice(ctx: InvoiceContext): boolean {
  const country = billingCountry(ctx.invoice, ctx.supplier);
  if (country !== undefined) return EU_COUNTRIES.has(country);
  return invoiceCurrency(ctx).toUpperCase() === 'EUR';
}

/** The hold says the VAT id is missing from the invoice ("VAT registration number missing on invoice"). */
const VAT_ID_TOPIC = /VAT[ _-]?(ID|NO|NUMBER|REG)|TAX[ _-]?(ID|NUMBER)|REGISTRATION[ _-]?NUMBER/i;
const MISSING_TOPIC = /MISSING|WITHOUT|ABSENT|NOT[ _-]?(SHOWN|PRINTED|STATED)|REQUIRED/i;

function holdSaysVatIdMissing(ctx: InvoiceContext): boolean {
  return hintMentions(ctx.event, VAT_ID_TOPIC) && hintMentions(ctx.event, MISSING_TOPIC);
}

/**
 * The VAT id the invoice carries: its remit-to's `vat-number` when stated. When the invoice does
 * not state one (null and absent alike — tenants and exports drop nulls), the hold settles it: a
 * hold saying the VAT id is missing from the invoice is believed (the supplier master's id is not
 * on the invoice); otherwise the id comes from the referenced remit-to or the supplier master.
 */
function vatIdOf(ctx: InvoiceContext): { id: string; source: string } | undefined {
  const remit: RemitToAddress | null | undefined = ctx.invoice.remitToAddress;
  const printed = remit?.vatNumber?.trim();
  if (printed) return { id: printed, source: 'invoice remit-to vat-number' };
  if (holdSaysVatIdMissing(ctx)) return undefined;
  const supplierId = ctx.supplier?.id ?? ctx.invoice.supplier?.id;
  const sim = (ctx.supplierInformation ?? []).find((r) => (r.supplier?.id ?? r.supplierId) === supplierId);
  const referenced = ctx.supplier?.remitToAddresses.find(
    (a) => (remit?.id != null && a.id === remit.id) || (!!remit?.remitToCode && a.remitToCode === remit.remitToCode),
  );
  const options: Array<[string | null | undefined, string]> = [
    [referenced?.vatNumber, 'supplier remit-to vat-number'],
    [ctx.supplier?.taxId, 'supplier tax-id'],
    [sim?.taxId, 'supplier information tax-id'],
  ];
  for (const [id, source] of options) if (id && id.trim()) return { id: id.trim(), source };
  return undefined;
}

/** EU VAT invoices must show the supplier's VAT id; without one the invoice is missing information. */
export function checkVatId(ctx: InvoiceContext): Finding[] {
  if (!isEuVatInvoice(ctx) || vatIdOf(ctx)) return [];
  const country = billingCountry(ctx.invoice, ctx.supplier) ?? 'EU';
  return [
    finding(
      'missing_vat_id',
      `EU VAT invoice (${invoiceCurrency(ctx)}, ${country}) does not show the supplier's VAT id.`,
      { currency: invoiceCurrency(ctx), country },
      [
        holdSaysVatIdMissing(ctx)
          ? `the invoice remit-to states no vat-number and the hold says it is missing (${ctx.event?.holdReason ?? ctx.event?.exceptionCode ?? ''})`
          : 'no VAT id on the invoice, the supplier master or its remit-to',
      ],
    ),
  ];
}

function rateFinding(ctx: InvoiceContext, rate: string, currency: string, base: Money, billed: Money): Finding[] {
  const country = billingCountry(ctx.invoice, ctx.supplier);
  const allowed = country ? EU_VAT_RATES[country] : undefined;
  if (!allowed || allowed.some((r) => decimalOr(r).equals(decimalOr(rate)))) return [];
  const standard = allowed[0] ?? '0';
  const expected = base.percent(standard).round();
  return [
    finding(
      'tax_rate_unexpected',
      `Tax rate ${rate}% is not a ${country} VAT rate (standard ${standard}%; allowed ${allowed.join(', ')}).`,
      {
        billedRate: rate,
        standardRate: standard,
        billed: billed.toFixed(),
        expectedAtStandard: expected.toFixed(),
        difference: billed.minus(expected).toFixed(),
        currency,
      },
      [`invoice tax rate ${rate}%`, `${country} VAT rates ${allowed.join(', ')}%`],
    ),
  ];
}

/** Header-level: tax rate × sum of line totals vs the header tax amount. */
function headerTax(ctx: InvoiceContext, currency: string): Finding[] {
  const inv = ctx.invoice;
  if (inv.taxRate == null) return [];
  const base = Money.sum(
    inv.invoiceLines.map((l) => Money.of(l.total ?? '0', currency)),
    currency,
  );
  const billed = Money.of(inv.taxAmount ?? '0', currency);
  const expected = base.percent(inv.taxRate).round();
  const out = rateFinding(ctx, inv.taxRate, currency, base, billed);
  if (billed.compare(expected) !== 0) {
    const diff = billed.minus(expected);
    out.push(
      finding(
        'tax_amount_mismatch',
        `Tax billed ${billed.toFixed()} but ${inv.taxRate}% of the line totals ${base.toFixed()} is ${expected.toFixed()} (difference ${diff.toFixed()} ${currency}).`,
        {
          billed: billed.toFixed(),
          expected: expected.toFixed(),
          difference: diff.toFixed(),
          rate: inv.taxRate,
          taxableBase: base.toFixed(),
          currency,
          level: 'header',
        },
        [`invoice tax-amount ${billed.toFixed()}`, `tax-rate ${inv.taxRate}% × ${base.toFixed()}`],
      ),
    );
  }
  return out;
}

/** Line-level: each line's rate × total vs its tax amount, reported as one invoice-wide difference. */
function lineTax(ctx: InvoiceContext, currency: string): Finding[] {
  const inv = ctx.invoice;
  let expected = Money.zero(currency);
  let billed = Money.zero(currency);
  const evidence: string[] = [];
  let checked = 0;
  inv.invoiceLines.forEach((l, i) => {
    if (l.taxRate == null) return;
    checked++;
    const e = Money.of(l.total ?? '0', currency)
      .percent(l.taxRate)
      .round();
    const b = Money.of(l.taxAmount ?? '0', currency);
    expected = expected.plus(e);
    billed = billed.plus(b);
    if (e.compare(b) !== 0)
      evidence.push(
        `line ${lineNumOf(l, i)}: ${l.taxRate}% of ${l.total ?? '0'} = ${e.toFixed()}, billed ${b.toFixed()}`,
      );
  });
  if (checked === 0 || evidence.length === 0) return [];
  const diff = billed.minus(expected);
  return [
    finding(
      'tax_amount_mismatch',
      `Line tax billed ${billed.toFixed()} but the line rates give ${expected.toFixed()} (difference ${diff.toFixed()} ${currency}).`,
      { billed: billed.toFixed(), expected: expected.toFixed(), difference: diff.toFixed(), currency, level: 'line' },
      evidence,
    ),
  ];
}

/** Tax amount and rate findings for the invoice. */
export function checkTax(ctx: InvoiceContext): Finding[] {
  const currency = invoiceCurrency(ctx);
  const inv = ctx.invoice;
  // Lines that carry their own rates are taxed per line even when the header flag was not set.
  const perLine =
    inv.lineLevelTaxation === true || (inv.taxRate == null && inv.invoiceLines.some((l) => l.taxRate != null));
  return perLine ? lineTax(ctx, currency) : headerTax(ctx, currency);
}
