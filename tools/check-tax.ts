import { checkTax, checkVatId } from '../src/domain/index.js';
import { defineFindingsTool } from './shared/findings-output.js';

export const checkTaxTool = defineFindingsTool({
  name: 'check_tax',
  title: 'Check tax',
  description:
    "Expected tax from the line totals and rate (header or line level) against the billed tax, within the tax tolerance; EU VAT invoices need the supplier's VAT id.",
  label: 'Tax',
  check: (invoiceCtx) => [...checkTax(invoiceCtx), ...checkVatId(invoiceCtx)],
});
