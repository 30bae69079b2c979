/**
 * Outbound mail through nodemailer: an SMTP transport when `SETTLE_SMTP_URL` is set, else an
 * in-process outbox (nodemailer's stream transport builds the same MIME) that the simulator's
 * supplier persona reads on the embedded default. Either way the message is real RFC 5322.
 */
import nodemailer from 'nodemailer';

export interface OutboundMail {
  to: string;
  subject: string;
  text: string;
  replyTo: string;
  messageId: string;
  inReplyTo?: string | undefined;
  references?: string[] | undefined;
}

/** A message as it left Settle (the outbox keeps the raw MIME for the persona and for tests). */
export interface SentMail extends OutboundMail {
  from: string;
  raw: Buffer;
}

export interface Mailer {
  readonly kind: 'smtp' | 'outbox';
  readonly from: string;
  send(mail: OutboundMail): Promise<{ messageId: string }>;
  /** The outbox's messages, oldest first (empty for SMTP: they left the building). */
  sent(): readonly SentMail[];
  close(): void;
}

/** `smtp://user:pass@host:port` or `smtps://…` (nodemailer's URL form; `?tls.rejectUnauthorized=false` for a lab server). */
export function createSmtpMailer(url: string, from: string): Mailer {
  const transport = nodemailer.createTransport(url);
  return {
    kind: 'smtp',
    from,
    async send(mail) {
      const info = await transport.sendMail({ ...mail, from });
      return { messageId: info.messageId };
    },
    sent: () => [],
    close: () => transport.close(),
  };
}

export function createOutboxMailer(from: string): Mailer {
  const transport = nodemailer.createTransport({ streamTransport: true, buffer: true, newline: 'unix' });
  const outbox: SentMail[] = [];
  return {
    kind: 'outbox',
    from,
    async send(mail) {
      const info = await transport.sendMail({ ...mail, from });
      outbox.push({ ...mail, from, raw: info.message as Buffer });
      return { messageId: info.messageId };
    },
    sent: () => outbox,
    close: () => undefined,
  };
}
