/**
 * Investigating an open GR/IR item, deterministically: each rule looks for the pattern a cause
 * leaves in the documents (a twin imbalance on another line of the PO, a quantity off by a pack
 * size, two identical receipts days apart, a return with no credit note, a closed PO, a contract
 * price, another currency) and says what it saw. The first rule that fits wins; the order puts the
 * specific patterns before the timing ones. Nothing fits: "no explanation found".
 */
import { Dec } from '../money.js';
import { IN_PROCESS_STATUSES, isPosted, receiptSign } from './reconcile.js';
import { proposeAction, type ActionSettings } from './actions.js';
import type {
  ContractPriceFact,
  GrirCause,
  InvestigatedItem,
  InvoiceLineFact,
  OpenItem,
  PoLineFact,
  ReceiptFact,
} from './types.js';

/** Everything the rules may look at for one item. */
export interface ItemContext {
  line: PoLineFact;
  receipts: readonly ReceiptFact[];
  /** Every invoice line on the PO line, posted or not. */
  invoices: readonly InvoiceLineFact[];
  /** Open items on the other lines of the same PO. */
  siblings: readonly OpenItem[];
  contractPrices: readonly ContractPriceFact[];
  asOf: string;
}

interface Finding {
  cause: GrirCause;
  evidence: string[];
  /** Details the action needs (the receipt to void, the line to move to, …). */
  detail?: Record<string, string>;
}

/** Pack sizes a unit-of-measure slip multiplies or divides by. */
const PACK_FACTORS = [2, 4, 5, 6, 10, 12, 20, 24, 25, 48, 50, 100, 144, 500, 1000];
const DUPLICATE_WINDOW_DAYS = 3;
/** Received within this many days and not invoiced yet: an invoice is simply still to come. */
export const INVOICE_LAG_DAYS = 45;

const d = (v: string | null): Dec => new Dec(v ?? '0');
const days = (a: string, b: string): number =>
  Math.abs(Date.parse(a.slice(0, 10)) - Date.parse(b.slice(0, 10))) / 86_400_000;

function wrongLine(item: OpenItem, ctx: ItemContext): Finding | undefined {
  if (item.quantityDiff === null || item.kind === 'price_difference') return undefined;
  const twin = ctx.siblings.find((s) => s.quantityDiff !== null && d(s.quantityDiff).eq(d(item.quantityDiff).neg()));
  if (!twin) return undefined;
  const [from, to] = item.kind === 'received_not_invoiced' ? [item, twin] : [twin, item];
  return {
    cause: 'wrong_line',
    evidence: [
      `PO ${item.poNumber} line ${from.lineNum} received ${d(from.quantityDiff).abs()} more than invoiced; line ${to.lineNum} invoiced ${d(to.quantityDiff).abs()} more than received`,
      'the same quantity on two lines of one PO: the receipt was booked on the wrong line',
    ],
    detail: { fromLine: from.lineNum, toLine: to.lineNum, quantity: d(from.quantityDiff).abs().toString() },
  };
}

function wrongUom(item: OpenItem, ctx: ItemContext): Finding | undefined {
  if (item.quantityDiff === null || item.kind === 'price_difference') return undefined;
  const rec = d(item.receivedQty);
  const inv = d(item.invoicedQty);
  if (rec.lte(0) || inv.lte(0)) return undefined;
  const ratio = rec.gt(inv) ? rec.div(inv) : inv.div(rec);
  const factor = PACK_FACTORS.find((f) => ratio.eq(f));
  const valueClose = d(item.amount).lte(d(item.receivedValue).abs().times('0.01'));
  const invoiceUoms = new Set(
    ctx.invoices
      .filter(isPosted)
      .map((i) => i.uom)
      .filter((u): u is string => u !== null),
  );
  const otherUom = [...invoiceUoms].find((u) => ctx.line.uom !== null && u !== ctx.line.uom);
  if (!valueClose || (factor === undefined && otherUom === undefined)) return undefined;
  return {
    cause: 'wrong_uom',
    evidence: [
      `received ${rec} ${ctx.line.uom ?? ''} but invoiced ${inv}${otherUom ? ` ${otherUom}` : ''}${factor ? ` (a factor of ${factor})` : ''}`.replace(
        /\s+/g,
        ' ',
      ),
      `the values agree: GR ${item.receivedValue} vs IR ${item.invoicedValue} ${item.currency}`,
    ],
    detail: { factor: String(factor ?? ''), invoiceUom: otherUom ?? '' },
  };
}

function duplicateReceipt(item: OpenItem, ctx: ItemContext): Finding | undefined {
  if (item.kind !== 'received_not_invoiced' || item.quantityDiff === null) return undefined;
  const voided = new Set(ctx.receipts.filter((r) => r.status === 'voided').map((r) => r.id));
  // A receipt cancelled by a Void… transaction is no duplicate of anything (found by eval case grir-no-explanation-void-txn).
  const cancelled = new Set(
    ctx.receipts
      .filter((r) => r.type.toLowerCase().startsWith('void') && r.originalTransactionId !== null)
      .map((r) => r.originalTransactionId as number),
  );
  const counted = ctx.receipts.filter(
    (r) =>
      receiptSign(r, voided) === 1 &&
      !cancelled.has(r.id) &&
      !r.type.toLowerCase().startsWith('void') &&
      r.transactionDate !== null,
  );
  const diff = d(item.quantityDiff);
  for (let i = 0; i < counted.length; i++) {
    for (let j = i + 1; j < counted.length; j++) {
      const a = counted[i] as ReceiptFact;
      const b = counted[j] as ReceiptFact;
      if (!d(a.quantity).eq(d(b.quantity)) || !d(b.quantity).eq(diff)) continue;
      if (days(a.transactionDate as string, b.transactionDate as string) > DUPLICATE_WINDOW_DAYS) continue;
      const later =
        a.transactionDate! > b.transactionDate! || (a.transactionDate === b.transactionDate && a.id > b.id) ? a : b;
      const earlier = later === a ? b : a;
      return {
        cause: 'duplicate_receipt',
        evidence: [
          `receipts ${earlier.id} and ${later.id} both receive ${d(a.quantity)} on ${earlier.transactionDate!.slice(0, 10)} and ${later.transactionDate!.slice(0, 10)}`,
          `received exceeds invoiced by exactly that quantity (${diff})`,
        ],
        detail: { receiptId: String(later.id) },
      };
    }
  }
  return undefined;
}

function returnNotCredited(item: OpenItem, ctx: ItemContext): Finding | undefined {
  if (item.kind !== 'invoiced_not_received' || item.quantityDiff === null) return undefined;
  const voided = new Set(ctx.receipts.filter((r) => r.status === 'voided').map((r) => r.id));
  const returns = ctx.receipts.filter((r) => receiptSign(r, voided) === -1 && r.type.toLowerCase().includes('return'));
  const returned = returns.reduce((sum, r) => sum.plus(d(r.quantity).abs()), new Dec(0));
  const credits = ctx.invoices.filter((i) => i.isCreditNote && isPosted(i));
  if (returned.lt(d(item.quantityDiff).abs()) || credits.length > 0) return undefined;
  return {
    cause: 'return_not_credited',
    evidence: [
      `returned to supplier: ${returned} (transaction${returns.length > 1 ? 's' : ''} ${returns.map((r) => r.id).join(', ')})`,
      `invoiced ${item.invoicedQty}, received net ${item.receivedQty}; no credit note on the line`,
    ],
  };
}

function closedPo(item: OpenItem, ctx: ItemContext): Finding | undefined {
  if (item.kind !== 'invoiced_not_received') return undefined;
  if (!['closed', 'cancelled', 'soft_closed'].includes(ctx.line.poStatus)) return undefined;
  return {
    cause: 'closed_po_invoice',
    evidence: [
      `PO ${item.poNumber} is ${ctx.line.poStatus}`,
      `invoiced ${item.invoicedQty} against ${item.receivedQty} received: nothing more will be received`,
    ],
  };
}

function fxDifference(item: OpenItem, ctx: ItemContext): Finding | undefined {
  if (item.kind !== 'price_difference') return undefined;
  const foreign = ctx.invoices.filter(isPosted).find((i) => i.currency !== null && i.currency !== ctx.line.currency);
  if (!foreign) return undefined;
  return {
    cause: 'fx_difference',
    evidence: [
      `invoice ${foreign.invoiceNumber} is in ${foreign.currency} (${foreign.total}), the PO in ${ctx.line.currency}`,
      foreign.accountingTotal !== null && foreign.accountingCurrency === ctx.line.currency
        ? `quantities agree (${item.receivedQty}); booked at ${foreign.accountingTotal} ${ctx.line.currency} against ${item.receivedValue} at the PO price`
        : `quantities agree (${item.receivedQty}); the invoice carries no ${ctx.line.currency} accounting total, so its value cannot be brought to the PO currency`,
    ],
  };
}

function contractPrice(item: OpenItem, ctx: ItemContext): Finding | undefined {
  if (item.kind !== 'price_difference' || ctx.line.partNum === null) return undefined;
  const prices = new Set(
    ctx.invoices
      .filter(isPosted)
      .map((i) => i.price)
      .filter((p): p is string => p !== null)
      .map((p) => d(p).toString()),
  );
  const term = ctx.contractPrices.find(
    (c) =>
      c.partNum === ctx.line.partNum &&
      prices.has(d(c.price).toString()) &&
      (c.currency === null || c.currency === ctx.line.currency),
  );
  if (!term) return undefined;
  return {
    cause: 'contract_price_change',
    evidence: [
      `PO price ${ctx.line.price}, invoiced at ${d(term.price).toFixed(2)} ${ctx.line.currency}`,
      `contract ${term.contractNumber ?? '?'} prices part ${term.partNum} at ${d(term.price).toFixed(2)}${term.changedAt ? ` (changed ${term.changedAt.slice(0, 10)})` : ''}: the PO was not updated`,
    ],
  };
}

function timing(item: OpenItem, ctx: ItemContext): Finding | undefined {
  if (item.kind === 'invoiced_not_received') {
    return {
      cause: 'awaiting_receipt',
      evidence: [
        `invoiced ${item.invoicedQty}, received ${item.receivedQty}; the PO is ${ctx.line.poStatus} and no return is recorded`,
      ],
    };
  }
  if (item.kind !== 'received_not_invoiced') return undefined;
  const pending = ctx.invoices.find((i) => !isPosted(i) && IN_PROCESS_STATUSES.has(i.invoiceStatus));
  if (pending) {
    return {
      cause: 'invoice_in_process',
      evidence: [
        `invoice ${pending.invoiceNumber} (id ${pending.invoiceId}) bills this line and is ${pending.invoiceStatus}`,
      ],
    };
  }
  if (item.since !== null && days(item.since, ctx.asOf) <= INVOICE_LAG_DAYS) {
    return {
      cause: 'awaiting_invoice',
      evidence: [
        `received ${item.since}, ${item.ageDays} days ago; invoices usually follow within ${INVOICE_LAG_DAYS} days`,
      ],
    };
  }
  return undefined;
}

/** Rules in the order they are tried. */
const RULES: ReadonlyArray<(item: OpenItem, ctx: ItemContext) => Finding | undefined> = [
  closedPo,
  returnNotCredited,
  wrongUom,
  duplicateReceipt,
  wrongLine,
  fxDifference,
  contractPrice,
  timing,
];

/** Root cause, evidence and proposed action for one open item. */
export function investigate(item: OpenItem, ctx: ItemContext, settings: ActionSettings): InvestigatedItem {
  let found: Finding | undefined;
  for (const rule of RULES) if ((found = rule(item, ctx))) break;
  const finding: Finding = found ?? {
    cause: 'no_explanation',
    evidence: [
      `no pattern fits: received ${item.receivedQty} (${item.receivedValue}), invoiced ${item.invoicedQty} (${item.invoicedValue}) ${item.currency}, open ${item.ageDays} days`,
    ],
  };
  return {
    ...item,
    cause: finding.cause,
    evidence: finding.evidence,
    action: proposeAction(item, finding.cause, ctx.line, settings, finding.detail ?? {}, ctx.asOf),
  };
}
