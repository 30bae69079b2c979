/**
 * Supplier-visible text (dispute messages, information requests) passes this filter before it
 * leaves Settle: no bank account numbers, IBANs, tax ids, internal notes or other suppliers' data.
 * The filter redacts rather than trusts the author — the author may be a model that read
 * attacker-controlled text.
 */

export interface SupplierTextContext {
  /** The supplier the message goes to; its own name may appear. */
  supplierName?: string | null | undefined;
  /** Names of other suppliers, which must never appear. */
  otherSupplierNames?: readonly string[];
}

export interface FilteredText {
  text: string;
  redactions: string[];
}

const PATTERNS: Array<{ label: string; pattern: RegExp }> = [
  { label: 'IBAN', pattern: /\b[A-Z]{2}\d{2}(?:[ ]?[A-Z0-9]{4}){2,7}(?:[ ]?[A-Z0-9]{1,4})?\b/g },
  {
    label: 'VAT id',
    pattern: /\b(?:ATU|BE0?|DE|FR[A-Z0-9]{2}|GB|IE|IT|NL|ES|SE|PL|DK|FI|PT|LU|CZ|AT)\d{7,12}(?:B\d{2})?\b/g,
  },
  { label: 'tax id', pattern: /\b\d{2}-\d{7}\b/g },
  { label: 'SSN', pattern: /\b\d{3}-\d{2}-\d{4}\b/g },
  { label: 'bank account or routing number', pattern: /\b\d[\d -]{6,}\d\b/g },
  { label: 'SWIFT/BIC', pattern: /\b[A-Z]{4}[A-Z]{2}[A-Z0-9]{2}(?:[A-Z0-9]{3})?\b(?=.*\b(?:swift|bic)\b)/gi },
  { label: 'internal note', pattern: /\[internal[^\]]*\][\s\S]*?(?:\[\/internal\]|$)/gi },
];

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** Redact everything a supplier must not see; report what was removed. */
export function filterSupplierText(input: string, context: SupplierTextContext = {}): FilteredText {
  let text = input;
  const redactions: string[] = [];
  for (const { label, pattern } of PATTERNS) {
    text = text.replace(pattern, (match) => {
      // Invoice and PO numbers are fine to quote back; only long digit runs look like accounts.
      if (label === 'bank account or routing number' && match.replace(/\D/g, '').length < 8) return match;
      redactions.push(label);
      return '[redacted]';
    });
  }
  const own = (context.supplierName ?? '').trim().toLowerCase();
  for (const name of context.otherSupplierNames ?? []) {
    const trimmed = name.trim();
    if (trimmed.length < 3 || trimmed.toLowerCase() === own) continue;
    const re = new RegExp(`\\b${escapeRegExp(trimmed)}\\b`, 'gi');
    if (re.test(text)) {
      text = text.replace(re, '[another supplier]');
      redactions.push('other supplier name');
    }
  }
  return { text, redactions };
}
