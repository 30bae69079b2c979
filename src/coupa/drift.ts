/**
 * Drift counters: how many fields of Coupa records could not be read, by resource and field
 * (indices dropped: `invoice-lines[].price`). A deployment sees on day one where its tenant's
 * data differs from what Settle reads, in `/metrics` and in `settle start`'s summary.
 */
import type { ReadProblem } from './read-problems.js';

export interface DriftEntry {
  resource: string;
  /** Wire path without element indices, e.g. `invoice-lines[].price`. */
  field: string;
  count: number;
  /** One example, for the summary: record id and value seen. */
  example: string;
}

export interface DriftTally {
  record(problem: ReadProblem): void;
  /** Total fields that could not be read. */
  total(): number;
  /** Most frequent first. */
  entries(): DriftEntry[];
}

/** `invoice-lines[3].price` → `invoice-lines[].price`: one counter per field, not per line. */
export function fieldPattern(field: string): string {
  return field.replace(/\[\d+\]/g, '[]');
}

export function createDriftTally(): DriftTally {
  const byField = new Map<string, DriftEntry>();
  let total = 0;
  return {
    record(problem) {
      total += 1;
      const field = fieldPattern(problem.field);
      const key = `${problem.resource}\u0000${field}`;
      const entry = byField.get(key);
      if (entry) entry.count += 1;
      else
        byField.set(key, {
          resource: problem.resource,
          field,
          count: 1,
          example: `${problem.recordId ?? '(no id)'}: ${problem.seen}`,
        });
    },
    total: () => total,
    entries: () => [...byField.values()].sort((a, b) => b.count - a.count || a.field.localeCompare(b.field)),
  };
}

/** The summary lines: "none", or the total and the top fields. */
export function driftText(tally: DriftTally, limit = 5): string {
  const total = tally.total();
  if (total === 0) return 'Coupa read drift: none — every field Settle reads was read.';
  const top = tally
    .entries()
    .slice(0, limit)
    .map((e) => `${e.resource} ${e.field} ×${e.count} (e.g. ${e.example})`);
  const more = tally.entries().length > limit ? `; and ${tally.entries().length - limit} more field(s)` : '';
  return `Coupa read drift: ${total} field value(s) could not be read and were set aside — ${top.join('; ')}${more}. Those invoices were routed with a dossier naming them.`;
}
