import { z } from 'zod';
import { query } from '../src/coupa/index.js';
import { defineTool } from '../src/guard/tool.js';

const DateOnly = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'use YYYY-MM-DD');
const Amount = z.string().regex(/^\d+(\.\d{1,2})?$/, 'use a decimal string such as "1250.00"');

const InvoiceSummary = z.object({
  id: z.number(),
  invoice_number: z.string(),
  status: z.string(),
  invoice_date: z.string().nullable(),
  gross_total: z.string().nullable(),
  currency: z.string().nullable(),
  supplier_id: z.number().nullable(),
  supplier_name: z.string().nullable(),
  paid: z.boolean().nullable(),
});

export const searchInvoices = defineTool({
  name: 'search_invoices',
  title: 'Search invoice history',
  description:
    'Search Coupa invoices (history included: paid, approved, voided) by supplier, invoice number fragment, exact gross total and invoice-date window. ' +
    'Use it to look for duplicates and past billing patterns. At least one filter is required; at most 50 results.',
  inputSchema: z
    .strictObject({
      supplier_id: z.number().int().positive().optional(),
      invoice_number_contains: z.string().min(1).max(40).optional(),
      gross_total: Amount.optional(),
      date_from: DateOnly.optional(),
      date_to: DateOnly.optional(),
      limit: z.number().int().min(1).max(50).default(25),
    })
    .refine((v) => v.supplier_id ?? v.invoice_number_contains ?? v.gross_total ?? v.date_from, {
      message: 'give at least one filter',
    }),
  outputSchema: z.object({ invoices: z.array(InvoiceSummary), truncated: z.boolean() }),
  guardClass: 'read',
  async handler(input, ctx) {
    let q = query().orderBy('invoice-date', 'desc').limit(input.limit);
    if (input.supplier_id) q = q.where('supplier[id]', 'eq', input.supplier_id);
    if (input.invoice_number_contains) q = q.where('invoice-number', 'contains', input.invoice_number_contains);
    if (input.gross_total) q = q.where('gross-total', 'eq', input.gross_total);
    if (input.date_from) q = q.where('invoice-date', 'gt_or_eq', input.date_from);
    if (input.date_to) q = q.where('invoice-date', 'lt_or_eq', input.date_to);
    const invoices: z.infer<typeof InvoiceSummary>[] = [];
    let truncated = false;
    for await (const inv of ctx.records.coupa.listInvoices(q)) {
      if (invoices.length >= input.limit) {
        truncated = true;
        break;
      }
      invoices.push({
        id: inv.id,
        invoice_number: inv.invoiceNumber,
        status: inv.status,
        invoice_date: inv.invoiceDate?.slice(0, 10) ?? null,
        gross_total: inv.grossTotal ?? inv.totalWithTaxes ?? null,
        currency: inv.currency?.code ?? null,
        supplier_id: inv.supplier?.id ?? null,
        supplier_name: inv.supplier?.name ?? null,
        paid: inv.paid ?? null,
      });
    }
    return {
      data: { invoices, truncated },
      text: `${invoices.length} invoice(s) found${truncated ? ' (more exist; narrow the filters)' : ''}.`,
    };
  },
});
