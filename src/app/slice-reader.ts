/**
 * The guard's slice reader: exception type, supplier and amount of an invoice, re-derived from
 * Coupa through the same deterministic assessment the tools use (never from the caller).
 */
import { assessInvoice } from '../domain/index.js';
import type { Slice, SliceReader } from '../guard/autonomy.js';
import { loadInvoiceContext } from '../../tools/shared/invoice-context.js';

export const readSlice: SliceReader = async (ctx, invoiceId): Promise<Slice | null> => {
  const invoiceCtx = await loadInvoiceContext(ctx, invoiceId);
  if (!invoiceCtx) return null;
  const a = assessInvoice(invoiceCtx, ctx.controls, ctx.now());
  const { invoice, supplier } = invoiceCtx;
  return {
    exceptionType: a.exceptionType,
    supplierId: invoice.supplier?.id ?? supplier?.id ?? null,
    supplierNumber: supplier?.number ?? invoice.supplier?.number ?? null,
    amount: invoice.grossTotal ?? invoice.totalWithTaxes ?? null,
    confidence: a.confidence,
  };
};
