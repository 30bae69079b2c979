/**
 * Export for auditors: one JSON object per line, every field including `prevHash` and `hash`,
 * so the chain can be re-verified outside Settle (see hash.ts for the recipe).
 */
import { once } from 'node:events';
import { createWriteStream } from 'node:fs';
import type { Writable } from 'node:stream';
import { finished } from 'node:stream/promises';
import type { AuditRow } from './entry.js';

/**
 * Write rows as JSON lines. A path is created (or replaced) and closed when done; a stream given
 * by the caller (stdout, an HTTP response) is left open. Returns the number of rows written.
 */
export async function writeJsonLines(rows: AsyncIterable<AuditRow>, target: Writable | string): Promise<number> {
  const ownStream = typeof target === 'string';
  const out = ownStream ? createWriteStream(target, { encoding: 'utf8' }) : target;
  let streamError: unknown;
  const onError = (error: unknown): void => {
    streamError = error;
  };
  out.on('error', onError); // an unheard 'error' (bad path, closed pipe) would crash the process
  let count = 0;
  try {
    for await (const row of rows) {
      if (streamError) throw streamError;
      count += 1;
      // Respect backpressure: a big log must not pile up in memory behind a slow reader.
      if (!out.write(`${JSON.stringify(row)}\n`)) await once(out, 'drain');
    }
    if (streamError) throw streamError;
    if (ownStream) {
      out.end();
      await finished(out);
    }
  } catch (error) {
    if (ownStream) out.destroy();
    throw error;
  } finally {
    out.off('error', onError);
  }
  return count;
}
