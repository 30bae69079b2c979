/**
 * A validated document → a draft invoice in Coupa with the matched references (supplier,
 * remit-to, PO lines), then the original file attached. Only called for documents without
 * blocking problems; the draft still goes through Coupa's own validation when someone submits it.
 */
import type { DraftInvoiceInput } from '../coupa/index.js';
import type { IngestCoupa } from './coupa-port.js';
import type { ExtractedInvoice, MatchedRefs } from './types.js';

export interface PostInput {
  invoice: ExtractedInvoice;
  refs: MatchedRefs;
  fileName: string;
  contentHash: string;
  contentType: string;
  bytes: Uint8Array;
}

/** The create body; throws when a required value is missing (validation should have caught it). */
export function buildDraft(input: PostInput): DraftInvoiceInput {
  const { fields, lines } = input.invoice;
  const need = (v: string | undefined, what: string): string => {
    if (!v) throw new Error(`cannot build a draft without ${what}`);
    return v;
  };
  if (input.refs.supplierId === undefined) throw new Error('cannot build a draft without a matched supplier');
  return {
    invoiceNumber: need(fields.invoiceNumber?.value, 'an invoice number'),
    invoiceDate: need(fields.invoiceDate?.value, 'an invoice date'),
    currency: { code: need(fields.currency?.value, 'a currency') },
    supplier: { id: input.refs.supplierId },
    ...(input.refs.remitToAddressId !== undefined ? { remitToAddress: { id: input.refs.remitToAddressId } } : {}),
    ...(fields.tax ? { taxAmount: fields.tax.value } : {}),
    internalNote: `Ingested by Settle from ${input.fileName} (sha256 ${input.contentHash.slice(0, 16)}…)`,
    invoiceLines: lines.map((l, i) => {
      const orderLineId = input.refs.orderLineIds[i];
      const base = {
        lineNum: i + 1,
        description: l.description.value,
        ...(orderLineId != null ? { orderLineId } : {}),
      };
      return l.quantity && l.unitPrice
        ? { ...base, type: 'InvoiceQuantityLine', quantity: l.quantity.value, price: l.unitPrice.value }
        : { ...base, type: 'InvoiceAmountLine', price: l.amount.value };
    }),
  };
}

/** Create the draft and attach the original; returns the Coupa invoice id. */
export async function postDraft(
  coupa: IngestCoupa,
  input: PostInput,
): Promise<{ invoiceId: number; attachmentError?: string }> {
  const draft = await coupa.createDraftInvoice(buildDraft(input));
  const name = input.fileName.split(/[/#]/).pop() || 'invoice';
  try {
    await coupa.attachFile(draft.id, name, input.bytes, input.contentType);
    return { invoiceId: draft.id };
  } catch (error) {
    // The draft exists: it must be recorded as posted (never re-created); the missing file is reported.
    return { invoiceId: draft.id, attachmentError: (error as Error).message };
  }
}
