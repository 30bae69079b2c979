/**
 * Two-way / three-way match of each invoice line against its PO line and receipts. Findings carry
 * every variance as it is (however small); whether it is acceptable is `tolerance.ts`'s call.
 */
import type { OrderLine, Supplier } from '../coupa/schemas.js';
import { firmPriceFor } from './contract-price.js';
import { invoiceCurrency, resolveLines, type InvoiceContext, type ResolvedLine } from './context.js';
import { finding, type Finding } from './findings.js';
import { Dec, decimalOr, formatPct, formatQty, Money } from './money.js';
import { billedOn, invoicedOn, isAmountBasis, orderedOn, receivedOn } from './po-usage.js';

export type MatchLevel = '2-way' | '3-way' | '3-way-direct' | 'none';

const THREE_WAY = new Set(['3-way', '3-way-fifo']);
const DIRECT = new Set(['3-way-direct', 'direct_matching']);

/**
 * The match an order line gets: its own `match-type` when set (Coupa copies the supplier's level
 * onto the line when the PO is made), else `receipt-required`, else the supplier's
 * `invoice-matching-level`, else 2-way. A line that requires receipts is never matched 2-way.
 */
export function matchLevelOf(orderLine: OrderLine, supplier?: Supplier | null): MatchLevel {
  const own = orderLine.matchType ?? undefined;
  const level =
    own ?? (orderLine.receiptRequired ? '3-way' : (supplier?.invoiceMatchingLevel ?? '2-way').toLowerCase());
  if (level === 'none') return 'none';
  if (DIRECT.has(level)) return '3-way-direct';
  if (THREE_WAY.has(level) || orderLine.receiptRequired) return '3-way';
  return '2-way';
}

/** Every matching finding on the invoice: missing PO, currency, price, contract, quantity, receipts. */
export function matchInvoice(ctx: InvoiceContext): Finding[] {
  const out: Finding[] = [];
  for (const r of resolveLines(ctx)) out.push(...matchLine(ctx, r));
  return withInvoiceOverPo(out);
}

function where(r: ResolvedLine): Pick<Finding, 'lineNum' | 'invoiceLineId' | 'orderLineId'> {
  return { lineNum: r.lineNum, invoiceLineId: r.line.id, orderLineId: r.orderLine?.id };
}

function poRef(r: ResolvedLine): string {
  return `PO ${r.po?.poNumber ?? '?'} line ${r.orderLine?.lineNum ?? r.orderLine?.id ?? '?'}`;
}

function matchLine(ctx: InvoiceContext, r: ResolvedLine): Finding[] {
  if (r.nonPo) {
    return [
      finding(
        'missing_po',
        `Line ${r.lineNum} has no PO reference (non-PO invoice line).`,
        { invoiceTotal: r.line.total ?? '' },
        [`invoice ${ctx.invoice.invoiceNumber} line ${r.lineNum}`],
        where(r),
      ),
    ];
  }
  if (!r.orderLine) {
    return [
      finding(
        'missing_po',
        `Line ${r.lineNum}: ${r.unresolved ?? 'PO reference does not resolve'}.`,
        {},
        [`invoice ${ctx.invoice.invoiceNumber} line ${r.lineNum}`],
        where(r),
      ),
    ];
  }
  const level = matchLevelOf(r.orderLine, ctx.supplier);
  if (level === 'none') return [];
  const currency = invoiceCurrency(ctx);
  const poCurrency = r.orderLine.currency?.code ?? r.po?.currency?.code ?? currency;
  const out: Finding[] = [];
  if (poCurrency.toUpperCase() !== currency.toUpperCase()) {
    out.push(
      finding(
        'currency_mismatch',
        `Line ${r.lineNum} is billed in ${currency} but ${poRef(r)} is in ${poCurrency}.`,
        { invoiceCurrency: currency, poCurrency },
        [poRef(r)],
        where(r),
      ),
    );
  } else if (!isAmountBasis(r.orderLine, r.line)) {
    out.push(...priceFindings(ctx, r, currency));
  }
  out.push(...quantityFindings(ctx, r, level));
  return out;
}

function unitPrice(r: ResolvedLine): Dec | undefined {
  if (r.line.price != null) return decimalOr(r.line.price);
  if (r.line.total != null && r.line.quantity != null && !decimalOr(r.line.quantity).isZero()) {
    return decimalOr(r.line.total).dividedBy(decimalOr(r.line.quantity));
  }
  return undefined;
}

function priceFindings(ctx: InvoiceContext, r: ResolvedLine, currency: string): Finding[] {
  const orderLine = r.orderLine as OrderLine;
  const price = unitPrice(r);
  if (price === undefined || orderLine.price == null) return [];
  const billed = Money.fromDecimal(price, currency);
  const quantity = billedOn(r.line, false);
  const out: Finding[] = [];
  const po = Money.of(orderLine.price, currency);
  if (billed.gt(po)) {
    const pct = billed.pctOver(po) ?? new Dec(0);
    const unitOver = billed.minus(po);
    const lineOver = unitOver.times(quantity);
    out.push(
      finding(
        'price_over_po',
        `Line ${r.lineNum}: unit price ${billed.toFixed()} is ${formatPct(pct)}% above ${poRef(r)} price ${po.toFixed()} (${formatQty(quantity)} × ${unitOver.toFixed()} = ${lineOver.toFixed()} ${currency} over PO).`,
        {
          invoicePrice: price.toString(),
          poPrice: orderLine.price,
          variancePct: formatPct(pct),
          unitOverPo: unitOver.toFixed(),
          quantity: formatQty(quantity),
          lineOverPo: lineOver.toString(),
          currency,
        },
        [`invoice line ${r.lineNum} price ${billed.toFixed()}`, `${poRef(r)} price ${po.toFixed()}`],
        where(r),
      ),
    );
  }
  const firm = firmPriceFor(r.line, orderLine, ctx.contracts ?? [], {
    supplierId: ctx.invoice.supplier?.id ?? ctx.supplier?.id,
    currency,
    invoiceDate: ctx.invoice.invoiceDate,
  });
  if (firm && billed.gt(Money.of(firm.term.price, currency))) {
    const firmPrice = Money.of(firm.term.price, currency);
    const name = `contract ${firm.contract.number ?? firm.contract.id}`;
    out.push(
      finding(
        'price_over_contract',
        `Line ${r.lineNum}: unit price ${billed.toFixed()} is above the firm price ${firmPrice.toFixed()} for ${firm.term.sourcePartNum ?? 'the item'} in ${name}.`,
        {
          invoicePrice: price.toString(),
          contractPrice: firm.term.price,
          variancePct: formatPct(billed.pctOver(firmPrice) ?? new Dec(0)),
          contract: String(firm.contract.number ?? firm.contract.id),
          currency,
        },
        [
          `${name} firm price ${firmPrice.toFixed()} for ${firm.term.sourcePartNum ?? ''}`.trim(),
          `invoice line ${r.lineNum} price ${billed.toFixed()}`,
        ],
        where(r),
      ),
    );
  }
  return out;
}

function quantityFindings(ctx: InvoiceContext, r: ResolvedLine, level: MatchLevel): Finding[] {
  const orderLine = r.orderLine as OrderLine;
  const amountBasis = isAmountBasis(orderLine, r.line);
  const unit = amountBasis ? (ctx.invoice.currency?.code ?? 'amount') : 'units';
  const fmt = (d: Dec): string => (amountBasis ? d.toFixed(2) : formatQty(d));
  const billed = billedOn(r.line, amountBasis);
  const ordered = orderedOn(orderLine, amountBasis);
  const prior = invoicedOn(orderLine, ctx.history ?? [], ctx.invoice, amountBasis);
  const cumulative = prior.alreadyInvoiced.plus(billed);
  const basis = amountBasis ? 'amount' : 'quantity';
  const base = {
    billed: fmt(billed),
    alreadyInvoiced: fmt(prior.alreadyInvoiced),
    cumulative: fmt(cumulative),
    basis,
    matchLevel: level,
  };
  const out: Finding[] = [];
  const earlier = prior.alreadyInvoiced.isZero()
    ? ''
    : ` plus ${fmt(prior.alreadyInvoiced)} already invoiced (${prior.source})`;
  if (amountBasis && cumulative.gt(ordered)) {
    out.push(amountOverPo(r, base, { ordered, cumulative, earlier, unit, source: prior.source }));
  } else if (cumulative.gt(ordered)) {
    out.push(
      finding(
        'billed_over_ordered',
        `Line ${r.lineNum} bills ${fmt(billed)} ${unit}${earlier}: ${fmt(cumulative)} against ${fmt(ordered)} ordered on ${poRef(r)} (${fmt(cumulative.minus(ordered))} over).`,
        { ...base, ordered: fmt(ordered), excess: fmt(cumulative.minus(ordered)) },
        [`${poRef(r)} ordered ${fmt(ordered)}`, `already invoiced: ${prior.source}`],
        where(r),
      ),
    );
  }
  if (level === '3-way' || level === '3-way-direct') {
    const rec = receivedOn(
      orderLine,
      ctx.receipts ?? [],
      amountBasis,
      level === '3-way-direct' ? r.line.matchReference : undefined,
    );
    // On an amount line the part billed beyond the PO line amount is the amount variance above;
    // the receipt only has to cover what the PO allows.
    const needsReceipt = amountBasis ? Dec.min(cumulative, ordered) : cumulative;
    if (needsReceipt.gt(rec.received)) {
      out.push(
        finding(
          'billed_over_received',
          `Line ${r.lineNum} bills ${fmt(billed)} ${unit}${earlier}: ${fmt(cumulative)} against ${fmt(rec.received)} received on ${poRef(r)} (${level} match).`,
          {
            ...base,
            received: fmt(rec.received),
            excess: fmt(needsReceipt.minus(rec.received)),
            ordered: fmt(ordered),
          },
          [`received: ${rec.source}`, `${poRef(r)} is ${level} matched`],
          where(r),
        ),
      );
    }
  }
  return out;
}

interface AmountFigures {
  ordered: Dec;
  cumulative: Dec;
  earlier: string;
  unit: string;
  source: string;
}

/**
 * An amount-based line billed (with earlier invoices) beyond its PO line amount. Coupa fails such a
 * line on its "Amount-Based Line Price" tolerances, not on a quantity tolerance, so it is a price
 * variance: the line amount plays the part of the unit price (AP-TOL-2.5).
 */
function amountOverPo(
  r: ResolvedLine,
  base: Record<string, string>,
  { ordered, cumulative, earlier, unit, source }: AmountFigures,
): Finding {
  const excess = cumulative.minus(ordered);
  const pct = ordered.isZero() ? undefined : excess.dividedBy(ordered).times(100);
  const pctText = pct ? `${formatPct(pct)}%` : 'unbounded';
  return finding(
    'amount_over_po',
    `Line ${r.lineNum} bills ${base.billed} ${unit}${earlier}: ${cumulative.toFixed(2)} against the ${ordered.toFixed(2)} line amount of ${poRef(r)} (${excess.toFixed(2)} ${unit}, ${pctText} over the PO line amount).`,
    {
      ...base,
      invoicePrice: cumulative.toFixed(2),
      poPrice: ordered.toFixed(2),
      ordered: ordered.toFixed(2),
      excess: excess.toFixed(2),
      variancePct: pct ? formatPct(pct) : 'unbounded',
      lineOverPo: excess.toFixed(2),
      currency: unit,
    },
    [`${poRef(r)} line amount ${ordered.toFixed(2)}`, `already invoiced: ${source}`],
    where(r),
  );
}

/** Adds the invoice-wide total over PO to every price finding (the amount tolerance is per invoice). */
function withInvoiceOverPo(findings: Finding[]): Finding[] {
  const priced = findings.filter((f) => f.kind === 'price_over_po' || f.kind === 'amount_over_po');
  const total = priced.reduce((sum, f) => sum.plus(decimalOr(f.figures.lineOverPo)), new Dec(0));
  for (const f of priced) f.figures.invoiceOverPo = total.toString();
  return findings;
}
