/**
 * A Coupa dataset in wire form (hyphenated keys, money as strings): the `coupa` object of a replay
 * case, and what the sample-company generator produces. The simulator stores records exactly like
 * this and serves them back as Coupa would.
 */
import { z } from 'zod';

/** An id as a number or a numeric string ("5001"), as hand-written and exported records carry it. */
export const WireId = z.preprocess(
  (v) => (typeof v === 'string' && /^\s*\d+\s*$/.test(v) ? Number(v) : v),
  z.number().int(),
);

/** One wire record: must carry an integer `id`; everything else is Coupa's business. */
export const WireRecord = z.looseObject({ id: WireId });
export type WireRecord = z.infer<typeof WireRecord> & Record<string, unknown>;

export const CoupaDatasetSchema = z.looseObject({
  users: z.array(WireRecord).default([]),
  suppliers: z.array(WireRecord).default([]),
  'supplier-information': z.array(WireRecord).default([]),
  contracts: z.array(WireRecord).default([]),
  'purchase-orders': z.array(WireRecord).default([]),
  'receiving-transactions': z.array(WireRecord).default([]),
  invoices: z.array(WireRecord).default([]),
  approvals: z.array(WireRecord).default([]),
  comments: z.array(z.looseObject({ id: WireId.optional() })).default([]),
});
export type CoupaDataset = {
  users: WireRecord[];
  suppliers: WireRecord[];
  'supplier-information': WireRecord[];
  contracts: WireRecord[];
  'purchase-orders': WireRecord[];
  'receiving-transactions': WireRecord[];
  invoices: WireRecord[];
  approvals: WireRecord[];
  comments: Array<Record<string, unknown>>;
};

export function emptyDataset(): CoupaDataset {
  return {
    users: [],
    suppliers: [],
    'supplier-information': [],
    contracts: [],
    'purchase-orders': [],
    'receiving-transactions': [],
    invoices: [],
    approvals: [],
    comments: [],
  };
}

export { ExceptionEventSchema, type ExceptionEvent } from '../coupa/events.js';
