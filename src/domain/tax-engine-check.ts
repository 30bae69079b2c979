/**
 * The tax check against a tax engine: what the supplier billed and what Coupa expected (the
 * line's rate), side by side with the engine's tax per line and jurisdiction. Four outcomes
 * besides "all agree" (issue 23):
 *  (a) billed right, Coupa's rate wrong → `tax_coupa_rate_wrong` (correct the rate, revalidate);
 *  (b) billed wrong → `tax_billed_wrong` (dispute TAX-ERROR, citing jurisdiction and rate);
 *  (c) US sales tax under-billed on taxable goods → `use_tax_due` (self-assess, for the tax team);
 *  (d) exemption, reverse charge, cross-border, nexus → `tax_needs_specialist` (tax team).
 * An engine that could not answer is `tax_engine_unavailable`: no rate is ever guessed.
 */
import { z } from 'zod';
import type { InvoiceLine } from '../coupa/schemas.js';
import { invoiceCurrency, lineNumOf, type InvoiceContext } from './context.js';
import type { Controls } from './controls.js';
import { finding, type Finding } from './findings.js';
import { hintMentions } from './hint.js';
import { Dec, decimalOr } from './money.js';
import type { TaxAddress, TaxQuote, TaxQuoteLine, TaxQuoteRequest } from './tax-quote.js';

const Country = z.union([z.string(), z.looseObject({ code: z.string().nullish() })]).nullish();
const Address = z.looseObject({
  street1: z.string().nullish(),
  city: z.string().nullish(),
  state: z.string().nullish(),
  postalCode: z.string().nullish(),
  country: Country,
});
type Address = z.infer<typeof Address>;

const countryOf = (c: Address['country']): string | undefined =>
  (typeof c === 'string' ? c : (c?.code ?? undefined))?.trim().toUpperCase() || undefined;

function taxAddress(a: Address | undefined): TaxAddress | undefined {
  const country = a ? countryOf(a.country) : undefined;
  if (!a || !country) return undefined;
  const clean = (v: string | null | undefined): string | undefined => v?.trim() || undefined;
  return {
    country,
    region: clean(a.state)?.toUpperCase(),
    postalCode: clean(a.postalCode),
    city: clean(a.city),
    line1: clean(a.street1),
  };
}

/** The invoice's ship-to address (`ship-to-address` on the invoice header), when it states one with a country. */
export function shipToOf(ctx: InvoiceContext): TaxAddress | undefined {
  const raw = (ctx.invoice as Record<string, unknown>).shipToAddress;
  const parsed = Address.safeParse(raw);
  return parsed.success ? taxAddress(parsed.data) : undefined;
}

/** Where the supplier ships from: the invoice's remit-to, else the supplier's primary address. */
export function shipFromOf(ctx: InvoiceContext): TaxAddress | undefined {
  const candidates = [ctx.invoice.remitToAddress, ctx.supplier?.remitToAddresses[0], ctx.supplier?.primaryAddress];
  for (const c of candidates) {
    const parsed = Address.safeParse(c);
    const a = parsed.success ? taxAddress(parsed.data) : undefined;
    if (a) return a;
  }
  return undefined;
}

const billsTax = (ctx: InvoiceContext): boolean =>
  ctx.invoice.taxAmount != null ||
  ctx.invoice.taxRate != null ||
  ctx.invoice.invoiceLines.some((l) => l.taxAmount != null || l.taxRate != null);

/**
 * The engine question for this invoice, or undefined when the engine is not asked: no ship-to
 * address on the invoice (the jurisdiction is unknown) or no tax on it at all.
 */
export function taxQuoteRequestOf(ctx: InvoiceContext): TaxQuoteRequest | undefined {
  const shipTo = shipToOf(ctx);
  if (!shipTo || !billsTax(ctx)) return undefined;
  const inv = ctx.invoice;
  return {
    documentCode: inv.invoiceNumber,
    date: (inv.invoiceDate ?? inv.createdAt ?? '').slice(0, 10) || '1970-01-01',
    currency: invoiceCurrency(ctx),
    shipFrom: shipFromOf(ctx) ?? shipTo,
    shipTo,
    lines: inv.invoiceLines.map((l, i) => ({
      number: lineNumOf(l, i),
      amount: l.total ?? '0',
      quantity: l.quantity ?? '1',
      ...(taxCodeOf(l) ? { taxCode: taxCodeOf(l) } : {}),
      ...(l.description ? { description: l.description } : {}),
    })),
  };
}

/** A line's Coupa tax code (`tax-code: {code}`), when stated. */
function taxCodeOf(line: InvoiceLine): string | undefined {
  const raw = (line as Record<string, unknown>).taxCode;
  const code =
    typeof raw === 'string' ? raw : raw && typeof raw === 'object' ? (raw as { code?: unknown }).code : undefined;
  return typeof code === 'string' && code.trim() ? code.trim() : undefined;
}

const EU = new Set([
  'AT',
  'BE',
  'BG',
  'CY',
  'CZ',
  'DE',
  'DK',
  'EE',
  'ES',
  'FI',
  'FR',
  'GR',
  'EL',
  'HR',
  'HU',
  'IE',
  'IT',
  'LT',
  'LU',
  'LV',
  'MT',
  'NL',
  'PL',
  'PT',
  'RO',
  'SE',
  'SI',
  'SK',
]);
const SPECIALIST_TOPIC = /EXEMPT|CERTIFICATE|RESALE|REVERSE[ _-]?CHARGE|NEXUS|SELF[ _-]?ASSESS/i;

/** Jurisdictions as a person reads them: "TX State 6.25% + Austin (city) City 1%". */
export function describeJurisdictions(line: TaxQuoteLine | undefined): string {
  if (!line || line.jurisdictions.length === 0) return 'no jurisdiction breakdown';
  return line.jurisdictions.map((j) => `${j.name} ${j.type} ${j.rate}%`).join(' + ');
}

/** "offline table us_local (Tax Foundation …), as of 2025-01-01". */
export function describeSource(q: TaxQuote): string {
  return `${q.engine}: ${q.source}, as of ${q.asOf}`;
}

interface LineView {
  num: string;
  id?: number;
  base: Dec;
  billed: Dec;
  coupaRate?: string;
  engine?: TaxQuoteLine;
}

function linesOf(ctx: InvoiceContext, quote: TaxQuote): LineView[] {
  const inv = ctx.invoice;
  const perLine =
    inv.lineLevelTaxation === true ||
    (inv.taxRate == null && inv.invoiceLines.some((l) => l.taxRate != null || l.taxAmount != null));
  const views = inv.invoiceLines.map((l, i): LineView => {
    const num = lineNumOf(l, i);
    return {
      num,
      ...(l.id != null ? { id: l.id } : {}),
      base: decimalOr(l.total),
      billed: perLine ? decimalOr(l.taxAmount) : new Dec(0),
      coupaRate: (perLine ? l.taxRate : inv.taxRate) ?? undefined,
      engine: quote.lines.find((q) => q.number === num),
    };
  });
  // Header-level tax: the billed amount is spread over the lines in proportion to their totals.
  if (!perLine) {
    const base = views.reduce((s, v) => s.plus(v.base), new Dec(0));
    const billed = decimalOr(inv.taxAmount);
    for (const v of views) v.billed = base.isZero() ? new Dec(0) : billed.times(v.base).dividedBy(base);
  }
  return views;
}

const sum = (xs: Dec[]): Dec => xs.reduce((s, x) => s.plus(x), new Dec(0));
const cents = (d: Dec): string => d.toDecimalPlaces(2, Dec.ROUND_HALF_UP).toFixed(2);

/** Engine findings, or undefined when no engine answer is on the context (the in-invoice check applies). */
export function checkTaxAgainstEngine(ctx: InvoiceContext, controls: Controls): Finding[] | undefined {
  const evidence = ctx.taxEvidence;
  if (!evidence) return undefined;
  if (!evidence.ok) {
    return [
      finding(
        'tax_engine_unavailable',
        `The tax engine (${evidence.engine}) could not answer (${evidence.failure.replace('_', ' ')}): no rate is guessed, a person checks the tax.`,
        { engine: evidence.engine, failure: evidence.failure },
        [evidence.detail],
      ),
    ];
  }
  const q = evidence.quote;
  const request = taxQuoteRequestOf(ctx);
  const currency = invoiceCurrency(ctx);
  const source = describeSource(q);
  const lines = linesOf(ctx, q);
  const billed = sum(lines.map((l) => l.billed));
  const expected = decimalOr(q.totalTax);
  const first = lines.find((l) => l.engine && !l.engine.exempt)?.engine ?? q.lines[0];
  const where = describeJurisdictions(first);
  const figures = {
    billed: cents(billed),
    engineTax: cents(expected),
    difference: cents(billed.minus(expected)),
    engineRate: first?.rate ?? '0',
    engine: q.engine,
    asOf: q.asOf,
    currency,
  };
  const evidenceLines = [`engine: ${source}`, `jurisdictions: ${where}`, ...q.notes];

  const specialist = specialistReason(ctx, request, q, lines);
  if (specialist) {
    return [
      finding(
        'tax_needs_specialist',
        `${specialist}: a question for the tax team, not for AP (billed ${cents(billed)}, engine ${cents(expected)} ${currency}).`,
        { ...figures, reason: specialist },
        evidenceLines,
      ),
    ];
  }
  const limit = decimalOr(controls.tax_tolerance_amount);
  const diff = billed.minus(expected);
  if (diff.abs().lte(limit)) {
    const wrong = lines.filter((l) => l.engine && l.coupaRate !== undefined && !rateAccepted(l.coupaRate, l.engine));
    return wrong.map((l) =>
      finding(
        'tax_coupa_rate_wrong',
        `Line ${l.num}: the supplier billed the right tax (${cents(l.billed)} ${currency}); Coupa expects ${l.coupaRate}% but ${describeJurisdictions(l.engine)} gives ${l.engine!.rate}% (${source}).`,
        {
          ...figures,
          lineNum: l.num,
          coupaRate: l.coupaRate ?? '',
          correctRate: l.engine!.rate,
          lineBilled: cents(l.billed),
          lineEngineTax: l.engine!.tax,
        },
        evidenceLines,
        { lineNum: l.num, ...(l.id != null ? { invoiceLineId: l.id } : {}) },
      ),
    );
  }
  const billedRate = sum(lines.map((l) => l.base)).isZero()
    ? new Dec(0)
    : billed.dividedBy(sum(lines.map((l) => l.base))).times(100);
  const withRate = { ...figures, billedRate: billedRate.toDecimalPlaces(3).toString() };
  const taxableGoods = q.lines.some((l) => !l.exempt && decimalOr(l.taxable).gt(0));
  if (diff.isNegative() && request?.shipTo.country === 'US' && taxableGoods) {
    return [
      finding(
        'use_tax_due',
        `Sales tax under-billed: ${cents(billed)} billed (${withRate.billedRate}%) where ${where} gives ${cents(expected)} ${currency}; self-assess use tax of ${cents(diff.negated())} (${source}).`,
        { ...withRate, useTax: cents(diff.negated()) },
        evidenceLines,
      ),
    ];
  }
  return [
    finding(
      'tax_billed_wrong',
      `The supplier billed ${cents(billed)} tax (${withRate.billedRate}%) where ${where} gives ${cents(expected)} ${currency} (difference ${cents(diff)}; ${source}).`,
      withRate,
      evidenceLines,
    ),
  ];
}

/** A line's rate agrees with the engine: the combined rate, or a reduced rate the engine lists. */
function rateAccepted(rate: string, line: TaxQuoteLine): boolean {
  const r = decimalOr(rate);
  return r.equals(decimalOr(line.rate)) || (line.alternativeRates ?? []).some((a) => r.equals(decimalOr(a)));
}

/** Why the tax team, not AP, must answer: cross-border / reverse charge, exemption, nexus. */
function specialistReason(
  ctx: InvoiceContext,
  request: TaxQuoteRequest | undefined,
  q: TaxQuote,
  lines: LineView[],
): string | undefined {
  const from = request?.shipFrom.country;
  const to = request?.shipTo.country;
  if (from && to && from !== to) {
    return EU.has(from) && EU.has(to)
      ? `Intra-EU supply ${from} → ${to}: reverse charge applies`
      : `Cross-border supply ${from} → ${to}: import VAT / use tax and registration questions`;
  }
  if (lines.some((l) => l.engine?.exempt && l.billed.gt(0)))
    return 'Tax billed on a line the engine treats as exempt: exemption certificate question';
  if (q.hasNexus === false && lines.some((l) => l.billed.gt(0)))
    return 'The engine reports no nexus in the ship-to state, yet tax is billed';
  const text = [ctx.invoice.supplierNote, ctx.invoice.comments, ...ctx.invoice.invoiceLines.map((l) => l.description)]
    .filter(Boolean)
    .join(' ');
  if (SPECIALIST_TOPIC.test(text) || hintMentions(ctx.event, SPECIALIST_TOPIC))
    return 'The invoice or hold mentions an exemption, reverse charge or nexus';
  return undefined;
}
