/**
 * The PO a document cites, and which of its lines each invoice line bills. PO numbers are
 * normalised ("PO-20001", "P.O. #20001" → "20001") and looked up; lines are paired one-to-one by
 * printed PO line number, description similarity, price and the quantity still open.
 */
import { distance } from 'fastest-levenshtein';
import { query } from '../coupa/index.js';
import type { OrderLine, PurchaseOrder } from '../coupa/schemas.js';
import { Dec } from '../domain/money.js';
import { firstN, type IngestCoupa } from './coupa-port.js';
import type { ExtractedLine, ValidationProblem } from './types.js';

/** "PO-20001", "P.O. # 020001", "po 20001" → "20001"; other references keep their letters. */
export function normalisePoNumber(raw: string): string {
  const s = raw
    .toUpperCase()
    .trim()
    .replace(/^(?:P\.?\s*O\.?|PURCHASE\s*ORDER)\s*(?:NO\.?|NUMBER|#)?\s*[-:#.\s]*/, '')
    .replace(/[\s.]/g, '');
  return /^\d+$/.test(s) ? s.replace(/^0+(?=\d)/, '') : s;
}

/** The PO with this number (normalised first, then as printed), or undefined. */
export async function findPurchaseOrder(coupa: IngestCoupa, printed: string): Promise<PurchaseOrder | undefined> {
  for (const n of [...new Set([normalisePoNumber(printed), printed.trim()])]) {
    const [po] = await firstN(coupa.listPurchaseOrders(query().where('po-number', n)), 1);
    if (po) return po;
  }
  return undefined;
}

function similarity(a: string, b: string): number {
  const [x, y] = [a, b].map((s) =>
    s
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, ' ')
      .trim(),
  );
  if (!x || !y) return 0;
  return 1 - distance(x, y) / Math.max(x.length, y.length);
}

const openQuantity = (l: OrderLine): Dec => new Dec(l.quantity ?? '0').minus(l.invoiced ?? '0');

function lineScore(line: ExtractedLine, po: OrderLine): number {
  const desc = similarity(line.description.value, po.description ?? '');
  const samePrice = line.unitPrice !== undefined && po.price != null && new Dec(line.unitPrice.value).eq(po.price);
  const sameNumber = line.poLine !== undefined && String(po.lineNum ?? '') === line.poLine.value;
  if (!sameNumber && desc < 0.6 && !samePrice) return 0;
  return 0.5 * desc + (samePrice ? 0.3 : 0) + (sameNumber ? 0.4 : 0);
}

export interface LineMatch {
  orderLineIds: Array<number | null>;
  problems: ValidationProblem[];
}

/** Pair invoice lines with PO lines (best pairs first, each PO line used once) and check them. */
export function matchLines(lines: readonly ExtractedLine[], po: PurchaseOrder): LineMatch {
  const pairs = lines
    .flatMap((line, i) => po.orderLines.map((ol) => ({ i, ol, score: lineScore(line, ol) })))
    .filter((p) => p.score > 0);
  pairs.sort((a, b) => b.score - a.score);
  const chosen = new Map<number, OrderLine>();
  const used = new Set<number>();
  for (const p of pairs) {
    if (chosen.has(p.i) || used.has(p.ol.id)) continue;
    chosen.set(p.i, p.ol);
    used.add(p.ol.id);
  }
  const problems: ValidationProblem[] = [];
  const orderLineIds = lines.map((line, i) => {
    const ol = chosen.get(i);
    const field = `lines[${i}]`;
    if (!ol) {
      problems.push({
        code: 'line_not_on_po',
        severity: 'error',
        field,
        message: `line ${i + 1} ("${line.description.value.slice(0, 60)}") matches no line of PO ${po.poNumber}`,
      });
      return null;
    }
    if (line.unitPrice && ol.price != null && new Dec(line.unitPrice.value).gt(ol.price)) {
      problems.push({
        code: 'price_above_po',
        severity: 'error',
        field,
        message: `line ${i + 1} is priced ${line.unitPrice.value}; PO line ${ol.lineNum ?? ol.id} says ${ol.price}`,
      });
    }
    if (line.quantity && new Dec(line.quantity.value).gt(openQuantity(ol))) {
      problems.push({
        code: 'quantity_above_po',
        severity: 'error',
        field,
        message: `line ${i + 1} bills ${line.quantity.value}; PO line ${ol.lineNum ?? ol.id} has ${openQuantity(ol).toString()} left to invoice`,
      });
    }
    return ol.id;
  });
  return { orderLineIds, problems };
}
