/**
 * zod validators for values clients write to the simulator, with Coupa's documented limits
 * (invoice-number ≤ 40, coupa-api.md §5.1) and generous caps elsewhere so oversized input gets a
 * 400 rather than sitting in memory. Money and quantities are kept as decimal strings.
 */
import { Decimal } from 'decimal.js';
import { z } from 'zod';

export const LIMITS = {
  invoiceNumber: 40,
  /** Comments, notes, justifications. */
  text: 10_000,
  /** Names, codes, descriptions. */
  short: 1_000,
  lines: 1_000,
} as const;

/** Decimal input: "425.99" or 425.99 → "425.99". */
export const DecimalInput = z
  .union([
    z
      .string()
      .trim()
      .regex(/^-?\d{1,15}(\.\d{1,10})?$/, 'must be a decimal number'),
    z.number().finite(),
  ])
  .transform((v) => (typeof v === 'number' ? new Decimal(v).toString() : v));

/** A date or timestamp Coupa would accept (`2024-01-15`, `2024-01-15T00:00:00-07:00`). */
export const DateInput = z
  .string()
  .max(40)
  .regex(/^\d{4}-\d{2}-\d{2}([T ][\d:.]+(Z|[+-]\d{2}:?\d{2})?)?$/, 'must be an ISO date')
  .refine((v) => !Number.isNaN(Date.parse(v.length === 10 ? v : v.replace(' ', 'T'))), 'must be a valid date');

export const ShortText = z.string().max(LIMITS.short);
export const LongText = z.string().max(LIMITS.text);
export const Id = z.number().int().positive();

/** A reference to an existing record by id or a natural key (`{"id": 3}`, `{"login": "jlee"}`). */
export const RefInput = z.looseObject({
  id: Id.optional(),
  name: ShortText.optional(),
  number: ShortText.optional(),
  code: ShortText.optional(),
  login: ShortText.optional(),
  email: ShortText.optional(),
});
export type RefInput = z.infer<typeof RefInput>;

/** `price × quantity` rounded to cents, as a decimal string. */
export function lineTotal(price: string, quantity: string | undefined): string {
  return new Decimal(price).times(quantity ?? '1').toFixed(2);
}

/** Sum of decimal strings (missing values count as zero). */
export function sumDecimals(values: ReadonlyArray<unknown>): string {
  let total = new Decimal(0);
  for (const v of values) {
    if (typeof v === 'string' && /^-?\d+(\.\d+)?$/.test(v)) total = total.plus(v);
  }
  return total.toFixed(2);
}
