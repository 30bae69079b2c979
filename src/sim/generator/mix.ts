/**
 * How many exceptions of each type the company has: a fixed share of invoices, split by a mix
 * close to what AP teams report (price variances most common), with every type present.
 * Allocation is exact (largest remainder), so the summary can promise the proportions.
 */
import { ExceptionType } from '../../domain/vocabulary.js';
import type { Scenario } from './scenario-kit.js';
import { priceVariance, taxVariance } from './scenarios-price.js';
import { missingReceipt, otherException, quantityVariance } from './scenarios-quantity.js';
import { duplicate, supplierDataMismatch } from './scenarios-risk.js';
import { missingInformation, missingPo } from './scenarios-info.js';

/** Share of invoices that are open exceptions. */
export const OPEN_EXCEPTION_RATE = 0.12;
/** Share of history invoices that went through an exception before they were settled. */
export const HISTORICAL_EXCEPTION_RATE = 0.16;
/** Every type appears at least this often among open exceptions. */
const MIN_PER_TYPE = 2;

export const EXCEPTION_MIX: Record<ExceptionType, number> = {
  price_variance: 0.28,
  missing_receipt: 0.18,
  quantity_variance: 0.12,
  tax_variance: 0.09,
  missing_po: 0.09,
  duplicate: 0.07,
  supplier_data_mismatch: 0.07,
  missing_information: 0.06,
  other: 0.04,
};

export const SCENARIOS: Record<ExceptionType, Scenario> = {
  price_variance: priceVariance,
  missing_receipt: missingReceipt,
  quantity_variance: quantityVariance,
  tax_variance: taxVariance,
  missing_po: missingPo,
  duplicate,
  supplier_data_mismatch: supplierDataMismatch,
  missing_information: missingInformation,
  other: otherException,
};

/** Exact counts per type for `total` exceptions: largest remainder, at least `minimum` each. */
export function allocate(total: number, minimum = MIN_PER_TYPE): Record<ExceptionType, number> {
  const types = ExceptionType.options;
  const floor = Math.max(0, total - minimum * types.length);
  const raw = types.map((t) => EXCEPTION_MIX[t] * floor);
  const counts = raw.map((r) => Math.floor(r));
  let left = floor - counts.reduce((a, b) => a + b, 0);
  const order = raw.map((r, i) => [r - Math.floor(r), i] as const).sort((a, b) => b[0] - a[0] || a[1] - b[1]);
  for (const [, i] of order) {
    if (left <= 0) break;
    counts[i] = (counts[i] ?? 0) + 1;
    left--;
  }
  return Object.fromEntries(types.map((t, i) => [t, (counts[i] ?? 0) + minimum])) as Record<ExceptionType, number>;
}

/** Number of open exceptions for a company of `invoices` invoices. */
export function openExceptionCount(invoices: number): number {
  return Math.max(MIN_PER_TYPE * ExceptionType.options.length, Math.round(invoices * OPEN_EXCEPTION_RATE));
}
