/**
 * Line items from the table: find the header row by its column words, take each column's x
 * range from it, and read rows below until the totals. A row with only a description continues
 * the line above (wrapped text). Without a recognisable header, rows ending in
 * quantity · price · amount that multiply out are taken as lines.
 */
import { Dec } from '../domain/money.js';
import { parseAmount, type NumberStyle } from './numbers.js';
import type { Cell, ExtractedField, ExtractedLine, Row } from './types.js';

type Role = 'description' | 'quantity' | 'unitPrice' | 'amount' | 'poLine' | 'other';

const HEADER_WORDS: ReadonlyArray<[Role, RegExp]> = [
  ['poLine', /^(?:po\s*line|po\s*ln|line\s*ref|order\s*line)\b/i],
  ['unitPrice', /^(?:unit\s*price|unit\s*cost|price|rate|unit\s*amount)\b/i],
  ['amount', /^(?:amount|line\s*total|total|ext(?:ended|\.)?\s*(?:price|amount)?|net\s*amount|line\s*amount)\b/i],
  ['quantity', /^(?:qty|quantity|units|hours|hrs)\b/i],
  ['description', /^(?:description|item|details|product|service|particulars|article)\b/i],
];

/** A cell that starts the totals block, where the line table ends. */
const TOTALS_START = /^(?:sub-?\s*total|total|amount\s+due|balance\s+due|net\s+amount|(?:sales\s+)?tax|vat|gst|shipping|freight)\b/i;

export interface LineTable {
  lines: ExtractedLine[];
  /** Rows the table occupied (header included): header extraction ignores them. */
  rows: Set<Row>;
}

function roleOf(cell: Cell): Role | undefined {
  return HEADER_WORDS.find(([, re]) => re.test(cell.text.trim()))?.[0];
}

function headerRoles(row: Row): Array<{ role: Role; cell: Cell }> | undefined {
  const roles = row.cells.map((cell) => ({ role: roleOf(cell) ?? 'other', cell }));
  const has = (r: Role): boolean => roles.some((x) => x.role === r);
  return has('description') && has('amount') && (has('quantity') || has('unitPrice')) ? roles : undefined;
}

/** The column a data cell belongs to: most horizontal overlap, else the nearest centre. */
function columnOf(cell: Cell, columns: Array<{ role: Role; cell: Cell }>): Role {
  let best: Role = 'other';
  let bestScore = -Infinity;
  for (const col of columns) {
    const overlap = Math.min(cell.right, col.cell.right) - Math.max(cell.x, col.cell.x);
    const distance = Math.abs((cell.x + cell.right) / 2 - (col.cell.x + col.cell.right) / 2);
    const score = overlap > 0 ? 1000 + overlap : -distance;
    if (score > bestScore) [best, bestScore] = [col.role, score];
  }
  return best;
}

const field = (value: string, confidence: number): ExtractedField => ({ value, confidence, source: 'layout' });

/** A line from its cells; confidence is high when quantity × price = amount exactly. */
function buildLine(parts: Partial<Record<Role, string>>, style: NumberStyle): ExtractedLine | undefined {
  const amount = parts.amount ? parseAmount(parts.amount, style) : undefined;
  const description = parts.description?.trim();
  if (amount === undefined || !description) return undefined;
  const quantity = parts.quantity ? parseAmount(parts.quantity, style) : undefined;
  const unitPrice = parts.unitPrice ? parseAmount(parts.unitPrice, style) : undefined;
  const consistent = quantity !== undefined && unitPrice !== undefined && new Dec(quantity).times(unitPrice).toDecimalPlaces(2).eq(amount);
  const c = consistent ? 0.97 : 0.8;
  const poLine = parts.poLine?.match(/\d+/)?.[0];
  return {
    description: field(description, 0.92),
    amount: field(amount, c),
    ...(quantity !== undefined ? { quantity: field(quantity, c) } : {}),
    ...(unitPrice !== undefined ? { unitPrice: field(unitPrice, c) } : {}),
    ...(poLine ? { poLine: field(poLine, 0.9) } : {}),
  };
}

function fromHeader(rows: readonly Row[], start: number, columns: Array<{ role: Role; cell: Cell }>, style: NumberStyle): LineTable {
  const used = new Set<Row>([rows[start]!]);
  const lines: ExtractedLine[] = [];
  for (let i = start + 1; i < rows.length; i++) {
    const row = rows[i]!;
    if (headerRoles(row)) { used.add(row); continue; } // the header repeated on a new page
    const parts: Partial<Record<Role, string>> = {};
    for (const cell of row.cells) {
      const role = columnOf(cell, columns);
      parts[role] = parts[role] ? `${parts[role]} ${cell.text}` : cell.text;
    }
    // "Tax preparation" with a quantity is a line; "Tax 19%" without one starts the totals.
    const hasQuantity = parts.quantity !== undefined && parseAmount(parts.quantity, style) !== undefined;
    if (row.cells.some((c) => TOTALS_START.test(c.text)) && !hasQuantity) break;
    const line = buildLine(parts, style);
    if (line) {
      lines.push(line);
      used.add(row);
    } else if (parts.description && Object.keys(parts).length === 1 && lines.length > 0 && row.page === rows[i - 1]?.page) {
      const last = lines.at(-1)!;
      last.description = field(`${last.description.value} ${parts.description}`, last.description.confidence);
      used.add(row);
    } else if (lines.length > 0) {
      break;
    }
  }
  return { lines, rows: used };
}

/** Fallback without a header: description, then quantity, price and amount that multiply out. */
function fromPatterns(rows: readonly Row[], style: NumberStyle): LineTable {
  const lines: ExtractedLine[] = [];
  const used = new Set<Row>();
  for (const row of rows) {
    const cells = row.cells.map((c) => c.text);
    if (cells.length < 4) continue;
    const [q, p, a] = cells.slice(-3);
    const line = buildLine({ description: cells.slice(0, -3).join(' '), quantity: q, unitPrice: p, amount: a }, style);
    if (line && line.amount.confidence > 0.9) {
      lines.push({ ...line, description: field(line.description.value, 0.8) });
      used.add(row);
    }
  }
  return { lines, rows: used };
}

/** The invoice's line items and the rows they came from. */
export function extractLines(rows: readonly Row[], style: NumberStyle): LineTable {
  for (let i = 0; i < rows.length; i++) {
    const columns = headerRoles(rows[i]!);
    if (columns) {
      const table = fromHeader(rows, i, columns, style);
      if (table.lines.length > 0) return table;
    }
  }
  return fromPatterns(rows, style);
}
