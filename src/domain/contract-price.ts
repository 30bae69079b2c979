/**
 * Firm contract prices (case-format "Conventions": `price-terms` with `price-type: firm`). A line
 * matches a term by source part number (or its item number); the contract must be the PO line's,
 * or one of the supplier's, in force on the invoice date and in the invoice's currency.
 */
import type { Contract, InvoiceLine, OrderLine, PriceTerm } from '../coupa/schemas.js';
import { timeOf } from './context.js';

const NOT_IN_FORCE = new Set([
  'draft',
  'expired',
  'terminated',
  'cancelled',
  'canceled',
  'withdrawn',
  'pending_approval',
]);

export interface FirmPrice {
  contract: Contract;
  term: PriceTerm;
}

function partKey(value: string | null | undefined): string | undefined {
  const k = value?.trim().toUpperCase();
  return k ? k : undefined;
}

function inForce(contract: Contract, invoiceDate: string | null | undefined): boolean {
  if (contract.status && NOT_IN_FORCE.has(contract.status.toLowerCase())) return false;
  const at = timeOf(invoiceDate);
  if (at === undefined) return true;
  const start = timeOf(contract.startDate);
  const end = timeOf(contract.endDate);
  return (start === undefined || at >= start) && (end === undefined || at <= end + 86_399_999);
}

/** The firm price term that governs this line, if any. */
export function firmPriceFor(
  line: InvoiceLine,
  orderLine: OrderLine | undefined,
  contracts: readonly Contract[],
  opts: { supplierId?: number; currency: string; invoiceDate?: string | null },
): FirmPrice | undefined {
  const keys = [line.sourcePartNum, orderLine?.sourcePartNum, line.item?.itemNumber]
    .map(partKey)
    .filter((k): k is string => !!k);
  if (keys.length === 0) return undefined;
  const lineContractId = orderLine?.contract?.id;
  const candidates = contracts.filter(
    (c) =>
      (c.id === lineContractId || (opts.supplierId !== undefined && c.supplier?.id === opts.supplierId)) &&
      inForce(c, opts.invoiceDate) &&
      (!c.currency?.code || c.currency.code.toUpperCase() === opts.currency),
  );
  // The PO line's own contract first, then the supplier's others.
  candidates.sort((a, b) => Number(b.id === lineContractId) - Number(a.id === lineContractId));
  for (const contract of candidates) {
    const term = contract.priceTerms.find(
      (t) => t.priceType.toLowerCase() === 'firm' && keys.includes(partKey(t.sourcePartNum) ?? ''),
    );
    if (term) return { contract, term };
  }
  return undefined;
}
