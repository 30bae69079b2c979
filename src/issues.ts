/**
 * The one place a validation failure (a zod error, or anything carrying zod-shaped `issues`) becomes
 * words for people and for the model: "field: rule", a few at most, never a JSON dump of the issues.
 */

export interface IssueLike {
  readonly path: readonly PropertyKey[];
  readonly message: string;
  readonly code?: string;
  readonly keys?: readonly string[];
}

export interface FormatIssuesOptions {
  /** What to call the value itself when an issue has an empty path (e.g. `input`, `body`, `record`). */
  root?: string;
  /** How many issues to list before "and N more". */
  limit?: number;
  /** Joins the issues; `; ` by default. */
  separator?: string;
}

/** `a.0.b` for a path; `root` for the empty path. */
export function formatIssuePath(path: readonly PropertyKey[], root = 'input'): string {
  if (path.length === 0) return root;
  return path.map((segment) => (typeof segment === 'symbol' ? segment.toString() : String(segment))).join('.');
}

/** One issue as `field: rule` (unknown keys are named, not dumped). */
export function formatIssue(issue: IssueLike, root = 'input'): string {
  const field = formatIssuePath(issue.path, root);
  if (issue.code === 'unrecognized_keys' && issue.keys && issue.keys.length > 0) {
    const names = issue.keys.map((k) => `"${k}"`).join(', ');
    return issue.path.length === 0 ? `unknown field(s) ${names}` : `${field}: unknown field(s) ${names}`;
  }
  return `${field}: ${issue.message}`;
}

/** Every issue (up to `limit`) in one line of words. */
export function formatIssues(
  error: { readonly issues: readonly IssueLike[] },
  options: FormatIssuesOptions = {},
): string {
  const { root = 'input', limit = 5, separator = '; ' } = options;
  const issues = error.issues;
  if (issues.length === 0) return `${root}: invalid`;
  const shown = issues.slice(0, limit).map((issue) => formatIssue(issue, root));
  const more = issues.length > limit ? `${separator}and ${issues.length - limit} more` : '';
  return shown.join(separator) + more;
}

/** The issues as separate `field: rule` strings, for callers that list them (e.g. a record error). */
export function issueLines(error: { readonly issues: readonly IssueLike[] }, root = 'input'): string[] {
  return error.issues.map((issue) => formatIssue(issue, root));
}

/** True for zod errors and anything else that carries zod-shaped issues. */
export function hasIssues(value: unknown): value is { issues: IssueLike[] } {
  if (value === null || typeof value !== 'object') return false;
  const issues = (value as { issues?: unknown }).issues;
  return (
    Array.isArray(issues) && issues.every((i) => i !== null && typeof i === 'object' && 'path' in i && 'message' in i)
  );
}
