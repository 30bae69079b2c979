/**
 * TaxJar v2 adapter: `POST /v2/taxes` (Bearer token) → `tax.breakdown.line_items[]` with the
 * combined and per-level rates (fractions) and `has_nexus`. Formats as TaxJar documents them;
 * zod at the boundary, fields we do not read are ignored.
 */
import { z } from 'zod';
import { Dec } from '../domain/money.js';
import type { TaxJurisdiction, TaxQuote, TaxQuoteRequest } from '../domain/tax-quote.js';
import { fetchFailure, statusFailure, TaxEngineError, type TaxEngine } from './port.js';

export interface TaxJarSettings {
  baseUrl: string;
  apiKey: string;
  timeoutMs?: number;
  fetch?: typeof fetch;
}

const Num = z.union([z.number(), z.string().regex(/^-?\d+(\.\d+)?([eE]-?\d+)?$/)]).transform((v) => new Dec(v));
const LineItem = z
  .looseObject({
    id: z.union([z.string(), z.number()]).transform(String),
    taxable_amount: Num.nullish(),
    tax_collectable: Num.nullish(),
    combined_tax_rate: Num.nullish(),
  })
  .catchall(z.unknown());
export const TaxJarTaxes = z.looseObject({
  tax: z.looseObject({
    amount_to_collect: Num,
    rate: Num.nullish(),
    has_nexus: z.boolean().nullish(),
    tax_source: z.string().nullish(),
    jurisdictions: z.record(z.string(), z.unknown()).nullish(),
    breakdown: z.looseObject({ line_items: z.array(LineItem).nullish() }).nullish(),
  }),
});
const TaxJarError = z.looseObject({ error: z.string().nullish(), detail: z.string().nullish() });

/** The TaxJar `taxes` request for an invoice (shipping 0: freight is checked by Settle's charge check). */
export function taxJarRequest(request: TaxQuoteRequest): Record<string, unknown> {
  const amount = request.lines.reduce((s, l) => s.plus(l.amount), new Dec(0));
  const f = request.shipFrom;
  const t = request.shipTo;
  return {
    from_country: f.country,
    from_zip: f.postalCode,
    from_state: f.region,
    from_city: f.city,
    to_country: t.country,
    to_zip: t.postalCode,
    to_state: t.region,
    to_city: t.city,
    to_street: t.line1,
    amount: amount.toNumber(),
    shipping: 0,
    line_items: request.lines.map((l) => {
      const qty = new Dec(l.quantity || '1');
      const unit = qty.isZero() ? new Dec(l.amount) : new Dec(l.amount).dividedBy(qty);
      return {
        id: l.number,
        quantity: qty.toNumber(),
        unit_price: unit.toDecimalPlaces(6).toNumber(),
        ...(l.taxCode ? { product_tax_code: l.taxCode } : {}),
      };
    }),
  };
}

const money = (d: Dec | null | undefined): string => (d ?? new Dec(0)).toDecimalPlaces(2, Dec.ROUND_HALF_UP).toFixed(2);
const pct = (d: Dec | null | undefined): string => (d ?? new Dec(0)).times(100).toDecimalPlaces(6).toString();

/**
 * Per-level parts TaxJar lists on a line item, with the amount key its API reference and official
 * client types (`taxjar-node` lib/types/breakdown.ts) give each rate: US levels, Canada's GST/PST/QST
 * (amount under the bare name) and the international `country_*` pair. `special_district_tax_rate`
 * is read too, as a lenient variant of the documented `special_tax_rate`.
 */
const LEVELS: ReadonlyArray<{ rate: readonly string[]; amount: string; name: string; type: string }> = [
  { rate: ['state_sales_tax_rate', 'state_tax_rate'], amount: 'state_amount', name: 'STATE', type: 'State' },
  { rate: ['county_tax_rate'], amount: 'county_amount', name: 'COUNTY', type: 'County' },
  { rate: ['city_tax_rate'], amount: 'city_amount', name: 'CITY', type: 'City' },
  {
    rate: ['special_tax_rate', 'special_district_tax_rate'],
    amount: 'special_district_amount',
    name: 'SPECIAL_DISTRICT',
    type: 'Special',
  },
  { rate: ['country_tax_rate'], amount: 'country_tax_collectable', name: 'COUNTRY', type: 'Country' },
  { rate: ['gst_tax_rate'], amount: 'gst', name: 'GST', type: 'Country' },
  { rate: ['pst_tax_rate'], amount: 'pst', name: 'PST', type: 'State' },
  { rate: ['qst_tax_rate'], amount: 'qst', name: 'QST', type: 'State' },
];

function levels(item: Record<string, unknown>): TaxJurisdiction[] {
  const out: TaxJurisdiction[] = [];
  for (const level of LEVELS) {
    const raw = level.rate.map((key) => item[key]).find((v) => v !== undefined && v !== null);
    if (raw === undefined || raw === null) continue;
    const rate = new Dec(String(raw));
    if (rate.isZero()) continue;
    const amount = item[level.amount];
    out.push({
      name: level.name,
      type: level.type,
      rate: pct(rate),
      ...(amount != null ? { tax: money(new Dec(String(amount))) } : {}),
    });
  }
  return out;
}

export function quoteFromTaxJar(body: unknown, request: TaxQuoteRequest, source: string): TaxQuote {
  const parsed = TaxJarTaxes.safeParse(body);
  if (!parsed.success)
    throw new TaxEngineError(
      'taxjar',
      'unavailable',
      `TaxJar answered a body Settle cannot read: ${parsed.error.issues[0]?.message ?? 'invalid'}`,
    );
  const tax = parsed.data.tax;
  const items = tax.breakdown?.line_items ?? [];
  const lines = request.lines.map((l) => {
    const item = items.find((i) => i.id === l.number);
    const rate = item?.combined_tax_rate ?? (tax.has_nexus === false ? new Dec(0) : (tax.rate ?? new Dec(0)));
    return {
      number: l.number,
      taxable: money(item?.taxable_amount ?? new Dec(0)),
      rate: pct(rate),
      tax: money(item?.tax_collectable ?? new Dec(0)),
      exempt: !!item && (item.taxable_amount?.isZero() ?? false),
      jurisdictions: item ? levels(item as Record<string, unknown>) : [],
    };
  });
  const where = tax.jurisdictions
    ? Object.values(tax.jurisdictions)
        .filter((v) => typeof v === 'string')
        .join(', ')
    : '';
  return {
    engine: 'taxjar',
    source,
    asOf: request.date,
    currency: request.currency,
    totalTax: money(tax.amount_to_collect),
    lines,
    notes: [
      where ? `jurisdictions: ${where}` : '',
      tax.has_nexus === false ? 'TaxJar: no nexus in the ship-to state (no tax to collect)' : '',
    ].filter(Boolean),
    ...(tax.has_nexus != null ? { hasNexus: tax.has_nexus } : {}),
  };
}

export function createTaxJarEngine(settings: TaxJarSettings): TaxEngine {
  const timeoutMs = settings.timeoutMs ?? 10_000;
  const doFetch = settings.fetch ?? fetch;
  const url = `${settings.baseUrl.replace(/\/+$/, '')}/v2/taxes`;
  return {
    name: 'taxjar',
    async quote(request) {
      let response: Response;
      let body: unknown;
      try {
        response = await doFetch(url, {
          method: 'POST',
          headers: {
            authorization: `Bearer ${settings.apiKey}`,
            'content-type': 'application/json',
            accept: 'application/json',
          },
          body: JSON.stringify(taxJarRequest(request)),
          signal: AbortSignal.timeout(timeoutMs),
        });
        body = await response.json().catch(() => undefined);
      } catch (error) {
        throw fetchFailure('taxjar', error, timeoutMs);
      }
      if (!response.ok) {
        const err = TaxJarError.safeParse(body);
        throw statusFailure(
          'taxjar',
          response.status,
          err.success ? `${err.data.error ?? ''} ${err.data.detail ?? ''}`.trim().slice(0, 200) : '',
        );
      }
      return quoteFromTaxJar(body, request, `TaxJar ${new URL(url).host}`);
    },
  };
}
