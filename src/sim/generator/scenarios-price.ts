/**
 * Price and tax variances: within tolerance (resolve, or route when over the amount limit or the
 * supplier is new), outside tolerance (route to the AP reviewer), above a firm contract price
 * (dispute). Whether a variance is within tolerance is computed from the generated numbers with
 * the controls, so labels follow the arithmetic, not the intent.
 */
import type { Controls } from '../../domain/controls.js';
import { EXCEPTION_CODES, type Finding } from './labels.js';
import { applyBp, bpString, divRound, fmt, parseCents, times, type Cents } from './money.js';
import { createInvoice } from './invoices.js';
import { nextInvoiceNumber, type SupplierProfile } from './supplier-profile.js';
import {
  buildOrder,
  dollars,
  hasAmountItems,
  hasQuantityItems,
  maybeSupplier,
  pickSupplier,
  receiveAll,
  type Scenario,
} from './scenario-kit.js';

type PriceVariant = 'resolve' | 'escalate' | 'new_supplier' | 'outside_pct' | 'outside_amount' | 'contract';

/** Is a unit-price increase of `delta` on `price` × `units` within the price tolerance? */
export function priceWithinTolerance(controls: Controls, price: Cents, delta: Cents, units: number): boolean {
  const pctOk = delta * 10_000 <= parseCents(controls.price_tolerance_pct) * price;
  return pctOk && delta * units <= parseCents(controls.price_tolerance_amount);
}

function priceDelta(ctx: Parameters<Scenario>[0], variant: PriceVariant, price: Cents, units: number): Cents {
  const { rng } = ctx;
  if (variant === 'outside_pct') return applyBp(price, rng.int(650, 1500)) + 1;
  if (variant === 'outside_amount') return Math.max(Math.ceil(35_000 / units), applyBp(price, 150));
  if (variant === 'contract') return Math.max(1, applyBp(price, rng.int(100, 800)));
  // Within tolerance: 0.6–4% of the price, never more than $200 over in total.
  return Math.max(1, Math.min(applyBp(price, rng.int(60, 400)), Math.floor(20_000 / units)));
}

function priceSupplier(
  ctx: Parameters<Scenario>[0],
  pools: Parameters<Scenario>[1],
  variant: PriceVariant,
): [SupplierProfile, PriceVariant] {
  if (variant === 'new_supplier') {
    const fresh = maybeSupplier(ctx, pools.newSuppliers, hasQuantityItems);
    if (fresh) return [fresh, variant];
    variant = 'resolve';
  }
  if (variant === 'contract') {
    const contracted = maybeSupplier(ctx, pools.contracted, (s) => s.catalog.some((i) => i.contracted));
    if (contracted) return [contracted, variant];
    variant = 'outside_pct';
  }
  const pool = variant === 'resolve' || variant === 'escalate' ? pools.establishedUs : pools.established;
  return [pickSupplier(ctx, pool, hasQuantityItems), variant];
}

const TARGETS: Record<PriceVariant, [number, number]> = {
  resolve: [300, 3200],
  new_supplier: [300, 3200],
  escalate: [7000, 30000],
  outside_pct: [400, 15000],
  outside_amount: [12000, 40000],
  contract: [500, 20000],
};

export const priceVariance: Scenario = (ctx, pools, when) => {
  const { rng, controls } = ctx;
  const [supplier, variant] = priceSupplier(
    ctx,
    pools,
    rng.weighted([
      ['resolve', 35],
      ['escalate', 15],
      ['new_supplier', 10],
      ['outside_pct', 20],
      ['outside_amount', 10],
      ['contract', 10],
    ] as const),
  );
  const [lo, hi] = TARGETS[variant];
  const subject = variant === 'contract' ? rng.pick(supplier.catalog.filter((i) => i.contracted)) : undefined;
  const lineCount = variant === 'outside_amount' ? 1 : rng.int(1, 3);
  const { po, lines } = buildOrder(ctx, supplier, when.createdMs, {
    target: dollars(ctx, lo, hi),
    lineCount,
    subject,
    lineType: 'quantity',
  });
  receiveAll(ctx, po, when.createdMs);
  const line = lines[0];
  if (!line) throw new RangeError('order without lines');
  const poPrice = line.price;
  const delta = priceDelta(ctx, variant, poPrice, line.quantity);
  line.price = poPrice + delta;
  const within = priceWithinTolerance(controls, poPrice, delta, line.quantity);
  const pct = bpString(divRound(delta * 10_000, poPrice));
  const findings: Finding[] = [
    within
      ? { kind: 'within_tolerance', type: 'price_variance' }
      : { kind: 'outside_tolerance', type: 'price_variance' },
  ];
  if (variant === 'contract') findings.unshift({ kind: 'above_contract_price' });
  const detail = `Line 1 price ${fmt(line.price)} exceeds ${variant === 'contract' ? 'contract' : 'PO'} price ${fmt(poPrice)} by ${pct}% (${fmt(delta * line.quantity)} over)`;
  const { draft, totals } = createInvoice(ctx, {
    supplier,
    number: nextInvoiceNumber(supplier),
    createdMs: when.createdMs,
    status: 'ap_hold',
    lines,
    tolerances: [
      {
        code: variant === 'contract' ? 'contract_price_variance' : 'line_price_variance',
        lineIndex: 0,
        breachAmount: fmt(delta * line.quantity),
        breachLimit: controls.price_tolerance_amount,
        detail,
      },
    ],
  });
  return {
    draft,
    supplier,
    findings,
    totals,
    lines,
    seenAs: EXCEPTION_CODES.price_variance,
    holdReason: detail,
    tags: [within ? 'within_tolerance' : 'outside_tolerance', ...(variant === 'contract' ? ['contract_price'] : [])],
    extraInvoices: 0,
    facts: {
      poNumber: String(po.record.id),
      poPrice: fmt(poPrice),
      invoicePrice: fmt(line.price),
      variancePct: pct,
      overAmount: fmt(delta * line.quantity),
      total: fmt(totals.gross),
      currency: supplier.currency,
      ...(supplier.contract && variant === 'contract' ? { contract: supplier.contract.number } : {}),
    },
    note: `Unit price ${pct}% over ${variant === 'contract' ? 'the firm contract price' : 'PO'} (${fmt(delta * line.quantity)} ${supplier.currency} over), total ${fmt(totals.gross)}${supplier.isNew ? ', supplier is new' : ''}.`,
  };
};

type TaxVariant = 'outside' | 'within_resolve' | 'within_escalate';

export const taxVariance: Scenario = (ctx, pools, when) => {
  const { rng, controls } = ctx;
  const variant = rng.weighted<TaxVariant>([
    ['outside', 65],
    ['within_resolve', 25],
    ['within_escalate', 10],
  ]);
  const taxed = (s: SupplierProfile): boolean => s.taxBp > 0;
  const supplier = pickSupplier(ctx, variant === 'outside' ? pools.established : pools.establishedUs, taxed);
  const [lo, hi] =
    variant === 'within_resolve' ? [300, 3200] : variant === 'within_escalate' ? [7000, 25000] : [500, 20000];
  const { po, lines } = buildOrder(ctx, supplier, when.createdMs, {
    target: dollars(ctx, lo, hi),
    lineCount: rng.int(1, 3),
    lineType: hasQuantityItems(supplier) && (rng.chance(0.8) || !hasAmountItems(supplier)) ? 'quantity' : 'amount',
  });
  receiveAll(ctx, po, when.createdMs);
  const net = lines.reduce((sum, l) => sum + (l.amountLine ? l.price : times(l.price, l.quantity)), 0);
  const expected = applyBp(net, supplier.taxBp);
  let delta: Cents;
  if (variant === 'outside') {
    delta = applyBp(net, supplier.taxBp + rng.pick([100, 150, 200, -100, 50])) - expected;
    if (Math.abs(delta) < 500) delta = rng.int(500, 40_000) * (rng.chance(0.8) ? 1 : -1);
    if (expected + delta < 0) delta = rng.int(500, 40_000);
  } else {
    delta = rng.int(5, 95) * (rng.chance(0.7) ? 1 : -1);
  }
  const within = Math.abs(delta) <= parseCents(controls.tax_tolerance_amount);
  const rate = bpString(supplier.taxBp);
  const detail = `Tax ${fmt(expected + delta)} differs from ${rate}% of ${fmt(net)} = ${fmt(expected)} by ${fmt(Math.abs(delta))}`;
  const { draft, totals } = createInvoice(ctx, {
    supplier,
    number: nextInvoiceNumber(supplier),
    createdMs: when.createdMs,
    status: 'ap_hold',
    lines,
    taxAmount: expected + delta,
    tolerances: [
      {
        code: 'header_tax_variance',
        lineIndex: null,
        breachAmount: fmt(Math.abs(delta)),
        breachLimit: controls.tax_tolerance_amount,
        detail,
      },
    ],
  });
  return {
    draft,
    supplier,
    totals,
    lines,
    seenAs: EXCEPTION_CODES.tax_variance,
    holdReason: detail,
    tags: [within ? 'within_tolerance' : 'outside_tolerance'],
    extraInvoices: 0,
    findings: [
      within ? { kind: 'within_tolerance', type: 'tax_variance' } : { kind: 'outside_tolerance', type: 'tax_variance' },
    ],
    facts: {
      billedTax: fmt(expected + delta),
      expectedTax: fmt(expected),
      taxRate: rate,
      difference: fmt(Math.abs(delta)),
      total: fmt(totals.gross),
      currency: supplier.currency,
    },
    note: `Billed tax ${fmt(expected + delta)} vs ${fmt(expected)} expected at ${rate}% (difference ${fmt(Math.abs(delta))}), total ${fmt(totals.gross)}.`,
  };
};
