/**
 * The GR/IR book's facts, as Settle keeps them in Postgres: one row per PO line, receiving
 * transaction and PO-linked invoice line. Money and quantities are decimal strings; values are in
 * the PO line's currency (an invoice in another currency is brought to it by its accounting total).
 */
import { z } from 'zod';

export interface PoLineFact {
  poLineId: number;
  poId: number;
  poNumber: string;
  /** PO header status: `issued`, `closed`, `cancelled`, … */
  poStatus: string;
  lineNum: string;
  /** Receipt required (3-way): only such lines post goods receipts to GR/IR. */
  receiptRequired: boolean;
  /** Amount lines have no quantity: they are received and invoiced by value. */
  isAmountLine: boolean;
  quantity: string | null;
  price: string;
  currency: string;
  uom: string | null;
  /** The GL account the PO line is coded to: the offset of a clearing entry. */
  account: string | null;
  supplierId: number | null;
  supplierName: string | null;
  partNum: string | null;
  requesterLogin: string | null;
  description: string | null;
  createdAt: string | null;
}

export interface ReceiptFact {
  id: number;
  poLineId: number;
  /** Coupa's transaction type: `InventoryReceipt`, `ReceivingQuantityReturnToSupplier`, `Void…`, consumptions. */
  type: string;
  status: string | null;
  quantity: string | null;
  total: string | null;
  uom: string | null;
  transactionDate: string | null;
  /** A void points at the transaction it cancels. */
  originalTransactionId: number | null;
  createdBy: string | null;
}

export interface InvoiceLineFact {
  invoiceLineId: number;
  invoiceId: number;
  invoiceNumber: string;
  invoiceStatus: string;
  paid: boolean;
  isCreditNote: boolean;
  poLineId: number;
  quantity: string | null;
  price: string | null;
  total: string | null;
  currency: string | null;
  /** The line's total in `accountingCurrency` (Coupa's `accounting-total`). */
  accountingTotal: string | null;
  accountingCurrency: string | null;
  uom: string | null;
  invoiceDate: string | null;
  supplierId: number | null;
}

/** A firm price for a part on a supplier's contract, and since when it holds. */
export interface ContractPriceFact {
  supplierId: number;
  contractNumber: string | null;
  partNum: string;
  price: string;
  currency: string | null;
  /** When the contract (and so this price) last changed. */
  changedAt: string | null;
}

/** Why a PO line's GR/IR account does not clear. */
export const GrirCause = z.enum([
  'wrong_line',
  'wrong_uom',
  'duplicate_receipt',
  'return_not_credited',
  'closed_po_invoice',
  'contract_price_change',
  'fx_difference',
  'awaiting_invoice',
  'invoice_in_process',
  'awaiting_receipt',
  'no_explanation',
]);
export type GrirCause = z.infer<typeof GrirCause>;

export const OpenItemKind = z.enum(['received_not_invoiced', 'invoiced_not_received', 'price_difference']);
export type OpenItemKind = z.infer<typeof OpenItemKind>;

export const ActionKind = z.enum([
  'clearing_entry',
  'credit_note_request',
  'receipt_request',
  'write_off',
  'leave_open',
]);
export type ActionKind = z.infer<typeof ActionKind>;

export const JournalLine = z.object({
  account: z.string(),
  debit: z.string(),
  credit: z.string(),
  memo: z.string(),
});
export type JournalLine = z.infer<typeof JournalLine>;

export const ProposedAction = z.object({
  kind: ActionKind,
  /** Absolute amount in the item's currency, a decimal string. */
  amount: z.string(),
  currency: z.string(),
  reason: z.string(),
  /** Clearing entries and write-offs: balanced debit/credit lines. */
  lines: z.array(JournalLine).default([]),
  /** Who is asked (supplier for a credit note, the requester for a receipt). */
  addressee: z.string().optional(),
  /** Leave open: when to look again (YYYY-MM-DD). */
  followUp: z.string().optional(),
});
export type ProposedAction = z.infer<typeof ProposedAction>;

/** One open GR/IR item: a PO line whose receipts and invoices do not clear. */
export interface OpenItem {
  poLineId: number;
  poId: number;
  poNumber: string;
  lineNum: string;
  supplierName: string | null;
  kind: OpenItemKind;
  currency: string;
  /** GR value minus IR value: positive is a credit balance (received, not invoiced). */
  balance: string;
  /** |balance|, the amount the item is listed with. */
  amount: string;
  /** Received minus invoiced quantity (null for amount lines). */
  quantityDiff: string | null;
  receivedQty: string;
  invoicedQty: string;
  receivedValue: string;
  invoicedValue: string;
  /** Days since the document that left it open (as of the run date). */
  ageDays: number;
  /** The document date the age counts from (YYYY-MM-DD). */
  since: string | null;
}

/** An open item with its investigation: root cause, evidence and the proposed action. */
export interface InvestigatedItem extends OpenItem {
  cause: GrirCause;
  evidence: string[];
  action: ProposedAction;
}
