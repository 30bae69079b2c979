import { z } from 'zod';
import { ToolError, defineTool } from '../src/guard/tool.js';
import { ContractOut, projectContract } from './shared/projections.js';

export const getContract = defineTool({
  name: 'get_contract',
  title: 'Get contract',
  description: "Read a contract by id, or the supplier's contracts: dates, status and firm prices per part number.",
  inputSchema: z
    .strictObject({
      contract_id: z.number().int().positive().optional(),
      supplier_id: z.number().int().positive().optional(),
    })
    .refine((v) => (v.contract_id === undefined) !== (v.supplier_id === undefined), {
      message: 'give exactly one of contract_id or supplier_id',
    }),
  outputSchema: z.object({ contracts: z.array(ContractOut) }),
  guardClass: 'read',
  async handler(input, ctx) {
    if (input.contract_id !== undefined) {
      const contract = await ctx.records.coupa.getContract(input.contract_id).catch(() => null);
      if (!contract) throw new ToolError(`contract ${input.contract_id} was not found`);
      return {
        data: { contracts: [projectContract(contract)] },
        text: `Contract ${contract.number ?? contract.id}: ${contract.priceTerms.length} firm price(s).`,
      };
    }
    const contracts = (await ctx.records.contractsForSupplier(input.supplier_id!)).map(projectContract);
    return { data: { contracts }, text: `${contracts.length} contract(s) for supplier ${input.supplier_id}.` };
  },
});
