/**
 * The check every supplier-visible message passes before it leaves Settle (a dispute comment, an
 * information request, a comment marked `to_supplier`). Its author may be a model that has read
 * attacker-written text, so the check refuses — it does not trust the author to have been careful:
 *   other-supplier-data  another supplier's name, tax id or bank numbers;
 *   bank-details         bank account, routing or IBAN numbers (the supplier's own on file, or any in a bank context);
 *   internal-note        Settle's dossier or the AP team's internal comments on the invoice;
 *   token                credentials: bearer tokens, JWTs, API keys, private keys, long secrets;
 *   url-not-allowed      a link to a host not on the customer's `supplier_url_allowlist`.
 * The refusal names the rule that fired and what it found (masked), never the value itself.
 */
import { findAccountMentions, maskAccount } from '../domain/text-signals.js';

export type SupplierTextRule = 'other-supplier-data' | 'bank-details' | 'internal-note' | 'token' | 'url-not-allowed';

export interface OtherSupplier {
  name?: string | null | undefined;
  taxId?: string | null | undefined;
  /** Bank account, routing and IBAN numbers on file for it. */
  accounts?: readonly string[];
}

/** What the message is checked against, read from Coupa for the invoice it goes out on. */
export interface SupplierTextPolicy {
  /** The recipient: its own name may appear. */
  supplierName?: string | null | undefined;
  /** Bank numbers on file for the recipient (a supplier-visible message never repeats them either). */
  accounts?: readonly string[];
  otherSuppliers?: readonly OtherSupplier[];
  /** Internal comments on the invoice and its internal note. */
  internalTexts?: readonly string[];
  /** Hosts a link may point to (subdomains included). */
  allowedHosts?: readonly string[];
}

export type SupplierTextVerdict = { ok: true } | { ok: false; rule: SupplierTextRule; detail: string };

/** Characters that hide text from a reader but not from a parser: removed before matching. */
const INVISIBLE = /[\u00ad\u200b-\u200f\u2028-\u202e\u2060-\u2069\ufeff]/g;

function normalise(text: string): string {
  return text.normalize('NFKC').replace(INVISIBLE, '');
}

const digitsOf = (s: string): string => s.replace(/\D/g, '');
const alnumOf = (s: string): string => s.replace(/[^A-Za-z0-9]/g, '').toUpperCase();

/** Digit groups as written ("4455 6677-88" is one number): each as digits only. */
function numberRuns(text: string): string[] {
  return [...text.matchAll(/\d(?:[\d .\-/]*\d)?/g)].map((m) => digitsOf(m[0]));
}

function containsAccount(runs: readonly string[], compact: string, account: string): boolean {
  const digits = digitsOf(account);
  if (/^[A-Z]{2}\d{2}/i.test(account.replace(/\s/g, ''))) return compact.includes(alnumOf(account));
  return digits.length >= 6 && runs.some((r) => r.includes(digits));
}

function wholeWord(text: string, phrase: string): boolean {
  const escaped = phrase
    .trim()
    .replace(/[.*+?^${}()|[\]\\]/g, '\\$&')
    .replace(/\s+/g, '\\s+');
  return new RegExp(`(^|[^\\p{L}\\p{N}])${escaped}($|[^\\p{L}\\p{N}])`, 'iu').test(text);
}

function otherSupplierData(text: string, runs: string[], compact: string, p: SupplierTextPolicy): string | undefined {
  const own = (p.supplierName ?? '').trim().toLowerCase();
  for (const other of p.otherSuppliers ?? []) {
    const name = (other.name ?? '').trim();
    const sameAsOwn = name.toLowerCase() === own || (own.length > 0 && own.includes(name.toLowerCase()));
    if (name.length >= 4 && !sameAsOwn && wholeWord(text, name)) return `another supplier's name ("${name}")`;
    if (other.taxId && alnumOf(other.taxId).length >= 6 && compact.includes(alnumOf(other.taxId)))
      return `another supplier's tax id (${maskAccount(alnumOf(other.taxId))})`;
    const account = (other.accounts ?? []).find((a) => containsAccount(runs, compact, a));
    if (account) return `another supplier's bank number (${maskAccount(alnumOf(account))})`;
  }
  return undefined;
}

function bankDetails(text: string, runs: string[], compact: string, p: SupplierTextPolicy): string | undefined {
  const onFile = (p.accounts ?? []).find((a) => containsAccount(runs, compact, a));
  if (onFile) return `a bank number on file (${maskAccount(alnumOf(onFile))})`;
  const mention = findAccountMentions([{ source: 'message', text }])[0];
  if (mention)
    return `${mention.kind === 'iban' ? 'an IBAN' : 'a bank account number'} (${maskAccount(mention.value)})`;
  if (/\b(routing|aba|sort\s*code)\b[^.\n\d]{0,24}\d[\d -]{4,}\d/i.test(text)) return 'a routing or sort code number';
  for (const m of text.matchAll(/\b(?:swift|bic)\b[^.\n]{0,24}/gi)) {
    if (/\b[A-Z]{6}[A-Z0-9]{2}(?:[A-Z0-9]{3})?\b/.test(m[0])) return 'a SWIFT/BIC code';
  }
  return undefined;
}

/** Sentences of internal text long enough that repeating one is not a coincidence. */
function internalNote(text: string, p: SupplierTextPolicy): string | undefined {
  if (/SETTLE DOSSIER|\[internal\b/i.test(text)) return "Settle's internal dossier";
  const flat = text.toLowerCase().replace(/\s+/g, ' ');
  for (const internal of p.internalTexts ?? []) {
    for (const sentence of normalise(internal).split(/(?<=[.!?])\s+|\n+/)) {
      const s = sentence.toLowerCase().replace(/\s+/g, ' ').trim();
      if (s.length >= 24 && flat.includes(s)) return `an internal comment ("${s.slice(0, 40)}…")`;
    }
  }
  return undefined;
}

const TOKEN_PATTERNS: ReadonlyArray<[RegExp, string]> = [
  [/-----BEGIN [A-Z ]*PRIVATE KEY-----/, 'a private key'],
  [/\beyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}/, 'a JSON web token'],
  [/\bbearer\s+[A-Za-z0-9._~+/-]{12,}=*/i, 'a bearer token'],
  [
    /\b(?:sk|pk|rk)[-_](?:live|test)?[-_]?[A-Za-z0-9]{16,}|\bgh[pousr]_[A-Za-z0-9]{20,}|\bxox[abprs]-[A-Za-z0-9-]{10,}|\bAKIA[0-9A-Z]{16}\b/,
    'an API key',
  ],
  [
    /\b(?:api[_ -]?key|secret|password|passwd|client[_ -]?secret|access[_ -]?token|token)\s*[:=]\s*\S{6,}/i,
    'a credential',
  ],
];

function token(text: string): string | undefined {
  for (const [pattern, label] of TOKEN_PATTERNS) if (pattern.test(text)) return label;
  // A long unbroken run of letters and digits mixed is a secret, not a word or a number.
  const long = /[A-Za-z0-9_-]{32,}/.exec(text)?.[0];
  if (long && /[A-Za-z]/.test(long) && /\d/.test(long)) return 'a long secret-like string';
  return undefined;
}

function urlNotAllowed(text: string, p: SupplierTextPolicy): string | undefined {
  const allowed = (p.allowedHosts ?? []).map((h) => h.toLowerCase());
  for (const m of text.matchAll(/\b(?:(?:https?|ftp):\/\/|www\.)[^\s<>"'`)\]]+/gi)) {
    const raw = m[0].toLowerCase().startsWith('www.') ? `http://${m[0]}` : m[0];
    let host: string;
    try {
      host = new URL(raw).hostname.toLowerCase();
    } catch {
      return 'a link that is not a well-formed URL';
    }
    if (!allowed.some((a) => host === a || host.endsWith(`.${a}`)))
      return `a link to ${host}, which is not on the supplier URL allow-list`;
  }
  return undefined;
}

/** Check one supplier-visible message. The first rule that fires refuses it. */
export function checkSupplierText(input: string, policy: SupplierTextPolicy = {}): SupplierTextVerdict {
  const text = normalise(input);
  const runs = numberRuns(text);
  const compact = alnumOf(text);
  const checks: Array<[SupplierTextRule, () => string | undefined]> = [
    ['other-supplier-data', () => otherSupplierData(text, runs, compact, policy)],
    ['bank-details', () => bankDetails(text, runs, compact, policy)],
    ['internal-note', () => internalNote(text, policy)],
    ['token', () => token(text)],
    ['url-not-allowed', () => urlNotAllowed(text, policy)],
  ];
  for (const [rule, run] of checks) {
    const found = run();
    if (found) return { ok: false, rule, detail: `it contains ${found}` };
  }
  return { ok: true };
}

/** The refusal as the guard words it. */
export function describeRefusal(verdict: Extract<SupplierTextVerdict, { ok: false }>): string {
  return `supplier-visible text refused by rule "${verdict.rule}": ${verdict.detail}`;
}
