/**
 * Load a folder of case files. A file that is not JSON or does not validate is reported by name
 * with the reason and skipped; the others still run.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { basename, join } from 'node:path';
import { UserError } from '../src/errors.js';
import { ReplayCase, caseWarnings, describeIssues } from './case-schema.js';

export interface LoadedCase {
  /** File name (relative to the folder). */
  file: string;
  case: ReplayCase;
  warnings: string[];
}

export interface InvalidCase {
  file: string;
  error: string;
}

export interface LoadResult {
  cases: LoadedCase[];
  invalid: InvalidCase[];
}

/** Validate one file's text; `file` names it in the error. */
export function parseCaseText(file: string, text: string): LoadedCase | InvalidCase {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    return { file, error: `${file}: not valid JSON — ${(error as Error).message}` };
  }
  const parsed = ReplayCase.safeParse(json);
  if (!parsed.success) return { file, error: `${file}: ${describeIssues(parsed.error)}` };
  return { file, case: parsed.data, warnings: caseWarnings(json) };
}

/** Every `*.json` file directly in `dir`, in name order. Throws UserError when `dir` is not a folder. */
export function loadCases(dir: string): LoadResult {
  let names: string[];
  try {
    if (!statSync(dir).isDirectory()) throw new Error('not a folder');
    names = readdirSync(dir)
      .filter((n) => n.endsWith('.json'))
      .sort();
  } catch (error) {
    throw new UserError(`--cases ${dir}: ${(error as Error).message}`);
  }
  const cases: LoadedCase[] = [];
  const invalid: InvalidCase[] = [];
  const seen = new Map<string, string>();
  for (const name of names) {
    const result = parseCaseText(name, readFileSync(join(dir, name), 'utf8'));
    if ('error' in result) {
      invalid.push(result);
      continue;
    }
    const first = seen.get(result.case.id);
    if (first) {
      invalid.push({ file: name, error: `${name}: id "${result.case.id}" is already used by ${basename(first)}` });
      continue;
    }
    seen.set(result.case.id, name);
    cases.push(result);
  }
  return { cases, invalid };
}

/** Cases carrying `tag` (every case when no tag is given). */
export function filterByTag(cases: LoadedCase[], tag: string | undefined): LoadedCase[] {
  return tag ? cases.filter((c) => c.case.tags.includes(tag)) : cases;
}
