import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CurrencyMismatchError, Dec, formatPct, Money, MoneyParseError, parseDecimal } from '../src/domain/money.js';

/** Decimal strings with up to 4 decimals, as Coupa sends amounts and unit prices. */
const amount = fc
  .tuple(fc.integer({ min: -1_000_000_000, max: 1_000_000_000 }), fc.integer({ min: 0, max: 9999 }))
  .map(([whole, frac]) => `${whole < 0 ? '-' : ''}${Math.abs(whole)}.${String(frac).padStart(4, '0')}`);

describe('Money', () => {
  it('adds associatively and commutatively, exactly', () => {
    fc.assert(
      fc.property(amount, amount, amount, (a, b, c) => {
        const [x, y, z] = [Money.of(a, 'USD'), Money.of(b, 'USD'), Money.of(c, 'USD')];
        expect(
          x
            .plus(y)
            .plus(z)
            .compare(x.plus(y.plus(z))),
        ).toBe(0);
        expect(x.plus(y).compare(y.plus(x))).toBe(0);
        expect(x.plus(y).minus(y).compare(x)).toBe(0);
      }),
    );
  });

  it('has no float drift: 0.1 summed ten times is 1.00, and 0.1 + 0.2 is 0.30', () => {
    const tenth = Money.of('0.1', 'USD');
    expect(
      Money.sum(
        Array.from({ length: 10 }, () => tenth),
        'USD',
      ).toFixed(),
    ).toBe('1.00');
    expect(Money.of('0.1', 'USD').plus(Money.of('0.2', 'USD')).amount.equals(new Dec('0.3'))).toBe(true);
  });

  it('rounds half up to the minor unit and stays within half a cent of the exact value', () => {
    expect(Money.of('2.345', 'USD').toFixed()).toBe('2.35');
    expect(Money.of('2.344999', 'USD').toFixed()).toBe('2.34');
    expect(Money.of('-2.345', 'USD').toFixed()).toBe('-2.35');
    expect(Money.of('1234.5', 'JPY').toFixed()).toBe('1235');
    expect(Money.of('1.2345', 'BHD').toFixed()).toBe('1.235');
    fc.assert(
      fc.property(amount, (a) => {
        const m = Money.of(a, 'EUR');
        const diff = m.round().amount.minus(m.amount).abs();
        expect(diff.lte('0.005')).toBe(true);
        expect(m.round().round().compare(m.round())).toBe(0);
      }),
    );
  });

  it('keeps full precision for intermediate math and rounds only when printed', () => {
    const unit = Money.of('0.3333', 'USD');
    expect(unit.times('3').amount.toString()).toBe('0.9999');
    expect(unit.times('3').toFixed()).toBe('1.00');
    expect(Money.of('100.00', 'USD').percent('8.25').amount.toString()).toBe('8.25');
    expect(Money.of('103.00', 'USD').pctOver(Money.of('100.00', 'USD'))?.toString()).toBe('3');
    expect(Money.of('1', 'USD').pctOver(Money.zero('USD'))).toBeUndefined();
  });

  it('refuses to mix currencies', () => {
    expect(() => Money.of('1', 'USD').plus(Money.of('1', 'EUR'))).toThrow(CurrencyMismatchError);
    expect(() => Money.of('1', 'USD').compare(Money.of('1', 'EUR'))).toThrow(/USD vs EUR/);
  });

  it('parses decimal strings only', () => {
    for (const bad of ['1e3', '1,000.00', '', 'abc', '0x10', '.5', 'NaN', 'Infinity']) {
      expect(() => parseDecimal(bad), bad).toThrow(MoneyParseError);
    }
    expect(() => parseDecimal(12.5 as unknown as string)).toThrow(/decimal string/);
    expect(() => Money.of('1.00', 'dollars')).toThrow(/currency/);
    expect(parseDecimal(' 42.10 ').toString()).toBe('42.1');
  });

  it('formats for people with grouping and sign', () => {
    expect(Money.of('1234567.5', 'USD').format()).toBe('USD 1,234,567.50');
    expect(Money.of('-12.5', 'EUR').format()).toBe('EUR -12.50');
    expect(Money.of('-0.001', 'EUR').format()).toBe('EUR 0.00');
    expect(formatPct(new Dec('2.96'))).toBe('3.0');
  });

  it('prints tiny and huge exact values without exponents, so they parse back', () => {
    const tiny = Money.of('0.00000001', 'USD').times('0.5');
    expect(tiny.amount.toString()).toBe('0.000000005');
    expect(parseDecimal(tiny.amount.toString()).equals(tiny.amount)).toBe(true);
  });
});
