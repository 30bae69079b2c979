/**
 * One in-memory collection of wire records: a map by id, the ids kept sorted (Coupa's default
 * order is id ascending, so an unfiltered page is a slice), and equality indexes on the few paths
 * clients filter by most (status, supplier id, …). With 100k invoices a typical filtered page
 * touches the matching ids only, not the whole collection.
 */
import { valuesAt } from './record-path.js';

export type WireObject = Record<string, unknown> & { id: number };

/** Index key of a leaf value: numbers and strings kept apart so `3` and `"3"` never collide. */
export function indexKey(value: unknown): string | undefined {
  if (typeof value === 'number') return `n:${value}`;
  if (typeof value === 'string') return `s:${value}`;
  if (typeof value === 'boolean') return `b:${value}`;
  return undefined;
}

type Bucket = number | Set<number>;

function asSet(bucket: Bucket | undefined): Set<number> {
  if (bucket === undefined) return new Set();
  return typeof bucket === 'number' ? new Set([bucket]) : bucket;
}

export class Collection {
  private readonly byId = new Map<number, WireObject>();
  private readonly sortedIds: number[] = [];
  // A bucket holds a bare id until a second one shares the key: most keys (invoice numbers,
  // PO line ids) are unique, and 100k one-element Sets cost more than the rest of the load.
  private readonly indexes = new Map<string, Map<string, Bucket>>();

  constructor(readonly indexedPaths: ReadonlyArray<readonly string[]> = []) {
    for (const path of indexedPaths) this.indexes.set(path.join('.'), new Map());
  }

  get size(): number {
    return this.byId.size;
  }

  get(id: number): WireObject | undefined {
    return this.byId.get(id);
  }

  /** Ids in ascending order (shared array: do not mutate). */
  ids(): readonly number[] {
    return this.sortedIds;
  }

  *values(): IterableIterator<WireObject> {
    for (const id of this.sortedIds) yield this.byId.get(id) as WireObject;
  }

  nextId(): number {
    return (this.sortedIds[this.sortedIds.length - 1] ?? 0) + 1;
  }

  /** Insert or replace the record with the same id. */
  put(record: WireObject): void {
    const previous = this.byId.get(record.id);
    if (previous) this.unindex(previous);
    else this.insertId(record.id);
    this.byId.set(record.id, record);
    this.index(record);
  }

  delete(id: number): WireObject | undefined {
    const previous = this.byId.get(id);
    if (!previous) return undefined;
    this.unindex(previous);
    this.byId.delete(id);
    const at = this.position(id);
    this.sortedIds.splice(at, 1);
    return previous;
  }

  /** Ids whose value at the indexed `pathKey` equals one of `keys`; undefined when not indexed. */
  lookup(pathKey: string, keys: readonly string[]): Set<number> | undefined {
    const index = this.indexes.get(pathKey);
    if (!index) return undefined;
    if (keys.length === 1) return asSet(index.get(keys[0] as string));
    const union = new Set<number>();
    for (const key of keys) for (const id of asSet(index.get(key))) union.add(id);
    return union;
  }

  private insertId(id: number): void {
    const last = this.sortedIds[this.sortedIds.length - 1];
    if (last === undefined || id > last) this.sortedIds.push(id);
    else this.sortedIds.splice(this.position(id), 0, id);
  }

  /** Binary search: first position whose id is >= `id`. */
  private position(id: number): number {
    let lo = 0;
    let hi = this.sortedIds.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if ((this.sortedIds[mid] as number) < id) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  private index(record: WireObject): void {
    this.eachIndexEntry(record, (index, key) => {
      const bucket = index.get(key);
      if (bucket === undefined) index.set(key, record.id);
      else if (typeof bucket === 'number') {
        if (bucket !== record.id) index.set(key, new Set([bucket, record.id]));
      } else bucket.add(record.id);
    });
  }

  private unindex(record: WireObject): void {
    this.eachIndexEntry(record, (index, key) => {
      const bucket = index.get(key);
      if (bucket === record.id) index.delete(key);
      else if (typeof bucket === 'object') {
        bucket.delete(record.id);
        if (bucket.size === 0) index.delete(key);
      }
    });
  }

  private eachIndexEntry(record: WireObject, visit: (index: Map<string, Bucket>, key: string) => void): void {
    for (const path of this.indexedPaths) {
      const index = this.indexes.get(path.join('.')) as Map<string, Bucket>;
      for (const value of valuesAt(record, path)) {
        const key = indexKey(value);
        if (key !== undefined) visit(index, key);
      }
    }
  }
}
