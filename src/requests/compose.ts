/**
 * What the supplier reads: the filtered request text, the items as a list, and how to answer.
 * The case token travels in the reply address (plus-addressing) and in the subject, so a reply
 * finds its case even when a mail client drops the threading headers.
 */
import { randomBytes } from 'node:crypto';
import type { OutboundMail } from './mailer.js';

export const newCaseToken = (): string => randomBytes(8).toString('hex');

/** `ap-replies@acme.example` + token → `ap-replies+<token>@acme.example`. */
export function replyAddressFor(base: string, token: string): string {
  const at = base.lastIndexOf('@');
  return `${base.slice(0, at)}+${token}${base.slice(at)}`;
}

export const messageIdFor = (token: string, domain: string, n: number): string => `<settle.${token}.${n}@${domain}>`;

/** The token a reply carries: in a recipient address, the subject's `[ref …]` or a threading header. */
export function tokenIn(reply: {
  to: readonly string[];
  subject: string;
  inReplyTo?: string | undefined;
  references?: readonly string[] | undefined;
}): string | null {
  for (const address of reply.to) {
    const m = /\+([0-9a-f]{16})@/i.exec(address);
    if (m) return m[1]!.toLowerCase();
  }
  const inSubject = /\[ref ([0-9a-f]{16})\]/i.exec(reply.subject);
  if (inSubject) return inSubject[1]!.toLowerCase();
  for (const id of [reply.inReplyTo ?? '', ...(reply.references ?? [])]) {
    const m = /<?settle\.([0-9a-f]{16})\./i.exec(id);
    if (m) return m[1]!.toLowerCase();
  }
  return null;
}

export interface RequestMailInput {
  to: string;
  token: string;
  invoiceNumber: string;
  /** The supplier-visible text, already filtered. */
  message: string;
  items: readonly string[];
  replyAddressBase: string;
  messageId: string;
  reminder?: number | undefined;
  firstMessageId?: string | undefined;
}

export function requestMail(i: RequestMailInput): OutboundMail {
  const lead = i.reminder ? `Reminder ${i.reminder}: we are still waiting for the items below.\n\n` : '';
  return {
    to: i.to,
    subject: `${i.reminder ? 'Reminder: ' : ''}Invoice ${i.invoiceNumber}: information needed [ref ${i.token}]`,
    text: [
      `${lead}${i.message}`,
      '',
      'What we need:',
      ...i.items.map((item) => `  - ${item}`),
      '',
      'Reply to this e-mail with the documents attached or the details in your message; keep the reference in the subject.',
      'You can also answer with a comment or an attachment on the invoice in the Coupa Supplier Portal.',
    ].join('\n'),
    replyTo: replyAddressFor(i.replyAddressBase, i.token),
    messageId: i.messageId,
    ...(i.firstMessageId ? { inReplyTo: i.firstMessageId, references: [i.firstMessageId] } : {}),
  };
}
