/**
 * Which currency a bare "$" or "pesos" means, from what the document says about its country
 * (languages/dollar-countries.json): "CUIT" and "Responsable Inscripto" make it Argentine pesos.
 * Without two signals for one country, and more than any other has, it stays undecided.
 */
import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { dataPath } from '../paths.js';

const CountriesFile = z.object({
  countries: z.array(z.object({ currency: z.string().length(3), signals: z.array(z.string()).min(1) })),
});

let cache: Array<{ currency: string; signals: RegExp[] }> | undefined;

function countries(): Array<{ currency: string; signals: RegExp[] }> {
  if (!cache) {
    const parsed = CountriesFile.safeParse(
      JSON.parse(readFileSync(dataPath('src', 'ingest', 'languages', 'dollar-countries.json'), 'utf8')),
    );
    if (!parsed.success)
      throw new Error(`src/ingest/languages/dollar-countries.json is not valid: ${parsed.error.issues[0]?.message}`);
    cache = parsed.data.countries.map((c) => ({
      currency: c.currency,
      signals: c.signals.map((s) => new RegExp(`(?<![\\p{L}])${s}`, 'iu')),
    }));
  }
  return cache;
}

/** The currency a "$" or "pesos" on this page stands for, when the page's country is clear. */
export function dollarCurrency(text: string): { currency: string; signals: number } | undefined {
  if (!/\$|(?<![\p{L}])pesos(?![\p{L}])/iu.test(text)) return undefined;
  const scored = countries()
    .map((c) => ({ currency: c.currency, signals: c.signals.filter((re) => re.test(text)).length }))
    .sort((a, b) => b.signals - a.signals);
  const [best, next] = scored;
  return best && best.signals >= 2 && best.signals > (next?.signals ?? 0) ? best : undefined;
}
