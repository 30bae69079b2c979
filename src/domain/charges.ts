/**
 * Header charges (shipping, handling, misc) that the PO did not plan for. Coupa checks these with
 * its "Extras" tolerance; the controls have no extras allowance, so any unplanned charge on a PO
 * invoice is a variance a person decides (exception type `other`).
 */
import { invoiceCurrency, resolveLines, type InvoiceContext } from './context.js';
import { finding, type Finding } from './findings.js';
import { Money } from './money.js';

/** An order line that plans for a charge of this kind (a freight line, a handling fee…). */
const CHARGE_LINE = /freight|shipping|delivery|carriage|handling|postage|courier|misc/i;

export function checkUnplannedCharges(ctx: InvoiceContext): Finding[] {
  const inv = ctx.invoice;
  const currency = invoiceCurrency(ctx);
  const charges = (
    [
      ['shipping', inv.shippingAmount],
      ['handling', inv.handlingAmount],
      ['misc', inv.miscAmount],
    ] as const
  )
    .map(([name, v]) => ({ name, amount: Money.of(v ?? '0', currency) }))
    .filter((c) => c.amount.gt(Money.zero(currency)));
  if (charges.length === 0) return [];
  const resolved = resolveLines(ctx).filter((r) => r.orderLine);
  if (resolved.length === 0) return [];
  const pos = [...new Map(resolved.map((r) => [r.po?.id, r.po])).values()].filter((p) => p !== undefined);
  const planned = pos.some((p) => p.orderLines.some((l) => CHARGE_LINE.test(l.description ?? '')));
  if (planned) return [];
  const total = Money.sum(
    charges.map((c) => c.amount),
    currency,
  );
  const list = charges.map((c) => `${c.name} ${c.amount.toFixed()}`).join(', ');
  const poNumbers = pos.map((p) => p.poNumber).join(', ');
  return [
    finding(
      'unplanned_charges',
      `Invoice bills ${list} ${currency} that PO ${poNumbers} does not provide for.`,
      { charges: total.toFixed(), currency, ...Object.fromEntries(charges.map((c) => [c.name, c.amount.toFixed()])) },
      [`invoice ${list}`, `PO ${poNumbers} has no freight, handling or misc line`],
    ),
  ];
}
