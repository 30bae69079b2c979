/**
 * AvaTax REST v2 adapter: a non-committed `PurchaseInvoice` (`POST /api/v2/transactions/create`,
 * `commit: false`) → tax per line and per jurisdiction. Formats as Avalara documents them
 * (CreateTransactionModel / TransactionModel, `TransactionLineDetailModel.rate` a fraction);
 * zod at the boundary accepts numbers or decimal strings and ignores fields we do not read.
 */
import { z } from 'zod';
import { Dec } from '../domain/money.js';
import type { TaxAddress, TaxQuote, TaxQuoteRequest } from '../domain/tax-quote.js';
import { fetchFailure, statusFailure, TaxEngineError, type TaxEngine } from './port.js';

export interface AvaTaxSettings {
  /** e.g. `https://sandbox-rest.avatax.com` (the path `/api/v2/...` is added). */
  baseUrl: string;
  accountId: string;
  licenseKey: string;
  companyCode: string;
  timeoutMs?: number;
  fetch?: typeof fetch;
}

const Num = z.union([z.number(), z.string().regex(/^-?\d+(\.\d+)?([eE]-?\d+)?$/)]).transform((v) => new Dec(v));

const Detail = z.looseObject({
  jurisName: z.string().nullish(),
  jurisType: z.string().nullish(),
  taxName: z.string().nullish(),
  rate: Num.nullish(),
  tax: Num.nullish(),
});
const Line = z.looseObject({
  lineNumber: z.union([z.string(), z.number()]).transform(String),
  tax: Num.nullish(),
  taxableAmount: Num.nullish(),
  exemptAmount: Num.nullish(),
  details: z.array(Detail).nullish(),
});
export const AvaTaxTransaction = z.looseObject({
  code: z.string().nullish(),
  date: z.string().nullish(),
  currencyCode: z.string().nullish(),
  totalTax: Num.nullish(),
  lines: z.array(Line).default([]),
});
const AvaTaxError = z.looseObject({
  error: z.looseObject({ code: z.string().nullish(), message: z.string().nullish() }),
});

function address(a: TaxAddress): Record<string, string> {
  return Object.fromEntries(
    Object.entries({
      line1: a.line1,
      city: a.city,
      region: a.region,
      postalCode: a.postalCode,
      country: a.country,
    }).filter(([, v]) => !!v),
  ) as Record<string, string>;
}

/** The CreateTransactionModel for a purchase invoice quote. */
export function avaTaxRequest(request: TaxQuoteRequest, companyCode: string): Record<string, unknown> {
  return {
    type: 'PurchaseInvoice',
    code: request.documentCode,
    companyCode,
    date: request.date,
    customerCode: request.documentCode,
    currencyCode: request.currency,
    commit: false,
    addresses: { shipFrom: address(request.shipFrom), shipTo: address(request.shipTo) },
    lines: request.lines.map((l) => ({
      number: l.number,
      quantity: Number(l.quantity),
      amount: Number(l.amount),
      ...(l.taxCode ? { taxCode: l.taxCode } : {}),
      ...(l.description ? { description: l.description.slice(0, 255) } : {}),
    })),
  };
}

const money = (d: Dec | null | undefined): string => (d ?? new Dec(0)).toDecimalPlaces(2, Dec.ROUND_HALF_UP).toFixed(2);
/** AvaTax states rates as fractions (0.0625); Settle speaks percent. */
const pct = (d: Dec | null | undefined): string => (d ?? new Dec(0)).times(100).toDecimalPlaces(6).toString();

/** Settle's quote from a TransactionModel. */
export function quoteFromAvaTax(body: unknown, request: TaxQuoteRequest, source: string): TaxQuote {
  const parsed = AvaTaxTransaction.safeParse(body);
  if (!parsed.success)
    throw new TaxEngineError(
      'avatax',
      'unavailable',
      `AvaTax answered a body Settle cannot read: ${parsed.error.issues[0]?.message ?? 'invalid'}`,
    );
  const t = parsed.data;
  const lines = t.lines.map((l) => {
    const details = l.details ?? [];
    const rate = details.reduce((sum, d) => sum.plus(d.rate ?? 0), new Dec(0));
    return {
      number: l.lineNumber,
      taxable: money(l.taxableAmount),
      rate: pct(rate),
      tax: money(l.tax),
      exempt: (l.taxableAmount?.isZero() ?? false) && (l.exemptAmount?.gt(0) ?? false),
      jurisdictions: details.map((d) => ({
        name: d.jurisName ?? d.taxName ?? 'unknown',
        type: d.jurisType ?? 'unknown',
        rate: pct(d.rate),
        tax: money(d.tax),
      })),
    };
  });
  return {
    engine: 'avatax',
    source,
    asOf: t.date?.slice(0, 10) ?? request.date,
    currency: t.currencyCode ?? request.currency,
    totalTax: money(t.totalTax),
    lines,
    notes: [],
  };
}

export function createAvaTaxEngine(settings: AvaTaxSettings): TaxEngine {
  const timeoutMs = settings.timeoutMs ?? 10_000;
  const doFetch = settings.fetch ?? fetch;
  const url = `${settings.baseUrl.replace(/\/+$/, '')}/api/v2/transactions/create`;
  const auth = `Basic ${Buffer.from(`${settings.accountId}:${settings.licenseKey}`).toString('base64')}`;
  return {
    name: 'avatax',
    async quote(request) {
      let response: Response;
      try {
        response = await doFetch(url, {
          method: 'POST',
          headers: {
            authorization: auth,
            'content-type': 'application/json',
            accept: 'application/json',
            'x-avalara-client': 'Settle; 0.1; REST; v2; settle',
          },
          body: JSON.stringify(avaTaxRequest(request, settings.companyCode)),
          signal: AbortSignal.timeout(timeoutMs),
        });
      } catch (error) {
        throw fetchFailure('avatax', error, timeoutMs);
      }
      let body: unknown;
      try {
        body = await response.json();
      } catch (error) {
        if (!response.ok) throw statusFailure('avatax', response.status, '');
        throw fetchFailure('avatax', error, timeoutMs);
      }
      if (!response.ok) {
        const err = AvaTaxError.safeParse(body);
        throw statusFailure(
          'avatax',
          response.status,
          err.success ? `${err.data.error.code ?? ''} ${err.data.error.message ?? ''}`.trim().slice(0, 200) : '',
        );
      }
      return quoteFromAvaTax(body, request, `AvaTax ${new URL(url).host}`);
    },
  };
}
