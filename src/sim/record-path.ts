/**
 * Reading values out of wire records by attribute path, the way Coupa's filters address them:
 * `status`, `supplier[id]`, `invoice-lines[order-line-id]`. Shared by the store's indexes, the
 * query engine and `fields` so all three agree on what a path means.
 */

/** Wire records are hyphenated; Coupa also accepts underscores in arguments (coupa-api.md §3). */
export function dashed(name: string): string {
  return name.replace(/_/g, '-');
}

/** The record's own value of `key`, as written or in its hyphenated spelling. */
export function readKey(obj: Record<string, unknown>, key: string): unknown {
  if (Object.hasOwn(obj, key)) return obj[key];
  if (!key.includes('_')) return undefined;
  const dash = dashed(key);
  return Object.hasOwn(obj, dash) ? obj[dash] : undefined;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

/**
 * Every leaf value at `path`, flattening collections on the way, so `invoice-lines[order-line-id]`
 * yields one value per line ("match any element"). `supplier[id]` falls back to a flat
 * `supplier-id` attribute when the record carries the id that way (supplier information does).
 */
export function valuesAt(record: Record<string, unknown>, path: readonly string[]): unknown[] {
  if (path.length === 1) {
    // The common case (`status`, `invoice-number`) without the recursion.
    const value = readKey(record, path[0] as string);
    return Array.isArray(value) ? value : [value];
  }
  const out: unknown[] = [];
  collect(record, path, 0, out);
  return out;
}

function collect(node: unknown, path: readonly string[], depth: number, out: unknown[]): void {
  if (!isObject(node)) return;
  const segment = path[depth] as string;
  let value = readKey(node, segment);
  if (value === undefined && depth === path.length - 2 && path[depth + 1] === 'id') {
    const flat = readKey(node, `${segment}-id`);
    if (flat !== undefined) value = { id: flat };
  }
  const last = depth === path.length - 1;
  const items = Array.isArray(value) ? value : [value];
  for (const item of items) {
    if (last) out.push(item);
    else collect(item, path, depth + 1, out);
  }
}
