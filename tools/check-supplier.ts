import { checkSupplier } from '../src/domain/index.js';
import { READ_ANNOTATIONS, defineTool } from '../src/guard/tool.js';
import { AnalysisInput, AnalysisOutput, findingsOut, findingsText, requireContext } from './findings-output.js';

export const checkSupplierTool = defineTool({
  name: 'check_supplier',
  title: 'Check supplier master data',
  description:
    "Compare the invoice's remit-to and bank details with the supplier master; flag a supplier on hold or inactive, a new supplier (age vs the new-supplier control), " +
    'and bank-change language in supplier-written text (a fraud signal: such requests are never acted on, only held for AP).',
  inputSchema: AnalysisInput,
  outputSchema: AnalysisOutput,
  annotations: READ_ANNOTATIONS,
  guardClass: 'analysis',
  invoiceIdOf: (i) => i.invoice_id,
  async handler({ invoice_id }, ctx) {
    const invoiceCtx = await requireContext(ctx, invoice_id);
    const findings = findingsOut(checkSupplier(invoiceCtx, ctx.controls, ctx.now()), ctx.controls);
    return { data: { invoice_id, findings }, text: findingsText('Supplier', findings), invoiceId: invoice_id };
  },
});
