/**
 * Records loaded into the simulator (a replay case written by hand, an export) may use any benign
 * variant of Coupa's shape. The simulator is Coupa: it keeps what a case says, but the few values
 * its own logic works with — record and line ids, underscore keys, the failed-tolerance lists and
 * their `resolved` flags — are brought to Coupa's documented form on load, so lookups, filters
 * and the invoice state machine behave the same whoever wrote the case. Everything else is served
 * exactly as written (and Settle's reader has to cope with it).
 */

type Obj = Record<string, unknown>;

const INTEGER = /^\s*\d+\s*$/;

function isObj(v: unknown): v is Obj {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

/** "12" → 12; anything else unchanged. */
export function canonicalId(value: unknown): unknown {
  return typeof value === 'string' && INTEGER.test(value) ? Number(value) : value;
}

/** One object standing for a collection, a `{"invoice-line": [...]}` wrapper, "" or null → an array. */
function asArray(value: unknown): unknown[] | undefined {
  if (Array.isArray(value)) return value;
  if (value === undefined) return undefined;
  if (value === null || value === '') return [];
  if (isObj(value)) {
    const keys = Object.keys(value);
    if (keys.length === 1 && !('id' in value)) {
      const inner = value[keys[0] as string];
      return Array.isArray(inner) ? inner : isObj(inner) ? [inner] : [];
    }
    return [value];
  }
  return undefined;
}

function bool(value: unknown): unknown {
  if (value === 'true' || value === 1 || value === '1') return true;
  if (value === 'false' || value === 0 || value === '0' || value === null || value === '') return false;
  return value;
}

/** Hyphenated keys, as Coupa writes them (custom-field names are left alone). */
function hyphenKeys(value: unknown, inCustom = false): unknown {
  if (Array.isArray(value)) return value.map((v) => hyphenKeys(v, inCustom));
  if (!isObj(value)) return value;
  return Object.fromEntries(
    Object.entries(value).map(([k, v]) => {
      const key = inCustom ? k : k.replace(/_/g, '-');
      return [key, hyphenKeys(v, inCustom || key === 'custom-fields')];
    }),
  );
}

function tolerances(value: unknown): unknown {
  const list = asArray(value);
  if (!list) return value;
  return list.map((t) => (isObj(t) ? { ...t, id: canonicalId(t.id), resolved: bool(t.resolved) } : t));
}

function lines(value: unknown): unknown {
  const list = asArray(value);
  if (!list) return value;
  return list.map((line) => {
    if (!isObj(line)) return line;
    const out: Obj = { ...line, id: canonicalId(line.id) };
    if ('failed-tolerances' in line) out['failed-tolerances'] = tolerances(line['failed-tolerances']);
    if ('order-header-id' in line) out['order-header-id'] = canonicalId(line['order-header-id']);
    return out;
  });
}

/** A dataset record in the form the simulator's logic relies on. */
export function canonicalRecord(record: unknown): unknown {
  if (!isObj(record)) return record;
  const out = hyphenKeys(record) as Obj;
  if ('id' in out) out.id = canonicalId(out.id);
  if ('failed-tolerances' in out) out['failed-tolerances'] = tolerances(out['failed-tolerances']);
  if ('invoice-lines' in out) out['invoice-lines'] = lines(out['invoice-lines']);
  if ('order-lines' in out) out['order-lines'] = lines(out['order-lines']);
  if ('commentable-id' in out) out['commentable-id'] = canonicalId(out['commentable-id']);
  if ('approvable-id' in out) out['approvable-id'] = canonicalId(out['approvable-id']);
  return out;
}
