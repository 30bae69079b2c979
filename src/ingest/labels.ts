/**
 * Candidates for a labelled value. A label ("Invoice No.", "Rechnungsnr.", "Total TTC") is looked
 * for at the start of each cell; its value is the rest of that cell, else the next cell on the row,
 * else the cell just below it. The rest of the label's own cell must be the value and nothing
 * else: digits that belong to the label's text ("due on August 3, 2014", "Tax 15% on $112.90")
 * are never taken for the value. Every occurrence is a candidate; choosing is a later stage.
 */
import { Dec } from '../domain/money.js';
import type { FieldSource, Row } from './types.js';

/** Accepts candidate text and returns the canonical value, or undefined when it does not fit. */
export type Acceptor = (text: string) => string | undefined;

export interface Candidate {
  value: string;
  source: FieldSource;
  /** Index of the label pattern that found it: lower is more specific. */
  rank: number;
  /** The label text as printed, for the evidence shown to a person. */
  label: string;
  row: Row;
  /** Position in reading order, to prefer the first or the last occurrence. */
  order: number;
}

const CURRENCY_ONLY = /^(?:[A-Z]{3}|[$€£¥₹])$/u;

/** Rows a label's value may sit on below it: the next one or two. */
const BELOW_WINDOW = 2.6;

const regexCache = new Map<string, RegExp>();

/** A label at the start of a cell, with an optional "(USD)"/"(19%)" aside and a separator. */
export function labelRegex(pattern: string): RegExp {
  let re = regexCache.get(pattern);
  if (!re) {
    re = new RegExp(`^\\s*(?:${pattern})(?![\\p{L}])\\s*(?:\\([^)]{0,12}\\))?\\s*[:#.]?\\s*(?:[:#]\\s*)?`, 'iu');
    regexCache.set(pattern, re);
  }
  return re;
}

/**
 * A column of amounts under one label, one per VAT rate and a last one that is their sum
 * ("321,40 / 127,59 / 448,99"): the sum row is the label's value, not the first rate's.
 */
function sumRowOfColumn(
  rows: readonly Row[],
  first: number,
  x: number,
  right: number,
  accept: Acceptor,
): string | undefined {
  const column: string[] = [];
  let previous = rows[first]!;
  for (let j = first; j < rows.length; j++) {
    const row = rows[j]!;
    const lineHeight = Math.max(...previous.cells.map((c) => c.height));
    if (row.page !== previous.page || row.y - previous.y > BELOW_WINDOW * lineHeight) break;
    const hits = row.cells.filter((c) => c.x < right + 2 && c.right > x - 2);
    const value = hits.length === 1 ? accept(hits[0]!.text) : undefined;
    if (value === undefined || !/^-?\d+(?:\.\d+)?$/.test(value)) break;
    column.push(value);
    previous = row;
  }
  if (column.length < 3) return undefined;
  const last = new Dec(column.at(-1)!);
  const sum = column.slice(0, -1).reduce((t, v) => t.plus(v), new Dec(0));
  return sum.eq(last) ? column.at(-1) : undefined;
}

/**
 * The values under a label cell: on the first row below (within the window) where `accept` takes
 * one, every overlapping cell it takes — a label spanning two columns has two values under it,
 * and choosing between them is the arithmetic's job. A row of rates between label and value
 * ("20%") is stepped over.
 */
function valuesBelow(rows: readonly Row[], index: number, x: number, right: number, accept: Acceptor): string[] {
  const row = rows[index];
  if (!row) return [];
  const lineHeight = Math.max(...row.cells.map((c) => c.height));
  for (let j = index + 1; j < rows.length; j++) {
    const next = rows[j]!;
    if (next.page !== row.page || next.y - row.y > BELOW_WINDOW * lineHeight) break;
    const hits = next.cells.filter((c) => c.x < right + 2 && c.right > x - 2);
    const values = hits
      .map((c) => accept(c.text.replace(/^\s*[:#]\s*/, '')))
      .filter((v): v is string => v !== undefined);
    if (values.length === 1) return [sumRowOfColumn(rows, j, x, right, accept) ?? values[0]!];
    if (values.length > 0) return values;
    // Only a row of percentages may sit between a label and its value; anything else ends the search.
    if (hits.length > 0 && !hits.every((c) => /^\d{1,2}(?:[.,]\d+)?\s*%$/.test(c.text.trim()))) return [];
  }
  return [];
}

/**
 * Every labelled value `accept` takes. `exclude` rejects cells that belong to another field
 * ("Tax ID" is not a tax amount). With `inlineOnly` the value must sit in the label's own cell.
 */
export function findCandidates(
  rows: readonly Row[],
  patterns: readonly string[],
  accept: Acceptor,
  options: { exclude?: RegExp; inlineOnly?: boolean } = {},
): Candidate[] {
  const found: Candidate[] = [];
  let order = 0;
  rows.forEach((row, i) => {
    row.cells.forEach((cell, c) => {
      order += 1;
      if (options.exclude?.test(cell.text)) return;
      const rank = patterns.findIndex((p) => labelRegex(p).test(cell.text));
      if (rank < 0) return;
      const m = labelRegex(patterns[rank]!).exec(cell.text)!;
      const rest = cell.text.slice(m[0].length).trim();
      const tries: Array<[FieldSource, string | undefined]> = [['label-inline', rest]];
      // A label followed by other words in its own cell ("Tax 15% on $112.90") is answered by the next cell.
      // A currency-only cell between label and value ("Steuerbetrag in | EUR | 56,87") is stepped over.
      const right =
        row.cells[c + 1] && CURRENCY_ONLY.test(row.cells[c + 1]!.text) ? row.cells[c + 2] : row.cells[c + 1];
      if (!options.inlineOnly) tries.push(['label-right', right?.text]);
      for (const [source, raw] of tries) {
        // A value cell may repeat the separator: "Beleg-Datum | : 06.08.2013".
        const text = source === 'label-inline' ? raw : raw?.replace(/^\s*[:#]\s*/, '');
        const value = text ? accept(text) : undefined;
        if (value !== undefined) {
          found.push({ value, source, rank, label: m[0].trim(), row, order });
          return;
        }
      }
      // Below only when the label's cell holds nothing else — OCR may repeat the label across a table rule ("Netto | Netto").
      const repeated =
        rest.replace(/^[|\s]+/, '').toLowerCase() ===
        m[0]
          .replace(/[\s:#.]+$/, '')
          .trim()
          .toLowerCase();
      if (options.inlineOnly || (rest !== '' && !repeated)) return;
      for (const value of valuesBelow(rows, i, cell.x, cell.right, accept))
        found.push({ value, source: 'label-below', rank, label: m[0].trim(), row, order });
    });
  });
  return found;
}

/** The most specific label's candidate: its first occurrence, or with `last` its last. */
export function pick(candidates: readonly Candidate[], last = false): Candidate | undefined {
  if (candidates.length === 0) return undefined;
  const rank = Math.min(...candidates.map((c) => c.rank));
  const best = candidates.filter((c) => c.rank === rank).sort((a, b) => a.order - b.order);
  return last ? best.at(-1) : best[0];
}

/** The rows under a label cell that overlap it horizontally (an address block), at most `max`. */
export function blockBelow(
  rows: readonly Row[],
  patterns: readonly string[],
  max = 3,
): { text: string; row: Row } | undefined {
  for (let i = 0; i < rows.length; i++) {
    const row = rows[i]!;
    const cell = row.cells.find((c) => patterns.some((p) => labelRegex(p).test(c.text)));
    if (!cell) continue;
    const pattern = patterns.find((p) => labelRegex(p).test(cell.text))!;
    const inline = cell.text.replace(labelRegex(pattern), '').trim();
    const lines: string[] = inline ? [inline] : [];
    const height = cell.height;
    let lastY = row.y;
    for (let j = i + 1; j < rows.length && lines.length < max; j++) {
      const next = rows[j]!;
      if (next.page !== row.page || next.y - lastY > 2.2 * height) break;
      const hit = next.cells.find(
        (c) => c.x < cell.right + 40 && c.right > cell.x - 2 && Math.abs(c.x - cell.x) < 3 * height,
      );
      if (!hit) continue;
      lines.push(hit.text);
      lastY = next.y;
    }
    if (lines.length > 0) return { text: lines.join(', '), row };
  }
  return undefined;
}
