/**
 * Accounts-payable vocabulary for the offline embedder: stop words, a light stemmer and a synonym
 * table that maps the many ways people say one thing ("paid twice", "double billed", "dupe") to a
 * shared concept feature. Without it a hashing embedder only matches literal words.
 */

export const STOP_WORDS = new Set(
  ('a an and are as at be been but by can could did do does for from had has have how i if in into is it its ' +
    'may me might must my of on or our shall should so than that the their them then there these they this ' +
    'those to was we were what when where which who whom why will with would you your about any also each ' +
    'get gets got he she his her not only other over same such very us let just').split(' '),
);

/** Single words → concept. */
const WORD_CONCEPTS: Record<string, string> = {
  vat: 'tax', gst: 'tax', hst: 'tax', taxes: 'tax', taxed: 'tax', taxable: 'tax', levy: 'tax', withholding: 'tax',
  duplicate: 'duplicate', duplicates: 'duplicate', duplicated: 'duplicate', double: 'duplicate', twice: 'duplicate',
  dupe: 'duplicate', dupes: 'duplicate', resubmit: 'duplicate', resubmitted: 'duplicate', resubmission: 'duplicate',
  repeat: 'duplicate', repeated: 'duplicate', copy: 'duplicate',
  bank: 'bankdetail', iban: 'bankdetail', swift: 'bankdetail', bic: 'bankdetail', routing: 'bankdetail',
  remit: 'bankdetail', remittance: 'bankdetail', wire: 'bankdetail', ach: 'bankdetail',
  price: 'price', prices: 'price', priced: 'price', pricing: 'price', overcharge: 'price', overcharged: 'price',
  markup: 'price', cost: 'price', costs: 'price', rate: 'price',
  quantity: 'quantity', quantities: 'quantity', qty: 'quantity', units: 'quantity', overbilled: 'quantity', overbilling: 'quantity',
  receipt: 'receipt', receipts: 'receipt', received: 'receipt', receiving: 'receipt', grn: 'receipt',
  delivered: 'receipt', delivery: 'receipt', shipped: 'receipt', arrived: 'receipt',
  po: 'po', pos: 'po', requisition: 'po',
  approve: 'approval', approval: 'approval', approvals: 'approval', approver: 'approval', approvers: 'approval',
  authorise: 'approval', authorize: 'approval', authority: 'approval', signoff: 'approval', delegation: 'approval', delegate: 'approval',
  supplier: 'supplier', suppliers: 'supplier', vendor: 'supplier', vendors: 'supplier', seller: 'supplier', payee: 'supplier',
  dispute: 'dispute', disputes: 'dispute', disputed: 'dispute', reject: 'dispute', rejected: 'dispute', contest: 'dispute', challenge: 'dispute',
  hold: 'hold', held: 'hold', block: 'hold', blocked: 'hold', freeze: 'hold', frozen: 'hold',
  tolerance: 'tolerance', tolerances: 'tolerance', threshold: 'tolerance', thresholds: 'tolerance', variance: 'tolerance',
  variances: 'tolerance', allowance: 'tolerance', leeway: 'tolerance', cap: 'tolerance',
  gl: 'glaccount', ledger: 'glaccount', coding: 'glaccount', coded: 'glaccount', budget: 'glaccount',
  fraud: 'fraud', fraudulent: 'fraud', phishing: 'fraud', scam: 'fraud', impersonation: 'fraud', suspicious: 'fraud', spoofed: 'fraud',
  escalate: 'escalation', escalation: 'escalation', escalated: 'escalation', manager: 'escalation',
  rounding: 'rounding', cents: 'rounding', penny: 'rounding', pennies: 'rounding',
  eu: 'eu', europe: 'eu', european: 'eu', intra: 'eu', germany: 'eu', france: 'eu', netherlands: 'eu',
  invoice: 'invoice', invoices: 'invoice', bill: 'invoice', billed: 'invoice', bills: 'invoice',
  missing: 'missing', absent: 'missing', lacking: 'missing', without: 'missing', blank: 'missing', empty: 'missing',
  onboarded: 'newsupplier', onboarding: 'newsupplier', recently: 'newsupplier', created: 'newsupplier',
  refund: 'recovery', refunds: 'recovery', recover: 'recovery', recovery: 'recovery', reclaim: 'recovery', clawback: 'recovery',
  overpaid: 'recovery', overpayment: 'recovery',
  inactive: 'supplierstatus', deactivated: 'supplierstatus', suspended: 'supplierstatus',
  contract: 'contract', contracted: 'contract', agreement: 'contract', firm: 'contract',
  freight: 'freight', shipping: 'freight', carriage: 'freight',
};

/** Two-word phrases → concept (matched on raw, unstemmed tokens). */
const PHRASE_CONCEPTS: Record<string, string> = {
  'sales tax': 'tax', 'use tax': 'tax', 'reverse charge': 'tax',
  'paid twice': 'duplicate', 'same invoice': 'duplicate', 'billed twice': 'duplicate',
  'account number': 'bankdetail', 'bank details': 'bankdetail', 'payment details': 'bankdetail', 'sort code': 'bankdetail',
  'purchase order': 'po', 'unit price': 'price', 'cost centre': 'glaccount', 'cost center': 'glaccount',
  'account code': 'glaccount', 'gl code': 'glaccount', 'budget owner': 'glaccount', 'expense account': 'glaccount',
  'goods receipt': 'receipt', 'not received': 'receipt', 'sign off': 'approval', 'send back': 'dispute',
  'on hold': 'hold', 'stop payment': 'hold', 'tax id': 'taxid', 'vat number': 'taxid', 'vat id': 'taxid', 'tin': 'taxid',
  'reason code': 'reasoncode', 'new vendor': 'newsupplier', 'new supplier': 'newsupplier',
  'money back': 'recovery', 'credit note': 'recovery', 'new account': 'bankdetail', 'new iban': 'bankdetail',
};

/** Words so common in AP text that they say little about which section answers a question. */
export const LOW_SIGNAL = new Set(['invoice', 'supplier', 'ap', 'policy', 'section', 'line', 'amount']);

/** Light suffix stripping; applied identically to queries and documents, so only collisions matter. */
export function stem(word: string): string {
  if (word.length <= 4 || /\d/.test(word)) return word;
  const rules: Array<[RegExp, string]> = [
    [/ies$/, 'y'], [/sses$/, 'ss'], [/([^su])s$/, '$1'], [/ational$/, 'ate'], [/ations?$/, 'ate'],
    [/izing$|ising$/, 'ize'], [/ing$/, ''], [/ed$/, ''], [/ments?$/, ''], [/ly$/, ''],
  ];
  for (const [pattern, replacement] of rules) {
    if (pattern.test(word)) {
      const out = word.replace(pattern, replacement);
      return out.length >= 3 ? out : word;
    }
  }
  return word;
}

export interface Terms {
  /** Stemmed content words in order. */
  words: string[];
  /** Concept features found through the synonym tables. */
  concepts: string[];
}

/** Lower-case word tokens, stop words dropped, stemmed, plus AP concepts. */
export function extractTerms(text: string): Terms {
  const raw = text.toLowerCase().normalize('NFKD').replace(/[\u0300-\u036f]/g, '').match(/[a-z0-9]+(?:\.[0-9]+)*/g) ?? [];
  const words: string[] = [];
  const concepts: string[] = [];
  for (let i = 0; i < raw.length; i++) {
    const token = raw[i]!;
    const next = raw[i + 1];
    const phrase = next === undefined ? undefined : PHRASE_CONCEPTS[`${token} ${next}`];
    if (phrase) concepts.push(phrase);
    const concept = WORD_CONCEPTS[token] ?? PHRASE_CONCEPTS[token];
    if (concept) concepts.push(concept);
    if (!STOP_WORDS.has(token)) words.push(stem(token));
  }
  return { words, concepts };
}
