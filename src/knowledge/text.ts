/** Strict text handling for ingestion: UTF-8 only, normalised before hashing. */
import { createHash } from 'node:crypto';

/** Input a knowledge document cannot be made of. The message names the document and the fix. */
export class KnowledgeInputError extends Error {
  override name = 'KnowledgeInputError';
}

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/** Offset of the first byte that cannot start valid UTF-8, found by bisection with a streaming decoder. */
function firstInvalidOffset(bytes: Uint8Array): number {
  let lo = 0;
  let hi = bytes.length;
  while (lo < hi) {
    const mid = Math.floor((lo + hi + 1) / 2);
    try {
      // `stream: true` tolerates a sequence cut at the end, so only truly bad bytes throw.
      new TextDecoder('utf-8', { fatal: true }).decode(bytes.subarray(0, mid), { stream: true });
      lo = mid;
    } catch {
      hi = mid - 1;
    }
  }
  // `lo` may end inside the bad sequence (its lead byte was accepted as a pending start); step back to it.
  let start = lo;
  while (start > 0 && lo - start < 4) {
    try {
      new TextDecoder('utf-8', { fatal: true }).decode(bytes.subarray(0, start));
      break;
    } catch {
      start--;
    }
  }
  return start;
}

/**
 * Decode a document strictly: invalid UTF-8 is an error, never silently replaced, because a
 * mangled policy would be cited as if it were the real one.
 */
export function decodeDocument(name: string, input: string | Uint8Array): string {
  let text: string;
  if (typeof input === 'string') {
    if (LONE_SURROGATE.test(input)) throw new KnowledgeInputError(`${name}: text contains unpaired UTF-16 surrogates; pass valid Unicode text`);
    text = input;
  } else {
    try {
      text = new TextDecoder('utf-8', { fatal: true }).decode(input);
    } catch {
      throw new KnowledgeInputError(
        `${name} is not valid UTF-8 (first bad byte at offset ${firstInvalidOffset(input)}); re-save it as UTF-8 and ingest again`,
      );
    }
  }
  if (text.includes('\u0000')) throw new KnowledgeInputError(`${name} contains NUL characters; it looks like a binary file, not Markdown or JSON`);
  return text.startsWith('\uFEFF') ? text.slice(1) : text;
}

/** Unicode NFC, unified line ends, trailing spaces dropped, blank runs collapsed: cosmetic edits hash the same. */
export function normaliseText(text: string): string {
  return text
    .normalize('NFC')
    .replace(/\r\n?/g, '\n')
    .replace(/[ \t]+$/gm, '')
    .replace(/\n{3,}/g, '\n\n')
    .trim();
}

/** sha256 (hex) of the normalised text. */
export function contentHash(text: string): string {
  return createHash('sha256').update(normaliseText(text)).digest('hex');
}
