/**
 * The offline rate table (`knowledge/tax-rates/rates.json`): US state and main local rates, EU
 * and UK VAT, Canadian GST/HST/PST, each section with its source and "as of" date. Parsed with
 * zod once; a lookup answers the combined rate's components for a ship-to address.
 */
import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { dataPath } from '../paths.js';
import type { TaxAddress, TaxJurisdiction } from '../domain/tax-quote.js';

const Rate = z.string().regex(/^\d+(\.\d+)?$/);
const Section = z.object({ source: z.string().min(1), as_of: z.string().regex(/^\d{4}-\d{2}-\d{2}$/) });

export const RateTableSchema = z.object({
  sections: z.object({
    us_state: Section.extend({ rates: z.record(z.string(), Rate) }),
    us_local: Section.extend({
      cities: z.array(
        z.object({
          state: z.string(),
          city: z.string(),
          zip_prefixes: z.array(z.string()),
          components: z.array(z.object({ name: z.string(), type: z.string(), rate: Rate })),
        }),
      ),
    }),
    eu_vat: Section.extend({ rates: z.record(z.string(), z.array(Rate).min(1)) }),
    uk_vat: Section.extend({ rates: z.record(z.string(), z.array(Rate).min(1)) }),
    ca_sales_tax: Section.extend({
      provinces: z.record(z.string(), z.array(z.object({ name: z.string(), rate: Rate }))),
    }),
  }),
});
export type RateTable = z.infer<typeof RateTableSchema>;

export const DEFAULT_RATE_TABLE_PATH = dataPath('knowledge', 'tax-rates', 'rates.json');

let cached: RateTable | undefined;

/** The shipped table (read once), or the one at `path`. */
export function loadRateTable(path?: string): RateTable {
  if (!path && cached) return cached;
  const table = RateTableSchema.parse(JSON.parse(readFileSync(path ?? DEFAULT_RATE_TABLE_PATH, 'utf8')));
  if (!path) cached = table;
  return table;
}

/** The rates that apply at an address, with where they come from. */
export interface RateLookup {
  jurisdictions: TaxJurisdiction[];
  source: string;
  asOf: string;
  /** Rates a line may legitimately carry there besides the combined one (reduced VAT rates). */
  alternatives: string[];
  notes: string[];
}

const GREECE = new Set(['GR', 'EL']);
const UK = new Set(['GB', 'UK']);

/** The combined rate's components at `to`, or undefined when the table has no rate for it. */
export function lookupRates(table: RateTable, to: TaxAddress): RateLookup | undefined {
  const country = to.country.toUpperCase();
  const region = to.region?.toUpperCase();
  const s = table.sections;
  if (country === 'US' && region) {
    const state = s.us_state.rates[region];
    if (state === undefined) return undefined;
    const jurisdictions: TaxJurisdiction[] = [{ name: region, type: 'State', rate: state }];
    const zip = (to.postalCode ?? '').trim();
    const city = s.us_local.cities.find((c) => c.state === region && c.zip_prefixes.some((p) => zip.startsWith(p)));
    if (city) jurisdictions.push(...city.components.map((c) => ({ name: c.name, type: c.type, rate: c.rate })));
    return {
      jurisdictions,
      source: city ? `offline table us_local (${s.us_local.source})` : `offline table us_state (${s.us_state.source})`,
      asOf: city ? s.us_local.as_of : s.us_state.as_of,
      alternatives: [],
      notes: city ? [] : [`local taxes at ${zip || 'this ZIP'} are not in the offline table; state rate only`],
    };
  }
  if (country === 'CA' && region) {
    const parts = s.ca_sales_tax.provinces[region];
    if (!parts) return undefined;
    return {
      jurisdictions: parts.map((p) => ({
        name: `${region} ${p.name}`,
        type: p.name === 'GST' ? 'Country' : 'State',
        rate: p.rate,
      })),
      source: `offline table ca_sales_tax (${s.ca_sales_tax.source})`,
      asOf: s.ca_sales_tax.as_of,
      alternatives: [],
      notes: [],
    };
  }
  const vat = UK.has(country) ? s.uk_vat.rates.GB : s.eu_vat.rates[GREECE.has(country) ? 'GR' : country];
  if (!vat) return undefined;
  const section = UK.has(country) ? s.uk_vat : s.eu_vat;
  const [standard, ...reduced] = vat;
  return {
    jurisdictions: [{ name: `${country} VAT`, type: 'Country', rate: standard as string }],
    source: `offline table ${UK.has(country) ? 'uk_vat' : 'eu_vat'} (${section.source})`,
    asOf: section.as_of,
    alternatives: reduced,
    notes: [],
  };
}
