import { z } from 'zod';
import { ToolError, defineTool } from '../src/guard/tool.js';
import { SupplierOut, projectSupplier } from './shared/projections.js';

export const getSupplier = defineTool({
  name: 'get_supplier',
  title: 'Get supplier',
  description:
    'Read the supplier master record: status, hold flag, tax id, age, remit-to addresses, and bank accounts (masked to the last four characters).',
  inputSchema: z.strictObject({ supplier_id: z.number().int().positive() }),
  outputSchema: z.object({ supplier: SupplierOut }),
  guardClass: 'read',
  async handler({ supplier_id }, ctx) {
    const supplier = await ctx.records.supplier(supplier_id);
    if (!supplier) throw new ToolError(`supplier ${supplier_id} was not found`);
    const info = await ctx.records.supplierInformation(supplier_id);
    const out = projectSupplier(supplier, info);
    return {
      data: { supplier: out },
      text: `${out.name}: ${out.status}${out.on_hold ? ', ON HOLD' : ''}, since ${out.created_at ?? '?'}, ${out.remit_to.length} remit-to address(es), ${out.bank_accounts.length} bank account(s).`,
    };
  },
});
