/** GR/IR reconciliation (pure): the book, open items, their investigation and proposed actions. */
export * from './types.js';
export {
  AGE_BUCKETS,
  ageBucket,
  balanceOf,
  isPosted,
  openItemOf,
  type AgeBucket,
  type LineBalance,
} from './reconcile.js';
export { ActionSettings, DEFAULT_ACTION_SETTINGS, clearingLines, proposeAction } from './actions.js';
export { investigate, INVOICE_LAG_DAYS, type ItemContext } from './investigate.js';
export { openItems, reconcileBook, summarize, type BookFacts, type BookSummary, type CauseTotals } from './book.js';
export { UnbalancedEntryError, assertBalanced, journalCsv, journalJson, totals, type JournalEntry } from './journal.js';
export { adjustToPoValue, creditNoteRequestText, type AdjustmentLine, type InvoiceAdjustment } from './adjustment.js';
