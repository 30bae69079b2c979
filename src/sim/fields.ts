/**
 * Coupa's `fields` argument: a JSON array of attribute names, with objects selecting inside
 * associations — `["id","invoice_number",{"invoice_lines":["id","line_num"]},{"custom_fields":{}}]`
 * (coupa-api.md §3). Names may be dashed or underscored; response keys stay dashed.
 */
import { z } from 'zod';
import { badRequest } from './errors.js';
import { readKey } from './record-path.js';

export type FieldSpec = Array<string | { [name: string]: FieldSpec | Record<string, never> }>;

const FieldSpecSchema: z.ZodType<FieldSpec> = z.lazy(() =>
  z.array(z.union([z.string(), z.record(z.string(), z.union([FieldSpecSchema, z.object({}).strict()]))])),
);

/** Parse the raw `fields` value or throw a Coupa 400. */
export function parseFields(raw: string): FieldSpec {
  let json: unknown;
  try {
    json = JSON.parse(raw);
  } catch {
    throw badRequest('fields', 'fields must be a JSON array, e.g. ["id",{"invoice_lines":["id"]}]');
  }
  const parsed = FieldSpecSchema.safeParse(json);
  if (!parsed.success) throw badRequest('fields', 'fields must be a JSON array of names and {name: [...]} objects');
  return parsed.data;
}

/** The key the record actually uses for `name` (dashed first, then as written). */
function keyIn(record: Record<string, unknown>, name: string): string | undefined {
  const dash = name.replace(/_/g, '-');
  if (Object.hasOwn(record, dash)) return dash;
  return Object.hasOwn(record, name) ? name : undefined;
}

function projectValue(value: unknown, spec: FieldSpec | Record<string, never>): unknown {
  // An empty selection (`{}` or `[]`) means "the whole association".
  if (!Array.isArray(spec) || spec.length === 0) return value;
  if (Array.isArray(value)) return value.map((item) => projectValue(item, spec));
  if (value !== null && typeof value === 'object') return project(value as Record<string, unknown>, spec);
  return value;
}

/** Keep only the selected attributes of `record` (recursively). */
export function project(record: Record<string, unknown>, spec: FieldSpec): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const item of spec) {
    if (typeof item === 'string') {
      const key = keyIn(record, item);
      if (key !== undefined) out[key] = readKey(record, key);
      continue;
    }
    for (const [name, sub] of Object.entries(item)) {
      const key = keyIn(record, name);
      if (key !== undefined) out[key] = projectValue(record[key], sub);
    }
  }
  return out;
}
