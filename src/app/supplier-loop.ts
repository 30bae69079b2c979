/**
 * The supplier-conversation parts wired to a runtime: reply intake (mail webhook and portal scan)
 * re-queues through the runner's queue; chasing comments through Settle's Coupa client.
 */
import type { RunnerQueue } from '../runner/queue.js';
import { chasePending, type ChaseResult } from '../requests/chase.js';
import { scanPortalReplies, type PortalDeps } from '../requests/portal.js';
import type { ReplyDeps, ReplyOutcome } from '../requests/replies.js';
import type { Runtime } from './runtime.js';

export function replyDepsFor(runtime: Runtime, queue: RunnerQueue): ReplyDeps {
  return {
    db: runtime.db, tenant: runtime.tenant, store: runtime.supplierRequests.store, queue,
    attachFile: (id, name, bytes, type) => runtime.coupa.attachFile(id, name, bytes, type),
    forgetInvoice: (id) => runtime.records.afterWrite(id),
  };
}

export function portalDepsFor(runtime: Runtime, queue: RunnerQueue): PortalDeps {
  return {
    ...replyDepsFor(runtime, queue),
    invoice: (id) => runtime.records.invoice(id, { fresh: true }),
    comments: (id) => runtime.coupa.listComments(id),
    userByLogin: (login) => runtime.records.userByLogin(login),
    ownLogins: runtime.ownLogins,
  };
}

export function scanPortal(runtime: Runtime, queue: RunnerQueue): Promise<ReplyOutcome[]> {
  return scanPortalReplies(portalDepsFor(runtime, queue));
}

/** Reminders and escalations due at `now` (default: the runtime's clock). */
export function chaseRequests(runtime: Runtime, now: () => Date = runtime.now): Promise<ChaseResult> {
  return chasePending({
    tenant: runtime.tenant, store: runtime.supplierRequests.store, now, policy: runtime.config.chase,
    mail: runtime.supplierRequests.mail, apOwner: runtime.controls.ap_reviewer,
    addComment: (id, c) => runtime.coupa.addComment(id, c),
  });
}
