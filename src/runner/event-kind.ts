/**
 * Which events Settle acts on. Only invoice events become jobs: Coupa call-outs can be configured
 * on any document (suppliers, orders, expense reports), and a `supplier.bank_account.changed`
 * queued as an invoice exception would make the agent investigate an unrelated record under the
 * supplier's id. Anything else is acknowledged and recorded as ignored, never queued — the sender
 * did nothing wrong, so it must not retry.
 */

/** The type a body without `event_type` stands for (case-format.md). */
export const DEFAULT_EVENT_TYPE = 'invoice.exception.created';

/** `invoice.exception.created`, `invoice.updated`, `Invoice_Exception`, `invoices/changed`, `invoice`. */
const INVOICE_EVENT = /^invoices?(?:[._:/ -]|$)/i;

export type EventKind =
  | { kind: 'invoice'; eventType: string }
  | { kind: 'ignored'; eventType: string; reason: string }
  | { kind: 'invalid'; reason: string };

/** Classify a parsed body by its `event_type` (absent or null: the default invoice exception). */
export function eventKindOf(body: Record<string, unknown>): EventKind {
  const type = body.event_type;
  if (type === undefined || type === null) return { kind: 'invoice', eventType: DEFAULT_EVENT_TYPE };
  if (typeof type !== 'string') return { kind: 'invalid', reason: 'event_type must be a string' };
  const eventType = type.trim();
  if (eventType === '') return { kind: 'invoice', eventType: DEFAULT_EVENT_TYPE };
  if (eventType.length > 200) return { kind: 'invalid', reason: 'event_type longer than 200 characters' };
  if (INVOICE_EVENT.test(eventType)) return { kind: 'invoice', eventType };
  return {
    kind: 'ignored',
    eventType,
    reason: `event type "${eventType}" is not an invoice event; Settle acts on invoice events only`,
  };
}
