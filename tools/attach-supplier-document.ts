import { z } from 'zod';
import { ToolError, defineTool } from '../src/guard/tool.js';
import { WriteOutcome } from './shared/write-outcome.js';

/**
 * Puts a document a supplier mailed in answer to a request onto its Coupa invoice, where AP and
 * the agent read it. A system tool: only Settle's inbound-mail identity holds its scope, so no
 * model or MCP client sees it. The bytes come from Settle's own store by hash — the audit log and
 * any proposal carry the hash and the name, never the file.
 */
export const attachSupplierDocument = defineTool({
  name: 'attach_supplier_document',
  title: 'Attach supplier document',
  description:
    "Attach a document the supplier mailed in reply to a request to its Coupa invoice (Settle's inbound mail only).",
  inputSchema: z.strictObject({
    invoice_id: z.number().int().positive(),
    document_sha256: z.string().regex(/^[0-9a-f]{64}$/),
    filename: z.string().min(1).max(200),
    /** Where it came from: the reply's channel and Message-ID, for the audit trail. */
    reply: z.string().min(1).max(600),
  }),
  outputSchema: WriteOutcome.extend({ attachment_id: z.number().nullable().optional() }),
  guardClass: 'comment',
  requiredScope: 'documents:attach',
  invoiceIdOf: (i) => i.invoice_id,
  async handler(input, ctx) {
    const doc = await ctx.supplierRequests?.document(input.invoice_id, input.document_sha256);
    if (!doc)
      throw new ToolError(
        `no document ${input.document_sha256.slice(0, 12)}… was received for invoice ${input.invoice_id}`,
        'only a document a supplier mailed for this invoice can be attached',
      );
    const attached = await ctx.records.coupa.attachFile(input.invoice_id, input.filename, doc.bytes, doc.contentType);
    ctx.records.afterWrite(input.invoice_id);
    const detail = `Supplier document ${input.filename} attached to invoice ${input.invoice_id}.`;
    return {
      data: { status: 'executed' as const, attachment_id: attached.id ?? null, detail },
      text: detail,
      invoiceId: input.invoice_id,
    };
  },
});
