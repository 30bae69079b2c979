/**
 * Fraud and manipulation signals in supplier-controlled text (notes, comments, line descriptions).
 * That text is untrusted data: it can ask for payment to a new account (the classic
 * business-email-compromise pattern) or try to direct Settle's decision. Neither may move money.
 */

/** Phrases asking AP to pay somewhere else. Each needs bank/payment context, so "new account setup fee" is not one. */
export const BANK_CHANGE_PATTERNS: readonly RegExp[] = [
  /\b(new|updated?|changed?|different|revised|alternate|alternative)\s+(bank(ing)?|remittance|remit-to|payment|wire|ach)\s+(details|information|info|instructions|account|coordinates)\b/i,
  /\bnew\s+(bank\s+)?account\s+(number|details|no\b)/i,
  /\bchange\s+(of|in|to)\s+(our\s+)?bank(ing|s)?\b/i,
  /\bchange\s+(of|in|to)\s+(our\s+)?(remittance|payment)\s+(details|information|instructions|account)\b/i,
  /\b(we\s+have|we've|we\s+have\s+now|have)\s+(changed|switched|moved)\s+(our\s+)?(bank|banks|banking|bank\s+account|account)\b/i,
  /\bbank(ing)?\s+(details|account|information|info)\s+(have|has)\s+(changed|been\s+(updated|changed))/i,
  /\b(remit|pay|payments?|send\s+(all\s+)?payments?|wire|transfer)\b[\w\s]{0,30}?\b(to|into)\s+(our|the|this)\s+(new|updated|different)\s+(bank\s+)?account\b/i,
  /\bupdate\s+(your\s+records|your\s+system|our\s+details)\b.{0,60}\bbank/i,
];

/** Text that tries to direct the decision instead of describing the bill. */
export const INSTRUCTION_PATTERNS: readonly RegExp[] = [
  /\b(ignore|disregard|forget)\b.{0,40}\b(previous|prior|above|earlier|all|any)\b.{0,20}\b(instructions?|rules?|polic(y|ies)|prompts?)\b/i,
  /\b(approve|resolve|release|clear)\b.{0,30}\b(immediately|right away|without (review|delay|checks?)|asap|urgently)\b/i,
  /\b(already|pre-?)\s*approved\b|\bapproved\s+by\s+(ap|accounts payable|finance|the cfo|management)\b/i,
  /\b(mark|set|treat)\b.{0,30}\bas\s+(resolved|approved|paid|within tolerance)\b/i,
  /\b(bypass|override|skip|waive)\b.{0,30}\b(tolerances?|approvals?|review|hold|checks?|controls?)\b/i,
  /\byou\s+are\s+(an?|the)\s+(ai|assistant|agent|model)\b|\bas\s+an\s+ai\b|\b(system|assistant)\s*:\s/i,
  /\bdo\s+not\s+(route|escalate|hold|dispute|flag|review)\b/i,
];

const BANK_CONTEXT = /\b(bank|routing|aba|swift|bic|wire|ach|iban|sort\s*code)\b/i;
const IBAN_SHAPE = /\b[A-Z]{2}\d{2}(?: ?[A-Z0-9]{4}){2,7}(?: ?[A-Z0-9]{1,3})?\b/g;
const ACCOUNT_LABELLED = /\b(?:account|acct|a\/c)\s*(?:no\.?|number|#)?\s*[:#]?\s*(\d[\d -]{4,}\d)/gi;

export interface TextMatch {
  source: string;
  /** The matched words, for the evidence (short, quoted). */
  excerpt: string;
}

function firstMatch(patterns: readonly RegExp[], text: string): string | undefined {
  for (const p of patterns) {
    const m = p.exec(text);
    if (m) return m[0];
  }
  return undefined;
}

/** Bank-change requests in the given texts. */
export function findBankChangeLanguage(texts: ReadonlyArray<{ source: string; text: string }>): TextMatch[] {
  return texts.flatMap(({ source, text }) => {
    const excerpt = firstMatch(BANK_CHANGE_PATTERNS, text);
    return excerpt ? [{ source, excerpt }] : [];
  });
}

/** Attempts to direct the decision in the given texts. */
export function findInstructions(texts: ReadonlyArray<{ source: string; text: string }>): TextMatch[] {
  return texts.flatMap(({ source, text }) => {
    const excerpt = firstMatch(INSTRUCTION_PATTERNS, text);
    return excerpt ? [{ source, excerpt }] : [];
  });
}

/** ISO 13616 check digits (mod 97), so that a part number shaped like an IBAN is not taken for one. */
export function isValidIban(candidate: string): boolean {
  const s = candidate.replace(/\s+/g, '').toUpperCase();
  if (!/^[A-Z]{2}\d{2}[A-Z0-9]{11,30}$/.test(s)) return false;
  const rearranged = s.slice(4) + s.slice(0, 4);
  let rem = 0;
  for (const ch of rearranged) {
    const v = ch >= 'A' ? String(ch.charCodeAt(0) - 55) : ch;
    for (const d of v) rem = (rem * 10 + Number(d)) % 97;
  }
  return rem === 1;
}

/** The shape can run on into the next word ("…3000 PLEA"); the longest valid prefix is the IBAN. */
function longestValidIban(compact: string): string | undefined {
  for (let n = Math.min(34, compact.length); n >= 15; n--)
    if (isValidIban(compact.slice(0, n))) return compact.slice(0, n);
  return undefined;
}

export interface AccountMention {
  source: string;
  kind: 'iban' | 'account';
  /** Normalised: IBAN upper-case without spaces, account digits only. */
  value: string;
}

/** Bank account identifiers written in supplier text: valid IBANs, and account numbers in a bank context. */
export function findAccountMentions(texts: ReadonlyArray<{ source: string; text: string }>): AccountMention[] {
  const out: AccountMention[] = [];
  for (const { source, text } of texts) {
    for (const m of text.toUpperCase().matchAll(IBAN_SHAPE)) {
      const iban = longestValidIban(m[0].replace(/\s+/g, ''));
      if (iban) out.push({ source, kind: 'iban', value: iban });
    }
    if (!BANK_CONTEXT.test(text)) continue;
    for (const m of text.matchAll(ACCOUNT_LABELLED)) {
      const digits = (m[1] ?? '').replace(/\D/g, '');
      if (digits.length >= 6) out.push({ source, kind: 'account', value: digits });
    }
  }
  return out;
}

/** Masks all but the last four characters of an account identifier (dossiers never print them whole). */
export function maskAccount(value: string): string {
  return value.length <= 4 ? value : `${'•'.repeat(Math.min(8, value.length - 4))}${value.slice(-4)}`;
}
