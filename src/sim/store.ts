/**
 * The simulator's in-memory database: one indexed `Collection` per Coupa resource, loaded from a
 * deep copy of a `CoupaDataset` so simulator instances never share a record. Purchase order lines
 * are also served on their own (`/purchase_order_lines`), so the store keeps a derived
 * `order-lines` collection in step with the purchase orders.
 */
import { canonicalRecord } from './canonical.js';
import { cloneJson } from './clone.js';
import type { CoupaDataset } from './dataset.js';
import { Collection, type WireObject } from './collection.js';

/** Dataset collections plus the simulator's derived/internal ones. */
export type CollectionName = keyof CoupaDataset | 'order-lines' | 'attachments';

/** Paths clients filter by often enough to deserve an equality index. */
const INDEXED_PATHS: Record<CollectionName, ReadonlyArray<readonly string[]>> = {
  invoices: [['status'], ['supplier', 'id'], ['invoice-number'], ['invoice-lines', 'order-line-id']],
  'purchase-orders': [['status'], ['supplier', 'id'], ['po-number']],
  'order-lines': [['order-header-id']],
  'receiving-transactions': [['order-line', 'id']],
  approvals: [['approvable-id']],
  comments: [['commentable-id']],
  'supplier-information': [['supplier', 'id']],
  suppliers: [],
  users: [['login']],
  contracts: [['supplier', 'id']],
  attachments: [],
};

const DATASET_KEYS: ReadonlyArray<keyof CoupaDataset> = [
  'users',
  'suppliers',
  'supplier-information',
  'contracts',
  'purchase-orders',
  'receiving-transactions',
  'invoices',
  'approvals',
  'comments',
];

export class SimStore {
  private readonly collections = new Map<CollectionName, Collection>();
  private lineSeq: number | undefined;

  constructor(dataset?: Partial<CoupaDataset>) {
    for (const name of Object.keys(INDEXED_PATHS) as CollectionName[]) {
      this.collections.set(name, new Collection(INDEXED_PATHS[name]));
    }
    if (dataset) this.load(dataset);
  }

  collection(name: CollectionName): Collection {
    return this.collections.get(name) as Collection;
  }

  get(name: CollectionName, id: number): WireObject | undefined {
    return this.collection(name).get(id);
  }

  nextId(name: CollectionName): number {
    return this.collection(name).nextId();
  }

  /** Insert or replace; keeps derived order lines in step with their purchase order. */
  put(name: CollectionName, record: WireObject): void {
    if (name === 'purchase-orders') this.dropOrderLines(record.id);
    this.collection(name).put(record);
    if (name === 'purchase-orders') this.addOrderLines(record);
  }

  remove(name: CollectionName, id: number): boolean {
    if (name === 'purchase-orders') this.dropOrderLines(id);
    return this.collection(name).delete(id) !== undefined;
  }

  /** A fresh id for a new invoice line: above every line id present when first asked. */
  nextInvoiceLineId(): number {
    if (this.lineSeq === undefined) {
      let max = 0;
      for (const invoice of this.collection('invoices').values()) {
        const lines = invoice['invoice-lines'];
        if (!Array.isArray(lines)) continue;
        for (const line of lines as Array<{ id?: unknown }>)
          if (typeof line.id === 'number') max = Math.max(max, line.id);
      }
      this.lineSeq = max;
    }
    this.lineSeq += 1;
    return this.lineSeq;
  }

  /** Deep copies of a dataset collection, id ascending. */
  snapshot(name: keyof CoupaDataset): WireObject[] {
    return cloneJson([...this.collection(name).values()]);
  }

  private load(dataset: Partial<CoupaDataset>): void {
    for (const name of DATASET_KEYS) {
      const records = (cloneJson(dataset[name] ?? []) as unknown[]).map(canonicalRecord) as Array<
        Record<string, unknown>
      >;
      const target = this.collection(name);
      // Comments in a case file may come without ids; number them after the highest given one.
      const withIds = records.filter((r): r is WireObject => typeof r.id === 'number');
      for (const record of withIds) this.put(name, record);
      for (const record of records) {
        if (typeof record.id !== 'number') this.put(name, { ...record, id: target.nextId() });
      }
    }
  }

  private addOrderLines(order: WireObject): void {
    const lines = order['order-lines'];
    if (!Array.isArray(lines)) return;
    for (const line of lines as Array<Record<string, unknown>>) {
      if (typeof line.id !== 'number') continue;
      // Standalone order lines carry their header id, as Coupa's purchase_order_lines do.
      const view = { ...line, id: line.id, 'order-header-id': line['order-header-id'] ?? order.id };
      this.collection('order-lines').put(view);
    }
  }

  private dropOrderLines(orderId: number): void {
    const lines = this.collection('order-lines');
    const ids = lines.lookup('order-header-id', [`n:${orderId}`]);
    for (const id of [...(ids ?? [])]) lines.delete(id);
  }
}
