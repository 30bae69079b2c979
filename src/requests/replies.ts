/**
 * A supplier's reply, by e-mail or as a Coupa portal comment, matched to its case. It is kept as
 * evidence whatever it says. Only what answers a pending item counts: a document (attached to the
 * Coupa invoice, where AP and the agent read it) or a value of the expected shape. A reply that
 * answers something re-queues the invoice — exactly once: the reply row and the inbox event are
 * written in one transaction, both under unique keys. Instructions in the text are never read as
 * such: nothing here interprets the words beyond the shapes in asked.ts.
 */
import { createHash, randomUUID } from 'node:crypto';
import type { Db } from '../db/connection.js';
import { inTransaction, type Queryable } from '../db/transaction.js';
import type { RunnerQueue } from '../runner/queue.js';
import { answerTo, factsIn, freshText, isDocument, unaskedFacts, type ReplyAttachment } from './asked.js';
import { tokenIn } from './compose.js';
import type { RequestStore, SupplierRequest } from './store.js';

export interface InboundAttachment extends ReplyAttachment {
  content?: Uint8Array | undefined;
  /** Already in Coupa (a portal upload): not attached again. */
  coupaAttachmentId?: number | undefined;
}

export interface InboundReply {
  channel: 'email' | 'coupa';
  /** Message-ID, or the Coupa comment / attachment id. */
  externalId: string;
  sender: string | null;
  to: readonly string[];
  subject: string;
  inReplyTo?: string | undefined;
  references?: readonly string[] | undefined;
  text: string;
  attachments: readonly InboundAttachment[];
  receivedAt: Date;
  /** A portal reply names its invoice; a mail finds it through the case token. */
  invoiceId?: number | undefined;
}

export type ReplyStatus = 'answered' | 'evidence' | 'unmatched' | 'duplicate';

export interface ReplyOutcome {
  status: ReplyStatus;
  replyId: number | null;
  invoiceId: number | null;
  answered: string[];
  stillPending: string[];
  unasked: string[];
  /** The inbox event that re-queued the invoice (answered replies only). */
  eventId: string | null;
}

export interface ReplyDeps {
  db: Db;
  tenant: string;
  store: RequestStore;
  queue: RunnerQueue;
  /**
   * Put a supplier's mailed document on the Coupa invoice through the guard (audited; the
   * idempotency key `key` makes a concurrent or repeated delivery attach it once). Resolves with
   * the Coupa attachment id, or with why it was not written (proposed, shadow, refused).
   */
  attachDocument(request: AttachRequest): Promise<AttachOutcome>;
}

export interface AttachRequest {
  invoiceId: number;
  filename: string;
  contentType: string;
  bytes: Uint8Array;
  /** The reply it came in ("email <Message-ID>"), for the audit trail. */
  reply: string;
  /** Idempotency key: the reply's identity and the document's hash. */
  key: string;
}

export type AttachOutcome = { coupaAttachmentId: number } | { notAttached: string };

/** One key per reply and document: two deliveries of one mail share it; another mail does not. */
export function attachmentKey(
  tenant: string,
  reply: Pick<InboundReply, 'channel' | 'externalId'>,
  bytes: Uint8Array,
): string {
  const replyHash = createHash('sha256')
    .update(`${tenant}\n${reply.channel}\n${reply.externalId}`)
    .digest('hex')
    .slice(0, 32);
  return `supplier-document:${replyHash}:${createHash('sha256').update(bytes).digest('hex')}`;
}

const MAX_BODY = 20_000;

async function casesOf(
  deps: ReplyDeps,
  reply: InboundReply,
): Promise<{ token: string | null; all: SupplierRequest[] }> {
  const token = tokenIn(reply);
  if (token) return { token, all: await deps.store.list({ tenant: deps.tenant, caseToken: token }) };
  if (reply.invoiceId !== undefined)
    return { token: null, all: await deps.store.list({ tenant: deps.tenant, invoiceId: reply.invoiceId }) };
  return { token: null, all: [] };
}

async function seenBefore(db: Queryable, tenant: string, reply: InboundReply): Promise<boolean> {
  const { rows } = await db.query(
    'select 1 from supplier_replies where tenant = $1 and channel = $2 and external_id = $3',
    [tenant, reply.channel, reply.externalId],
  );
  return rows.length > 0;
}

/** The first exception event's hint, so the re-run is judged on the same hold — and the new facts. */
async function originalHint(client: Queryable, invoiceId: number): Promise<Record<string, unknown>> {
  const { rows } = await client.query<{ payload: Record<string, unknown> | null }>(
    `select payload from webhook_events where invoice_id = $1 and source <> 'supplier_reply' order by received_at, event_id limit 1`,
    [invoiceId],
  );
  const p = rows[0]?.payload ?? {};
  return { exception_code: p.exception_code ?? null, hold_reason: p.hold_reason ?? null };
}

async function requeue(
  client: Queryable,
  deps: ReplyDeps,
  invoiceId: number,
  eventId: string,
  replyId: number,
): Promise<void> {
  const jobId = randomUUID();
  const payload = { ...(await originalHint(client, invoiceId)), supplier_reply_id: replyId };
  const inserted = await client.query(
    `insert into webhook_events (event_id, invoice_id, source, event_type, payload, job_id) values ($1, $2, 'supplier_reply', 'supplier.reply', $3, $4)
     on conflict (event_id) do nothing returning event_id`,
    [eventId, invoiceId, JSON.stringify(payload), jobId],
  );
  if (inserted.rowCount === 0) return;
  const queued = await deps.queue.enqueue({ invoiceId, eventId, source: 'supplier_reply' }, client, jobId);
  if (!queued) await client.query('update webhook_events set job_id = null where event_id = $1', [eventId]);
}

/** Match, record and (when it answers something) re-queue one reply. Safe to call again with the same reply. */
export async function acceptReply(deps: ReplyDeps, reply: InboundReply): Promise<ReplyOutcome> {
  const none = { replyId: null, answered: [], stillPending: [], unasked: [], eventId: null };
  if (await seenBefore(deps.db, deps.tenant, reply))
    return { status: 'duplicate', invoiceId: reply.invoiceId ?? null, ...none };
  const { token, all } = await casesOf(deps, reply);
  const invoiceId = all[0]?.invoiceId ?? null;
  const pending = all.filter((r) => r.status === 'pending');
  const text = freshText(reply.text);
  const facts = factsIn(text, reply.attachments);
  const answers = new Map<number, unknown>();
  for (const r of pending) {
    const answer = answerTo({ key: r.itemKey, asked: r.asked, answerKind: r.answerKind }, facts, text);
    if (answer !== null) answers.set(r.id, answer);
  }
  const unasked = unaskedFacts(
    pending.map((r) => ({ key: r.itemKey, asked: r.asked, answerKind: r.answerKind })),
    facts,
  );

  // A mailed document goes onto the Coupa invoice before the case is re-run (a portal upload already is).
  // Two deliveries of one mail at the same moment both get here: the guard's idempotency key
  // (reply + document hash) lets one attach and hands the other the same attachment; the reply
  // row's unique key below then lets one of them re-queue.
  const documents: Array<ReplyAttachment & { coupaAttachmentId?: number; notAttached?: string }> = [];
  const answersDocuments = pending.some((r) => r.itemKey === 'documents' && answers.has(r.id));
  for (const a of reply.attachments) {
    const meta = { filename: a.filename.slice(0, 200), contentType: a.contentType, size: a.size };
    if (invoiceId !== null && answersDocuments && isDocument(a) && a.content && a.coupaAttachmentId === undefined) {
      const attached = await deps.attachDocument({
        invoiceId,
        filename: meta.filename,
        contentType: a.contentType,
        bytes: a.content,
        reply: `${reply.channel} ${reply.externalId}`.slice(0, 600),
        key: attachmentKey(deps.tenant, reply, a.content),
      });
      documents.push({ ...meta, ...attached });
    } else
      documents.push({
        ...meta,
        ...(a.coupaAttachmentId !== undefined ? { coupaAttachmentId: a.coupaAttachmentId } : {}),
      });
  }

  const eventId = `supplier-reply:${createHash('sha256').update(`${deps.tenant}\n${reply.channel}\n${reply.externalId}`).digest('hex').slice(0, 32)}`;
  return inTransaction(deps.db, async (client) => {
    const { rows } = await client.query<{ id: string }>(
      `insert into supplier_replies (tenant, channel, external_id, invoice_id, case_token, sender, subject, body, attachments, answered, unasked, event_id, received_at)
       values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)
       on conflict (tenant, channel, external_id) do nothing returning id`,
      [
        deps.tenant,
        reply.channel,
        reply.externalId.slice(0, 500),
        invoiceId,
        token ?? all[0]?.caseToken ?? null,
        reply.sender?.slice(0, 320) ?? null,
        reply.subject.slice(0, 500),
        text.slice(0, MAX_BODY),
        JSON.stringify(documents),
        JSON.stringify(pending.filter((r) => answers.has(r.id)).map((r) => r.itemKey)),
        JSON.stringify(unasked),
        answers.size ? eventId : null,
        reply.receivedAt,
      ],
    );
    if (!rows[0]) return { status: 'duplicate' as const, invoiceId, ...none };
    const replyId = Number(rows[0].id);
    const answered = pending.filter((r) => answers.has(r.id));
    const stillPending = pending.filter((r) => !answers.has(r.id)).map((r) => r.asked);
    const base = { replyId, invoiceId, answered: answered.map((r) => r.asked), stillPending, unasked };
    if (invoiceId === null) return { status: 'unmatched' as const, ...base, eventId: null };
    if (answered.length === 0) return { status: 'evidence' as const, ...base, eventId: null };
    await deps.store.markAnswered(
      answered.map((r) => r.id),
      replyId,
      answers,
      reply.receivedAt,
      client,
    );
    await requeue(client, deps, invoiceId, eventId, replyId);
    return { status: 'answered' as const, ...base, eventId };
  });
}
