/**
 * The event's `exception_code` / `hold_reason` is a hint only: it can be missing or wrong. It is
 * read to (a) say whether the records agree with it, (b) confirm checks the records alone cannot
 * settle (payment term defaulted from the supplier, backup documents), and (c) name the type when
 * the records show nothing at all.
 */
import type { InvoiceContext } from './context.js';
import { ExceptionType } from './vocabulary.js';

/** Keyword rules, most specific first: "TAX_ID_MISSING" is missing information, not a tax variance. */
const HINT_RULES: ReadonlyArray<[RegExp, ExceptionType]> = [
  [/DUPLICATE|\bDUP\b|ALREADY[ _-]?(PAID|SUBMITTED)/, 'duplicate'],
  [/BANK|REMIT|SUPPLIER[ _-]?(HOLD|INACTIVE|MISMATCH|DATA)|VENDOR|ON[ _-]?HOLD/, 'supplier_data_mismatch'],
  [
    /MISSING[ _-]?INFO|MISSING[ _-]?REQUIRED|REQUIRED[ _-]?FIELD|VAT[ _-]?(ID|NUMBER)|TAX[ _-]?(ID|NUMBER)[ _-]?MISSING|MISSING[ _-]?TAX[ _-]?ID|PAYMENT[ _-]?TERM|INVOICE[ _-]?DATE|BACKUP|ATTACHMENT|SUPPORTING[ _-]?DOC/,
    'missing_information',
  ],
  [/NO[ _-]?PO(\b|_)|MISSING[ _-]?PO|NON[ _-]?PO|PO[ _-]?NOT[ _-]?FOUND|INVALID[ _-]?PO|UNKNOWN[ _-]?PO/, 'missing_po'],
  [/RECEIPT|RECEIV/, 'missing_receipt'],
  [/QTY|QUANTITY|OVER[ _-]?BILL/, 'quantity_variance'],
  [/PRICE|CONTRACT/, 'price_variance'],
  [/TAX|VAT/, 'tax_variance'],
  // An amount-based line over its PO amount fails Coupa's amount-based line price tolerance.
  [/AMOUNT/, 'price_variance'],
];

export interface HintReading {
  text: string;
  /** The exception type the hint names, if any. */
  type?: ExceptionType;
}

/** Reads the event hint into the vocabulary (undefined when absent or unrecognised). */
export function readHint(event: InvoiceContext['event']): HintReading {
  const text = [event?.exceptionCode, event?.holdReason].filter(Boolean).join(' | ');
  const exact = ExceptionType.safeParse(event?.exceptionCode?.trim().toLowerCase());
  if (exact.success) return { text, type: exact.data };
  const upper = text.toUpperCase();
  const rule = HINT_RULES.find(([re]) => re.test(upper));
  return rule ? { text, type: rule[1] } : { text };
}

/** Whether the hint mentions a topic (used to confirm checks the records cannot settle alone). */
export function hintMentions(event: InvoiceContext['event'], topic: RegExp): boolean {
  return topic.test([event?.exceptionCode, event?.holdReason].filter(Boolean).join(' '));
}
