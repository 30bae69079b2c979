/**
 * Per-field degradation at the Coupa boundary. `salvageParse` validates a camelCase record; when
 * a field cannot be read even by the tolerant schemas, it sets that field aside (or, for a
 * required field, the collection element or sub-record holding it), parses again, and reports
 * each thing set aside as a `ReadProblem` naming record, field and value seen. Only a record whose
 * own identity cannot be read fails as a whole.
 *
 * This module is also the one place a Coupa read problem becomes words (`describeReadProblem`),
 * for the dossier, the log and the model alike; zod issues go through `src/issues.ts`.
 */
import type { z } from 'zod';
import { formatIssuePath, issueLines, type IssueLike } from '../issues.js';
import { asList, SET_ASIDE } from './scalars.js';
import type { ReadProblem } from './schemas.js';
import { kebabKey } from './wire.js';

export type { ReadProblem } from './schemas.js';

type Segment = string | number;
type Container = Record<string, unknown> | unknown[];

/** Enough rounds for a record with every field of dozens of lines unreadable; then give up. */
const MAX_ROUNDS = 400;
const SEEN_MAX = 80;

/** `invoiceLines.0.orderLineNum` → `invoice-lines[0].order-line-num` (Coupa's own spelling). */
export function wirePath(path: readonly PropertyKey[]): string {
  if (path.length === 0) return '(record)';
  return path
    .map((s, i) => (typeof s === 'number' ? `[${s}]` : `${i === 0 ? '' : '.'}${kebabKey(String(s))}`))
    .join('');
}

/** The value as short JSON text for a message. */
export function seenText(value: unknown): string {
  if (value === undefined) return '(absent)';
  let text: string;
  try {
    text = JSON.stringify(value) ?? String(value);
  } catch {
    text = String(value);
  }
  return text.length > SEEN_MAX ? `${text.slice(0, SEEN_MAX - 1)}…` : text;
}

/** One read problem as a sentence: `invoice 5001: invoice-lines[0].price ("12,5") could not be read — expected …`. */
export function describeReadProblem(p: ReadProblem): string {
  const what = p.lost === 'element' ? 'was set aside' : 'could not be read';
  return `${p.resource} ${p.recordId ?? '(no id)'}: ${p.field} (${p.seen}) ${what} — ${p.problem}`;
}

/** Several problems, one per line (at most `limit`, then "and N more"). */
export function describeReadProblems(problems: readonly ReadProblem[], limit = 8): string[] {
  const shown = problems.slice(0, limit).map(describeReadProblem);
  if (problems.length > limit) shown.push(`and ${problems.length - limit} more`);
  return shown;
}

function key(path: readonly Segment[]): string {
  return JSON.stringify(path);
}

function isContainer(v: unknown): v is Container {
  return v !== null && typeof v === 'object';
}

/**
 * Step into `node` by one segment the way the schemas read it: a numeric segment reads the
 * value as a collection (`asList`), so it works on one object standing for an array too. When
 * `normalize` is set, such a collection is written back as a real array so it can be edited.
 */
function child(parent: Container, segment: Segment): unknown {
  if (Array.isArray(parent)) return parent[segment as number];
  return (parent as Record<string, unknown>)[segment as string];
}

function stepInto(parent: Container, segment: Segment, next: Segment | undefined, normalize: boolean): unknown {
  let value = child(parent, segment);
  if (typeof next === 'number' && !Array.isArray(value)) {
    const asArray = asList(value);
    if (Array.isArray(asArray) && normalize) {
      if (Array.isArray(parent)) parent[segment as number] = asArray;
      else (parent as Record<string, unknown>)[segment as string] = asArray;
    }
    value = asArray;
  }
  return value;
}

/** The value at `path` (undefined when the path does not exist). */
function valueAt(root: unknown, path: readonly Segment[]): unknown {
  let node: unknown = root;
  for (let i = 0; i < path.length; i++) {
    if (!isContainer(node)) return undefined;
    node = stepInto(node, path[i] as Segment, path[i + 1], false);
  }
  return node;
}

/** Set aside the value at `path`: a collection element becomes `SET_ASIDE`, a field is deleted. */
function setAside(root: Container, path: readonly Segment[]): void {
  let node: unknown = root;
  for (let i = 0; i < path.length - 1; i++) {
    if (!isContainer(node)) return;
    node = stepInto(node, path[i] as Segment, path[i + 1], true);
  }
  const last = path[path.length - 1] as Segment;
  if (Array.isArray(node) && typeof last === 'number') node[last] = SET_ASIDE;
  else if (isContainer(node)) delete (node as Record<string, unknown>)[String(last)];
}

function deepCopy<T>(value: T): T {
  return structuredClone(value);
}

export interface Who {
  resource: string;
  recordId?: number | string;
}

export type SalvageResult<T> =
  { ok: true; data: T; problems: ReadProblem[] } | { ok: false; issues: string[]; problems: ReadProblem[] };

/**
 * Parse `input` with `schema`, setting aside what cannot be read. Fails only when the record
 * itself (its root) would have to be set aside.
 */
export function salvageParse<S extends z.ZodType>(schema: S, input: unknown, who: Who): SalvageResult<z.output<S>> {
  const first = schema.safeParse(input);
  if (first.success) return { ok: true, data: first.data, problems: [] };
  if (!isContainer(input)) return { ok: false, issues: issueLines(first.error, '(record)'), problems: [] };

  const work = deepCopy(input) as Container;
  const problems: ReadProblem[] = [];
  const done = new Set<string>();
  let error = first.error;
  for (let round = 0; round < MAX_ROUNDS; round++) {
    const issue = error.issues[0] as IssueLike;
    let path = issue.path.filter((s): s is Segment => typeof s !== 'symbol');
    const original = valueAt(input, path);
    // A field that is absent, or already set aside, is required: set aside what holds it.
    while (path.length > 0 && (done.has(key(path)) || valueAt(work, path) === undefined)) path = path.slice(0, -1);
    if (path.length === 0) {
      return { ok: false, issues: issueLines(error, '(record)'), problems };
    }
    const lostWhole = path.length < issue.path.length;
    // A required field set aside earlier now takes its holder with it: report the holder once,
    // with the first reason (the value that could not be read), not the "missing" that followed.
    const inside = (p: ReadProblem): boolean => p.field.startsWith(wirePath(path)) && p.field !== wirePath(path);
    const earlier = lostWhole ? problems.find(inside) : undefined;
    if (earlier) problems.splice(0, problems.length, ...problems.filter((p) => !inside(p)));
    const innerPath = formatIssuePath(issue.path.slice(path.length), '');
    problems.push({
      ...who,
      field: wirePath(path),
      seen: earlier ? earlier.seen : seenText(lostWhole ? original : valueAt(work, path)),
      problem: earlier
        ? `${earlier.field.slice(wirePath(path).length).replace(/^\./, '')}: ${earlier.problem}`
        : `${lostWhole ? `${innerPath}: ` : ''}${issue.message}`,
      lost: typeof path[path.length - 1] === 'number' || lostWhole ? 'element' : 'field',
    });
    done.add(key(path));
    setAside(work, path);
    const next = schema.safeParse(work);
    if (next.success) return { ok: true, data: next.data, problems };
    error = next.error;
  }
  return { ok: false, issues: ['too many unreadable fields'], problems };
}
