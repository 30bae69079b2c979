/**
 * Reading values out of wire records by attribute path, the way Coupa's filters address them:
 * `status`, `supplier[id]`, `invoice-lines[order-line-id]`. Shared by the store's indexes, the
 * query engine and `fields` so all three agree on what a path means.
 */

/** Wire records are hyphenated; Coupa also accepts underscores in arguments (coupa-api.md §3). */
export function dashed(name: string): string {
  return name.replace(/_/g, '-');
}

/** The value of `key` on `obj`, trying the hyphenated spelling first, then the literal one. */
export function readKey(obj: Record<string, unknown>, key: string): unknown {
  const dash = dashed(key);
  if (dash in obj) return obj[dash];
  return key in obj ? obj[key] : undefined;
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
  let current: unknown[] = [record];
  path.forEach((segment, depth) => {
    const next: unknown[] = [];
    for (const node of current) {
      if (!isObject(node)) continue;
      let value = readKey(node, segment);
      if (value === undefined && depth === path.length - 2 && path[depth + 1] === 'id') {
        const flat = readKey(node, `${segment}-id`);
        if (flat !== undefined) value = { id: flat };
      }
      if (Array.isArray(value)) next.push(...value);
      else next.push(value);
    }
    current = next;
  });
  return current;
}
