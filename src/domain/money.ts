/**
 * Exact money for AP decisions. Amounts are decimal.js values tagged with a currency; they are
 * parsed from decimal strings only (Coupa sends "425.99"; a JS number has already lost exactness).
 *
 * Rounding rule: intermediate math keeps full precision (40 significant digits); an amount is
 * rounded only when it is presented or compared as a printed amount (`round()`, `toFixed()`),
 * ROUND_HALF_UP to the currency's minor units (2 for most, 0 for JPY/KRW, 3 for BHD/KWD/OMR),
 * because that is how invoices print their totals and tax lines.
 */
import { Decimal } from 'decimal.js';

/** decimal.js configured for money: wide precision, half-up when a rounding mode is not given. */
export const Dec = Decimal.clone({ precision: 40, rounding: Decimal.ROUND_HALF_UP, toExpNeg: -40, toExpPos: 40 });
export type Dec = Decimal;

const MINOR_UNITS: Readonly<Record<string, number>> = { JPY: 0, KRW: 0, BHD: 3, KWD: 3, OMR: 3, TND: 3 };
const DECIMAL_STRING = /^-?\d+(\.\d+)?$/;

/** Two amounts in different currencies met in one operation; there is no FX in the domain. */
export class CurrencyMismatchError extends Error {
  override name = 'CurrencyMismatchError';
  constructor(
    readonly left: string,
    readonly right: string,
  ) {
    super(`currency mismatch: ${left} vs ${right}`);
  }
}

/** A value that is not a plain decimal string ("12.50", "-3", "0.001"). */
export class MoneyParseError extends Error {
  override name = 'MoneyParseError';
}

/** Minor units (digits after the point) a currency prints with. */
export function minorUnits(currency: string): number {
  return MINOR_UNITS[currency.toUpperCase()] ?? 2;
}

/** Parses a plain decimal string (no exponent, no thousands separators, no JS numbers). */
export function parseDecimal(value: string): Dec {
  if (typeof value !== 'string') throw new MoneyParseError(`expected a decimal string, got ${typeof value}`);
  const trimmed = value.trim();
  if (!DECIMAL_STRING.test(trimmed)) throw new MoneyParseError(`not a decimal string: "${value}"`);
  return new Dec(trimmed);
}

/** A decimal string or null/undefined → Dec, with `fallback` (default 0) for absent values. */
export function decimalOr(value: string | null | undefined, fallback: string = '0'): Dec {
  return parseDecimal(value ?? fallback);
}

/** An immutable amount in one currency. */
export class Money {
  private constructor(
    readonly amount: Dec,
    readonly currency: string,
  ) {}

  /** From a decimal string and an ISO currency code. */
  static of(amount: string, currency: string): Money {
    return new Money(parseDecimal(amount), normaliseCurrency(currency));
  }

  /** From an already exact Dec (e.g. quantity × price). */
  static fromDecimal(amount: Dec, currency: string): Money {
    return new Money(new Dec(amount), normaliseCurrency(currency));
  }

  static zero(currency: string): Money {
    return new Money(new Dec(0), normaliseCurrency(currency));
  }

  /** Sum of amounts in `currency`; an empty list is zero. */
  static sum(items: readonly Money[], currency: string): Money {
    return items.reduce((acc, m) => acc.plus(m), Money.zero(currency));
  }

  plus(other: Money): Money {
    this.assertSameCurrency(other);
    return new Money(this.amount.plus(other.amount), this.currency);
  }

  minus(other: Money): Money {
    this.assertSameCurrency(other);
    return new Money(this.amount.minus(other.amount), this.currency);
  }

  /** Multiplies by a factor (a quantity or a rate), keeping full precision. */
  times(factor: Dec | string): Money {
    const f = typeof factor === 'string' ? parseDecimal(factor) : factor;
    return new Money(this.amount.times(f), this.currency);
  }

  /** `pct` percent of this amount (tax at 8.25 → times 0.0825), full precision. */
  percent(pct: Dec | string): Money {
    const p = typeof pct === 'string' ? parseDecimal(pct) : pct;
    return new Money(this.amount.times(p).dividedBy(100), this.currency);
  }

  /** How many percent this amount is above (positive) or below `base`; undefined when base is zero. */
  pctOver(base: Money): Dec | undefined {
    this.assertSameCurrency(base);
    if (base.amount.isZero()) return undefined;
    return this.amount.minus(base.amount).dividedBy(base.amount.abs()).times(100);
  }

  /** -1, 0 or 1, at full precision. */
  compare(other: Money): -1 | 0 | 1 {
    this.assertSameCurrency(other);
    return this.amount.comparedTo(other.amount) as -1 | 0 | 1;
  }

  gt(other: Money): boolean {
    return this.compare(other) > 0;
  }

  lte(other: Money): boolean {
    return this.compare(other) <= 0;
  }

  isZero(): boolean {
    return this.amount.isZero();
  }

  isNegative(): boolean {
    return this.amount.isNegative() && !this.amount.isZero();
  }

  abs(): Money {
    return new Money(this.amount.abs(), this.currency);
  }

  /** Rounded half-up to the currency's minor units (what an invoice prints). */
  round(): Money {
    return new Money(this.amount.toDecimalPlaces(minorUnits(this.currency), Decimal.ROUND_HALF_UP), this.currency);
  }

  /** The printed amount: "1234.50" (rounded half-up, minor units). */
  toFixed(): string {
    const units = minorUnits(this.currency);
    const rounded = this.amount.toDecimalPlaces(units, Decimal.ROUND_HALF_UP);
    // -0.001 prints as 0.00, not -0.00.
    return (rounded.isZero() ? new Dec(0) : rounded).toFixed(units);
  }

  /** For people: "USD 1,234.50". */
  format(): string {
    const [whole = '0', frac] = this.toFixed().replace('-', '').split('.');
    const grouped = whole.replace(/\B(?=(\d{3})+(?!\d))/g, ',');
    return `${this.currency} ${this.isNegativePrinted() ? '-' : ''}${grouped}${frac ? `.${frac}` : ''}`;
  }

  toString(): string {
    return this.toFixed();
  }

  private isNegativePrinted(): boolean {
    return this.toFixed().startsWith('-');
  }

  private assertSameCurrency(other: Money): void {
    if (other.currency !== this.currency) throw new CurrencyMismatchError(this.currency, other.currency);
  }
}

function normaliseCurrency(code: string): string {
  const c = code.trim().toUpperCase();
  if (!/^[A-Z]{3}$/.test(c)) throw new MoneyParseError(`not an ISO currency code: "${code}"`);
  return c;
}

/** A percentage for people, one decimal: 3 → "3.0". */
export function formatPct(pct: Dec): string {
  return pct.toFixed(1, Decimal.ROUND_HALF_UP);
}

/** A quantity for people: trailing zeros dropped ("5.000" → "5"). */
export function formatQty(q: Dec): string {
  return q.toDecimalPlaces(6, Decimal.ROUND_HALF_UP).toString();
}
