/**
 * Cost per settled exception: decimal money from token counts and per-million prices (no float
 * drift), the run's batched Coupa calls spread over its exceptions, and the price variables parsed
 * from the environment.
 */
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../src/config.js';
import { costLine, modelCost, summariseCost } from '../src/domain/cost.js';

describe('cost per settled exception', () => {
  it('prices tokens per million in decimal', () => {
    // 0.1 + 0.2 style drift would show in the last places with floats.
    expect(modelCost(1_234_567, 89_012, { in: '2.50', out: '10' })).toBe('3.976538');
    expect(modelCost(0, 0, { in: '2.50', out: '10' })).toBe('0.000000');
  });

  it('spreads the run-level calls over the exceptions and leaves money out without prices', () => {
    const settled = [
      { coupa_calls: 2, tokens_in: 1000, tokens_out: 100 },
      { coupa_calls: 3, tokens_in: 3000, tokens_out: 300 },
    ];
    const withoutPrice = summariseCost(settled, undefined, 5);
    expect(withoutPrice).toMatchObject({ exceptions: 2, coupaCalls: 10, tokensIn: 4000, tokensOut: 400, money: null });
    expect(withoutPrice.perException).toEqual({ coupaCalls: '5.00', tokensIn: '2000', tokensOut: '200', money: null });
    expect(costLine(withoutPrice)).toContain('set SETTLE_MODEL_PRICE_IN/OUT');
    const priced = summariseCost(settled, { in: '3', out: '15' });
    expect(priced.money).toBe('0.018000');
    expect(priced.perException.money).toBe('0.009000');
  });

  it('reads SETTLE_MODEL_PRICE_IN/OUT and refuses a price that is not a decimal', () => {
    expect(loadConfig({ SETTLE_MODEL_PRICE_IN: '2.50', SETTLE_MODEL_PRICE_OUT: '10' }).modelPrice).toEqual({
      in: '2.50',
      out: '10',
    });
    expect(loadConfig({}).modelPrice).toBeUndefined();
    expect(() => loadConfig({ SETTLE_MODEL_PRICE_IN: 'cheap' })).toThrow(/SETTLE_MODEL_PRICE_IN/);
  });
});
