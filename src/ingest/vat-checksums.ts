/**
 * EU VAT numbers printed without a label — a footer, a margin, under the name — count only when
 * their check digits hold (jsvat, the library the registry checks use too). Spanish ids are often
 * printed without their "ES" ("B87530432"): those are checked with it.
 */
import { checkVAT, countries } from 'jsvat';

// A lookahead, so one candidate cannot swallow the next ("NUMÉRO DE TVA FR814…": "DE TVAFR…" is tried and fails, then "FR814…").
const PREFIXED =
  /\b(?=(AT|BE|BG|CY|CZ|DE|DK|EE|EL|ES|FI|FR|GB|HR|HU|IE|IT|LT|LU|LV|MT|NL|PL|PT|RO|SE|SI|SK)\s?((?:[0-9A-Z][\s.]?){8,12}))/g;
const BARE_SPANISH = /\b([A-HJNP-SUVW]\d{7}[0-9A-J]|\d{8}[A-Z])\b/g;

const valid = (id: string): boolean => checkVAT(id, countries).isValid;

/** Verified VAT ids in `text`, without spaces ("FR74397480930"; a bare Spanish one as printed). */
export function checkedVatIds(text: string): string[] {
  const out = new Set<string>();
  const t = text.toUpperCase();
  for (const m of t.matchAll(PREFIXED)) {
    // The body may run into the next word ("FR 74 397 480 930 R.C.S."): the longest valid prefix is the id.
    const body = m[2]!.replace(/[\s.]/g, '');
    for (let n = Math.min(12, body.length); n >= 8; n--) {
      if (valid(m[1]! + body.slice(0, n))) {
        out.add(m[1]! + body.slice(0, n));
        break;
      }
    }
  }
  for (const m of t.matchAll(BARE_SPANISH)) if (!out.has(`ES${m[1]}`) && valid(`ES${m[1]}`)) out.add(m[1]!);
  return [...out];
}
