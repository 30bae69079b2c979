import { matchInvoice } from '../src/domain/index.js';
import { READ_ANNOTATIONS, defineTool } from '../src/guard/tool.js';
import { AnalysisInput, AnalysisOutput, findingsOut, findingsText, requireContext } from './findings-output.js';

export const analyzeMatch = defineTool({
  name: 'analyze_match',
  title: 'Analyze three-way match',
  description: "Per-line three-way / two-way match of the invoice against its PO lines and receipts (honouring the supplier matching level and each line's match type): price variance in % and amount, quantity billed vs ordered vs received (counting earlier invoices on the same PO line), amount lines, firm contract prices. Each finding carries the numbers and the tolerance control that applies.",
  inputSchema: AnalysisInput,
  outputSchema: AnalysisOutput,
  annotations: READ_ANNOTATIONS,
  guardClass: 'analysis',
  invoiceIdOf: (i) => i.invoice_id,
  async handler({ invoice_id }, ctx) {
    const invoiceCtx = await requireContext(ctx, invoice_id);
    const findings = findingsOut(matchInvoice(invoiceCtx), ctx.controls);
    return { data: { invoice_id, findings }, text: findingsText('Match', findings), invoiceId: invoice_id };
  },
});
