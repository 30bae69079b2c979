/**
 * What settling exceptions cost, per settled exception: Coupa calls (the tenant's rate budget),
 * model tokens in and out, and money when model prices are configured (SETTLE_MODEL_PRICE_IN/OUT,
 * per million tokens). Money is decimal text, computed with decimal.js — never a float.
 */
import { Decimal } from 'decimal.js';

export interface ModelPrice {
  /** Price per million input tokens (decimal text). */
  in: string;
  /** Price per million output tokens (decimal text). */
  out: string;
}

export interface CostInput {
  coupa_calls: number;
  tokens_in?: number | undefined;
  tokens_out?: number | undefined;
}

export interface CostSummary {
  exceptions: number;
  coupaCalls: number;
  tokensIn: number;
  tokensOut: number;
  /** Total model cost; null without prices. */
  money: string | null;
  perException: { coupaCalls: string; tokensIn: string; tokensOut: string; money: string | null };
}

const MILLION = new Decimal(1_000_000);

/** Model cost of these token counts at these prices (decimal text, 6 places). */
export function modelCost(tokensIn: number, tokensOut: number, price: ModelPrice): string {
  return new Decimal(tokensIn).mul(price.in).add(new Decimal(tokensOut).mul(price.out)).div(MILLION).toFixed(6);
}

/**
 * Totals and means over settled exceptions. `extraCoupaCalls` are calls no single exception
 * made (a run's batched reads), spread over the run.
 */
export function summariseCost(settled: readonly CostInput[], price?: ModelPrice, extraCoupaCalls = 0): CostSummary {
  const n = settled.length;
  const coupaCalls = settled.reduce((s, v) => s + v.coupa_calls, 0) + extraCoupaCalls;
  const tokensIn = settled.reduce((s, v) => s + (v.tokens_in ?? 0), 0);
  const tokensOut = settled.reduce((s, v) => s + (v.tokens_out ?? 0), 0);
  const money = price ? modelCost(tokensIn, tokensOut, price) : null;
  const per = (x: Decimal.Value, places: number): string => (n === 0 ? '0' : new Decimal(x).div(n).toFixed(places));
  return {
    exceptions: n,
    coupaCalls,
    tokensIn,
    tokensOut,
    money,
    perException: {
      coupaCalls: per(coupaCalls, 2),
      tokensIn: per(tokensIn, 0),
      tokensOut: per(tokensOut, 0),
      money: money === null ? null : per(money, 6),
    },
  };
}

/** One line: `cost per settled exception: 4.62 Coupa calls, 0 tokens in / 0 out, 0.000000 (model)`. */
export function costLine(c: CostSummary): string {
  const money =
    c.perException.money === null ? 'model cost: set SETTLE_MODEL_PRICE_IN/OUT' : `model cost ${c.perException.money}`;
  return `cost per settled exception: ${c.perException.coupaCalls} Coupa calls, ${c.perException.tokensIn} tokens in / ${c.perException.tokensOut} out, ${money}`;
}
