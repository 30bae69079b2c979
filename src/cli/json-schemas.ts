/**
 * JSON Schemas of the two files users write — replay cases and controls — emitted from the zod
 * schemas the code validates with, so an editor checks a file exactly as Settle will. The same
 * text is printed by `settle eval --schema` / `settle controls --schema` and committed as
 * docs/case.schema.json / docs/controls.schema.json (scripts/gen-schema-docs.ts; a test fails
 * when they are stale).
 */
import { z } from 'zod';
import { ControlsSchema, DEFAULT_CONTROLS } from '../domain/controls.js';
import { ReplayCase } from '../../evals/case-schema.js';

type JsonSchema = Record<string, unknown> & { properties?: Record<string, Record<string, unknown>> };

/** A `$schema` key lets a file name its schema for editors; Settle ignores it. */
const SCHEMA_KEY = {
  type: 'string',
  description: 'optional: path or URL of this JSON Schema, for editors; ignored by Settle',
};

function documented(schema: z.ZodType, meta: { id: string; title: string; description: string }): JsonSchema {
  const json = z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any', target: 'draft-2020-12' }) as JsonSchema;
  const { $schema, ...rest } = json;
  return {
    $schema,
    $id: meta.id,
    title: meta.title,
    description: meta.description,
    ...rest,
    properties: { $schema: SCHEMA_KEY, ...(rest.properties ?? {}) },
  };
}

export function caseJsonSchema(): JsonSchema {
  return documented(ReplayCase, {
    id: 'urn:settle:schema:case:1',
    title: 'Settle replay case',
    description: 'One historical invoice exception, frozen, with what a correct settlement is (docs/case-format.md)',
  });
}

export function controlsJsonSchema(): JsonSchema {
  const schema = documented(ControlsSchema, {
    id: 'urn:settle:schema:controls:1',
    title: 'Settle controls',
    description:
      "The customer's guard settings: SETTLE_CONTROLS_FILE, or `controls` in a replay case (docs/controls.md)",
  });
  // Decimal fields parse through a transform, which JSON Schema cannot carry a default through.
  for (const [key, value] of Object.entries(DEFAULT_CONTROLS)) {
    const property = schema.properties?.[key];
    if (property && !('default' in property)) property.default = value;
  }
  return schema;
}

/** As committed and printed: two-space JSON with a final newline. */
export const schemaText = (schema: JsonSchema): string => `${JSON.stringify(schema, null, 2)}\n`;

/** A controls file's content without its editor-only `$schema` key. */
export function withoutSchemaKey(value: unknown): unknown {
  if (!value || typeof value !== 'object' || Array.isArray(value)) return value;
  const { $schema: _ignored, ...rest } = value as Record<string, unknown>;
  return rest;
}
