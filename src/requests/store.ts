/**
 * Pending supplier requests in Postgres: one row per item asked (so a partial answer closes only
 * what it answers), grouped by the case token that travels in the reply address and subject.
 */
import type { Db } from '../db/connection.js';
import type { Queryable } from '../db/transaction.js';
import type { AnswerKind, AskedItem, ItemKey } from './asked.js';

export type RequestChannel = 'coupa' | 'email';

export interface SupplierRequest {
  id: number;
  tenant: string;
  invoiceId: number;
  invoiceNumber: string | null;
  supplierId: number | null;
  supplierName: string | null;
  caseToken: string;
  itemKey: ItemKey;
  asked: string;
  answerKind: AnswerKind;
  recipient: string | null;
  channels: RequestChannel[];
  messageId: string | null;
  status: 'pending' | 'answered' | 'closed';
  askedAt: Date;
  reminders: number;
  lastChasedAt: Date | null;
  escalatedAt: Date | null;
  escalatedTo: string | null;
  answeredAt: Date | null;
  answeredBy: number | null;
  answer: unknown;
}

interface Row {
  id: string;
  tenant: string;
  invoice_id: string;
  invoice_number: string | null;
  supplier_id: string | null;
  supplier_name: string | null;
  case_token: string;
  item_key: ItemKey;
  asked: string;
  answer_kind: AnswerKind;
  recipient: string | null;
  channels: RequestChannel[];
  message_id: string | null;
  status: SupplierRequest['status'];
  asked_at: Date | string;
  reminders: number;
  last_chased_at: Date | string | null;
  escalated_at: Date | string | null;
  escalated_to: string | null;
  answered_at: Date | string | null;
  answered_by: string | null;
  answer: unknown;
}

const date = (v: Date | string | null): Date | null => (v === null ? null : new Date(v));

function fromRow(r: Row): SupplierRequest {
  return {
    id: Number(r.id),
    tenant: r.tenant,
    invoiceId: Number(r.invoice_id),
    invoiceNumber: r.invoice_number,
    supplierId: r.supplier_id === null ? null : Number(r.supplier_id),
    supplierName: r.supplier_name,
    caseToken: r.case_token,
    itemKey: r.item_key,
    asked: r.asked,
    answerKind: r.answer_kind,
    recipient: r.recipient,
    channels: r.channels,
    messageId: r.message_id,
    status: r.status,
    askedAt: new Date(r.asked_at),
    reminders: r.reminders,
    lastChasedAt: date(r.last_chased_at),
    escalatedAt: date(r.escalated_at),
    escalatedTo: r.escalated_to,
    answeredAt: date(r.answered_at),
    answeredBy: r.answered_by === null ? null : Number(r.answered_by),
    answer: r.answer,
  };
}

export interface NewRequests {
  tenant: string;
  invoiceId: number;
  invoiceNumber: string | null;
  supplierId: number | null;
  supplierName: string | null;
  caseToken: string;
  items: readonly AskedItem[];
  recipient: string | null;
  channels: readonly RequestChannel[];
  messageId: string | null;
  askedAt: Date;
}

export interface RequestFilter {
  tenant?: string;
  invoiceId?: number;
  status?: SupplierRequest['status'];
  caseToken?: string;
}

export interface RequestStore {
  /** Record the items asked; an item already pending for the invoice is kept as it is. */
  add(r: NewRequests, client?: Queryable): Promise<SupplierRequest[]>;
  list(filter?: RequestFilter, client?: Queryable): Promise<SupplierRequest[]>;
  /** The case token already used for an invoice (one conversation per invoice), if any. */
  tokenOf(tenant: string, invoiceId: number): Promise<string | null>;
  markAnswered(
    ids: readonly number[],
    replyId: number,
    answers: ReadonlyMap<number, unknown>,
    at: Date,
    client: Queryable,
  ): Promise<void>;
  markChased(ids: readonly number[], at: Date, escalatedTo?: string): Promise<void>;
}

export function createRequestStore(db: Db): RequestStore {
  return {
    async add(r, client = db) {
      const out: SupplierRequest[] = [];
      for (const item of r.items) {
        const { rows } = await client.query<Row>(
          `insert into supplier_requests (tenant, invoice_id, invoice_number, supplier_id, supplier_name, case_token, item_key, asked, answer_kind, recipient, channels, message_id, asked_at)
           values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)
           on conflict (tenant, invoice_id, item_key) where status = 'pending' do nothing
           returning *`,
          [
            r.tenant,
            r.invoiceId,
            r.invoiceNumber,
            r.supplierId,
            r.supplierName,
            r.caseToken,
            item.key,
            item.asked,
            item.answerKind,
            r.recipient,
            [...r.channels],
            r.messageId,
            r.askedAt,
          ],
        );
        if (rows[0]) out.push(fromRow(rows[0]));
      }
      return out;
    },
    async list(filter = {}, client = db) {
      const where: string[] = [];
      const values: unknown[] = [];
      const add = (sql: string, v: unknown): void =>
        void (values.push(v), where.push(sql.replace('?', `$${values.length}`)));
      if (filter.tenant !== undefined) add('tenant = ?', filter.tenant);
      if (filter.invoiceId !== undefined) add('invoice_id = ?', filter.invoiceId);
      if (filter.status !== undefined) add('status = ?', filter.status);
      if (filter.caseToken !== undefined) add('case_token = ?', filter.caseToken);
      const { rows } = await client.query<Row>(
        `select * from supplier_requests ${where.length ? `where ${where.join(' and ')}` : ''} order by asked_at, id`,
        values,
      );
      return rows.map(fromRow);
    },
    async tokenOf(tenant, invoiceId) {
      const { rows } = await db.query<{ case_token: string }>(
        'select case_token from supplier_requests where tenant = $1 and invoice_id = $2 order by id desc limit 1',
        [tenant, invoiceId],
      );
      return rows[0]?.case_token ?? null;
    },
    async markAnswered(ids, replyId, answers, at, client) {
      for (const id of ids) {
        await client.query(
          `update supplier_requests set status = 'answered', answered_at = $2, answered_by = $3, answer = $4 where id = $1 and status = 'pending'`,
          [id, at, replyId, JSON.stringify(answers.get(id) ?? null)],
        );
      }
    },
    async markChased(ids, at, escalatedTo) {
      if (ids.length === 0) return;
      await db.query(
        escalatedTo
          ? `update supplier_requests set escalated_at = $2, escalated_to = $3, last_chased_at = $2 where id = any($1::bigint[]) and status = 'pending'`
          : `update supplier_requests set reminders = reminders + 1, last_chased_at = $2 where id = any($1::bigint[]) and status = 'pending'`,
        escalatedTo ? [[...ids], at, escalatedTo] : [[...ids], at],
      );
    },
  };
}
