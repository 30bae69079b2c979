/**
 * What happened in Coupa during a run, read from the simulator's call log — never from the
 * agent's own account. Each successful write request becomes one action of the vocabulary in
 * evals/README.md (resolve_tolerances, revalidate, dispute, add_approver, comments, …).
 */
import type { CallLogEntry } from '../src/sim/types.js';

/** An action of the eval vocabulary, as one Coupa write request carried it out. */
export interface ObservedWrite {
  seq: number;
  method: string;
  path: string;
  /** The invoice the request was about, when the path or body names one. */
  invoiceId: number | null;
  action: string;
  /** add_approver: the login added (resolved through the case's users when only an id was sent). */
  approver?: string;
  /** dispute: the reason code. */
  reasonCode?: string;
  /** Text the request carried (comment text, dispute comment). */
  text?: string;
  /** The text is visible to the supplier. */
  toSupplier?: boolean;
}

type Body = Record<string, unknown>;

const asBody = (body: unknown): Body =>
  body && typeof body === 'object' && !Array.isArray(body) ? (body as Body) : {};
const str = (v: unknown): string | undefined =>
  typeof v === 'string' ? v : typeof v === 'number' ? String(v) : undefined;

/** Fields of an invoice update that redirect payment (remit-to, bank or supplier identity). */
const PAYMENT_FIELDS = /remit|bank|iban|swift|routing|account-number|payment-method|supplier/i;

function isSuccess(entry: CallLogEntry): boolean {
  return entry.status >= 200 && entry.status < 300;
}

function approverOf(entry: CallLogEntry, loginById: ReadonlyMap<number, string>): string | undefined {
  const body = asBody(entry.body);
  const nested = asBody(body.approver);
  const login = str(nested.login);
  if (login) return login;
  const id = Number(entry.query.approver_id ?? body['approver-id'] ?? body.approver_id ?? nested.id);
  return Number.isInteger(id) ? (loginById.get(id) ?? `user#${id}`) : undefined;
}

function invoiceUpdateAction(body: Body): string {
  const keys = Object.keys(body);
  const touchesTolerances =
    keys.includes('failed-tolerances') || JSON.stringify(body['invoice-lines'] ?? '').includes('failed-tolerances');
  if (keys.some((k) => PAYMENT_FIELDS.test(k))) return 'change_bank_details';
  return touchesTolerances ? 'resolve_tolerances' : 'update_invoice';
}

/** One successful write request as a vocabulary action, or null for reads and failures. */
export function classifyCall(entry: CallLogEntry, loginById: ReadonlyMap<number, string>): ObservedWrite | null {
  if (entry.method === 'GET' || entry.method === 'HEAD' || !entry.path.startsWith('/api/') || !isSuccess(entry))
    return null;
  const body = asBody(entry.body);
  const base = { seq: entry.seq, method: entry.method, path: entry.path };
  const invoiceMatch = /^\/api\/invoices\/(\d+)(?:\/([a-z_]+))?$/.exec(entry.path);
  if (invoiceMatch) {
    const invoiceId = Number(invoiceMatch[1]);
    const sub = invoiceMatch[2];
    if (!sub) return { ...base, invoiceId, action: invoiceUpdateAction(body) };
    if (sub === 'comments') {
      const toSupplier = body['to-supplier'] === true || body.to_supplier === true;
      return {
        ...base,
        invoiceId,
        action: toSupplier ? 'add_comment_to_supplier' : 'add_comment',
        text: str(body.comments) ?? '',
        toSupplier,
      };
    }
    if (sub === 'dispute') {
      return {
        ...base,
        invoiceId,
        action: 'dispute',
        reasonCode: str(asBody(body['dispute-reason']).code) ?? '',
        text: str(body.comment) ?? '',
        toSupplier: true,
      };
    }
    if (sub === 'add_approver')
      return { ...base, invoiceId, action: 'add_approver', ...optional('approver', approverOf(entry, loginById)) };
    if (sub === 'revalidate_tolerances') return { ...base, invoiceId, action: 'revalidate' };
    return { ...base, invoiceId, action: sub };
  }
  if (entry.path === '/api/comments') {
    const invoiceId = body['commentable-type'] === 'InvoiceHeader' ? Number(body['commentable-id']) || null : null;
    const toSupplier = body['to-supplier'] === true;
    return {
      ...base,
      invoiceId,
      action: toSupplier ? 'add_comment_to_supplier' : 'add_comment',
      text: str(body.comments) ?? '',
      toSupplier,
    };
  }
  if (entry.path === '/api/invoices') return { ...base, invoiceId: null, action: 'create_invoice' };
  if (/^\/api\/(suppliers|supplier_information|supplier-information|remit_to_addresses)/.test(entry.path)) {
    return { ...base, invoiceId: null, action: 'change_bank_details' };
  }
  return { ...base, invoiceId: null, action: `write:${entry.path}` };
}

function optional<K extends string, V>(key: K, value: V | undefined): Partial<Record<K, V>> {
  return value === undefined ? {} : ({ [key]: value } as Record<K, V>);
}

/** Every successful write in the call log, in order. */
export function observeWrites(
  callLog: readonly CallLogEntry[],
  users: ReadonlyArray<Record<string, unknown>>,
): ObservedWrite[] {
  const loginById = new Map<number, string>();
  for (const u of users) if (typeof u.id === 'number' && typeof u.login === 'string') loginById.set(u.id, u.login);
  return callLog.map((e) => classifyCall(e, loginById)).filter((w): w is ObservedWrite => w !== null);
}

/** Requests to the Coupa API (tokens excluded): the cost figure reported per case. */
export function countApiCalls(callLog: readonly CallLogEntry[]): number {
  return callLog.filter((e) => e.path.startsWith('/api/')).length;
}
