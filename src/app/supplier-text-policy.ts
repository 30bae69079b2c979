/**
 * What a supplier-visible message on one invoice is checked against (src/guard/supplier-text.ts):
 * the recipient's own bank numbers, the other suppliers the investigation reads (history sharing
 * the amount or the PO), internal comments and the internal note, and the customer's URL allow-list.
 */
import type { SupplierInformation } from '../coupa/schemas.js';
import type { ToolContext } from '../guard/context.js';
import type { SupplierTextPolicy } from '../guard/supplier-text.js';
import { loadInvoiceContext } from '../../tools/shared/invoice-context.js';

function accountsOf(info: SupplierInformation | undefined): string[] {
  return (info?.supplierInformationAddresses ?? [])
    .flatMap((a) => [a.bankAccountNumber, a.bankRoutingNumber, a.ibanNumber])
    .filter((v): v is string => typeof v === 'string' && v.trim().length > 0);
}

export async function supplierTextPolicyFor(invoiceId: number | null, ctx: ToolContext): Promise<SupplierTextPolicy> {
  const allowedHosts = ctx.controls.supplier_url_allowlist;
  if (invoiceId === null) return { allowedHosts };
  const ic = await loadInvoiceContext(ctx, invoiceId);
  if (!ic) return { allowedHosts };
  const ownId = ic.invoice.supplier?.id;
  const infoFor = (id: number | undefined): SupplierInformation | undefined =>
    (ic.supplierInformation ?? []).find((i) => (i.supplier?.id ?? i.supplierId) === id);
  const internal = new Set([
    ...(ic.users ?? []).map((u) => u.login.toLowerCase()),
    ...[...ctx.ownLogins].map((l) => l.toLowerCase()),
  ]);
  const internalTexts = (ic.comments ?? [])
    .filter((c) => internal.has(c.createdBy?.login?.toLowerCase() ?? '') && !c.toSupplier)
    .map((c) => c.comments);
  if (ic.invoice.internalNote) internalTexts.push(ic.invoice.internalNote);
  return {
    supplierName: ic.supplier?.name ?? ic.invoice.supplier?.name ?? null,
    accounts: accountsOf(infoFor(ownId)),
    otherSuppliers: (ic.otherSuppliers ?? [])
      .filter((s) => s.id !== ownId)
      .map((s) => ({
        name: s.name,
        taxId: s.taxId ?? infoFor(s.id)?.taxId ?? null,
        accounts: accountsOf(infoFor(s.id)),
      })),
    internalTexts,
    allowedHosts,
  };
}
