/**
 * The supplier's name: a "From:/Supplier:/Vendor:" label when there is one, else the largest text
 * at the top of the first page that is not a title, a label or the customer's bill-to block.
 * Only a guess until validation matches it to the supplier master.
 */
import { findLabelled } from './labels.js';
import type { Cell, ExtractedField, Row } from './types.js';

const TITLE = /^(?:tax\s+)?(?:invoice|bill|statement|credit\s+note|receipt|page\s+\d)\b/i;
const LABEL_LIKE = /^[^:]{0,30}:|\b(?:invoice|date|due|po|order|number|total|tax|vat|iban|account|phone|tel|fax|e-?mail)\b|www\.|https?:/i;
const CUSTOMER_BLOCK = /^(?:bill(?:ed)?|ship(?:ped)?|sold|invoice|deliver(?:ed)?)\s*to\b/i;
const LEGAL_FORM = /\b(?:inc|llc|llp|ltd|limited|corp|corporation|co|company|gmbh|ag|plc|sa|sarl|bv|nv|pty|group|industries|labs)\.?$/i;
/** How many rows from the top the supplier's letterhead can reach. */
const TOP_ROWS = 10;

const nameAcceptor = (text: string): string | undefined => {
  const name = text.trim();
  return name.length >= 3 && /\p{L}{2}/u.test(name) && !LABEL_LIKE.test(name) ? name : undefined;
};

/** Cells of the customer's bill-to/ship-to blocks (the label and a few rows under it). */
function customerCells(rows: readonly Row[]): Set<Cell> {
  const out = new Set<Cell>();
  rows.forEach((row, i) => {
    for (const label of row.cells.filter((c) => CUSTOMER_BLOCK.test(c.text))) {
      out.add(label);
      for (const next of rows.slice(i + 1, i + 5)) {
        for (const c of next.cells) if (c.x < label.right + 60 && c.right > label.x - 2) out.add(c);
      }
    }
  });
  return out;
}

/** The supplier name as printed, with a confidence; `rows` are the rows above the line table. */
export function extractSupplierName(rows: readonly Row[]): ExtractedField | undefined {
  const labelled = findLabelled(rows, ['from', 'supplier(?:\\s*name)?', 'vendor(?:\\s*name)?', 'seller', 'bill\\s*from', 'sold\\s*by'], nameAcceptor);
  if (labelled) return { value: labelled.value, confidence: labelled.confidence, source: labelled.source };
  const excluded = customerCells(rows);
  const top = rows.filter((r) => r.page === (rows[0]?.page ?? 1)).slice(0, TOP_ROWS);
  const candidates = top.flatMap((r) => r.cells).filter((c) => !excluded.has(c) && !TITLE.test(c.text) && nameAcceptor(c.text) && !/\d{3,}/.test(c.text));
  if (candidates.length === 0) return undefined;
  const tallest = Math.max(...candidates.map((c) => c.height));
  const best = candidates.find((c) => c.height >= tallest * 0.95)!;
  const confidence = 0.74 + (LEGAL_FORM.test(best.text) ? 0.1 : 0) + (candidates.length === 1 ? 0.05 : 0);
  return { value: best.text, confidence, source: 'layout' };
}
