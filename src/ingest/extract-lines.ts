/**
 * Line items from the table. The header row is found by its column words (in the document's
 * language and English); each column's x range comes from it. Below it, every row is one of:
 * a line (a description and an amount), a continuation (description text only: wrapped text,
 * notes, serial numbers), a section sub-total or heading, or the totals block that ends the
 * table. A section sub-total is told from the totals by what follows it: more lines. Without a
 * header, rows ending in quantity · price · amount that multiply out are taken as lines.
 */
import { Dec } from '../domain/money.js';
import { parseAmount, type NumberStyle } from './numbers.js';
import type { Cell, ExtractedField, ExtractedLine, Row } from './types.js';
import type { ReadingVocabulary, TableRole } from './vocabulary.js';

/** `grossAmount`: an amount column whose heading says it includes tax. */
type Role = Exclude<TableRole, 'gross'> | 'grossAmount' | 'other';

export interface LineTable {
  lines: ExtractedLine[];
  /** Rows the table occupied (header, notes and section sub-totals included): header extraction ignores them. */
  rows: Set<Row>;
}

/** Column roles tried in this order: the specific ones before "price" or "total" can claim a cell. */
const ROLE_ORDER = ['poLine', 'quantity', 'taxRate', 'amount', 'unitPrice', 'description'] as const;
type ColumnRole = (typeof ROLE_ORDER)[number];

interface Column {
  role: Role;
  cell: Cell;
}

interface RoleWord {
  role: ColumnRole;
  at: number;
  length: number;
}

interface Compiled {
  roleOf: (text: string) => Role | undefined;
  roleWords: (text: string) => RoleWord[];
  totals: RegExp;
  totalAnywhere: RegExp;
  section: RegExp;
  note: RegExp;
  carried: RegExp;
}

function compile(vocab: ReadingVocabulary): Compiled {
  const anywhere = ROLE_ORDER.map(
    (role) => [role, new RegExp(`(?<![\\p{L}])(?:${vocab.table[role].join('|')})(?![\\p{L}])`, 'giu')] as const,
  );
  const gross = new RegExp(`(?<![\\p{L}])(?:${vocab.table.gross.join('|')})(?![\\p{L}])`, 'iu');
  /** Every role word in a heading, a word inside a longer one ("rate" in "Tax rate") left out. */
  const roleWords = (text: string): RoleWord[] => {
    const found: RoleWord[] = [];
    for (const [role, re] of anywhere)
      for (const m of text.trim().matchAll(re)) found.push({ role, at: m.index, length: m[0].length });
    return found.filter(
      (w) => !found.some((o) => o !== w && o.length > w.length && o.at <= w.at && o.at + o.length >= w.at + w.length),
    );
  };
  return {
    roleWords,
    // A merged header cell ("BTW Prijs incl. BTW", "BTW Hoveelheid") is named by its last role word; the longest wins a tie.
    roleOf: (text) => {
      let best: RoleWord | undefined;
      for (const w of roleWords(text))
        if (!best || w.at > best.at || (w.at === best.at && w.length > best.length)) best = w;
      if (!best) return undefined;
      return best.role === 'amount' && gross.test(text) ? 'grossAmount' : best.role;
    },
    // A rate may come first: "20% TVA", "21% BTW".
    totals: new RegExp(`^(?:\\d{1,2}(?:[.,]\\d{1,2})?\\s*%\\s*)?(?:${vocab.totalsStart.join('|')})(?![\\p{L}])`, 'iu'),
    totalAnywhere: new RegExp(`(?<![\\p{L}])(?:${vocab.labels.total.join('|')})(?![\\p{L}])`, 'iu'),
    section: new RegExp(`^(?:${vocab.sectionTotal.join('|')})(?![\\p{L}])`, 'iu'),
    note: new RegExp(`^(?:${vocab.lineNotes.join('|')})`, 'iu'),
    carried: new RegExp(`(?:^|\\s)(?:${vocab.carriedForward.join('|')})`, 'iu'),
  };
}

/**
 * A heading cell that holds two columns' words ("IMPORTE ALICUOTA": the amount and the tax rate
 * printed close together) is split where the second word starts, in proportion to its text.
 */
function splitMerged(cell: Cell, re: Compiled): Cell[] {
  const text = cell.text.trim();
  const words = re.roleWords(text).sort((a, b) => a.at - b.at);
  const starts = words
    .filter((w, i) => i > 0 && w.role !== words[i - 1]!.role && /\s/.test(text[w.at - 1] ?? ''))
    .map((w) => w.at);
  if (starts.length === 0) return [cell];
  const cuts = [0, ...starts, text.length];
  const width = cell.right - cell.x;
  return cuts.slice(0, -1).map((from, i) => ({
    ...cell,
    text: text.slice(from, cuts[i + 1]).trim(),
    x: cell.x + (width * from) / text.length,
    right: cell.x + (width * cuts[i + 1]!) / text.length,
  }));
}

function headerRoles(row: Row, re: Compiled): Column[] | undefined {
  // Headings are words: a row carrying a phone or account number ("09 72 67 50 94 (prix d'appel)") is prose.
  if ((row.text.match(/\d/g)?.length ?? 0) >= 5) return undefined;
  const roles = row.cells
    .flatMap((c) => splitMerged(c, re))
    .map((cell) => ({ role: re.roleOf(cell.text) ?? 'other', cell }) as Column);
  const has = (r: Role): boolean => roles.some((x) => x.role === r);
  // "Produit | Description | Taxes | Prix": without a quantity, the only price column is the line's amount.
  if (
    !has('amount') &&
    !has('grossAmount') &&
    !has('quantity') &&
    has('description') &&
    roles.filter((x) => x.role === 'unitPrice').length === 1
  ) {
    return roles.map((x) => (x.role === 'unitPrice' ? { ...x, role: 'amount' } : x));
  }
  const amount = has('amount') || has('grossAmount');
  // The description may be printed under a heading of its own ("Artikelomschrijving"): quantity, price and amount say it is the table.
  return amount &&
    ((has('description') && (has('quantity') || has('unitPrice'))) || (has('quantity') && has('unitPrice')))
    ? roles
    : undefined;
}

/** The column a data cell belongs to: most horizontal overlap, else the nearest centre. */
function columnOf(cell: Cell, columns: readonly Column[]): Role {
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
const isPercent = (text: string): boolean => /^\d+(?:[.,]\d+)?\s*%$/.test(text.trim());
/** A leading quantity with its unit ("20 Stk", "1.00 kg", "15 Unit(s)"). */
const quantityOf = (text: string, style: NumberStyle): string | undefined => {
  const m = /^(-?\d[\d.,']*)(?:\s+\p{L}[\p{L}().]*)?$/u.exec(text.trim());
  return m ? parseAmount(m[1]!, style) : undefined;
};

/** A line from its cells; confidence is high when quantity × price = amount exactly. */
function buildLine(parts: Partial<Record<Role, string[]>>, style: NumberStyle): ExtractedLine | undefined {
  const amountsIn = (texts: string[] | undefined): string[] =>
    (texts ?? [])
      .filter((t) => !isPercent(t))
      .map((t) => parseAmount(t, style))
      .filter((a): a is string => a !== undefined);
  // Beside a tax-inclusive column the net amount is the line's ("Subtotal | Subtotal c/IVA"); alone, the gross one is.
  const amount = amountsIn(parts.amount).at(-1) ?? amountsIn(parts.grossAmount).at(-1);
  // The description printed under another column's heading ("Ordernummer" over "4718… BenQ monitor"): the words beside the numbers.
  const description = (
    parts.description?.join(' ') ??
    [...(parts.other ?? []), ...(parts.poLine ?? [])].filter((t) => /\p{L}{3}/u.test(t)).join(' ')
  ).trim();
  if (amount === undefined || !description) return undefined;
  const quantity = parts.quantity?.map((q) => quantityOf(q, style)).find((q) => q !== undefined);
  const unitPrice = parts.unitPrice
    ?.filter((t) => !isPercent(t))
    .map((t) => parseAmount(t, style))
    .find((a) => a !== undefined);
  const consistent =
    quantity !== undefined &&
    unitPrice !== undefined &&
    new Dec(quantity).times(unitPrice).toDecimalPlaces(2).eq(amount);
  const c = consistent ? 0.97 : 0.8;
  const poLine = parts.poLine?.join(' ').match(/\d+/)?.[0];
  return {
    description: field(description, 0.92),
    amount: field(amount, c),
    ...(quantity !== undefined ? { quantity: field(quantity, c) } : {}),
    ...(unitPrice !== undefined ? { unitPrice: field(unitPrice, c) } : {}),
    ...(poLine ? { poLine: field(poLine, 0.9) } : {}),
  };
}

type RowKind =
  | { kind: 'line'; line: ExtractedLine }
  | { kind: 'totals'; section: boolean }
  | { kind: 'note'; text?: string }
  | { kind: 'header' }
  | { kind: 'carried' };

function classify(row: Row, columns: readonly Column[], style: NumberStyle, re: Compiled): RowKind {
  if (headerRoles(row, re)) return { kind: 'header' };
  const parts: Partial<Record<Role, string[]>> = {};
  for (const cell of row.cells) (parts[columnOf(cell, columns)] ??= []).push(cell.text);
  const first = row.cells[0]?.text ?? '';
  // "Total Without Taxes 650.00 €" in one cell: a totals word and its amount at the end.
  // Only words before it: "Tax: 8% on $ 10.00" is a remark about a base, not a totals row.
  const endsInAmount = (text: string): boolean =>
    [/^(\D*?)\s(\S+\s?\S*)$/.exec(text), /^(\D*?)\s(\S+)$/.exec(text)].some(
      (m) => m !== null && parseAmount(m[2]!, style) !== undefined,
    );
  const hasAmount = row.cells.some(
    (c) =>
      !isPercent(c.text) &&
      (parseAmount(c.text.replace(re.totals, ''), style) !== undefined ||
        (re.totals.test(c.text) && endsInAmount(c.text))),
  );
  // "Tax preparation" with a quantity is a line; "Tax 19%  19.00" without one is the totals.
  const hasQuantity = parts.quantity?.some((q) => quantityOf(q, style) !== undefined) ?? false;
  // "Carried forward  30.00" at a page break: the table goes on over the page.
  if (hasAmount && !hasQuantity && row.cells.some((c) => re.carried.test(c.text))) return { kind: 'carried' };
  if (row.cells.some((c) => re.totals.test(c.text)) && hasAmount && !hasQuantity)
    return { kind: 'totals', section: row.cells.some((c) => re.section.test(c.text)) };
  // A row of totals headings with their amounts on the row below ("SUB TOTAL | I.V.A. | TOTAL") ends the table too.
  if (!hasAmount && row.cells.length >= 2 && row.cells.filter((c) => re.totals.test(c.text)).length >= 2)
    return { kind: 'totals', section: false };
  if (re.note.test(first)) return { kind: 'note' };
  const line = buildLine(parts, style);
  if (line) return { kind: 'line', line };
  const onlyDescription = Object.keys(parts).every((k) => k === 'description' || k === 'quantity' || k === 'other');
  return { kind: 'note', ...(onlyDescription && parts.description ? { text: parts.description.join(' ') } : {}) };
}

function fromHeader(
  rows: readonly Row[],
  start: number,
  columns: readonly Column[],
  style: NumberStyle,
  re: Compiled,
): LineTable {
  const used = new Set<Row>([rows[start]!]);
  const lines: ExtractedLine[] = [];
  const kinds = rows.map((row, i) => (i > start ? classify(row, columns, style, re) : undefined));
  let pendingNotes: Row[] = [];
  for (let i = start + 1; i < rows.length; i++) {
    const kind = kinds[i]!;
    const row = rows[i]!;
    if (kind.kind === 'header' || kind.kind === 'carried') {
      used.add(row);
      continue;
    } // the header repeated on a new page, a running total
    if (kind.kind === 'line') {
      lines.push(kind.line);
      for (const r of [...pendingNotes, row]) used.add(r);
      pendingNotes = [];
      continue;
    }
    if (kind.kind === 'totals') {
      // A section sub-total when a line follows before the next totals row; else the table is over.
      const next = kinds.slice(i + 1).find((k) => k && k.kind !== 'note');
      // Notes after a section sub-total (the next section's heading) belong to no line above.
      if (kind.section && next?.kind === 'line' && lines.length > 0) {
        pendingNotes.push(row);
        continue;
      }
      break;
    }
    // Wrapped descriptions continue the line above on the same page; other notes wait to see whether a line follows.
    if (
      kind.text &&
      lines.length > 0 &&
      pendingNotes.length === 0 &&
      row.page === rows[i - 1]?.page &&
      row.y - rows[i - 1]!.y < 3 * Math.max(...row.cells.map((c) => c.height))
    ) {
      const last = lines.at(-1)!;
      last.description = field(`${last.description.value} ${kind.text}`, last.description.confidence);
      used.add(row);
    } else {
      pendingNotes.push(row);
    }
  }
  return { lines, rows: used };
}

/** Fallback without a header: description, then quantity, price and amount that multiply out. */
function fromPatterns(rows: readonly Row[], style: NumberStyle): LineTable {
  const lines: ExtractedLine[] = [];
  const used = new Set<Row>();
  for (const row of rows) {
    const cells = row.cells.map((c) => c.text).filter((t) => !isPercent(t));
    if (cells.length < 4) continue;
    const [q, p, a] = cells.slice(-3);
    const line = buildLine({ description: cells.slice(0, -3), quantity: [q!], unitPrice: [p!], amount: [a!] }, style);
    // Zero × zero = zero proves nothing ("Communications  0.00  0.00  0.00" is a summary row).
    if (
      line &&
      line.amount.confidence > 0.9 &&
      !new Dec(line.amount.value).isZero() &&
      !new Dec(line.quantity?.value ?? '0').isZero()
    ) {
      lines.push({ ...line, description: field(line.description.value, 0.8) });
      used.add(row);
    }
  }
  return { lines, rows: used };
}

/** A row that is a description and one amount ("Amazon Glacier  $2.22"), with the description's left edge. */
function describedAmount(
  row: Row,
  style: NumberStyle,
  re: Compiled,
): { x: number; description: string; amount: string } | undefined {
  if (row.cells.length !== 2) return undefined;
  const [text, value] = row.cells as [Cell, Cell];
  const amount = isPercent(value.text) ? undefined : parseAmount(value.text, style);
  if (amount === undefined || !/\p{L}{3}/u.test(text.text) || parseAmount(text.text, style) !== undefined)
    return undefined;
  if (re.totals.test(text.text) || re.note.test(text.text) || re.carried.test(text.text) || /:\s*$/.test(text.text))
    return undefined;
  return { x: text.x, description: text.text.trim(), amount };
}

/**
 * Without a header row: runs of two or more "description  amount" rows that start at one left
 * edge (rows indented deeper between them are their details) and add up exactly to an amount
 * printed on a totals row. The sum is the evidence; without it nothing is taken.
 */
function fromAmountRuns(rows: readonly Row[], style: NumberStyle, re: Compiled): LineTable {
  // Amounts beside a totals word, or at the end of a cell that carries one ("Invoice Total: $101.00").
  const trailing = (text: string): string | undefined =>
    parseAmount(/(\S+\s?\S*)$/.exec(text)?.[1] ?? '', style) ?? parseAmount(/(\S+)$/.exec(text)?.[1] ?? '', style);
  const targets = new Set(
    rows
      .flatMap((r) => {
        if (r.cells.some((c) => re.totals.test(c.text))) return r.cells.map((c) => parseAmount(c.text, style));
        return r.cells.filter((c) => re.totalAnywhere.test(c.text)).map((c) => trailing(c.text));
      })
      .filter((a): a is string => a !== undefined && !new Dec(a).isZero())
      .map((a) => new Dec(a).toFixed(2)),
  );
  let best: Array<{ row: Row; description: string; amount: string }> = [];
  for (let i = 0; i < rows.length; i++) {
    const first = describedAmount(rows[i]!, style, re);
    if (!first) continue;
    const run = [{ row: rows[i]!, ...first }];
    for (let j = i + 1; j < rows.length; j++) {
      const row = rows[j]!;
      if (row.page !== rows[i]!.page) break;
      const left = Math.min(...row.cells.map((c) => c.x));
      if (left > first.x + 3) continue; // a detail of the line above
      const next = Math.abs(left - first.x) <= 3 ? describedAmount(row, style, re) : undefined;
      if (!next) break;
      run.push({ row, ...next });
    }
    const sum = run.reduce((t, l) => t.plus(l.amount), new Dec(0)).toFixed(2);
    // One row equal to the total is as likely a labelled amount ("Due by 5 July  29.99") as a line.
    if (run.length >= 2 && run.length > best.length && targets.has(sum)) best = run;
  }
  return {
    lines: best.map((l) => ({ description: field(l.description, 0.8), amount: field(l.amount, 0.88) })),
    rows: new Set(best.map((l) => l.row)),
  };
}

/** The invoice's line items and the rows they came from. */
export function extractLines(rows: readonly Row[], style: NumberStyle, vocab: ReadingVocabulary): LineTable {
  const re = compile(vocab);
  for (let i = 0; i < rows.length; i++) {
    const columns = headerRoles(rows[i]!, re);
    if (columns) {
      const table = fromHeader(rows, i, columns, style, re);
      if (table.lines.length > 0) return table;
    }
  }
  const patterns = fromPatterns(rows, style);
  return patterns.lines.length > 0 ? patterns : fromAmountRuns(rows, style, re);
}
