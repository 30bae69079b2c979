/**
 * Walking the chain: every row must follow the previous one (seq + 1), point at its hash, and
 * hash to what it stores. Works on any ordered stream of rows — the database or an exported file,
 * so an auditor can check an export away from our servers.
 */
import { createReadStream } from 'node:fs';
import { createInterface } from 'node:readline';
import type { AuditRow } from './entry.js';
import { AuditRowSchema } from './entry.js';
import { GENESIS_HASH, hashRow } from './hash.js';
import { formatIssues } from '../issues.js';

export interface VerifyResult {
  ok: boolean;
  /** Rows checked (all of them when ok; up to and including the broken one otherwise). */
  rows: number;
  firstBrokenSeq?: number;
  reason?: string;
}

/** Check a stream of rows in seq order; stops at the first broken row. */
export async function verifyChain(rows: AsyncIterable<AuditRow>): Promise<VerifyResult> {
  let count = 0;
  let previous: { seq: number; hash: string } = { seq: 0, hash: GENESIS_HASH };
  for await (const row of rows) {
    count += 1;
    const broken = (reason: string): VerifyResult => ({ ok: false, rows: count, firstBrokenSeq: row.seq, reason });
    if (row.seq !== previous.seq + 1) {
      return broken(
        row.seq > previous.seq + 1
          ? `${describeGap(previous.seq + 1, row.seq - 1)} missing`
          : `out of order after row #${previous.seq}`,
      );
    }
    if (row.prevHash !== previous.hash) {
      return broken(
        previous.seq === 0
          ? 'first row does not start from the genesis hash'
          : `prev_hash does not match the hash of row #${previous.seq} (a row was altered or replaced)`,
      );
    }
    if (hashRow(row) !== row.hash) return broken('stored hash does not match the row content (row altered)');
    previous = { seq: row.seq, hash: row.hash };
  }
  return { ok: true, rows: count };
}

function describeGap(from: number, to: number): string {
  return from === to ? `row #${from} is` : `rows #${from}..#${to} are`;
}

/** Rows of an export (JSON lines); a line that is not an audit row stops with its line number. */
export async function* readExport(path: string): AsyncGenerator<AuditRow> {
  const lines = createInterface({ input: createReadStream(path, 'utf8'), crlfDelay: Infinity });
  let lineNo = 0;
  for await (const line of lines) {
    lineNo += 1;
    if (line.trim() === '') continue;
    let parsed: unknown;
    try {
      parsed = JSON.parse(line);
    } catch {
      throw new Error(`${path}:${lineNo}: not valid JSON`);
    }
    const row = AuditRowSchema.safeParse(parsed);
    if (!row.success)
      throw new Error(`${path}:${lineNo}: not an audit row (${formatIssues(row.error, { root: 'row', limit: 1 })})`);
    // The row exactly as the file holds it: the schema only checks the shape. Its parsed copy may
    // differ (z.json() drops a "__proto__" key a tool input can carry), and the hash is over the file.
    yield parsed as AuditRow;
  }
}
