/**
 * What a person decided about an invoice, read from Coupa after the agent shadowed it: a dispute
 * and its reason, the tolerances resolved and the invoice released, an approver added, the
 * invoice voided or abandoned, or a person's comment on an invoice still held (to the supplier:
 * a request for information; internal: kept on hold). Only what happened at or after the agent's
 * decision, by someone other than Settle, counts. Nothing yet is `undefined`.
 */
import type { Comment, Invoice } from '../coupa/schemas.js';

import { DECIDED_STATUSES, HELD_STATUSES, TERMINAL_STATUSES } from '../coupa/invoice-statuses.js';

export interface Observed {
  decision: 'resolve' | 'route' | 'dispute' | 'hold' | 'request_info';
  routeTo: string | null;
  disputeReason: string | null;
  login: string | null;
  evidence: string[];
}

interface ApprovalLike {
  status?: unknown;
  createdAt?: unknown;
  approver?: { login?: unknown } | null;
  createdBy?: { login?: unknown } | null;
}

const loginOf = (ref: { login?: unknown } | null | undefined): string | null =>
  typeof ref?.login === 'string' && ref.login.trim() ? ref.login.trim() : null;
const atOrAfter = (value: unknown, since: Date): boolean => {
  const ms = typeof value === 'string' ? Date.parse(value) : value instanceof Date ? value.getTime() : Number.NaN;
  // An undated record cannot be placed after the agent's decision: it does not count.
  return !Number.isNaN(ms) && ms >= since.getTime();
};

function newApprover(
  invoice: Invoice,
  since: Date,
  ownLogins: ReadonlySet<string>,
): { login: string; by: string | null } | undefined {
  const approvals = (invoice.approvals ?? []) as ApprovalLike[];
  for (const a of [...approvals].reverse()) {
    const by = loginOf(a.createdBy);
    const login = loginOf(a.approver);
    if (login && atOrAfter(a.createdAt, since) && !(by && ownLogins.has(by))) return { login, by };
  }
  return undefined;
}

/**
 * The person's decision, or undefined when Coupa shows none yet. `internalLogins` tells company
 * users from supplier contacts (a supplier's reply is not a decision).
 */
export function observePerson(input: {
  invoice: Invoice;
  comments: readonly Comment[];
  since: Date;
  ownLogins: ReadonlySet<string>;
  internalLogins: ReadonlySet<string>;
}): Observed | undefined {
  const { invoice, since, ownLogins } = input;
  const status = String(invoice.status);
  const updatedBy = loginOf((invoice as { updatedBy?: { login?: unknown } }).updatedBy);
  if (updatedBy && ownLogins.has(updatedBy) && !HELD_STATUSES.has(status)) return undefined; // Settle's own write, never a person's
  if (status === 'disputed') {
    const code = [...(invoice.disputeReasons ?? [])].reverse().find((r) => r?.code)?.code ?? null;
    return {
      decision: 'dispute',
      routeTo: null,
      disputeReason: code,
      login: updatedBy,
      evidence: [`status disputed${code ? `, reason ${code}` : ''}`],
    };
  }
  if (DECIDED_STATUSES.has(status)) {
    const resolved = [...invoice.failedTolerances, ...invoice.invoiceLines.flatMap((l) => l.failedTolerances)].filter(
      (t) => t.resolved,
    ).length;
    return {
      decision: 'resolve',
      routeTo: null,
      disputeReason: null,
      login: updatedBy,
      evidence: [`status ${status}`, `${resolved} failed tolerance(s) resolved`],
    };
  }
  if (TERMINAL_STATUSES.has(status)) {
    return {
      decision: 'hold',
      routeTo: null,
      disputeReason: null,
      login: updatedBy,
      evidence: [`status ${status}: not paid`],
    };
  }
  if (!HELD_STATUSES.has(status)) return undefined;
  const approver = newApprover(invoice, since, ownLogins);
  if (approver)
    return {
      decision: 'route',
      routeTo: approver.login,
      disputeReason: null,
      login: approver.by,
      evidence: [`approver ${approver.login} added`],
    };
  const comment = [...input.comments].reverse().find((c) => {
    const by = loginOf(c.createdBy);
    return by !== null && !ownLogins.has(by) && input.internalLogins.has(by) && atOrAfter(c.createdAt, since);
  });
  if (comment) {
    const kind = comment.toSupplier ? 'request_info' : 'hold';
    return {
      decision: kind,
      routeTo: null,
      disputeReason: null,
      login: loginOf(comment.createdBy),
      evidence: [
        `${comment.toSupplier ? 'supplier-visible' : 'internal'} comment by ${loginOf(comment.createdBy)}, invoice still ${status}`,
      ],
    };
  }
  return undefined;
}
