/**
 * Coupa records (as the client parses them) → the GR/IR book's facts. Tolerant like every reader:
 * a field that is missing degrades that fact, never drops the document. Credit notes are known by
 * `document-type`, `is-credit-note`, or a negative total.
 */
import type { Contract, Invoice, PurchaseOrder, ReceivingTransaction } from '../coupa/schemas.js';
import type { ContractPriceFact, InvoiceLineFact, PoLineFact, ReceiptFact } from '../domain/grir/types.js';

type Loose = Record<string, unknown>;
const code = (v: unknown): string | null => {
  if (typeof v === 'string') return v;
  if (v !== null && typeof v === 'object' && typeof (v as Loose).code === 'string') return (v as Loose).code as string;
  return null;
};
const idOf = (v: unknown): number | null => {
  if (typeof v === 'number') return v;
  if (v !== null && typeof v === 'object' && typeof (v as Loose).id === 'number') return (v as Loose).id as number;
  return null;
};

export function poLineFacts(po: PurchaseOrder): PoLineFact[] {
  return po.orderLines.map((line) => ({
    poLineId: line.id,
    poId: po.id,
    poNumber: po.poNumber,
    poStatus: po.status,
    lineNum: String(line.lineNum ?? ''),
    receiptRequired: line.receiptRequired === true || (line.matchType ?? '').startsWith('3-way'),
    isAmountLine: line.type === 'OrderAmountLine',
    quantity: line.quantity ?? null,
    price: line.price ?? line.total ?? '0',
    currency: line.currency?.code ?? po.currency?.code ?? 'USD',
    uom: line.uom?.code ?? null,
    account: line.account?.code ?? null,
    supplierId: po.supplier?.id ?? null,
    supplierName: po.supplier?.name ?? null,
    partNum: line.sourcePartNum ?? null,
    requesterLogin: po.requester?.login ?? null,
    description: line.description ?? null,
    createdAt: po.createdAt ?? null,
  }));
}

export function receiptFact(r: ReceivingTransaction): ReceiptFact {
  const loose = r as unknown as Loose;
  return {
    id: r.id,
    poLineId: r.orderLine.id,
    type: r.type,
    status: r.status ?? null,
    quantity: r.quantity ?? null,
    total: r.total ?? null,
    uom: code(loose.uom),
    transactionDate: r.transactionDate ?? r.createdAt ?? null,
    originalTransactionId: idOf(loose.originalTransactionId ?? loose.originalTransaction),
    createdBy: code((loose.createdBy as Loose | undefined)?.login ?? null),
  };
}

function isCreditNote(invoice: Invoice): boolean {
  const loose = invoice as unknown as Loose;
  const type = typeof loose.documentType === 'string' ? loose.documentType.toLowerCase() : '';
  if (type.includes('credit') || loose.isCreditNote === true || loose.isCreditNote === 'true') return true;
  return invoice.grossTotal !== null && invoice.grossTotal !== undefined && invoice.grossTotal.startsWith('-');
}

/** The invoice's PO-linked lines; lines without a PO line are not GR/IR business. */
export function invoiceLineFacts(invoice: Invoice): InvoiceLineFact[] {
  const credit = isCreditNote(invoice);
  const out: InvoiceLineFact[] = [];
  invoice.invoiceLines.forEach((line, i) => {
    if (line.orderLineId === undefined || line.orderLineId === null) return;
    const loose = line as unknown as Loose;
    out.push({
      // A line without an id still counts: number it inside its invoice.
      invoiceLineId: line.id ?? -(invoice.id * 1000 + i),
      invoiceId: invoice.id,
      invoiceNumber: invoice.invoiceNumber,
      invoiceStatus: invoice.status,
      paid: invoice.paid === true,
      isCreditNote: credit,
      poLineId: line.orderLineId,
      quantity: line.quantity ?? null,
      price: line.price ?? null,
      total: line.total ?? null,
      currency: code(loose.currency) ?? invoice.currency?.code ?? null,
      accountingTotal:
        typeof loose.accountingTotal === 'string'
          ? loose.accountingTotal
          : typeof loose.accountingTotal === 'number'
            ? String(loose.accountingTotal)
            : null,
      accountingCurrency: code(loose.accountingTotalCurrency),
      uom: line.uom?.code ?? null,
      invoiceDate: invoice.invoiceDate ?? null,
      supplierId: invoice.supplier?.id ?? null,
    });
  });
  return out;
}

export function contractPriceFacts(contract: Contract): ContractPriceFact[] {
  const supplierId = contract.supplier?.id;
  if (
    supplierId === undefined ||
    supplierId === null ||
    (contract.status && !['published', 'active', 'in_force'].includes(contract.status))
  )
    return [];
  const changedAt = ((contract as unknown as Loose).updatedAt as string | undefined) ?? null;
  return contract.priceTerms
    .filter((t) => t.sourcePartNum)
    .map((t) => ({
      supplierId,
      contractNumber: contract.number ?? null,
      partNum: t.sourcePartNum as string,
      price: t.price,
      currency: contract.currency?.code ?? null,
      changedAt,
    }));
}
