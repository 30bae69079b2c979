/**
 * What the checks look at: one invoice and the records around it, already fetched and parsed into
 * the camelCase types of `src/coupa/schemas.ts`. Anything may be missing (a PO that does not
 * resolve, no supplier information record); the checks say so as findings rather than throw.
 */
import type {
  Comment,
  Contract,
  Invoice,
  InvoiceLine,
  OrderLine,
  PurchaseOrder,
  ReceivingTransaction,
  Supplier,
  SupplierInformation,
  User,
} from '../coupa/schemas.js';
import type { RegistryEvidence } from './registry-evidence.js';
import type { TaxEvidence } from './tax-quote.js';

export interface InvoiceContext {
  invoice: Invoice;
  /** The invoice's supplier master record: null = looked up and not found (a finding); undefined = not supplied (master checks skipped). */
  supplier?: Supplier | null;
  /** Supplier Information (bank) records; any supplier's, filtered by supplier id where needed. */
  supplierInformation?: SupplierInformation[];
  /** POs the invoice lines reference (others are ignored). */
  purchaseOrders?: PurchaseOrder[];
  /** Receiving transactions of those PO lines. */
  receipts?: ReceivingTransaction[];
  contracts?: Contract[];
  /** Other invoices (the invoice itself is ignored if present): duplicates and already-invoiced quantities. */
  history?: Invoice[];
  /** Supplier records of history invoices from other supplier ids: duplicate supplier records. */
  otherSuppliers?: Supplier[];
  /** Comments on the invoice; those written by `users` (internal people) are not supplier text. */
  comments?: Comment[];
  users?: User[];
  /** The event's hint, which may be missing or wrong. */
  event?: { exceptionCode?: string | null; holdReason?: string | null };
  /** The tax engine's answer for this invoice (src/tax/), when it was asked: the tax checks compare against it. */
  taxEvidence?: TaxEvidence;
  /** What outside registries said about the supplier's VAT id, bank accounts and TIN, when they were asked. */
  registryEvidence?: RegistryEvidence;
  /** Budget owner of a GL account code (non-PO invoices), e.g. from the knowledge documents. */
  glOwner?: (accountCode: string) => string | undefined;
}

/** An invoice line resolved to its PO line (when it resolves). */
export interface ResolvedLine {
  line: InvoiceLine;
  lineNum: string;
  po?: PurchaseOrder;
  orderLine?: OrderLine;
  /** Why the PO reference did not resolve (absent when it did, or when the line has none). */
  unresolved?: string;
  /** The line carries no PO reference at all. */
  nonPo: boolean;
}

/** The invoice's currency code (falls back to the PO's, then USD). */
export function invoiceCurrency(ctx: InvoiceContext): string {
  return ctx.invoice.currency?.code ?? ctx.purchaseOrders?.[0]?.currency?.code ?? 'USD';
}

/** Coupa prints line numbers as numbers or strings; we use the string, else the 1-based index. */
export function lineNumOf(line: InvoiceLine, index: number): string {
  return line.lineNum === null || line.lineNum === undefined ? String(index + 1) : String(line.lineNum);
}

/** Finds each invoice line's PO line by `order-line-id`, else by PO number + order line number. */
export function resolveLines(ctx: InvoiceContext): ResolvedLine[] {
  const pos = ctx.purchaseOrders ?? [];
  return ctx.invoice.invoiceLines.map((line, i) => {
    const lineNum = lineNumOf(line, i);
    const poNumber = line.poNumber ?? line.orderHeaderNum ?? undefined;
    if (line.orderLineId == null && !poNumber) return { line, lineNum, nonPo: true };
    if (line.orderLineId != null) {
      for (const po of pos) {
        const orderLine = po.orderLines.find((l) => l.id === line.orderLineId);
        if (orderLine) return { line, lineNum, po, orderLine, nonPo: false };
      }
    }
    const po = poNumber ? pos.find((p) => p.poNumber === poNumber) : undefined;
    const byNum =
      po && line.orderLineNum != null
        ? po.orderLines.find((l) => String(l.lineNum) === String(line.orderLineNum))
        : undefined;
    if (po && byNum) return { line, lineNum, po, orderLine: byNum, nonPo: false };
    const ref =
      line.orderLineId != null ? `order line ${line.orderLineId}` : `PO ${poNumber} line ${line.orderLineNum ?? '?'}`;
    const why = po ? `PO ${po.poNumber} has no such line (${ref})` : `${ref} not found`;
    return { line, lineNum, po, unresolved: why, nonPo: false };
  });
}

/** Milliseconds since the epoch of an ISO date/time, or undefined when absent or unparseable. */
export function timeOf(value: string | null | undefined): number | undefined {
  if (!value) return undefined;
  const t = Date.parse(value);
  return Number.isNaN(t) ? undefined : t;
}

export const DAY_MS = 86_400_000;

/** Logins of the company's own people: their comments are not supplier-controlled text. */
export function internalLogins(ctx: InvoiceContext): Set<string> {
  return new Set((ctx.users ?? []).map((u) => u.login.toLowerCase()));
}

/** Supplier-controlled free text on the invoice, each with where it came from. */
export function supplierTexts(ctx: InvoiceContext): Array<{ source: string; text: string }> {
  const out: Array<{ source: string; text: string }> = [];
  const inv = ctx.invoice;
  if (inv.supplierNote) out.push({ source: 'supplier note', text: inv.supplierNote });
  if (inv.comments) out.push({ source: 'invoice comments', text: inv.comments });
  inv.invoiceLines.forEach((l, i) => {
    if (l.description) out.push({ source: `line ${lineNumOf(l, i)} description`, text: l.description });
  });
  // Attachment names are chosen by whoever uploaded the file: supplier text too.
  for (const a of inv.attachments ?? []) {
    const name = a.fileFileName;
    if (typeof name === 'string' && name.trim()) out.push({ source: 'attachment name', text: name });
  }
  const internal = internalLogins(ctx);
  for (const c of ctx.comments ?? []) {
    const author = c.createdBy?.login?.toLowerCase();
    if (author && internal.has(author)) continue;
    if (c.commentableId != null && c.commentableId !== inv.id) continue;
    out.push({ source: `comment${c.id != null ? ` ${c.id}` : ''}`, text: c.comments });
  }
  return out;
}
