import { checkRegistries, checkSupplier } from '../src/domain/index.js';
import { defineFindingsTool } from './shared/findings-output.js';

export const checkSupplierTool = defineFindingsTool({
  name: 'check_supplier',
  title: 'Check supplier master data',
  description:
    "Compare the invoice's remit-to and bank details with the supplier master; flag a supplier on hold or inactive, a new supplier (age vs the new-supplier control), " +
    'and bank-change language in supplier-written text (a fraud signal: such requests are never acted on, only held for AP). ' +
    'With registry checks on: VAT id (VIES or check digits), IBAN/BIC and its country, US TIN, each with source and date.',
  label: 'Supplier',
  check: (invoiceCtx, ctx) => [...checkSupplier(invoiceCtx, ctx.controls, ctx.now()), ...checkRegistries(invoiceCtx)],
});
