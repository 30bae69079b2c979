/**
 * The words invoices are printed in, as data: one JSON file per language under `languages/`
 * (labels per field, table headers, month names, tax and currency words, the usual decimal
 * mark). A new language is a new file; the extractor's stages read only this.
 */
import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { dataPath } from '../paths.js';
import { formatIssues } from '../issues.js';

const Patterns = z.array(z.string());

const LanguageFile = z.object({
  code: z.string().length(2),
  name: z.string(),
  /** The tesseract model name (`@tesseract.js-data/<ocr>`). */
  ocr: z.string(),
  decimal: z.enum(['point', 'comma']),
  words: z.array(z.string()),
  months: z.array(z.array(z.string())).length(12),
  labels: z.object({
    invoiceNumber: Patterns,
    invoiceDate: Patterns,
    dueDate: Patterns,
    poNumber: Patterns,
    subtotal: Patterns,
    tax: Patterns,
    total: Patterns,
    taxId: Patterns,
    bankAccount: Patterns,
    bankRouting: Patterns,
    currency: Patterns,
    remitTo: Patterns,
    supplier: Patterns,
    customer: Patterns,
    title: Patterns,
  }),
  table: z.object({
    poLine: Patterns,
    unitPrice: Patterns,
    amount: Patterns,
    quantity: Patterns,
    description: Patterns,
    /** A column of tax rates ("Alícuota", "USt. %"): neither a price nor an amount. */
    taxRate: Patterns,
    /** Words that mark an amount column as tax-inclusive ("Subtotal c/IVA", "Prijs incl. BTW"). */
    gross: Patterns,
  }),
  totalsStart: Patterns,
  /** Totals rows that may close a section inside the table rather than the table itself. */
  sectionTotal: Patterns,
  lineNotes: Patterns,
  /** A running total carried from one page of the table to the next ("Übertrag", "report"): neither a line nor the end. */
  carriedForward: Patterns,
  currencyWords: z.record(z.string(), z.string().length(3)),
});
export type Language = z.infer<typeof LanguageFile>;
export type LabelKind = keyof Language['labels'];
export type TableRole = keyof Language['table'];

const OtherFile = z.object({ languages: z.record(z.string(), z.array(z.string())) });

/** The languages whose invoices are read, English first. */
export const SUPPORTED_CODES = ['en', 'de', 'fr', 'nl', 'es', 'it'] as const;

function load<T>(name: string, schema: z.ZodType<T>): T {
  const file = dataPath('src', 'ingest', 'languages', `${name}.json`);
  const parsed = schema.safeParse(JSON.parse(readFileSync(file, 'utf8')));
  if (!parsed.success)
    throw new Error(
      `src/ingest/languages/${name}.json is not a valid language file: ${formatIssues(parsed.error, { root: 'file', limit: 1 })}`,
    );
  return parsed.data;
}

let cache: { languages: Language[]; others: Record<string, string[]> } | undefined;

function vocabulary(): { languages: Language[]; others: Record<string, string[]> } {
  cache ??= {
    languages: SUPPORTED_CODES.map((c) => load(c, LanguageFile)),
    others: load('other', OtherFile).languages,
  };
  return cache;
}

export const supportedLanguages = (): readonly Language[] => vocabulary().languages;
export const otherLanguages = (): Readonly<Record<string, string[]>> => vocabulary().others;
export const languageByCode = (code: string): Language | undefined => supportedLanguages().find((l) => l.code === code);

/**
 * The vocabulary to read one document with: its own language first, then English (foreign
 * invoices often carry English words — "Total EUR", "IBAN", "VAT"). Patterns are regex sources.
 */
export interface ReadingVocabulary {
  language: Language;
  labels: Record<LabelKind, string[]>;
  table: Record<TableRole, string[]>;
  totalsStart: string[];
  sectionTotal: string[];
  lineNotes: string[];
  carriedForward: string[];
}

export function vocabularyFor(code: string): ReadingVocabulary {
  const own = languageByCode(code) ?? languageByCode('en')!;
  const english = languageByCode('en')!;
  const both = own === english ? [own] : [own, english];
  const merge = <K extends string>(pick: (l: Language) => Record<K, string[]>): Record<K, string[]> =>
    Object.fromEntries(
      Object.keys(pick(own)).map((k) => [k, [...new Set(both.flatMap((l) => pick(l)[k as K]))]]),
    ) as Record<K, string[]>;
  return {
    language: own,
    labels: merge((l) => l.labels),
    table: merge((l) => l.table),
    totalsStart: [...new Set(both.flatMap((l) => l.totalsStart))],
    sectionTotal: [...new Set(both.flatMap((l) => l.sectionTotal))],
    lineNotes: [...new Set(both.flatMap((l) => l.lineNotes))],
    carriedForward: [...new Set(both.flatMap((l) => l.carriedForward))],
  };
}

/** Month name or abbreviation → month number, across every supported language. */
export function monthNumber(word: string): number | undefined {
  const w = word.toLowerCase().normalize('NFC').replace(/\.$/, '');
  for (const l of supportedLanguages()) {
    const i = l.months.findIndex((names) => names.includes(w));
    if (i >= 0) return i + 1;
  }
  return undefined;
}

/** Currency words across languages ("euro" → EUR). */
export function currencyWord(word: string): string | undefined {
  const w = word.toLowerCase();
  for (const l of supportedLanguages()) if (l.currencyWords[w]) return l.currencyWords[w];
  return undefined;
}
