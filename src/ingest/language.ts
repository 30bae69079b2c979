/**
 * Which language a document is written in, by counting each language's frequent words (from the
 * language files). A supported language picks the vocabulary the document is read with; another
 * one is named, so the person it is routed to knows why.
 */
import { otherLanguages, supportedLanguages } from './vocabulary.js';

export interface LanguageGuess {
  /** English name ("German"). */
  language: string;
  /** ISO 639-1 code when the language is read here, else undefined. */
  code?: string;
  /** Share of counted words that belong to `language`. */
  share: number;
  counted: number;
}

/** The most likely language of `text`; English when too few known words decide it. */
export function guessLanguage(text: string): LanguageGuess {
  const tokens = text
    .toLowerCase()
    .normalize('NFC')
    .split(/[^\p{L}]+/u)
    .filter(Boolean);
  const counts: Array<{ language: string; code?: string; n: number }> = [];
  const count = (words: readonly string[]): number => {
    const set = new Set(words);
    return tokens.filter((t) => set.has(t)).length;
  };
  for (const l of supportedLanguages()) counts.push({ language: l.name, code: l.code, n: count(l.words) });
  for (const [language, words] of Object.entries(otherLanguages())) counts.push({ language, n: count(words) });
  const counted = counts.reduce((s, c) => s + c.n, 0);
  const best = [...counts].sort((a, b) => b.n - a.n)[0];
  if (!best || counted < 5) return { language: 'English', code: 'en', share: 0, counted };
  return { language: best.language, ...(best.code ? { code: best.code } : {}), share: best.n / counted, counted };
}
