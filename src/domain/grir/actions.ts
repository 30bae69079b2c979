/**
 * What to do about an investigated item: a clearing entry (balanced debit/credit lines against the
 * GR/IR account, offset to the PO line's account or FX), a credit-note request to the supplier, a
 * receipt request to the requester, a write-off below the threshold, or leave it open until a
 * follow-up date. Amounts are exact decimals in the item's currency.
 */
import { z } from 'zod';
import { Dec } from '../money.js';
import type { GrirCause, JournalLine, OpenItem, PoLineFact, ProposedAction } from './types.js';

export const ActionSettings = z.object({
  /** The GR/IR clearing account in the ledger. */
  grirAccount: z.string().default('2150-GRIR'),
  /** Where exchange differences go. */
  fxAccount: z.string().default('7910-FX-GAIN-LOSS'),
  /** Offset when a PO line carries no account. */
  defaultExpenseAccount: z.string().default('5000-PURCHASES'),
  /** Unexplained items up to this amount are proposed for write-off. */
  writeOffThreshold: z
    .string()
    .regex(/^\d+(\.\d+)?$/)
    .default('50.00'),
  /** Leave-open items are looked at again after this many days. */
  followUpDays: z.number().int().positive().default(14),
});
export type ActionSettings = z.infer<typeof ActionSettings>;

export const DEFAULT_ACTION_SETTINGS: ActionSettings = ActionSettings.parse({});

/**
 * Balanced lines clearing `balance` (GR minus IR) against `offset`: a credit balance (received,
 * not invoiced) is cleared by debiting GR/IR, a debit balance by crediting it.
 */
export function clearingLines(balance: Dec, grirAccount: string, offset: string, memo: string): JournalLine[] {
  const amount = balance.abs().toFixed(2);
  const zero = '0.00';
  return balance.gte(0)
    ? [
        { account: grirAccount, debit: amount, credit: zero, memo },
        { account: offset, debit: zero, credit: amount, memo },
      ]
    : [
        { account: offset, debit: amount, credit: zero, memo },
        { account: grirAccount, debit: zero, credit: amount, memo },
      ];
}

function addDays(date: string, n: number): string {
  return new Date(Date.parse(date.slice(0, 10)) + n * 86_400_000).toISOString().slice(0, 10);
}

export function proposeAction(
  item: OpenItem,
  cause: GrirCause,
  line: PoLineFact,
  s: ActionSettings,
  detail: Record<string, string>,
  asOf: string,
): ProposedAction {
  const balance = new Dec(item.balance);
  const base = { amount: item.amount, currency: item.currency, lines: [] as JournalLine[] };
  const expense = line.account ?? s.defaultExpenseAccount;
  const memo = (why: string) => `GR/IR PO ${item.poNumber}/${item.lineNum}: ${why}`;
  const leaveOpen = (reason: string): ProposedAction => ({
    ...base,
    kind: 'leave_open',
    reason,
    followUp: addDays(asOf, s.followUpDays),
  });
  switch (cause) {
    case 'wrong_line':
      return {
        ...base,
        kind: 'receipt_request',
        addressee: line.requesterLogin ?? undefined,
        reason: `Move ${detail.quantity ?? ''} received from line ${detail.fromLine} to line ${detail.toLine} of PO ${item.poNumber} (void and re-receive).`,
      };
    case 'duplicate_receipt':
      return {
        ...base,
        kind: 'receipt_request',
        addressee: line.requesterLogin ?? undefined,
        reason: `Void duplicate receipt ${detail.receiptId} on PO ${item.poNumber} line ${item.lineNum}.`,
      };
    case 'awaiting_receipt':
      return {
        ...base,
        kind: 'receipt_request',
        addressee: line.requesterLogin ?? undefined,
        reason: `Confirm receipt of ${new Dec(item.quantityDiff ?? '0').abs()} on PO ${item.poNumber} line ${item.lineNum}, invoiced but not received.`,
      };
    case 'return_not_credited':
    case 'closed_po_invoice':
      return {
        ...base,
        kind: 'credit_note_request',
        addressee: line.supplierName ?? undefined,
        reason:
          cause === 'return_not_credited'
            ? `Request a credit note for ${new Dec(item.quantityDiff ?? '0').abs()} returned on PO ${item.poNumber} line ${item.lineNum}.`
            : `Request a credit note for ${new Dec(item.quantityDiff ?? '0').abs()} invoiced but never received on closed PO ${item.poNumber} line ${item.lineNum}.`,
      };
    case 'wrong_uom':
      return {
        ...base,
        kind: 'clearing_entry',
        lines: clearingLines(balance, s.grirAccount, expense, memo('unit of measure')),
        reason: `Clear the quantity difference: the invoice counts in ${detail.invoiceUom || 'another unit'}${detail.factor ? ` (×${detail.factor})` : ''}; the values agree.`,
      };
    case 'contract_price_change':
      return {
        ...base,
        kind: 'clearing_entry',
        lines: clearingLines(balance, s.grirAccount, expense, memo('contract price change')),
        reason:
          'Clear the price difference: the contract price changed after the PO was issued (update the PO price for new orders).',
      };
    case 'fx_difference':
      return {
        ...base,
        kind: 'clearing_entry',
        lines: clearingLines(balance, s.grirAccount, s.fxAccount, memo('exchange difference')),
        reason: 'Clear the exchange difference to FX gain/loss.',
      };
    case 'awaiting_invoice':
    case 'invoice_in_process':
      return leaveOpen(
        cause === 'awaiting_invoice'
          ? 'Received recently; the invoice is still to come.'
          : 'The invoice is in approval or on hold; it clears when posted.',
      );
    case 'no_explanation':
      if (balance.abs().lte(new Dec(s.writeOffThreshold))) {
        return {
          ...base,
          kind: 'write_off',
          lines: clearingLines(balance, s.grirAccount, expense, memo('write-off, no explanation found')),
          reason: `No explanation found; ${item.amount} ${item.currency} is at or below the write-off threshold ${s.writeOffThreshold}.`,
        };
      }
      return leaveOpen('No explanation found; above the write-off threshold. Ask the buyer and look again.');
  }
}
