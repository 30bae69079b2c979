/**
 * Coupa's invoice statuses and the sets Settle reads them by — one place, so "held" means the same
 * to the write tools, the agent, the poller, the shadow observer and the review page.
 */
import { z } from 'zod';

/** The statuses Coupa documents; tenants add others, so a record's status stays a plain string. */
export const InvoiceStatus = z.enum([
  'new',
  'draft',
  'pending_approval',
  'pending_receipt',
  'approved',
  'on_hold',
  'ap_hold',
  'booking_hold',
  'pending_action',
  'disputed',
  'rejected',
  'abandoned',
  'voided',
  'processing',
  'invalid',
  'payable_adjustment',
  'save_as_draft',
]);
export type InvoiceStatus = z.infer<typeof InvoiceStatus>;

/** Held in an exception, waiting on AP: the statuses Settle may act on (the write tools re-check it). */
export const HELD_STATUSES: ReadonlySet<string> = new Set<InvoiceStatus>([
  'ap_hold',
  'pending_receipt',
  'on_hold',
  'pending_action',
]);

/**
 * The exception queue Settle lists from Coupa (poller, `settle start`): the two statuses Coupa puts a
 * failed invoice in. The others in HELD_STATUSES are reached by a person or by Settle's own hold.
 */
export const QUEUE_STATUSES = ['ap_hold', 'pending_receipt'] as const satisfies readonly InvoiceStatus[];

/** Released to the normal approval flow: someone decided the exception in favour of paying. */
export const DECIDED_STATUSES: ReadonlySet<string> = new Set<InvoiceStatus>([
  'pending_approval',
  'approved',
  'processing',
  'payable_adjustment',
]);

/** Will never be paid as it stands: nothing more to settle. */
export const TERMINAL_STATUSES: ReadonlySet<string> = new Set<InvoiceStatus>(['voided', 'abandoned', 'rejected']);

/** Still open to a corrective action: held, or released but not yet approved. */
export const CHANGEABLE_STATUSES: ReadonlySet<string> = new Set<string>([...HELD_STATUSES, 'pending_approval']);
