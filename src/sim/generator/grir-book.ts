/**
 * The sample company's GR/IR book: thousands of receipt-required PO lines, most received and
 * invoiced cleanly (full and split deliveries, split invoices, returns credited by a credit note),
 * and a few per cent left open with a known root cause — the ground truth `settle grir` is scored
 * against. Deterministic: same seed and size, same book. Its records use their own id ranges and
 * suppliers, so appending it to the sample company changes none of the company's records.
 */
import type { CoupaDataset } from '../dataset.js';
import { GrirCause } from '../../domain/grir/types.js';
import { DAY_MS } from './context.js';
import { GrirKit, type GrirPo, type GrirSupplier } from './grir-kit.js';
import { SCENARIOS, type GrirLabel, type SupplierPoolsForGrir } from './grir-scenarios.js';
import { createRng } from './rng.js';
import { DEFAULT_NOW } from './types.js';

export type { GrirLabel } from './grir-scenarios.js';

export interface GrirBookOptions {
  seed: number;
  /** PO lines in the book (clean and open). */
  poLines: number;
  now?: string;
  /** Share of PO lines seeded open (default 3.5%); every cause gets at least `minPerCause`. */
  openShare?: number;
  minPerCause?: number;
}

export interface GrirBook {
  records: Pick<
    CoupaDataset,
    'users' | 'suppliers' | 'contracts' | 'purchase-orders' | 'receiving-transactions' | 'invoices'
  >;
  /** One label per seeded open PO line. */
  labels: GrirLabel[];
  summary: {
    poLines: number;
    purchaseOrders: number;
    receipts: number;
    invoices: number;
    seededOpen: number;
    byCause: Record<string, number>;
  };
}

function pools(kit: GrirKit, poLines: number): SupplierPoolsForGrir {
  const n = Math.max(12, Math.round(poLines / 120));
  const out: SupplierPoolsForGrir = { contracted: [], plain: [], foreign: [] };
  for (let i = 0; i < n; i++) {
    const kind = i % 6;
    if (kind === 0) out.contracted.push(kit.addSupplier('USD', true));
    else if (kind === 1) out.foreign.push(kit.addSupplier(i % 12 === 1 ? 'EUR' : 'GBP', false));
    else out.plain.push(kit.addSupplier('USD', false));
  }
  return out;
}

/** A PO that clears: every line received (sometimes in two deliveries) and invoiced (sometimes in two). */
function cleanPo(kit: GrirKit, all: readonly GrirSupplier[]): GrirPo {
  const { rng } = kit;
  const po = kit.purchaseOrder(rng.pick(all), kit.daysAgo(rng.int(45, 360)), rng.int(1, 5));
  const first = po.createdMs + rng.int(2, 10) * DAY_MS;
  for (const line of po.lines) {
    const full = line.amount ? line.price : line.quantity;
    if (!line.amount && full > 3 && rng.chance(0.15)) {
      const part = rng.int(1, full - 1);
      kit.receive(po, line, part, first);
      kit.receive(po, line, full - part, first + rng.int(3, 9) * DAY_MS);
    } else kit.receive(po, line, full, first);
  }
  const billAt = first + rng.int(10, 25) * DAY_MS;
  const head = po.lines[0]!;
  if (!head.amount && head.quantity > 3 && rng.chance(0.08)) {
    const part = rng.int(1, head.quantity - 1);
    kit.invoice(po, [{ line: head, quantity: part, price: head.price }], billAt);
    kit.invoice(
      po,
      po.lines.map((l) => ({ line: l, quantity: l === head ? l.quantity - part : l.quantity, price: l.price })),
      billAt + 5 * DAY_MS,
    );
  } else
    kit.invoice(
      po,
      po.lines.map((l) => ({ line: l, quantity: l.quantity, price: l.price })),
      billAt,
    );
  if (!head.amount && head.quantity > 2 && rng.chance(0.03)) {
    // Returned and credited: the return and the credit note cancel out.
    const back = rng.int(1, head.quantity - 1);
    kit.receive(po, head, back, billAt + 4 * DAY_MS, 'ReceivingQuantityReturnToSupplier');
    kit.invoice(po, [{ line: head, quantity: back, price: head.price }], billAt + 9 * DAY_MS, { creditNote: true });
  }
  return po;
}

/** Generate the book. Throws RangeError on a bad seed or size. */
export function generateGrirBook(options: GrirBookOptions): GrirBook {
  const { seed, poLines } = options;
  if (!Number.isSafeInteger(seed) || seed < 0) throw new RangeError(`seed must be a non-negative integer, got ${seed}`);
  if (!Number.isSafeInteger(poLines) || poLines < 100)
    throw new RangeError(`poLines must be an integer ≥ 100, got ${poLines}`);
  const kit = new GrirKit(createRng(seed), Date.parse(options.now ?? DEFAULT_NOW));
  kit.addRequesters(Math.max(8, Math.round(poLines / 400)));
  const suppliers = pools(kit, poLines);
  const perCause = Math.max(
    options.minPerCause ?? 12,
    Math.round((poLines * (options.openShare ?? 0.035)) / GrirCause.options.length),
  );
  const labels: GrirLabel[] = [];
  const slots = kit.rng.shuffle(GrirCause.options.flatMap((cause) => Array.from({ length: perCause }, () => cause)));
  for (const cause of slots) labels.push(...SCENARIOS[cause](kit, suppliers));
  const all = [...suppliers.plain, ...suppliers.contracted, ...suppliers.foreign];
  let lines = kit.records['purchase-orders'].reduce((n, po) => n + (po['order-lines'] as unknown[]).length, 0);
  while (lines < poLines) lines += cleanPo(kit, all).lines.length;
  const byCause: Record<string, number> = {};
  for (const l of labels) byCause[l.cause] = (byCause[l.cause] ?? 0) + 1;
  labels.sort((a, b) => a.poLineId - b.poLineId);
  const r = kit.records;
  return {
    records: r,
    labels,
    summary: {
      poLines: lines,
      purchaseOrders: r['purchase-orders'].length,
      receipts: r['receiving-transactions'].length,
      invoices: r.invoices.length,
      seededOpen: labels.length,
      byCause,
    },
  };
}

/** The dataset with the book's records appended (a new dataset; `dataset` is not changed). */
export function withGrirBook(dataset: CoupaDataset, book: GrirBook): CoupaDataset {
  const out = { ...dataset };
  for (const key of Object.keys(book.records) as Array<keyof GrirBook['records']>)
    out[key] = [...dataset[key], ...book.records[key]];
  return out;
}
