/**
 * The sample company's suppliers as mail correspondents: given Settle's request e-mail, a seeded
 * share answers with the document (and any value asked for, in the shape a person would type),
 * some reply off-topic, the rest never answer. Deterministic per seed and message, so `npm start`
 * shows the same loop every run. Replies are real MIME (nodemailer's composer), threaded to the
 * request and sent to its reply address.
 */
import { createHash } from 'node:crypto';
import nodemailer from 'nodemailer';

export interface PersonaShares {
  /** Reply with what was asked (default 0.6). */
  document: number;
  /** Reply with something that answers nothing (default 0.15); the rest never reply. */
  offTopic: number;
}

export interface RequestMailSeen {
  to: string;
  subject: string;
  text: string;
  replyTo: string;
  messageId: string;
}

export type PersonaBehaviour = 'document' | 'off_topic' | 'silent';

export interface PersonaReply {
  behaviour: Exclude<PersonaBehaviour, 'silent'>;
  /** The envelope recipient (the plus-addressed reply address). */
  to: string;
  raw: Buffer;
}

const DEFAULT_SHARES: PersonaShares = { document: 0.6, offTopic: 0.15 };

/** A uniform draw in [0, 1) from the seed and the message: no shared state, order-independent. */
function draw(seed: number, key: string): number {
  return createHash('sha256').update(`${seed}\n${key}`).digest().readUInt32BE(0) / 2 ** 32;
}

export function behaviourOf(seed: number, key: string, shares: PersonaShares = DEFAULT_SHARES): PersonaBehaviour {
  const u = draw(seed, key);
  return u < shares.document ? 'document' : u < shares.document + shares.offTopic ? 'off_topic' : 'silent';
}

/** A one-page PDF a supplier would send as backup (enough for a content-type and a file name). */
function backupPdf(invoiceNumber: string): Buffer {
  return Buffer.from(
    `%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\n% Timesheet and statement of work for invoice ${invoiceNumber}\ntrailer << /Root 1 0 R >>\n%%EOF\n`,
  );
}

function answerText(asked: string): string {
  const lines = ['Hello,', '', 'please find the requested documents attached.'];
  if (/invoice date/i.test(asked)) lines.push('The invoice date is 2026-02-20.');
  if (/payment term/i.test(asked)) lines.push('Our payment terms are Net 30.');
  if (/vat/i.test(asked)) lines.push('Our VAT registration number is DE811907980.');
  return [...lines, '', 'Kind regards,', 'Accounts receivable'].join('\n');
}

const OFF_TOPIC =
  'Hello,\n\nthank you for your message. Our accounts team is out of office this week; we will get back to you.\n\nKind regards';

export interface SupplierPersona {
  /** The supplier's reply to one request mail, or null when it never answers. */
  answer(mail: RequestMailSeen): Promise<PersonaReply | null>;
}

export function createSupplierPersona(options: { seed: number; shares?: PersonaShares }): SupplierPersona {
  const composer = nodemailer.createTransport({ streamTransport: true, buffer: true, newline: 'unix' });
  return {
    async answer(mail) {
      if (/^Reminder/i.test(mail.subject)) return null;
      // Keyed on the invoice (the subject without its random reference): the same supplier behaves the same every run.
      const behaviour = behaviourOf(options.seed, mail.subject.replace(/\s*\[ref [0-9a-f]+\]/i, ''), options.shares);
      if (behaviour === 'silent') return null;
      const invoiceNumber = /Invoice (\S+):/.exec(mail.subject)?.[1] ?? 'unknown';
      const info = await composer.sendMail({
        from: mail.to,
        to: mail.replyTo,
        subject: `Re: ${mail.subject}`,
        inReplyTo: mail.messageId,
        references: [mail.messageId],
        messageId: `<reply.${createHash('sha256').update(mail.messageId).digest('hex').slice(0, 20)}@${mail.to.split('@')[1] ?? 'supplier.example'}>`,
        text: behaviour === 'document' ? answerText(mail.text) : OFF_TOPIC,
        attachments:
          behaviour === 'document'
            ? [
                {
                  filename: `backup-${invoiceNumber}.pdf`,
                  content: backupPdf(invoiceNumber),
                  contentType: 'application/pdf',
                },
              ]
            : [],
      });
      return { behaviour, to: mail.replyTo, raw: info.message as Buffer };
    },
  };
}
