/**
 * The agent's view of the tools in a case session: what the case fixes is not asked of the model.
 * `invoice_id` is dropped from every listed schema that takes one (the guard fills it in), and the
 * top-level `additionalProperties: false` goes with it, so that a model which still sends an
 * invoice id reaches the guard — the same id passes, another is denied and audited as a scope
 * violation, and any other unknown field is still refused by the guard's strict schema.
 * People's clients keep `describeTool`'s view (the README table and `test/__toolsnaps__`).
 */
import type { Tool } from '@modelcontextprotocol/sdk/types.js';
import { impliesInvoiceId } from '../guard/scope.js';
import type { ToolDefinition } from '../guard/tool.js';

export const CASE_NOTE =
  'This session settles one invoice: its id is implied, and calls about other invoices, POs or suppliers are refused.';

/** `described` (from describeTool) as a case session lists it. */
export function caseScopedTool(tool: ToolDefinition, described: Tool): Tool {
  if (!impliesInvoiceId(tool)) return described;
  const { invoice_id: _implied, ...properties } = described.inputSchema.properties ?? {};
  const required = (described.inputSchema.required ?? []).filter((name) => name !== 'invoice_id');
  const { additionalProperties: _strict, ...schema } = described.inputSchema as Record<string, unknown>;
  return {
    ...described,
    description: `${described.description ?? ''} ${CASE_NOTE}`.trim(),
    inputSchema: {
      ...(schema as Tool['inputSchema']),
      properties,
      ...(required.length ? { required } : { required: undefined }),
    },
  };
}
