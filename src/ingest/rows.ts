/**
 * Positioned text fragments (PDF text items, OCR words) → rows of cells. Extraction works on
 * this layout rather than on a flat string: a label's value is the rest of its cell, the cell to
 * its right or the cell below it, and table columns are found by their x positions.
 */
import type { Cell, Row } from './types.js';

export interface Fragment {
  page: number;
  text: string;
  /** Left edge and top edge (y grows downwards), in the page's own units. */
  x: number;
  y: number;
  width: number;
  height: number;
}

/** Fragments whose vertical centres are this close (× their height) share a row. */
const SAME_ROW = 0.45;
/** A horizontal gap wider than this (× text height) starts a new cell: a column boundary. */
const CELL_GAP = 1.0;

function toCells(fragments: Fragment[]): Cell[] {
  const cells: Cell[] = [];
  let current: Cell | undefined;
  for (const f of [...fragments].sort((a, b) => a.x - b.x)) {
    const gap = current ? f.x - current.right : Infinity;
    if (current && gap < CELL_GAP * Math.max(current.height, f.height)) {
      current.text += gap > 0.15 * f.height && !current.text.endsWith(' ') ? ` ${f.text}` : f.text;
      current.right = Math.max(current.right, f.x + f.width);
      current.height = Math.max(current.height, f.height);
    } else {
      current = { text: f.text, x: f.x, right: f.x + f.width, height: f.height };
      cells.push(current);
    }
  }
  return cells.map((c) => ({ ...c, text: c.text.replace(/\s+/g, ' ').trim() })).filter((c) => c.text !== '');
}

/** Group fragments into rows per page, top to bottom; empty fragments are dropped. */
export function buildRows(fragments: readonly Fragment[]): Row[] {
  const rows: Row[] = [];
  const byPage = new Map<number, Fragment[]>();
  for (const f of fragments) {
    if (f.text.trim() === '') continue;
    byPage.set(f.page, [...(byPage.get(f.page) ?? []), f]);
  }
  for (const page of [...byPage.keys()].sort((a, b) => a - b)) {
    const sorted = [...(byPage.get(page) ?? [])].sort((a, b) => a.y + a.height / 2 - (b.y + b.height / 2));
    let group: Fragment[] = [];
    let centre = 0;
    const flush = (): void => {
      if (group.length === 0) return;
      const cells = toCells(group);
      if (cells.length > 0)
        rows.push({ page, y: Math.min(...group.map((g) => g.y)), cells, text: cells.map((c) => c.text).join('  ') });
      group = [];
    };
    for (const f of sorted) {
      const c = f.y + f.height / 2;
      if (group.length > 0 && Math.abs(c - centre) > SAME_ROW * f.height) flush();
      group.push(f);
      centre = group.reduce((s, g) => s + g.y + g.height / 2, 0) / group.length;
    }
    flush();
  }
  return rows;
}
