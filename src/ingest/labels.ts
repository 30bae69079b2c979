/**
 * Finding a labelled value in the layout. A label ("Invoice No.", "Due Date") is looked for in
 * each cell; its value is the rest of that cell, else the next cell on the row, else the cell
 * just below it — each with its own confidence, since "below" guesses more than "inline".
 */
import type { ExtractedField, FieldSource, Row } from './types.js';

/** Accepts candidate text and returns the canonical value, or undefined when it does not fit. */
export type Acceptor = (text: string) => string | undefined;

export const SOURCE_CONFIDENCE: Readonly<Record<FieldSource, number>> = {
  'label-inline': 0.95, 'label-right': 0.93, 'label-below': 0.88, layout: 0.8, pattern: 0.75, derived: 0.9, llm: 0.8,
};

export interface FoundValue extends ExtractedField {
  row: Row;
}

/** Rows a label's value may sit on below it: the next one or two. */
const BELOW_WINDOW = 2.6;

/** A label at the start of a cell, with an optional "(USD)"/"(19%)" aside and a separator. */
function labelRegex(labels: readonly string[]): RegExp {
  return new RegExp(`^\\s*(?:${labels.join('|')})(?![\\p{L}])\\s*(?:\\([^)]{0,12}\\))?\\s*[:#.]?\\s*`, 'iu');
}

function cellBelow(rows: readonly Row[], index: number, x: number, right: number): string | undefined {
  const row = rows[index];
  if (!row) return undefined;
  const lineHeight = Math.max(...row.cells.map((c) => c.height));
  for (let j = index + 1; j < rows.length; j++) {
    const next = rows[j]!;
    if (next.page !== row.page || next.y - row.y > BELOW_WINDOW * lineHeight) break;
    const hit = next.cells.find((c) => c.x < right + 2 && c.right > x - 2);
    if (hit) return hit.text;
  }
  return undefined;
}

function matchesFor(rows: readonly Row[], re: RegExp, accept: Acceptor, exclude: RegExp | undefined): FoundValue[] {
  const found: FoundValue[] = [];
  rows.forEach((row, i) => {
    row.cells.forEach((cell, c) => {
      const m = re.exec(cell.text);
      if (!m || exclude?.test(cell.text)) return;
      const tries: Array<[FieldSource, string | undefined]> = [
        ['label-inline', cell.text.slice(m[0].length)],
        ['label-right', row.cells[c + 1]?.text],
        ['label-below', cellBelow(rows, i, cell.x, cell.right)],
      ];
      for (const [source, text] of tries) {
        const value = text ? accept(text) : undefined;
        if (value !== undefined) {
          found.push({ value, confidence: SOURCE_CONFIDENCE[source], source, row });
          return;
        }
      }
    });
  });
  return found;
}

/**
 * The value labelled by the first of `labels` (in priority order: specific before generic) that
 * yields one the acceptor takes; the first occurrence, or with `last` the last (totals sit at the
 * end). `exclude` rejects cells that belong to another field ("Tax ID" is not a tax amount).
 */
export function findLabelled(
  rows: readonly Row[],
  labels: readonly string[],
  accept: Acceptor,
  options: { last?: boolean; exclude?: RegExp } = {},
): FoundValue | undefined {
  for (const label of labels) {
    const found = matchesFor(rows, labelRegex([label]), accept, options.exclude);
    const pick = options.last ? found.at(-1) : found[0];
    if (pick) return pick;
  }
  return undefined;
}

/** The rows under a label cell that overlap it horizontally (an address block), at most `max`. */
export function blockBelow(rows: readonly Row[], labels: readonly string[], max = 3): { text: string; row: Row } | undefined {
  const re = labelRegex(labels);
  for (let i = 0; i < rows.length; i++) {
    const row = rows[i]!;
    const cell = row.cells.find((c) => re.test(c.text));
    if (!cell) continue;
    const inline = cell.text.replace(re, '').trim();
    const lines: string[] = inline ? [inline] : [];
    const height = cell.height;
    let lastY = row.y;
    for (let j = i + 1; j < rows.length && lines.length < max; j++) {
      const next = rows[j]!;
      if (next.page !== row.page || next.y - lastY > 2.2 * height) break;
      const hit = next.cells.find((c) => c.x < cell.right + 40 && c.right > cell.x - 2 && Math.abs(c.x - cell.x) < 3 * height);
      if (!hit) continue;
      lines.push(hit.text);
      lastY = next.y;
    }
    if (lines.length > 0) return { text: lines.join(', '), row };
  }
  return undefined;
}
