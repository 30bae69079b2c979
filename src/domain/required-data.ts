/**
 * Required header data (case-format `missing_information`): invoice date, payment term, backup
 * documents. The EU VAT id check lives in `tax.ts`.
 */
import type { InvoiceContext } from './context.js';
import { finding, type Finding } from './findings.js';
import { hintMentions } from './hint.js';

const PAYMENT_TERM_TOPIC = /payment[ _-]?term/i;
const BACKUP_TOPIC = /backup|attachment|supporting[ _-]?doc|documentation|proof of delivery|timesheet/i;

/**
 * Missing header data. Coupa fills an invoice's payment term from the supplier, so an invoice
 * without one is flagged when the supplier has none either, or when the hold names it. Backup
 * documents cannot be judged from the records alone: flagged when the hold asks for them and the
 * invoice has no attachments.
 */
export function checkRequiredData(ctx: InvoiceContext): Finding[] {
  const inv = ctx.invoice;
  const out: Finding[] = [];
  if (!inv.invoiceDate?.trim()) {
    out.push(
      finding('missing_invoice_date', `Invoice ${inv.invoiceNumber} has no invoice date.`, {}, ['invoice-date empty']),
    );
  }
  if (!inv.paymentTerm?.code && !inv.paymentTerm?.id) {
    const supplierTerm = ctx.supplier?.paymentTerm?.code;
    if (!supplierTerm || hintMentions(ctx.event, PAYMENT_TERM_TOPIC)) {
      out.push(
        finding(
          'missing_payment_term',
          `Invoice ${inv.invoiceNumber} has no payment term${supplierTerm ? ` (supplier default ${supplierTerm} not applied)` : ' and the supplier has no default'}.`,
          { supplierDefault: supplierTerm ?? '' },
          ['invoice payment-term empty'],
        ),
      );
    }
  }
  const attachments = inv.attachments ?? [];
  const none = attachments.length === 0;
  if (none && hintMentions(ctx.event, BACKUP_TOPIC)) {
    out.push(
      finding(
        'missing_backup_documents',
        `The hold asks for backup documents and invoice ${inv.invoiceNumber} has no attachments.`,
        { attachments: String(attachments.length) },
        [`hold: ${ctx.event?.holdReason ?? ctx.event?.exceptionCode ?? ''}`],
      ),
    );
  }
  return out;
}
