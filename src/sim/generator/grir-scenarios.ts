/**
 * The GR/IR book's seeded open items, one function per root cause. Each builds a PO whose
 * receipts and invoices leave exactly the pattern the cause leaves in real books, and returns the
 * ground truth: which PO line(s) are open and why. Other lines of the PO clear.
 */
import type { GrirCause } from '../../domain/grir/types.js';
import { DAY_MS } from './context.js';
import { applyBp, times } from './money.js';
import type { GrirKit, GrirLineHandle, GrirPo, GrirSupplier } from './grir-kit.js';

export interface GrirLabel {
  poLineId: number;
  poNumber: string;
  lineNum: string;
  cause: GrirCause;
  note: string;
}

export interface SupplierPoolsForGrir {
  /** Suppliers with a contract (contract price changes). */
  contracted: GrirSupplier[];
  /** Suppliers without contracts, in the company's currency. */
  plain: GrirSupplier[];
  /** Suppliers invoicing in another currency than their POs'. */
  foreign: GrirSupplier[];
}

type Scenario = (kit: GrirKit, pools: SupplierPoolsForGrir) => GrirLabel[];

const label = (po: GrirPo, line: GrirLineHandle, cause: GrirCause, note: string): GrirLabel => ({
  poLineId: line.record.id,
  poNumber: String(po.record['po-number']),
  lineNum: String(line.lineNum),
  cause,
  note,
});

/** Receive and invoice every line but `except` in full, so only the subject stays open. */
function clearOthers(kit: GrirKit, po: GrirPo, except: readonly GrirLineHandle[], atMs: number): void {
  const rest = po.lines.filter((l) => !except.includes(l));
  for (const l of rest) kit.receive(po, l, l.amount ? l.price : l.quantity, atMs);
  if (rest.length)
    kit.invoice(
      po,
      rest.map((l) => ({ line: l, quantity: l.quantity, price: l.price })),
      atMs + 3 * DAY_MS,
    );
}

function oldPo(kit: GrirKit, supplier: GrirSupplier, lines: number): GrirPo {
  return kit.purchaseOrder(supplier, kit.daysAgo(kit.rng.int(70, 300)), lines, { quantityOnly: true });
}

const subjectOf = (po: GrirPo): GrirLineHandle => po.lines[0] as GrirLineHandle;

export const SCENARIOS: Record<GrirCause, Scenario> = {
  wrong_line(kit, pools) {
    const po = oldPo(kit, kit.rng.pick(pools.plain), kit.rng.int(2, 4));
    const [a, b] = po.lines as [GrirLineHandle, GrirLineHandle];
    if (a.quantity === b.quantity) kit.setQuantity(b, b.quantity + 1);
    const at = po.createdMs + 5 * DAY_MS;
    kit.receive(po, a, a.quantity, at);
    kit.receive(po, a, b.quantity, at + kit.rng.int(5, 15) * DAY_MS); // B's delivery booked on A
    kit.invoice(
      po,
      [
        { line: a, quantity: a.quantity, price: a.price },
        { line: b, quantity: b.quantity, price: b.price },
      ],
      at + 20 * DAY_MS,
    );
    clearOthers(kit, po, [a, b], at);
    const note = `${b.quantity} of line ${b.lineNum} received on line ${a.lineNum}`;
    return [label(po, a, 'wrong_line', note), label(po, b, 'wrong_line', note)];
  },
  wrong_uom(kit, pools) {
    const po = oldPo(kit, kit.rng.pick(pools.plain), kit.rng.int(1, 3));
    const line = subjectOf(po);
    const factor = kit.rng.pick([6, 10, 12, 24]);
    kit.setQuantity(line, factor * kit.rng.int(2, 15));
    const at = po.createdMs + 4 * DAY_MS;
    kit.receive(po, line, line.quantity, at);
    kit.invoice(
      po,
      [{ line, quantity: line.quantity / factor, price: line.price * factor, uom: factor === 12 ? 'DZ' : 'BOX' }],
      at + 10 * DAY_MS,
    );
    clearOthers(kit, po, [line], at);
    return [label(po, line, 'wrong_uom', `invoiced in packs of ${factor}`)];
  },
  duplicate_receipt(kit, pools) {
    const po = oldPo(kit, kit.rng.pick(pools.plain), kit.rng.int(1, 3));
    const line = subjectOf(po);
    const at = po.createdMs + 6 * DAY_MS;
    kit.receive(po, line, line.quantity, at);
    kit.receive(po, line, line.quantity, at + kit.rng.int(0, 2) * DAY_MS + 3_600_000);
    kit.invoice(po, [{ line, quantity: line.quantity, price: line.price }], at + 12 * DAY_MS);
    clearOthers(kit, po, [line], at);
    return [label(po, line, 'duplicate_receipt', 'the delivery was received twice')];
  },
  return_not_credited(kit, pools) {
    const po = oldPo(kit, kit.rng.pick(pools.plain), kit.rng.int(1, 3));
    const line = subjectOf(po);
    const at = po.createdMs + 5 * DAY_MS;
    kit.receive(po, line, line.quantity, at);
    kit.invoice(po, [{ line, quantity: line.quantity, price: line.price }], at + 8 * DAY_MS);
    const returned = kit.rng.int(1, line.quantity - 1);
    kit.receive(po, line, returned, at + 15 * DAY_MS, 'ReceivingQuantityReturnToSupplier');
    clearOthers(kit, po, [line], at);
    return [label(po, line, 'return_not_credited', `${returned} returned, no credit note`)];
  },
  closed_po_invoice(kit, pools) {
    const po = kit.purchaseOrder(kit.rng.pick(pools.plain), kit.daysAgo(kit.rng.int(70, 300)), kit.rng.int(1, 3), {
      quantityOnly: true,
      status: 'closed',
    });
    const line = subjectOf(po);
    const at = po.createdMs + 5 * DAY_MS;
    const short = kit.rng.int(1, line.quantity - 1);
    kit.receive(po, line, line.quantity - short, at);
    kit.invoice(po, [{ line, quantity: line.quantity, price: line.price }], at + 30 * DAY_MS);
    clearOthers(kit, po, [line], at);
    return [label(po, line, 'closed_po_invoice', `PO closed short by ${short}, invoiced in full`)];
  },
  contract_price_change(kit, pools) {
    const supplier = kit.rng.pick(pools.contracted);
    const po = oldPo(kit, supplier, kit.rng.int(1, 3));
    const line = subjectOf(po);
    // One new price per part: a second change of the same part would make the first invoice unexplained.
    const newPrice =
      kit.changedPrices.get(line.partNum) ?? line.price + Math.max(1, applyBp(line.price, kit.rng.int(150, 900)));
    kit.changedPrices.set(line.partNum, newPrice);
    // The contract's price for the part changed after the PO was issued.
    const contract = supplier.contract!.record;
    const terms = contract['price-terms'] as Array<Record<string, unknown>>;
    const term = terms.find((t) => t['source-part-num'] === line.partNum);
    if (term) term.price = (newPrice / 100).toFixed(2);
    contract['updated-at'] = new Date(po.createdMs + 2 * DAY_MS).toISOString().replace(/\.\d{3}Z$/, 'Z');
    const at = po.createdMs + 6 * DAY_MS;
    kit.receive(po, line, line.quantity, at);
    kit.invoice(po, [{ line, quantity: line.quantity, price: newPrice }], at + 9 * DAY_MS);
    clearOthers(kit, po, [line], at);
    return [label(po, line, 'contract_price_change', `contract price ${line.price} → ${newPrice} cents`)];
  },
  fx_difference(kit, pools) {
    const supplier = kit.rng.pick(pools.foreign);
    const po = oldPo(kit, supplier, kit.rng.int(1, 3));
    const line = subjectOf(po);
    const at = po.createdMs + 5 * DAY_MS;
    kit.receive(po, line, line.quantity, at);
    const poValue = times(line.price, line.quantity);
    const drift = kit.rng.pick([-1, 1]) * kit.rng.int(40, 300); // 0.4–3% in basis points
    const usdPrice = applyBp(line.price, 10_850);
    kit.invoice(po, [{ line, quantity: line.quantity, price: usdPrice }], at + 14 * DAY_MS, {
      currency: 'USD',
      accountingTotals: [poValue + applyBp(poValue, drift)],
    });
    clearOthers(kit, po, [line], at);
    return [label(po, line, 'fx_difference', `invoiced in USD, booked ${drift} bp off the PO value`)];
  },
  awaiting_invoice(kit, pools) {
    const po = kit.purchaseOrder(kit.rng.pick(pools.plain), kit.daysAgo(kit.rng.int(20, 40)), kit.rng.int(1, 2));
    const line = subjectOf(po);
    kit.receive(po, line, line.amount ? line.price : line.quantity, kit.daysAgo(kit.rng.int(2, 15)));
    return [label(po, line, 'awaiting_invoice', 'received recently, not invoiced yet')].concat(
      po.lines.slice(1).map((l) => {
        kit.receive(po, l, l.amount ? l.price : l.quantity, kit.daysAgo(kit.rng.int(2, 15)));
        return label(po, l, 'awaiting_invoice', 'received recently, not invoiced yet');
      }),
    );
  },
  invoice_in_process(kit, pools) {
    const po = oldPo(kit, kit.rng.pick(pools.plain), 1);
    const line = subjectOf(po);
    const at = po.createdMs + 5 * DAY_MS;
    kit.receive(po, line, line.quantity, at);
    kit.invoice(po, [{ line, quantity: line.quantity, price: line.price }], kit.daysAgo(kit.rng.int(3, 30)), {
      status: kit.rng.pick(['pending_approval', 'ap_hold', 'disputed']),
    });
    return [label(po, line, 'invoice_in_process', 'its invoice waits in approval or on hold')];
  },
  awaiting_receipt(kit, pools) {
    const po = kit.purchaseOrder(kit.rng.pick(pools.plain), kit.daysAgo(kit.rng.int(25, 120)), kit.rng.int(1, 3), {
      quantityOnly: true,
    });
    const line = subjectOf(po);
    const at = po.createdMs + 7 * DAY_MS;
    kit.invoice(po, [{ line, quantity: line.quantity, price: line.price }], at);
    clearOthers(kit, po, [line], at);
    return [label(po, line, 'awaiting_receipt', 'invoiced and approved, never received')];
  },
  no_explanation(kit, pools) {
    const po = oldPo(kit, kit.rng.pick(pools.plain), 1);
    const line = subjectOf(po);
    const at = po.createdMs + 5 * DAY_MS;
    kit.receive(po, line, line.quantity, at);
    if (kit.rng.chance(0.5)) {
      // A few cents a unit over the PO price, with no contract behind it: small enough to write off.
      const perUnit = Math.max(1, Math.floor(4_000 / line.quantity / 2));
      kit.invoice(
        po,
        [{ line, quantity: line.quantity, price: line.price + kit.rng.int(1, perUnit) }],
        at + 10 * DAY_MS,
      );
      return [label(po, line, 'no_explanation', 'small unexplained price difference')];
    }
    return [label(po, line, 'no_explanation', 'received long ago, never invoiced')];
  },
};
