import { matchInvoice } from '../src/domain/index.js';
import { defineFindingsTool } from './shared/findings-output.js';

export const analyzeMatch = defineFindingsTool({
  name: 'analyze_match',
  title: 'Analyze three-way match',
  description:
    "Per-line three-way / two-way match of the invoice against its PO lines and receipts (honouring the supplier matching level and each line's match type): price variance in % and amount, quantity billed vs ordered vs received (counting earlier invoices on the same PO line), amount lines, firm contract prices. Each finding carries the numbers and the tolerance control that applies.",
  label: 'Match',
  check: (invoiceCtx) => matchInvoice(invoiceCtx),
});
