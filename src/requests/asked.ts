/**
 * What Settle asks a supplier for, and what in a reply counts as an answer. Pure: the request
 * store and the reply matcher call it. A reply is untrusted supplier text: it can only supply a
 * document or a value of the shape a question expects — never an instruction, never a decision.
 */

export type ItemKey = 'vat_id' | 'invoice_date' | 'payment_term' | 'documents' | 'other';
export type AnswerKind = 'document' | 'field' | 'text';

export interface AskedItem {
  key: ItemKey;
  /** The words the supplier read. */
  asked: string;
  answerKind: AnswerKind;
}

/** The topic of a requested item, from the words the planner or a person used. */
const TOPICS: Array<[RegExp, ItemKey, AnswerKind]> = [
  [/\bvat\b|tax[ -]?(id|number|registration)/i, 'vat_id', 'field'],
  [/invoice date/i, 'invoice_date', 'field'],
  [/payment term/i, 'payment_term', 'field'],
  [
    /document|timesheet|delivery note|statement of work|backup|attachment|proof of delivery|receipt copy/i,
    'documents',
    'document',
  ],
];

/** One item per topic; unrecognised wording is an `other` item any on-topic reply answers. */
export function itemsOf(missing: readonly string[]): AskedItem[] {
  const out = new Map<ItemKey, AskedItem>();
  for (const text of missing) {
    const topic = TOPICS.find(([re]) => re.test(text));
    const [key, answerKind]: [ItemKey, AnswerKind] = topic ? [topic[1], topic[2]] : ['other', 'text'];
    if (!out.has(key)) out.set(key, { key, asked: text.trim().slice(0, 200), answerKind });
  }
  return [...out.values()];
}

/** Documents a supplier may send as backup: anything else in a reply is ignored. */
const DOCUMENT_TYPES =
  /^(application\/pdf|image\/(png|jpeg|tiff)|application\/xml|text\/xml|text\/csv|application\/vnd\.openxmlformats-officedocument\.\w+(\.\w+)*)$/i;
export const MAX_ATTACHMENT_BYTES = 10 * 1024 * 1024;

export interface ReplyAttachment {
  filename: string;
  contentType: string;
  size: number;
}

export function isDocument(a: ReplyAttachment): boolean {
  return DOCUMENT_TYPES.test(a.contentType) && a.size > 0 && a.size <= MAX_ATTACHMENT_BYTES;
}

/** Values of the expected shape found in a reply (first match each). */
export interface FoundFacts {
  vat_id?: string;
  invoice_date?: string;
  payment_term?: string;
  documents?: string[];
}

const VAT =
  /\b(?:AT|BE|BG|CY|CZ|DE|DK|EE|EL|ES|FI|FR|HR|HU|IE|IT|LT|LU|LV|MT|NL|PL|PT|RO|SE|SI|SK|XI)\s?[0-9A-Z]{8,12}\b/;
const DATE = /\b(\d{4}-\d{2}-\d{2}|\d{1,2}[./]\d{1,2}[./]\d{4})\b/;
const TERM = /\b(net\s?\d{1,3}|\d{1,3}\s?days(?: net)?|due on receipt)\b/i;

/** Quoted history ("On … wrote:", "> …") is our own text coming back: not the supplier's answer. */
export function freshText(body: string): string {
  const lines = body.split(/\r?\n/);
  const cut = lines.findIndex((l) => /^On .+wrote:\s*$/.test(l.trim()) || /^-{2,}\s*Original Message/i.test(l.trim()));
  return (cut >= 0 ? lines.slice(0, cut) : lines)
    .filter((l) => !l.trimStart().startsWith('>'))
    .join('\n')
    .slice(0, 20_000);
}

/** Facts of an expected shape in the reply's own text and documents. */
export function factsIn(text: string, attachments: readonly ReplyAttachment[]): FoundFacts {
  const facts: FoundFacts = {};
  const vat = VAT.exec(text)?.[0];
  if (vat) facts.vat_id = vat.replace(/\s/g, '');
  const date = DATE.exec(text)?.[0];
  if (date) facts.invoice_date = date;
  const term = TERM.exec(text)?.[0];
  if (term) facts.payment_term = term;
  const docs = attachments.filter(isDocument).map((a) => a.filename);
  if (docs.length) facts.documents = docs;
  return facts;
}

/** The answer a reply gives to one item, or null. `other` is answered by any non-empty reply text. */
export function answerTo(item: AskedItem, facts: FoundFacts, text: string): unknown {
  if (item.key === 'other') return text.trim().length >= 3 ? { text: text.trim().slice(0, 500) } : null;
  const value = facts[item.key];
  return value === undefined ? null : { [item.key]: value };
}

/** Facts present that no open question asked for: evidence, never an answer. */
export function unaskedFacts(items: readonly AskedItem[], facts: FoundFacts): string[] {
  const asked = new Set<string>(items.map((i) => i.key));
  return Object.keys(facts).filter((k) => !asked.has(k));
}
