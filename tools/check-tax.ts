import { checkTax, checkVatId } from '../src/domain/index.js';
import { READ_ANNOTATIONS, defineTool } from '../src/guard/tool.js';
import { AnalysisInput, AnalysisOutput, findingsOut, findingsText, requireContext } from './findings-output.js';

export const checkTaxTool = defineTool({
  name: 'check_tax',
  title: 'Check tax',
  description: "Expected tax from the line totals and rate (header or line level) against the billed tax, within the tax tolerance; EU VAT invoices need the supplier's VAT id.",
  inputSchema: AnalysisInput,
  outputSchema: AnalysisOutput,
  annotations: READ_ANNOTATIONS,
  guardClass: 'analysis',
  invoiceIdOf: (i) => i.invoice_id,
  async handler({ invoice_id }, ctx) {
    const invoiceCtx = await requireContext(ctx, invoice_id);
    const findings = findingsOut([...checkTax(invoiceCtx), ...checkVatId(invoiceCtx)], ctx.controls);
    return { data: { invoice_id, findings }, text: findingsText('Tax', findings), invoiceId: invoice_id };
  },
});
