/**
 * The invoice status state machine, as a table (coupa-api.md §5.1, §6.1). Each action names the
 * statuses it may start from and where it leads; two targets depend on the invoice's failed
 * tolerances, which is the only fact the simulator needs to decide them.
 */

export const INVOICE_STATUSES = [
  'new',
  'draft',
  'save_as_draft',
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
] as const;
export type InvoiceStatus = (typeof INVOICE_STATUSES)[number];

/** Statuses that put an invoice on the AP exception queue (and fire the call-out when entered). */
export const EXCEPTION_STATUSES: readonly string[] = ['ap_hold', 'pending_receipt', 'on_hold'];

/** Still moving through AP, so an approver can be added. */
const OPEN_STATUSES: readonly InvoiceStatus[] = [
  'new',
  'draft',
  'save_as_draft',
  'pending_approval',
  'pending_receipt',
  'on_hold',
  'ap_hold',
  'booking_hold',
  'pending_action',
  'disputed',
];

/**
 * Where an action leads: a fixed status, `unchanged`, or a rule on failed tolerances —
 * `hold_if_unresolved` (→ ap_hold when any is unresolved, else pending_approval) and
 * `release_if_resolved` (→ pending_approval when none is unresolved, else stay).
 */
export type Target = InvoiceStatus | 'unchanged' | 'hold_if_unresolved' | 'release_if_resolved';

export const INVOICE_TRANSITIONS = {
  submit: { from: ['new', 'draft', 'save_as_draft'], to: 'hold_if_unresolved' },
  // Allowed from pending_approval as a no-op so a client may safely repeat it after a lost response.
  revalidate_tolerances: { from: ['ap_hold', 'pending_receipt', 'pending_approval'], to: 'release_if_resolved' },
  dispute: { from: ['ap_hold', 'pending_receipt', 'pending_approval', 'pending_action', 'on_hold'], to: 'disputed' },
  withdraw_dispute: { from: ['disputed'], to: 'pending_approval' },
  // Buyer-side void per Compass: pending_receipt, approved, draft.
  void: { from: ['pending_receipt', 'approved', 'draft'], to: 'voided' },
  abandon: { from: ['new', 'draft', 'ap_hold', 'pending_receipt', 'disputed'], to: 'abandoned' },
  add_approver: { from: OPEN_STATUSES, to: 'unchanged' },
} as const satisfies Record<string, { from: readonly InvoiceStatus[]; to: Target }>;

export type InvoiceAction = keyof typeof INVOICE_TRANSITIONS;
export const INVOICE_ACTIONS = Object.keys(INVOICE_TRANSITIONS) as InvoiceAction[];

/** Dispute reason codes the simulated tenant has set up (Setup > Dispute Reasons). */
export const DISPUTE_REASON_CODES = [
  'INCORRECT-PRICE',
  'INCORRECT-QUANTITY',
  'DUPLICATE',
  'NOT-RECEIVED',
  'MISSING-PO',
  'TAX-ERROR',
  'OTHER',
] as const;

export type TransitionResult = { ok: true; status: string } | { ok: false; message: string };

/** The status `action` leads to from `current`, given how many failed tolerances are unresolved. */
export function nextStatus(action: InvoiceAction, current: string, unresolvedTolerances: number): TransitionResult {
  const rule: { from: readonly string[]; to: Target } = INVOICE_TRANSITIONS[action];
  if (!rule.from.includes(current)) {
    return { ok: false, message: `Action ${action} is not allowed for an invoice in status ${current}` };
  }
  switch (rule.to) {
    case 'unchanged':
      return { ok: true, status: current };
    case 'hold_if_unresolved':
      return { ok: true, status: unresolvedTolerances > 0 ? 'ap_hold' : 'pending_approval' };
    case 'release_if_resolved':
      return { ok: true, status: unresolvedTolerances > 0 ? current : 'pending_approval' };
    default:
      return { ok: true, status: rule.to };
  }
}

type Tolerance = Record<string, unknown>;

/** Every failed tolerance on the invoice: header-level first, then each line's. */
export function allFailedTolerances(invoice: Record<string, unknown>): Tolerance[] {
  const list = (value: unknown): Tolerance[] => (Array.isArray(value) ? (value as Tolerance[]) : []);
  const lines = list(invoice['invoice-lines']);
  return [...list(invoice['failed-tolerances']), ...lines.flatMap((line) => list(line['failed-tolerances']))];
}

export function unresolvedToleranceCount(invoice: Record<string, unknown>): number {
  return allFailedTolerances(invoice).filter((t) => t.resolved !== true).length;
}
