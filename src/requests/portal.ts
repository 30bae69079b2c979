/**
 * Replies through the Coupa Supplier Portal: a comment the supplier writes on the invoice, or a
 * document it uploads there. Coupa sends no event for either, so Settle reads the invoices that
 * have pending requests (a handful, not the tenant) and hands what is new to `acceptReply` —
 * the same matching, evidence and exactly-once re-queue as a mail.
 *
 * Who wrote a comment: Settle's own logins never; an internal user (one the Users API knows)
 * never; anyone else on the invoice's thread is the supplier's portal user.
 */
import { Attachment } from '../coupa/attachments.js';
import type { Comment, Invoice, User } from '../coupa/schemas.js';
import { acceptReply, type ReplyDeps, type ReplyOutcome } from './replies.js';

export interface PortalDeps extends ReplyDeps {
  invoice(id: number): Promise<Invoice | null>;
  comments(invoiceId: number): Promise<Comment[]>;
  userByLogin(login: string): Promise<User | null>;
  ownLogins: ReadonlySet<string>;
}

async function fromSupplier(deps: PortalDeps, c: Comment): Promise<boolean> {
  const login = c.createdBy?.login;
  if (!login || deps.ownLogins.has(login)) return false;
  return (await deps.userByLogin(login)) === null;
}

/** Attachment ids Settle itself put on the invoice (documents that came by mail). */
async function attachedByUs(deps: PortalDeps, invoiceId: number): Promise<Set<number>> {
  const { rows } = await deps.db.query<{ attachments: Array<{ coupaAttachmentId?: number }> }>(
    'select attachments from supplier_replies where tenant = $1 and invoice_id = $2',
    [deps.tenant, invoiceId],
  );
  return new Set(
    rows.flatMap((r) =>
      r.attachments.map((a) => a.coupaAttachmentId).filter((id): id is number => typeof id === 'number'),
    ),
  );
}

/** Read the portal side of every invoice with a pending request; returns what each new item did. */
export async function scanPortalReplies(deps: PortalDeps): Promise<ReplyOutcome[]> {
  const pending = await deps.store.list({ tenant: deps.tenant, status: 'pending' });
  const since = new Map<number, Date>();
  for (const r of pending)
    if (!since.has(r.invoiceId) || r.askedAt < since.get(r.invoiceId)!) since.set(r.invoiceId, r.askedAt);
  const outcomes: ReplyOutcome[] = [];
  for (const [invoiceId, askedAt] of since) {
    const after = (at: string | null | undefined): boolean => !!at && new Date(at) >= askedAt;
    const ours = await attachedByUs(deps, invoiceId);
    const invoice = await deps.invoice(invoiceId);
    const uploads = ((invoice?.attachments ?? []) as unknown[])
      .map((a) => Attachment.safeParse(a).data)
      .filter((a): a is Attachment => !!a && after(a.createdAt) && !ours.has(a.id));
    for (const a of uploads) {
      outcomes.push(
        await acceptReply(deps, {
          channel: 'coupa',
          externalId: `attachment:${a.id}`,
          sender: null,
          to: [],
          subject: '',
          text: '',
          invoiceId,
          receivedAt: new Date(a.createdAt!),
          attachments: [
            {
              filename: a.fileFileName ?? `attachment-${a.id}`,
              contentType: a.fileContentType ?? 'application/octet-stream',
              size: a.fileFileSize ?? 1,
              coupaAttachmentId: a.id,
            },
          ],
        }),
      );
    }
    for (const c of await deps.comments(invoiceId)) {
      if (!after(c.createdAt) || !(await fromSupplier(deps, c))) continue;
      outcomes.push(
        await acceptReply(deps, {
          channel: 'coupa',
          externalId: `comment:${c.id}`,
          sender: c.createdBy?.login ?? null,
          to: [],
          subject: '',
          text: c.comments,
          invoiceId,
          receivedAt: new Date(c.createdAt!),
          attachments: [],
        }),
      );
    }
  }
  return outcomes.filter((o) => o.status !== 'duplicate');
}
