/**
 * Agreement figures: a rate with its Wilson score interval (sound at small counts and at rates
 * near 0 or 1, where the normal approximation is not), and the invoice amount bands slices use.
 */
import { Decimal } from 'decimal.js';

export { wilson } from '../stats.js';

/** Invoice amount bands, lower bound inclusive; the last is open. */
export const AMOUNT_BANDS: ReadonlyArray<{ label: string; min: string; max: string | null }> = [
  { label: 'under 1,000', min: '0', max: '1000' },
  { label: '1,000–5,000', min: '1000', max: '5000' },
  { label: '5,000–25,000', min: '5000', max: '25000' },
  { label: '25,000 and over', min: '25000', max: null },
];

export function amountBand(amount: string | null): string {
  if (amount === null) return 'unknown amount';
  let value: Decimal;
  try {
    value = new Decimal(amount);
  } catch {
    return 'unknown amount';
  }
  const band = AMOUNT_BANDS.find((b) => value.greaterThanOrEqualTo(b.min) && (b.max === null || value.lessThan(b.max)));
  return band?.label ?? 'unknown amount';
}

/** Sum of decimal amounts as fixed 2-place text (unreadable amounts count 0). */
export function sumAmounts(amounts: ReadonlyArray<string | null>): string {
  let total = new Decimal(0);
  for (const a of amounts) {
    if (a === null) continue;
    try {
      total = total.plus(a);
    } catch {
      /* an unreadable amount adds nothing */
    }
  }
  return total.toFixed(2);
}
