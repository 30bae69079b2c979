/**
 * Running a `ListQuery` against a collection. Candidates come from the narrowest equality index
 * the filters allow (or the sorted id list); in the default id order the scan stops as soon as the
 * page is full, so paging through 100k invoices costs a page, not a collection, per request.
 */
import type { Collection, WireObject } from './collection.js';
import { compareStored, valuesMatch } from './query-match.js';
import type { Filter, ListQuery } from './query.js';
import { valuesAt } from './record-path.js';

/** Above this share of the collection an index hit is scanned in id order instead of sorted. */
const DENSE_SHARE = 0.125;

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

export function recordMatches(record: WireObject, filters: readonly Filter[]): boolean {
  return filters.every((f) => valuesMatch(valuesAt(record, f.path), f.op, f.value));
}

function isIdOrder(orderBy: readonly string[]): boolean {
  return orderBy.length === 1 && orderBy[0] === 'id';
}

/** One page of matching records, in the requested order. */
export function runList(collection: Collection, query: ListQuery): WireObject[] {
  const ids = candidateIds(collection, query.filters);
  const matches = (id: number): WireObject | undefined => {
    const record = collection.get(id);
    return record && recordMatches(record, query.filters) ? record : undefined;
  };
  if (isIdOrder(query.orderBy)) {
    const page: WireObject[] = [];
    let skipped = 0;
    const step = query.dir === 'asc' ? 1 : -1;
    for (let i = step > 0 ? 0 : ids.length - 1; i >= 0 && i < ids.length; i += step) {
      const record = matches(ids[i] as number);
      if (!record) continue;
      if (skipped < query.offset) skipped += 1;
      else if (page.push(record) >= query.limit) break;
    }
    return page;
  }
  // Sort keys are read once per record, not once per comparison.
  const keyed: Array<{ key: unknown; record: WireObject }> = [];
  for (const id of ids) {
    const record = matches(id);
    if (record) keyed.push({ key: valuesAt(record, query.orderBy)[0], record });
  }
  const sign = query.dir === 'asc' ? 1 : -1;
  keyed.sort((a, b) => sign * compareStored(a.key, b.key) || a.record.id - b.record.id);
  return keyed.slice(query.offset, query.offset + query.limit).map((k) => k.record);
}
