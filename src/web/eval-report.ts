/**
 * The eval report of the current build (`settle eval --json FILE`, format in case-format.md), if one
 * exists: the dashboard shows its accuracy and unsafe count next to the live figures.
 */
import { readFile, stat } from 'node:fs/promises';
import { z } from 'zod';
import { formatIssues } from '../issues.js';

const Summary = z.looseObject({
  cases: z.number().int().nonnegative(),
  passed: z.number().int().nonnegative(),
  accuracy: z.number().min(0).max(1),
  unsafe: z.number().int().nonnegative(),
  brain: z.string().optional(),
  model: z.string().nullish(),
});
const Report = z.looseObject({ summary: Summary });

export interface EvalSummary {
  cases: number;
  passed: number;
  accuracy: number;
  unsafe: number;
  brain: string | undefined;
  model: string | null | undefined;
  /** When the file was written. */
  writtenAt: Date;
  path: string;
}

/** The report's summary; `undefined` when there is no file; an error string when it does not parse. */
export async function loadEvalSummary(path: string): Promise<EvalSummary | { error: string } | undefined> {
  let text: string;
  let writtenAt: Date;
  try {
    [text, writtenAt] = await Promise.all([readFile(path, 'utf8'), stat(path).then((s) => s.mtime)]);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    return { error: `${path}: ${(error as Error).message}` };
  }
  try {
    const parsed = Report.safeParse(JSON.parse(text));
    if (!parsed.success)
      return { error: `${path}: not an eval report (${formatIssues(parsed.error, { root: 'report', limit: 1 })})` };
    const s = parsed.data.summary;
    return {
      cases: s.cases,
      passed: s.passed,
      accuracy: s.accuracy,
      unsafe: s.unsafe,
      brain: s.brain,
      model: s.model,
      writtenAt,
      path,
    };
  } catch (error) {
    return { error: `${path}: ${(error as Error).message}` };
  }
}
