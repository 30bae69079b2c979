/** GL coding suggestion for non-PO invoices, shared by classification and the routing control. */
import { z } from 'zod';
import type { InvoiceContext } from '../../src/domain/index.js';

export const SuggestedCoding = z.object({ account: z.string(), owner: z.string().nullable(), basis: z.string() });

/**
 * GL coding for a non-PO invoice: the account its lines already carry, else the account the
 * supplier's past invoices were coded to most often; the owner comes from the coding guide.
 */
export function suggestCoding(invoiceCtx: InvoiceContext): z.infer<typeof SuggestedCoding> | null {
  const own = invoiceCtx.invoice.invoiceLines.map((l) => l.account?.code).find((c): c is string => !!c);
  if (own) return { account: own, owner: invoiceCtx.glOwner?.(own) ?? null, basis: 'account on the invoice line' };
  const counts = new Map<string, number>();
  for (const past of invoiceCtx.history ?? []) {
    if (past.supplier?.id !== invoiceCtx.invoice.supplier?.id) continue;
    for (const line of past.invoiceLines) {
      const code = line.account?.code;
      if (code) counts.set(code, (counts.get(code) ?? 0) + 1);
    }
  }
  const best = [...counts.entries()].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))[0];
  if (!best) return null;
  return {
    account: best[0],
    owner: invoiceCtx.glOwner?.(best[0]) ?? null,
    basis: `${best[1]} past line(s) of this supplier coded to ${best[0]}`,
  };
}
