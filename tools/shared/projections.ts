/**
 * Compact, typed projections of Coupa records for tool outputs: what a model needs to reason,
 * not a 50-field dump. Supplier-controlled text is fenced as untrusted data.
 */
import { z } from 'zod';
import type {
  Contract,
  Invoice,
  PurchaseOrder,
  ReceivingTransaction,
  Supplier,
  SupplierInformation,
} from '../../src/coupa/schemas.js';
import type { Fence } from '../../src/guard/untrusted.js';

export const FailedToleranceOut = z.object({
  code: z.string(),
  resolved: z.boolean(),
  breach_amount: z.string().nullable(),
  breach_limit: z.string().nullable(),
});

export const InvoiceLineOut = z.object({
  line: z.string(),
  type: z.string(),
  description: z.string().nullable().describe('untrusted supplier text'),
  quantity: z.string().nullable(),
  price: z.string().nullable(),
  total: z.string().nullable(),
  order_line_id: z.number().nullable(),
  po_number: z.string().nullable(),
  account: z.string().nullable(),
  tax_amount: z.string().nullable(),
  failed_tolerances: z.array(FailedToleranceOut),
});

export const InvoiceOut = z.object({
  id: z.number(),
  invoice_number: z.string(),
  status: z.string(),
  invoice_date: z.string().nullable(),
  currency: z.string().nullable(),
  supplier: z.object({ id: z.number().nullable(), name: z.string().nullable() }),
  gross_total: z.string().nullable(),
  tax_amount: z.string().nullable(),
  tax_rate: z.string().nullable(),
  requested_by: z.string().nullable(),
  remit_to: z.string().nullable(),
  supplier_note: z.string().nullable().describe('untrusted supplier text'),
  failed_tolerances: z.array(FailedToleranceOut),
  lines: z.array(InvoiceLineOut),
});
export type InvoiceOut = z.infer<typeof InvoiceOut>;

const ft = (list: Invoice['failedTolerances']): z.infer<typeof FailedToleranceOut>[] =>
  list.map((f) => ({
    code: f.code,
    resolved: f.resolved,
    breach_amount: f.breachAmount ?? null,
    breach_limit: f.breachLimit ?? null,
  }));

export function formatAddress(
  a:
    | {
        street1?: string | null;
        city?: string | null;
        postalCode?: string | null;
        country?: { code?: string | null } | null;
      }
    | null
    | undefined,
): string | null {
  if (!a) return null;
  const parts = [a.street1, a.city, a.postalCode, a.country?.code].filter(Boolean);
  return parts.length ? parts.join(', ') : null;
}

export function projectInvoice(inv: Invoice, fence: Fence): InvoiceOut {
  return {
    id: inv.id,
    invoice_number: inv.invoiceNumber,
    status: inv.status,
    invoice_date: inv.invoiceDate?.slice(0, 10) ?? null,
    currency: inv.currency?.code ?? null,
    supplier: { id: inv.supplier?.id ?? null, name: inv.supplier?.name ?? null },
    gross_total: inv.grossTotal ?? inv.totalWithTaxes ?? null,
    tax_amount: inv.taxAmount ?? null,
    tax_rate: inv.taxRate ?? null,
    requested_by: inv.requestedBy?.login ?? null,
    remit_to: formatAddress(inv.remitToAddress),
    supplier_note: fence.wrap(inv.supplierNote),
    failed_tolerances: ft(inv.failedTolerances),
    lines: inv.invoiceLines.map((l, i) => ({
      line: String(l.lineNum ?? i + 1),
      type: l.type,
      description: fence.wrap(l.description),
      quantity: l.quantity ?? null,
      price: l.price ?? null,
      total: l.total ?? null,
      order_line_id: l.orderLineId ?? null,
      po_number: l.poNumber ?? l.orderHeaderNum ?? null,
      account: l.account?.code ?? null,
      tax_amount: l.taxAmount ?? null,
      failed_tolerances: ft(l.failedTolerances),
    })),
  };
}

export const PurchaseOrderOut = z.object({
  id: z.number(),
  po_number: z.string(),
  status: z.string(),
  currency: z.string().nullable(),
  supplier_id: z.number().nullable(),
  requester: z.string().nullable(),
  lines: z.array(
    z.object({
      id: z.number(),
      line: z.string(),
      type: z.string(),
      description: z.string().nullable(),
      quantity: z.string().nullable(),
      price: z.string().nullable(),
      total: z.string().nullable(),
      received: z.string().nullable(),
      invoiced: z.string().nullable(),
      match_type: z.string().nullable(),
      source_part_num: z.string().nullable(),
    }),
  ),
});

export function projectPurchaseOrder(po: PurchaseOrder): z.infer<typeof PurchaseOrderOut> {
  return {
    id: po.id,
    po_number: po.poNumber,
    status: po.status,
    currency: po.currency?.code ?? null,
    supplier_id: po.supplier?.id ?? null,
    requester: po.requester?.login ?? null,
    lines: po.orderLines.map((l, i) => ({
      id: l.id,
      line: String(l.lineNum ?? i + 1),
      type: l.type,
      description: l.description ?? null,
      quantity: l.quantity ?? null,
      price: l.price ?? null,
      total: l.total ?? null,
      received: l.received ?? null,
      invoiced: l.invoiced ?? null,
      match_type: l.matchType ?? null,
      source_part_num: l.sourcePartNum ?? null,
    })),
  };
}

export const ReceiptOut = z.object({
  id: z.number(),
  order_line_id: z.number(),
  quantity: z.string().nullable(),
  total: z.string().nullable(),
  date: z.string().nullable(),
  status: z.string().nullable(),
});

export function projectReceipt(r: ReceivingTransaction): z.infer<typeof ReceiptOut> {
  return {
    id: r.id,
    order_line_id: r.orderLine.id,
    quantity: r.quantity ?? null,
    total: r.total ?? null,
    date: r.transactionDate?.slice(0, 10) ?? null,
    status: r.status ?? null,
  };
}

/** Show only the last four characters of an account number or IBAN. */
export function mask(value: string | null | undefined): string | null {
  if (!value) return null;
  const clean = value.replace(/\s/g, '');
  return clean.length <= 4 ? '****' : `****${clean.slice(-4)}`;
}

export const SupplierOut = z.object({
  id: z.number(),
  name: z.string(),
  status: z.string(),
  on_hold: z.boolean(),
  tax_id: z.string().nullable(),
  created_at: z.string().nullable(),
  invoice_matching_level: z.string().nullable(),
  remit_to: z.array(
    z.object({
      id: z.number().nullable(),
      code: z.string().nullable(),
      address: z.string().nullable(),
      active: z.boolean().nullable(),
    }),
  ),
  bank_accounts: z.array(
    z.object({
      bank: z.string().nullable(),
      account: z.string().nullable(),
      iban: z.string().nullable(),
      kind: z.string().nullable(),
    }),
  ),
});

export function projectSupplier(s: Supplier, info: SupplierInformation | null): z.infer<typeof SupplierOut> {
  return {
    id: s.id,
    name: s.name,
    status: s.status,
    on_hold: s.onHold ?? false,
    tax_id: s.taxId ?? null,
    created_at: s.createdAt?.slice(0, 10) ?? null,
    invoice_matching_level: s.invoiceMatchingLevel ?? null,
    remit_to: s.remitToAddresses.map((a) => ({
      id: a.id ?? null,
      code: a.remitToCode ?? null,
      address: formatAddress(a),
      active: a.active ?? null,
    })),
    bank_accounts: (info?.supplierInformationAddresses ?? []).map((b) => ({
      bank: b.bankName ?? null,
      account: mask(b.bankAccountNumber),
      iban: mask(b.ibanNumber),
      kind: b.kind ?? null,
    })),
  };
}

export const ContractOut = z.object({
  id: z.number(),
  name: z.string().nullable(),
  number: z.string().nullable(),
  status: z.string().nullable(),
  supplier_id: z.number().nullable(),
  start_date: z.string().nullable(),
  end_date: z.string().nullable(),
  firm_prices: z.array(
    z.object({
      part: z.string().nullable(),
      description: z.string().nullable(),
      price: z.string(),
      uom: z.string().nullable(),
    }),
  ),
});

export function projectContract(c: Contract): z.infer<typeof ContractOut> {
  return {
    id: c.id,
    name: c.name ?? null,
    number: c.number ?? null,
    status: c.status ?? null,
    supplier_id: c.supplier?.id ?? null,
    start_date: c.startDate?.slice(0, 10) ?? null,
    end_date: c.endDate?.slice(0, 10) ?? null,
    firm_prices: c.priceTerms.map((t) => ({
      part: t.sourcePartNum ?? null,
      description: t.description ?? null,
      price: t.price,
      uom: t.uom?.code ?? null,
    })),
  };
}
