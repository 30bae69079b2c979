/**
 * The supplier-request port `request_information` uses: decide which items are new (an item
 * already pending is not asked twice; one the supplier already answered is for a person to
 * apply), then record them and send the e-mail beside the Coupa comment the tool posts.
 */
import type { Supplier } from '../coupa/schemas.js';
import type { Db } from '../db/connection.js';
import { itemsOf, type AskedItem } from './asked.js';
import { messageIdFor, newCaseToken, requestMail } from './compose.js';
import { createDocumentStore, type SupplierDocument } from './documents.js';
import type { Mailer } from './mailer.js';
import { createRequestStore, type RequestChannel, type RequestStore, type SupplierRequest } from './store.js';

export interface MailSettings {
  mailer: Mailer;
  /** Base reply address, plus-addressed per case (`ap-replies+<token>@acme.example`). */
  replyAddress: string;
}

export interface AskPlan {
  fresh: AskedItem[];
  pending: SupplierRequest[];
  /** Items the supplier already answered: the value is in Settle, not yet in Coupa. */
  answered: SupplierRequest[];
}

export interface AskInput {
  invoiceId: number;
  invoiceNumber: string | null;
  supplier: Supplier | null;
  items: readonly AskedItem[];
  /** The filtered, supplier-visible message (the Coupa comment's text). */
  message: string;
}

export interface AskResult {
  recorded: SupplierRequest[];
  emailedTo: string | null;
  /** Why no e-mail went out (no contact on the Supplier record, no mail configured, a send failure). */
  emailProblem: string | null;
}

export interface SupplierRequests {
  readonly store: RequestStore;
  readonly mail: MailSettings | undefined;
  plan(invoiceId: number, missing: readonly string[]): Promise<AskPlan>;
  /** A document the supplier mailed for this invoice, by content hash (null: none such). */
  document(invoiceId: number, sha256: string): Promise<SupplierDocument | null>;
  ask(input: AskInput): Promise<AskResult>;
}

/** Where a supplier reads e-mail: the primary contact, else the PO e-mail address. */
export function contactOf(supplier: Supplier | null): string | null {
  const candidates = [supplier?.primaryContact?.email, supplier?.poEmail];
  return (
    candidates.find((e): e is string => typeof e === 'string' && /^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(e.trim()))?.trim() ??
    null
  );
}

export interface SupplierRequestDeps {
  db: Db;
  tenant: string;
  now: () => Date;
  mail?: MailSettings | undefined;
}

export function createSupplierRequests(deps: SupplierRequestDeps): SupplierRequests {
  const store = createRequestStore(deps.db);
  const documents = createDocumentStore(deps.db);
  return {
    store,
    mail: deps.mail,
    document: (invoiceId, sha256) => documents.get(deps.tenant, invoiceId, sha256),
    async plan(invoiceId, missing) {
      const items = itemsOf(missing);
      const known = await store.list({ tenant: deps.tenant, invoiceId });
      const pending = known.filter((r) => r.status === 'pending' && items.some((i) => i.key === r.itemKey));
      const answered = known.filter(
        (r) =>
          r.status === 'answered' &&
          items.some((i) => i.key === r.itemKey) &&
          !pending.some((p) => p.itemKey === r.itemKey),
      );
      const fresh = items.filter(
        (i) => !pending.some((p) => p.itemKey === i.key) && !answered.some((a) => a.itemKey === i.key),
      );
      return { fresh, pending, answered };
    },
    async ask(input) {
      const token = (await store.tokenOf(deps.tenant, input.invoiceId)) ?? newCaseToken();
      const recipient = contactOf(input.supplier);
      const channels: RequestChannel[] = ['coupa'];
      let emailProblem: string | null = null;
      let messageId: string | null = null;
      if (!deps.mail) emailProblem = 'no outbound mail is configured (SETTLE_SMTP_URL)';
      else if (!recipient) emailProblem = 'the Supplier record has no contact e-mail';
      else {
        const domain = deps.mail.replyAddress.split('@')[1] ?? 'settle.invalid';
        const mail = requestMail({
          to: recipient,
          token,
          invoiceNumber: input.invoiceNumber ?? String(input.invoiceId),
          message: input.message,
          items: input.items.map((i) => i.asked),
          replyAddressBase: deps.mail.replyAddress,
          messageId: messageIdFor(token, domain, Date.now()),
        });
        try {
          await deps.mail.mailer.send(mail);
          channels.push('email');
          messageId = mail.messageId;
        } catch (error) {
          // The Coupa comment already reached the supplier: record the request, say why no e-mail.
          emailProblem = `e-mail to the supplier failed: ${(error as Error).message.slice(0, 200)}`;
        }
      }
      const recorded = await store.add({
        tenant: deps.tenant,
        invoiceId: input.invoiceId,
        invoiceNumber: input.invoiceNumber,
        supplierId: input.supplier?.id ?? null,
        supplierName: input.supplier?.name ?? null,
        caseToken: token,
        items: input.items,
        recipient,
        channels,
        messageId,
        askedAt: deps.now(),
      });
      return { recorded, emailedTo: channels.includes('email') ? recipient : null, emailProblem };
    },
  };
}
