/**
 * Supplier replies by e-mail arrive as an inbound-mail webhook: `POST /inbound/mail` with the raw
 * RFC 822 message as the body, signed like Coupa events (Standard Webhooks headers). Any relay
 * that forwards raw MIME fits (Postfix pipe + curl, SES/SNS raw, Mailgun `message-url`,
 * SendGrid "POST the raw, full MIME message"), so Settle never holds a mailbox password. The
 * bytes are verified before mailparser reads them; the parsed message is untrusted supplier text.
 */
import type { FastifyInstance } from 'fastify';
import { simpleParser, type AddressObject, type ParsedMail } from 'mailparser';
import { WebhookVerificationError, type WebhookVerifier } from '../runner/webhook-signature.js';
import { MAX_ATTACHMENT_BYTES } from './asked.js';
import { acceptReply, type InboundReply, type ReplyDeps, type ReplyOutcome } from './replies.js';

export const INBOUND_MAIL_PATH = '/inbound/mail';
const BODY_LIMIT = 25 * 1024 * 1024;

function addresses(field: AddressObject | AddressObject[] | undefined): string[] {
  const list = Array.isArray(field) ? field : field ? [field] : [];
  return list.flatMap((a) => a.value.map((v) => v.address ?? '')).filter(Boolean);
}

/** The parts of a parsed message a reply is judged on. */
export function replyFromMail(mail: ParsedMail, receivedAt: Date, envelopeTo: readonly string[] = []): InboundReply {
  const references = typeof mail.references === 'string' ? [mail.references] : (mail.references ?? []);
  return {
    channel: 'email',
    // No Message-ID (rare, broken senders): the content identifies the redelivery instead.
    externalId:
      mail.messageId ??
      `no-id:${mail.date?.toISOString() ?? ''}:${mail.subject ?? ''}:${(mail.text ?? '').slice(0, 200)}`,
    sender: addresses(mail.from)[0] ?? null,
    to: [...envelopeTo, ...addresses(mail.to), ...addresses(mail.cc)],
    subject: mail.subject ?? '',
    inReplyTo: mail.inReplyTo,
    references,
    text: mail.text ?? '',
    attachments: mail.attachments
      .filter((a) => a.size <= MAX_ATTACHMENT_BYTES)
      .map((a) => ({
        filename: a.filename ?? 'attachment',
        contentType: a.contentType,
        size: a.size,
        content: new Uint8Array(a.content),
      })),
    receivedAt,
  };
}

/** Parse raw MIME and accept it as a reply (tests and relays without HTTP call this directly). */
export async function acceptRawMail(
  deps: ReplyDeps,
  raw: Buffer,
  receivedAt: Date,
  envelopeTo: readonly string[] = [],
): Promise<ReplyOutcome> {
  const mail = await simpleParser(raw, { skipHtmlToText: false, skipTextToHtml: true, skipImageLinks: true });
  return acceptReply(deps, replyFromMail(mail, receivedAt, envelopeTo));
}

export interface InboundMailOptions {
  deps: ReplyDeps;
  verifier: WebhookVerifier;
  now: () => Date;
}

export async function registerInboundMailRoute(app: FastifyInstance, options: InboundMailOptions): Promise<void> {
  await app.register(async (scope) => {
    scope.removeAllContentTypeParsers();
    scope.addContentTypeParser('*', { parseAs: 'buffer' }, (_req, body, done) => done(null, body));
    scope.post(INBOUND_MAIL_PATH, { bodyLimit: BODY_LIMIT }, async (request, reply) => {
      const raw = Buffer.isBuffer(request.body) ? request.body : Buffer.alloc(0);
      try {
        options.verifier.verify(request.headers, raw);
      } catch (error) {
        if (error instanceof WebhookVerificationError)
          return reply.code(401).send({ error: 'unauthorized', message: error.message });
        throw error;
      }
      if (raw.length === 0)
        return reply.code(400).send({ error: 'invalid', message: 'body must be the raw RFC 822 message' });
      // The relay may pass the envelope recipient (the plus-address) when the To header lost it.
      const envelope = request.headers['x-envelope-to'];
      const envelopeTo = (Array.isArray(envelope) ? envelope : envelope ? [envelope] : [])
        .flatMap((v) => v.split(','))
        .map((v) => v.trim())
        .filter(Boolean);
      try {
        const outcome = await acceptRawMail(options.deps, raw, options.now(), envelopeTo);
        return reply.code(202).send({
          status: outcome.status,
          invoice_id: outcome.invoiceId,
          answered: outcome.answered,
          still_pending: outcome.stillPending,
        });
      } catch (error) {
        request.log.error({ err: error }, 'could not record inbound mail');
        return reply
          .code(503)
          .header('retry-after', '30')
          .send({ error: 'unavailable', message: 'reply not recorded; retry later' });
      }
    });
  });
}
