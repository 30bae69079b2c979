/**
 * Signed checkpoints of the audit chain's head, after Certificate Transparency's signed tree heads.
 * A hash chain alone proves order, not completeness: whoever owns the database can delete the
 * newest rows, or edit a row and re-hash every row after it, and the chain still verifies. A
 * checkpoint signs (seq, hash) of the head with a key the database never holds and is appended to
 * a separate file (and optionally sent to an outside sink), so `settle audit verify` can tell when
 * rows a checkpoint vouched for are gone (truncation) or differ (re-chaining).
 */
import { sign, verify, type KeyObject } from 'node:crypto';
import { appendFileSync, closeSync, existsSync, fsyncSync, openSync, readFileSync } from 'node:fs';
import canonicalize from 'canonicalize';
import { z } from 'zod';
import { formatIssues } from '../issues.js';
import type { AuditRow } from './entry.js';
import { keyIdOf, type SigningKey } from './signing-key.js';

export const Checkpoint = z.strictObject({
  v: z.literal(1),
  /** The head row's seq (0: the log was empty). */
  seq: z.number().int().nonnegative(),
  /** The head row's hash. */
  hash: z.string().regex(/^[0-9a-f]{64}$/),
  /** When the checkpoint was signed (ISO-8601 UTC). */
  at: z.string(),
  key_id: z.string().min(1),
  /** Ed25519 signature (base64) over the RFC 8785 JSON of every other field. */
  sig: z.string().min(1),
});
export type Checkpoint = z.infer<typeof Checkpoint>;

function signedBytes(c: Omit<Checkpoint, 'sig'>): Buffer {
  const { v, seq, hash, at, key_id } = c;
  return Buffer.from(canonicalize({ v, seq, hash, at, key_id })!, 'utf8');
}

/** Sign `head` now. */
export function signCheckpoint(head: { seq: number; hash: string }, key: SigningKey, at: Date): Checkpoint {
  const body = { v: 1 as const, seq: head.seq, hash: head.hash, at: at.toISOString(), key_id: key.keyId };
  return { ...body, sig: sign(null, signedBytes(body), key.privateKey).toString('base64') };
}

/** True when `c` carries a valid signature by `publicKey`. */
export function checkpointSignatureValid(c: Checkpoint, publicKey: KeyObject): boolean {
  if (c.key_id !== keyIdOf(publicKey)) return false;
  try {
    return verify(null, signedBytes(c), publicKey, Buffer.from(c.sig, 'base64'));
  } catch {
    return false;
  }
}

/** Append one checkpoint line and flush it to disk (the file is only ever appended to). */
export function appendCheckpoint(file: string, c: Checkpoint): void {
  const fd = openSync(file, 'a', 0o600);
  try {
    appendFileSync(fd, `${JSON.stringify(c)}\n`);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

/** Every checkpoint in `file`, in file order; a line that is not one fails naming its number. */
export function readCheckpoints(file: string): Checkpoint[] {
  if (!existsSync(file)) return [];
  const out: Checkpoint[] = [];
  readFileSync(file, 'utf8')
    .split('\n')
    .forEach((line, i) => {
      if (line.trim() === '') return;
      let json: unknown;
      try {
        json = JSON.parse(line);
      } catch {
        throw new Error(`${file}:${i + 1}: not valid JSON (the checkpoint file was edited or cut)`);
      }
      const parsed = Checkpoint.safeParse(json);
      if (!parsed.success)
        throw new Error(
          `${file}:${i + 1}: not a checkpoint (${formatIssues(parsed.error, { root: 'line', limit: 2 })})`,
        );
      out.push(parsed.data);
    });
  return out;
}

export interface CheckpointReport {
  /** Checkpoints whose signature verified and whose row matched. */
  checked: number;
  /** What does not hold, one line each (empty when everything does). */
  problems: string[];
  /** The newest checkpoint that verified: rows after it are not anchored yet. */
  lastAnchored: { seq: number; at: string } | null;
}

/**
 * Wrap a row stream (in seq order) so that, as it is consumed — e.g. by `verifyChain` — the hashes
 * at the checkpointed seqs and the last seq are noted; `report()` then compares them.
 */
export function checkpointTap(
  checkpoints: readonly Checkpoint[],
  publicKey: KeyObject,
): {
  rows(source: AsyncIterable<AuditRow>): AsyncGenerator<AuditRow>;
  report(): CheckpointReport;
} {
  const wanted = new Set(checkpoints.map((c) => c.seq));
  const seen = new Map<number, string>();
  let lastSeq = 0;
  return {
    async *rows(source) {
      for await (const row of source) {
        if (wanted.has(row.seq)) seen.set(row.seq, row.hash);
        lastSeq = Math.max(lastSeq, row.seq);
        yield row;
      }
    },
    report() {
      const problems: string[] = [];
      let checked = 0;
      let lastAnchored: CheckpointReport['lastAnchored'] = null;
      let previousSeq = -1;
      checkpoints.forEach((c, i) => {
        const name = `checkpoint #${i + 1} (row #${c.seq}, signed ${c.at})`;
        if (!checkpointSignatureValid(c, publicKey))
          return void problems.push(`${name}: signature does not verify with the given public key`);
        if (c.seq < previousSeq)
          problems.push(`${name}: goes back from row #${previousSeq} (the checkpoint file was reordered)`);
        previousSeq = Math.max(previousSeq, c.seq);
        if (c.seq === 0) {
          checked++;
          return;
        }
        const hash = seen.get(c.seq);
        if (hash === undefined) {
          problems.push(
            c.seq > lastSeq
              ? `log truncated: ${name} vouches for row #${c.seq}, but the log ends at row #${lastSeq}`
              : `${name}: row #${c.seq} is missing`,
          );
          return;
        }
        if (hash !== c.hash)
          return void problems.push(
            `${name}: row #${c.seq} has a different hash — rows up to #${c.seq} were altered and re-chained`,
          );
        checked++;
        lastAnchored = { seq: c.seq, at: c.at };
      });
      return { checked, problems, lastAnchored };
    },
  };
}
