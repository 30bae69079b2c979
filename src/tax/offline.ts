/** The embedded default engine: the offline rate table, no network. */
import type { TaxQuoteRequest, TaxQuote } from '../domain/tax-quote.js';
import { quoteFromTable } from './compute.js';
import { TaxEngineError, type TaxEngine } from './port.js';
import { loadRateTable, type RateTable } from './rate-table.js';

export function createOfflineTaxEngine(table: RateTable = loadRateTable()): TaxEngine {
  return {
    name: 'offline',
    async quote(request: TaxQuoteRequest): Promise<TaxQuote> {
      const quote = quoteFromTable(table, request);
      const where = [request.shipTo.country, request.shipTo.region, request.shipTo.postalCode]
        .filter(Boolean)
        .join(' ');
      if (!quote)
        throw new TaxEngineError(
          'offline',
          'no_rate',
          `the offline rate table has no rate for ${where || 'the ship-to address'}`,
        );
      return quote;
    },
  };
}
