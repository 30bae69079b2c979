/**
 * Shared by the generator tests: one company per (seed, size), and indexes over its wire records
 * so checks recompute facts from the records themselves rather than trusting the labels.
 */
import { generateCompany, type SampleCompany } from '../src/sim/generator/index.js';

export type Rec = Record<string, unknown> & { id: number };

const cache = new Map<string, SampleCompany>();

/** Memoised: generation is deterministic, so tests may share one instance (they must not mutate it). */
export function company(seed = 7, invoices = 2000): SampleCompany {
  const key = `${seed}:${invoices}`;
  let c = cache.get(key);
  if (!c) cache.set(key, (c = generateCompany({ seed, invoices })));
  return c;
}

export interface CompanyIndex {
  invoices: Map<number, Rec>;
  suppliers: Map<number, Rec>;
  orderLines: Map<number, Rec & { po: Rec }>;
  purchaseOrders: Map<number, Rec>;
  contractsBySupplier: Map<number, Rec[]>;
  usersByLogin: Map<string, Rec>;
}

export function indexOf(c: SampleCompany): CompanyIndex {
  const ds = c.dataset;
  const orderLines = new Map<number, Rec & { po: Rec }>();
  for (const po of ds['purchase-orders']) {
    for (const line of po['order-lines'] as Rec[]) orderLines.set(line.id, { ...line, po });
  }
  const contractsBySupplier = new Map<number, Rec[]>();
  for (const contract of ds.contracts) {
    const id = (contract.supplier as { id: number }).id;
    contractsBySupplier.set(id, [...(contractsBySupplier.get(id) ?? []), contract]);
  }
  return {
    invoices: new Map(ds.invoices.map((i) => [i.id, i])),
    suppliers: new Map(ds.suppliers.map((s) => [s.id, s])),
    orderLines,
    purchaseOrders: new Map(ds['purchase-orders'].map((p) => [p.id, p])),
    contractsBySupplier,
    usersByLogin: new Map(ds.users.map((u) => [String(u.login), u])),
  };
}

/** Cents from a two-place decimal string (test-side arithmetic stays in integers). */
export function cents(value: unknown): number {
  const m = /^(-?)(\d+)\.(\d{2})$/.exec(String(value));
  if (!m) throw new Error(`not a money string: ${String(value)}`);
  const n = Number(m[2]) * 100 + Number(m[3]);
  return m[1] === '-' ? -n : n;
}

/** Hundredths of a percent from a percentage string (`"5"` → 500, `"2.5"` → 250). */
export function basisPoints(value: string): number {
  const m = /^(\d+)(?:\.(\d{1,2}))?$/.exec(value);
  if (!m) throw new Error(`not a percentage: ${value}`);
  return Number(m[1]) * 100 + Number((m[2] ?? '').padEnd(2, '0'));
}

/** Whole units from a Coupa quantity string (`"12.0"`). */
export function units(value: unknown): number {
  const m = /^(\d+)\.0$/.exec(String(value));
  if (!m) throw new Error(`not a whole quantity: ${String(value)}`);
  return Number(m[1]);
}

/**
 * An invoice number as a careful duplicate check compares it: case, spacing, punctuation,
 * look-alike letters, an `inv` prefix and leading zeros do not matter.
 */
export function normaliseNumber(number: string): string {
  return number
    .toLowerCase()
    .replace(/o/g, '0')
    .replace(/[il]/g, '1')
    .replace(/[^a-z0-9]/g, '')
    .replace(/^(1nv0[1i]ce|1nv)/, '')
    .replace(/^0+/, '');
}

export const lines = (invoice: Rec): Rec[] => invoice['invoice-lines'] as Rec[];
export const supplierId = (record: Rec): number => (record.supplier as { id: number }).id;
export const DAY_MS = 86_400_000;

/** `Map.groupBy` (Node 21+) for Node 20. */
export function groupBy<T, K>(items: Iterable<T>, key: (item: T) => K): Map<K, T[]> {
  const groups = new Map<K, T[]>();
  for (const item of items) {
    const k = key(item);
    const list = groups.get(k);
    if (list) list.push(item);
    else groups.set(k, [item]);
  }
  return groups;
}
