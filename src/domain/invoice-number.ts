/**
 * Invoice number normalisation for duplicate detection. Resubmitted bills come back with the same
 * number written differently ("INV-00123", "inv 123", "#123", "INV-OO123" with letter O), which
 * Coupa's exact uniqueness check lets through.
 */

/** Words and marks suppliers put before the number itself. */
const PREFIX = /^(?:INVOICE|INV|BILL|NO|NR|NUM|NUMBER|REF|#|[\s.:\-_/#])+(?=[^A-Z]|$)/;

/** Characters OCR and typists confuse; both sides are mapped, so the mapping only has to be consistent. */
const LOOK_ALIKES: Readonly<Record<string, string>> = {
  O: '0',
  Q: '0',
  D: '0',
  I: '1',
  L: '1',
  '|': '1',
  S: '5',
  B: '8',
  Z: '2',
};

/** Canonical form: upper case, prefixes dropped, look-alikes mapped, punctuation and leading zeros removed. */
export function normaliseInvoiceNumber(raw: string): string {
  let s = raw.normalize('NFKC').toUpperCase().trim();
  // Prefix words are removed repeatedly ("INVOICE NO. 123"), but only when a non-letter follows.
  for (let prev = ''; prev !== s;) {
    prev = s;
    s = s.replace(PREFIX, '');
  }
  s = s.replace(/[OQDILSBZ|]/g, (c) => LOOK_ALIKES[c] ?? c);
  const tokens = s.split(/[^A-Z0-9]+/).filter(Boolean);
  const stripped = tokens.map((t) => t.replace(/(^|[A-Z])0+(?=\d)/g, '$1'));
  const joined = stripped.join('');
  return joined === '' ? (/\d/.test(raw) ? '0' : '') : joined;
}

export type NumberMatch = 'exact' | 'normalised' | 'near' | 'different';

/** True when `a` and `b` differ by one swap of adjacent characters. */
function isTransposition(a: string, b: string): boolean {
  if (a.length !== b.length) return false;
  const diff: number[] = [];
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) diff.push(i);
  const [i, j] = diff;
  return diff.length === 2 && i !== undefined && j === i + 1 && a[i] === b[j] && a[j] === b[i];
}

/**
 * How alike two invoice numbers are. `near` is a transposed pair, or one number with a short
 * letter suffix ("1001" / "1001A"); a different digit is `different`, because consecutive numbers
 * in a supplier's sequence (monthly rent) differ by exactly that.
 */
export function compareInvoiceNumbers(a: string, b: string): NumberMatch {
  if (a.trim().toUpperCase() === b.trim().toUpperCase()) return 'exact';
  const na = normaliseInvoiceNumber(a);
  const nb = normaliseInvoiceNumber(b);
  if (na === '' || nb === '') return 'different';
  if (na === nb) return 'normalised';
  if (Math.min(na.length, nb.length) >= 4 && isTransposition(na, nb)) return 'near';
  const [short, long] = na.length < nb.length ? [na, nb] : [nb, na];
  if (short.length >= 3 && long.startsWith(short) && /^[A-Z]{1,3}$/.test(long.slice(short.length))) return 'near';
  return 'different';
}
