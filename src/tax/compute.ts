/**
 * Tax from a rate table, per line and per jurisdiction: the offline engine's answer, and the
 * simulator's AvaTax-format endpoint's (so both agree on the same table). Decimal throughout.
 */
import { Dec } from '../domain/money.js';
import type { TaxQuote, TaxQuoteRequest } from '../domain/tax-quote.js';
import { lookupRates, type RateTable } from './rate-table.js';

/** Tax codes that mean "not taxable" (AvaTax's `NT`, and plain-language exemptions). */
export function isExemptCode(code: string | undefined): boolean {
  return !!code && /^(NT|EXEMPT|E\d*|ZERO)$/i.test(code.trim());
}

const cents = (d: Dec): string => d.toDecimalPlaces(2, Dec.ROUND_HALF_UP).toFixed(2);

/** The table's quote for `request`, or undefined when the table has no rate for the ship-to address. */
export function quoteFromTable(table: RateTable, request: TaxQuoteRequest, engine = 'offline'): TaxQuote | undefined {
  const rates = lookupRates(table, request.shipTo);
  if (!rates) return undefined;
  const combined = rates.jurisdictions.reduce((sum, j) => sum.plus(j.rate), new Dec(0));
  let total = new Dec(0);
  const lines = request.lines.map((line) => {
    const amount = new Dec(line.amount);
    const exempt = isExemptCode(line.taxCode);
    const taxable = exempt ? new Dec(0) : amount;
    const tax = new Dec(cents(taxable.times(combined).dividedBy(100)));
    total = total.plus(tax);
    return {
      number: line.number,
      taxable: cents(taxable),
      rate: exempt ? '0' : combined.toString(),
      tax: cents(tax),
      exempt,
      jurisdictions: rates.jurisdictions.map((j) => ({
        ...j,
        rate: exempt ? '0' : j.rate,
        tax: cents(taxable.times(j.rate).dividedBy(100)),
      })),
      ...(rates.alternatives.length ? { alternativeRates: rates.alternatives } : {}),
    };
  });
  return {
    engine,
    source: rates.source,
    asOf: rates.asOf,
    currency: request.currency,
    totalTax: cents(total),
    lines,
    notes: rates.notes,
  };
}
