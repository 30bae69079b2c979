/**
 * Deep copy of plain JSON data. Several times faster than `structuredClone` on the simulator's
 * records (100k invoices load in about a second instead of several), which matters because every
 * instance copies its whole dataset to stay independent of the others.
 */
export function cloneJson<T>(value: T): T {
  if (value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) {
    const out = new Array<unknown>(value.length);
    for (let i = 0; i < value.length; i += 1) out[i] = cloneJson(value[i] as unknown);
    return out as T;
  }
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(value)) {
    // An own "__proto__" key (possible from JSON.parse) would reset the copy's prototype.
    if (key === '__proto__') continue;
    out[key] = cloneJson((value as Record<string, unknown>)[key]);
  }
  return out as T;
}
