/** The case-format vocabulary: what went wrong, and what Settle does about it. */
import { z } from 'zod';

export const ExceptionType = z.enum([
  'price_variance',
  'quantity_variance',
  'missing_receipt',
  'missing_po',
  'tax_variance',
  'duplicate',
  'supplier_data_mismatch',
  'missing_information',
  'other',
]);
export type ExceptionType = z.infer<typeof ExceptionType>;

export const Decision = z.enum(['resolve', 'route', 'dispute', 'hold', 'request_info']);
export type Decision = z.infer<typeof Decision>;
