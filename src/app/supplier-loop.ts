/**
 * The supplier-conversation parts wired to a runtime: reply intake (mail webhook and portal scan)
 * re-queues through the runner's queue; chasing comments through Settle's Coupa client.
 */
import type { RunnerQueue } from '../runner/queue.js';
import { chasePending, type ChaseResult } from '../requests/chase.js';
import { scanPortalReplies, type PortalDeps } from '../requests/portal.js';
import { createDocumentStore, type DocumentStore } from '../requests/documents.js';
import type { AttachOutcome, AttachRequest, ReplyDeps, ReplyOutcome } from '../requests/replies.js';
import { AGENT_IDENTITY, INBOUND_MAIL_IDENTITY } from '../guard/identity.js';
import type { Runtime } from './runtime.js';

/**
 * A mailed document goes onto its invoice through the guard, as Settle's inbound-mail identity:
 * audited like every write, mode-checked, and at most once per (reply, document) key.
 */
async function attachThroughGuard(runtime: Runtime, r: AttachRequest): Promise<AttachOutcome> {
  const sha256 = await documents(runtime).put(runtime.tenant, r.invoiceId, {
    filename: r.filename,
    contentType: r.contentType,
    bytes: r.bytes,
  });
  const result = await runtime.guard.call(
    INBOUND_MAIL_IDENTITY,
    'attach_supplier_document',
    { invoice_id: r.invoiceId, document_sha256: sha256, filename: r.filename, reply: r.reply },
    { systemKey: r.key },
  );
  const id = result.structured?.attachment_id;
  if (!result.isError && typeof id === 'number') return { coupaAttachmentId: id };
  // A failure is retried by the relay (the reply is not recorded); a proposal or shadow is kept as such.
  if (result.outcome === 'error')
    throw new Error(`attaching ${r.filename} to invoice ${r.invoiceId} failed: ${result.text}`);
  return { notAttached: `${result.outcome}: ${result.text.slice(0, 300)}` };
}

const documentStores = new WeakMap<Runtime, DocumentStore>();
function documents(runtime: Runtime): DocumentStore {
  let store = documentStores.get(runtime);
  if (!store) documentStores.set(runtime, (store = createDocumentStore(runtime.db)));
  return store;
}

export function replyDepsFor(runtime: Runtime, queue: RunnerQueue): ReplyDeps {
  return {
    db: runtime.db,
    tenant: runtime.tenant,
    store: runtime.supplierRequests.store,
    queue,
    attachDocument: (r) => attachThroughGuard(runtime, r),
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
    tenant: runtime.tenant,
    store: runtime.supplierRequests.store,
    now,
    policy: runtime.config.chase,
    mail: runtime.supplierRequests.mail,
    apOwner: runtime.controls.ap_reviewer,
    // Reminders and escalations are Settle's agent writing to Coupa: through the guard like any write.
    addComment: async (id, c) => {
      const r = await runtime.guard.call(AGENT_IDENTITY, 'add_comment', {
        invoice_id: id,
        text: c.text,
        to_supplier: c.toSupplier,
      });
      if (r.isError) throw new Error(r.text);
      return r;
    },
    routeToOwner: async (id, reason) => {
      const r = await runtime.guard.call(AGENT_IDENTITY, 'route_to_approver', {
        invoice_id: id,
        approver_login: runtime.controls.ap_reviewer,
        reason,
      });
      return { ok: !r.isError, text: r.text };
    },
  });
}
