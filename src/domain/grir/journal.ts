/**
 * Journal export of approved GR/IR clearings for the ERP (Coupa posts no journals): CSV and JSON,
 * one row per debit or credit line, exact decimals as strings. Every entry must balance — debits
 * equal credits to the cent — or it is refused before anything is written.
 */
import { Dec } from '../money.js';
import type { JournalLine } from './types.js';

export interface JournalEntry {
  /** Stable id: `GRIR-<proposal id>`. */
  id: string;
  /** Posting date (YYYY-MM-DD). */
  date: string;
  currency: string;
  /** PO number and line, invoice number: what the ERP user searches by. */
  reference: string;
  lines: JournalLine[];
  proposedBy: string;
  approvedBy: string[];
}

export class UnbalancedEntryError extends Error {
  override name = 'UnbalancedEntryError';
}

/** Debit and credit totals of an entry, exact. */
export function totals(entry: Pick<JournalEntry, 'lines'>): { debit: string; credit: string } {
  const debit = entry.lines.reduce((s, l) => s.plus(l.debit), new Dec(0));
  const credit = entry.lines.reduce((s, l) => s.plus(l.credit), new Dec(0));
  return { debit: debit.toFixed(2), credit: credit.toFixed(2) };
}

export function assertBalanced(entry: Pick<JournalEntry, 'id' | 'lines'>): void {
  if (entry.lines.length < 2)
    throw new UnbalancedEntryError(`${entry.id}: a journal entry needs a debit and a credit line`);
  for (const line of entry.lines) {
    if (!/^\d+\.\d{2}$/.test(line.debit) || !/^\d+\.\d{2}$/.test(line.credit))
      throw new UnbalancedEntryError(`${entry.id}: amounts must be non-negative decimals with two places`);
  }
  const t = totals(entry);
  if (t.debit !== t.credit) throw new UnbalancedEntryError(`${entry.id}: debits ${t.debit} ≠ credits ${t.credit}`);
}

const CSV_HEADER = [
  'entry_id',
  'date',
  'currency',
  'account',
  'debit',
  'credit',
  'memo',
  'reference',
  'proposed_by',
  'approved_by',
];

function csvCell(value: string): string {
  // Spreadsheet formula injection: a cell starting with = + - @ is prefixed, as OWASP advises.
  const safe = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return /[",\n\r]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

/** The entries as CSV (RFC 4180, CRLF line ends), after checking each balances. */
export function journalCsv(entries: readonly JournalEntry[]): string {
  const rows = [CSV_HEADER.join(',')];
  for (const e of entries) {
    assertBalanced(e);
    for (const l of e.lines) {
      rows.push(
        [
          e.id,
          e.date,
          e.currency,
          l.account,
          l.debit,
          l.credit,
          l.memo,
          e.reference,
          e.proposedBy,
          e.approvedBy.join(' '),
        ]
          .map(csvCell)
          .join(','),
      );
    }
  }
  return `${rows.join('\r\n')}\r\n`;
}

/** The entries as JSON (amounts stay strings), after checking each balances. */
export function journalJson(entries: readonly JournalEntry[]): string {
  for (const e of entries) assertBalanced(e);
  return `${JSON.stringify({ entries: entries.map((e) => ({ ...e, totals: totals(e) })) }, null, 2)}\n`;
}
