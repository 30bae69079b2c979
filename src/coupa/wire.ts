/**
 * Coupa's wire format uses hyphenated keys (`invoice-number`). Everything inside Settle uses
 * camelCase (`invoiceNumber`). These two functions are the only place the conversion happens:
 * the client camelizes every response before zod parses it, and kebabizes every request body.
 */

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

/**
 * `invoice-number` / `invoice_number` / `Invoice Number` / `InvoiceNumber` / `invoiceNumber` →
 * `invoiceNumber` (exports and middleware re-spell Coupa's keys). XML-converter attribute keys
 * (`@nil`, `#text`) are left as they are.
 */
export function camelKey(key: string): string {
  if (/^[@#$]/.test(key)) return key;
  if (/^[a-z][a-zA-Z0-9]*$/.test(key)) return key;
  const words = key
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .split(/[-_\s]+/)
    .filter(Boolean)
    .map((w) => w.toLowerCase());
  if (words.length === 0) return key;
  return words.map((w, i) => (i === 0 ? w : w.charAt(0).toUpperCase() + w.slice(1))).join('');
}

/** `invoiceNumber` → `invoice-number`. */
export function kebabKey(key: string): string {
  return key.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);
}

function mapKeys(value: unknown, rename: (key: string) => string): unknown {
  if (Array.isArray(value)) return value.map((v) => mapKeys(v, rename));
  if (value !== null && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value as Record<string, unknown>)) out[rename(k)] = mapKeys(v, rename);
    return out;
  }
  return value;
}

/** Deep-convert wire JSON (hyphenated) to Settle's camelCase shape. */
export function fromWire<T = unknown>(value: unknown): T {
  return mapKeys(value, camelKey) as T;
}

/** Deep-convert a camelCase object to Coupa's hyphenated wire shape. */
export function toWire(value: unknown): Json {
  return mapKeys(value, kebabKey) as Json;
}
