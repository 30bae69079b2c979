/**
 * What one audit row holds. The entry is validated with zod at the boundary; the stored row adds
 * the chain fields (`seq`, `at`, `prevHash`, `hash`). Text is made storable before hashing, so the
 * hash covers exactly what Postgres keeps and hands back.
 */
import { createHash } from 'node:crypto';
import { z } from 'zod';
import { jsonDepthProblem } from '../json-depth.js';

/** Who made the decision: a person, Settle's agent, a standing policy, or the system itself. */
export const AuditActorKind = z.enum(['person', 'agent', 'policy', 'system']);
export type AuditActorKind = z.infer<typeof AuditActorKind>;

/** The guard's verdict on the call. */
export const GuardDecision = z.enum(['allowed', 'denied', 'proposed', 'executed', 'shadow', 'error']);
export type GuardDecision = z.infer<typeof GuardDecision>;

/** Free text is capped rather than refused: a verbose summary must not make a tool call fail. */
const cappedText = (max: number) => z.string().transform((s) => (s.length > max ? `${s.slice(0, max - 1)}…` : s));

/** One tool call as the guard reports it. Every field is explicit: an audit row has no defaults. */
export const AuditEntry = z.strictObject({
  actor: z.string().min(1).max(200),
  actorKind: AuditActorKind,
  tool: z.string().min(1).max(200),
  /** The tool input as received (may contain untrusted text; stored as data, never interpreted). */
  input: z.unknown(),
  decision: GuardDecision,
  reason: cappedText(4000),
  coupaCalls: z.number().int().nonnegative(),
  resultSummary: cappedText(4000),
  idempotencyKey: z.string().min(1).max(255).nullable(),
  invoiceId: z.number().int().positive().max(Number.MAX_SAFE_INTEGER).nullable(),
});
export type AuditEntry = z.infer<typeof AuditEntry>;

export type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };

/** A stored row: the entry plus its place in the chain. This is also one line of an export. */
export interface AuditRow extends Omit<AuditEntry, 'input'> {
  seq: number;
  /** ISO-8601 UTC with milliseconds, exactly as hashed. */
  at: string;
  input: JsonValue;
  prevHash: string;
  hash: string;
}

/** The row schema for reading exports back (`settle audit verify --file`). */
export const AuditRowSchema = AuditEntry.extend({
  seq: z.number().int().positive(),
  at: z.string(),
  input: z.json(),
  prevHash: z.string(),
  hash: z.string(),
});

/** NUL, a high surrogate not followed by a low one, or a low one not preceded by a high one. */
const UNSTORABLE = /\u0000|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

/**
 * Postgres text cannot hold NUL and jsonb refuses lone surrogates, so both become U+FFFD.
 * Done before hashing, so the hash describes the text as stored.
 */
export function storableText(text: string): string {
  return text.replace(UNSTORABLE, '\uFFFD');
}

function clean(value: JsonValue): JsonValue {
  if (typeof value === 'string') return storableText(value);
  if (Array.isArray(value)) return value.map(clean);
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [storableText(k), clean(v)]));
  }
  return value;
}

/** Largest tool input kept verbatim in a row (JSON characters); a caller cannot grow the log at will. */
export const MAX_STORED_INPUT_CHARS = 16_384;
/** How much of an over-long input is kept to read. */
const INPUT_PREVIEW_CHARS = 2_000;

/** Deepest input kept verbatim: deeper JSON is summarised (storing and hashing recurse per level). */
const MAX_STORED_INPUT_DEPTH = 64;

/**
 * The tool input as a row stores it: its storable JSON form, or — when that JSON exceeds `max`
 * characters or 64 levels — a summary keeping its length and SHA-256 (of the JSON text), so the row
 * still proves what was sent without storing a megabyte a read-only token can submit 600 times a
 * minute.
 */
export function storedInput(value: unknown, max = MAX_STORED_INPUT_CHARS): JsonValue {
  let text: string | undefined;
  try {
    text = JSON.stringify(value === undefined ? null : value);
  } catch {
    return { unstorable: true, reason: 'input has no JSON form (circular or too deep)' };
  }
  if (text === undefined) return null; // a function or symbol at the top level
  if (text.length <= max && jsonDepthProblem(text, MAX_STORED_INPUT_DEPTH) === null)
    return clean(JSON.parse(text) as JsonValue);
  return {
    truncated: true,
    length: text.length,
    sha256: createHash('sha256').update(text, 'utf8').digest('hex'),
    preview: storableText(text.slice(0, INPUT_PREVIEW_CHARS)),
  };
}
