import { z } from 'zod';
import { assessInvoice, type Finding } from '../src/domain/index.js';
import { defineTool, ToolError, type ControlCheck } from '../src/guard/tool.js';
import type { ToolContext } from '../src/guard/context.js';
import { loadInvoiceContext } from './shared/invoice-context.js';
import { WriteOutcome, currentInvoice } from './shared/write-outcome.js';

/**
 * A supplier master change request when Coupa's record and a registry disagree (issue 23): the
 * pre-filled fields (Coupa's value → the registry's, with evidence) wait for the supplier-master
 * approver in every mode; approving posts the request to Coupa as an internal comment for the
 * supplier-management team. Settle never writes supplier or bank data itself.
 */
export const REGISTRY_FINDINGS = new Set([
  'vat_id_invalid',
  'registered_name_differs',
  'iban_invalid',
  'iban_country_differs',
  'tin_invalid',
]);

const Change = z.strictObject({
  field: z.string().trim().min(1).max(40),
  coupa_value: z.string().trim().max(200),
  registry_value: z.string().trim().max(300),
  evidence: z.string().trim().max(500),
});

/** The change request the registry findings support, one entry per finding. */
export function changesOf(
  findings: ReadonlyArray<Pick<Finding, 'figures' | 'evidence' | 'summary'> & { kind: string }>,
): Array<z.infer<typeof Change>> {
  return findings
    .filter((f) => REGISTRY_FINDINGS.has(f.kind))
    .map((f) => ({
      field: f.figures.field ?? f.kind,
      coupa_value: f.figures.coupa ?? '',
      registry_value: f.figures.registry ?? '',
      evidence: `${f.evidence[0] ?? f.summary}`.slice(0, 500),
    }));
}

async function changesSupported(
  input: { invoice_id: number; changes: Array<z.infer<typeof Change>> },
  ctx: ToolContext,
): Promise<ControlCheck> {
  const invoiceCtx = await loadInvoiceContext(ctx, input.invoice_id, { fresh: true, freshBank: true });
  if (!invoiceCtx)
    return {
      ok: false,
      control: 'invoice_exists',
      reason: `invoice ${input.invoice_id} was not found`,
      instead: 'nothing to request',
    };
  const supported = changesOf(assessInvoice(invoiceCtx, ctx.controls, ctx.now()).findings);
  const unsupported = input.changes.filter(
    (c) =>
      !supported.some(
        (s) => s.field === c.field && s.coupa_value === c.coupa_value && s.registry_value === c.registry_value,
      ),
  );
  if (unsupported.length) {
    return {
      ok: false,
      control: 'registry_supports_change',
      reason: `no registry answer supports: ${unsupported.map((c) => c.field).join(', ')}`,
      instead: supported.length
        ? 'request exactly the changes classify_exception lists'
        : 'nothing to request: the registries agree with Coupa',
    };
  }
  return { ok: true, evidence: supported.map((s) => `${s.field}: ${s.coupa_value} → ${s.registry_value}`) };
}

export const requestSupplierChange = defineTool({
  name: 'request_supplier_change',
  title: 'Request supplier master change',
  description:
    "Pre-fill a supplier master change request where a registry contradicts Coupa's record (VAT id invalid or deregistered, registered name differs, IBAN invalid or in another country than the remit-to, US TIN invalid): " +
    'field, Coupa value, registry value, evidence. It always waits for the supplier-master approver; on approval it is posted to Coupa for the supplier-management team. Settle never edits supplier or bank data.',
  inputSchema: z.strictObject({
    invoice_id: z.number().int().positive(),
    changes: z.array(Change).min(1).max(10),
  }),
  outputSchema: WriteOutcome,
  guardClass: 'comment',
  alwaysPropose: true,
  invoiceIdOf: (i) => i.invoice_id,
  checkControls: (input, ctx) => changesSupported(input, ctx),
  async handler(input, ctx) {
    const approver = ctx.controls.supplier_master_approver;
    if (ctx.identity.kind === 'person' && ctx.identity.id.toLowerCase() !== approver.toLowerCase()) {
      throw new ToolError(
        `only the supplier-master approver (${approver}) may approve a supplier change request`,
        'leave it for that person on the review page',
      );
    }
    const invoice = await currentInvoice(ctx, input.invoice_id);
    const text = [
      `SUPPLIER MASTER CHANGE REQUEST — supplier ${invoice.supplier?.name ?? invoice.supplier?.id ?? '?'} (invoice ${invoice.invoiceNumber}), approved by ${ctx.identity.id}.`,
      'For the supplier-management team: update the supplier record after confirming with the supplier through a known contact. Settle has not changed any supplier or bank data.',
      ...input.changes.map(
        (c) => `- ${c.field}: Coupa "${c.coupa_value}" → registry "${c.registry_value}" (${c.evidence})`,
      ),
    ].join('\n');
    const comment = await ctx.records.coupa.addComment(input.invoice_id, { text, toSupplier: false });
    const detail = `Supplier change request posted to invoice ${input.invoice_id} (comment ${comment.id}) for the supplier-management team.`;
    return { data: { status: 'executed' as const, detail }, text: detail, invoiceId: input.invoice_id };
  },
});
