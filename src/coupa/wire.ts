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
  const known = CAMEL_KEYS.get(key);
  if (known !== undefined) return known;
  const camel = toCamel(key);
  // Keys come from a small vocabulary; the bound keeps hostile payloads from growing the cache.
  if (CAMEL_KEYS.size < CAMEL_KEYS_MAX) CAMEL_KEYS.set(key, camel);
  return camel;
}

/** Every response converts the same few hundred keys: a bulk read converts each once, not per record. */
const CAMEL_KEYS = new Map<string, string>();
const CAMEL_KEYS_MAX = 10_000;

function toCamel(key: string): string {
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
    const record = value as Record<string, unknown>;
    for (const k of Object.keys(record)) {
      // JSON.parse makes "__proto__" an own key; assigning it would set the copy's prototype and
      // let the payload supply inherited fields (status, amounts) the schemas would then read.
      if (k === '__proto__') continue;
      out[rename(k)] = mapKeys(record[k], rename);
    }
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
