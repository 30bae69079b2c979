import { checkTax, checkTaxAgainstEngine, checkVatId } from '../src/domain/index.js';
import { defineFindingsTool } from './shared/findings-output.js';

export const checkTaxTool = defineFindingsTool({
  name: 'check_tax',
  title: 'Check tax',
  description:
    "Expected tax from the line totals and rate (header or line level) against the billed tax, within the tax tolerance; EU VAT invoices need the supplier's VAT id. " +
    "When the invoice names its ship-to address, the tax engine's tax per line and jurisdiction is the reference instead (source and date in the evidence).",
  label: 'Tax',
  check: (invoiceCtx, ctx) => [
    ...(checkTaxAgainstEngine(invoiceCtx, ctx.controls) ?? checkTax(invoiceCtx)),
    ...checkVatId(invoiceCtx),
  ],
});
