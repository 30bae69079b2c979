/**
 * Running a `ListQuery` against a collection. Candidates come from the narrowest equality index
 * the filters allow (or the sorted id list); in the default id order the scan stops as soon as the
 * page is full, so paging through 100k invoices costs a page, not a collection, per request.
 */
import type { Collection, WireObject } from './collection.js';
import { compareSortKeys, compileMatcher, sortKey, type SortKey } from './query-match.js';
import type { Filter, ListQuery } from './query.js';
import { valuesAt } from './record-path.js';

/** Above this share of the collection an index hit is scanned in id order instead of sorted. */
const DENSE_SHARE = 0.125;
/** Sorted pages up to this depth use a bounded buffer; deeper ones sort every match. */
const TOP_K_LIMIT = 2_000;

function indexKeysFor(filter: Filter): string[] | undefined {
  if (filter.op !== 'eq' && filter.op !== 'in') return undefined;
  const raw = filter.op === 'in' ? filter.value.split(',').map((v) => v.trim()) : [filter.value];
  const keys: string[] = [];
  for (const value of raw) {
    keys.push(`s:${value}`);
    if (value.trim() !== '' && Number.isFinite(Number(value))) keys.push(`n:${Number(value)}`);
    if (value === 'true' || value === 'false') keys.push(`b:${value}`);
  }
  return keys;
}

/** Ascending candidate ids: the smallest index hit when it is sparse, else every id. */
function candidateIds(collection: Collection, filters: readonly Filter[]): readonly number[] {
  let best: Set<number> | undefined;
  for (const filter of filters) {
    const keys = indexKeysFor(filter);
    const hit = keys && collection.lookup(filter.path.join('.'), keys);
    if (hit && (!best || hit.size < best.size)) best = hit;
  }
  if (!best || best.size > collection.size * DENSE_SHARE) return collection.ids();
  return [...best].sort((a, b) => a - b);
}

/** One predicate for all filters, each compiled once. */
export function compileFilters(filters: readonly Filter[]): (record: WireObject) => boolean {
  const tests = filters.map((f) => ({ path: f.path, match: compileMatcher(f.op, f.value) }));
  return (record) => tests.every((t) => t.match(valuesAt(record, t.path)));
}

function pageInIdOrder(
  collection: Collection,
  ids: readonly number[],
  query: ListQuery,
  keep: (r: WireObject) => boolean,
): WireObject[] {
  const page: WireObject[] = [];
  let skipped = 0;
  const step = query.dir === 'asc' ? 1 : -1;
  for (let i = step > 0 ? 0 : ids.length - 1; i >= 0 && i < ids.length; i += step) {
    const record = collection.get(ids[i] as number);
    if (!record || !keep(record)) continue;
    if (skipped < query.offset) skipped += 1;
    else if (page.push(record) >= query.limit) break;
  }
  return page;
}

/** One page of matching records, in the requested order. */
export function runList(collection: Collection, query: ListQuery): WireObject[] {
  const ids = candidateIds(collection, query.filters);
  const keep = compileFilters(query.filters);
  const byId = query.orderBy.length === 1 && query.orderBy[0] === 'id';
  if (byId && query.filters.length === 0) {
    // Unfiltered: the page is a slice of the sorted ids.
    const end = query.dir === 'asc' ? query.offset + query.limit : ids.length - query.offset;
    const start = query.dir === 'asc' ? query.offset : Math.max(0, end - query.limit);
    const slice = ids.slice(start, Math.max(start, end));
    if (query.dir === 'desc') slice.reverse();
    return slice.map((id) => collection.get(id) as WireObject);
  }
  if (byId) return pageInIdOrder(collection, ids, query, keep);
  return pageSorted(collection, ids, query, keep);
}

interface Keyed {
  key: SortKey;
  record: WireObject;
}

/**
 * Pages of `order_by` queries keep only the best `offset + limit` matches in a sorted buffer
 * instead of sorting every match: a record is inserted only when it beats the buffer's worst.
 */
function pageSorted(
  collection: Collection,
  ids: readonly number[],
  query: ListQuery,
  keep: (r: WireObject) => boolean,
): WireObject[] {
  const sign = query.dir === 'asc' ? 1 : -1;
  const before = (a: Keyed, b: Keyed): number => sign * compareSortKeys(a.key, b.key) || a.record.id - b.record.id;
  const wanted = query.offset + query.limit;
  if (wanted > TOP_K_LIMIT) {
    // Deep pages: insertion would go quadratic, a full sort does not.
    const all: Keyed[] = [];
    for (const id of ids) {
      const record = collection.get(id) as WireObject;
      if (keep(record)) all.push({ key: sortKey(valuesAt(record, query.orderBy)[0]), record });
    }
    return all
      .sort(before)
      .slice(query.offset, wanted)
      .map((k) => k.record);
  }
  const best: Keyed[] = [];
  for (const id of ids) {
    const record = collection.get(id) as WireObject;
    if (!keep(record)) continue;
    const item = { key: sortKey(valuesAt(record, query.orderBy)[0]), record };
    if (best.length === wanted && before(item, best[wanted - 1] as Keyed) >= 0) continue;
    let lo = 0;
    let hi = best.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (before(best[mid] as Keyed, item) <= 0) lo = mid + 1;
      else hi = mid;
    }
    best.splice(lo, 0, item);
    if (best.length > wanted) best.pop();
  }
  return best.slice(query.offset).map((k) => k.record);
}
