/**
 * Arithmetic and bank checks that need no PO: lines multiply out, lines add up to the subtotal,
 * subtotal plus tax is the total (exact decimals), and the bank details printed are the ones on
 * the supplier master — a difference is reported as a fraud signal and never written anywhere.
 */
import type { SupplierInformation } from '../coupa/schemas.js';
import { Dec } from '../domain/money.js';
import { maskAccount } from '../domain/text-signals.js';
import type { ExtractedInvoice, ValidationProblem } from './types.js';

/** Totals and line arithmetic. */
export function checkAmounts(invoice: ExtractedInvoice): ValidationProblem[] {
  const problems: ValidationProblem[] = [];
  const f = invoice.fields;
  invoice.lines.forEach((l, i) => {
    if (
      l.quantity &&
      l.unitPrice &&
      !new Dec(l.quantity.value).times(l.unitPrice.value).toDecimalPlaces(2).eq(l.amount.value)
    ) {
      problems.push({
        code: 'line_arithmetic',
        severity: 'error',
        field: `lines[${i}]`,
        message: `line ${i + 1}: ${l.quantity.value} × ${l.unitPrice.value} is not ${l.amount.value}`,
      });
    }
  });
  if (invoice.lines.length === 0)
    problems.push({ code: 'no_lines', severity: 'error', field: 'lines', message: 'no line items were found' });
  const lineSum = invoice.lines.reduce((s, l) => s.plus(l.amount.value), new Dec(0));
  if (f.subtotal && invoice.lines.length > 0 && !lineSum.eq(f.subtotal.value)) {
    problems.push({
      code: 'lines_do_not_add_up',
      severity: 'error',
      field: 'subtotal',
      message: `the lines add up to ${lineSum.toFixed(2)}, the subtotal says ${f.subtotal.value}`,
    });
  }
  if (!f.total)
    problems.push({ code: 'missing_total', severity: 'error', field: 'total', message: 'no invoice total was found' });
  else if (f.subtotal) {
    const expected = new Dec(f.subtotal.value).plus(f.tax?.value ?? '0');
    if (!expected.eq(f.total.value)) {
      problems.push({
        code: 'total_does_not_add_up',
        severity: 'error',
        field: 'total',
        message: `subtotal ${f.subtotal.value} + tax ${f.tax?.value ?? '0'} = ${expected.toFixed(2)}, the total says ${f.total.value}`,
      });
    }
  }
  return problems;
}

const clean = (s: string): string => s.toUpperCase().replace(/[^A-Z0-9]/g, '');

/** Printed IBAN / account number against the master's Supplier Information bank details. */
export function checkBankDetails(
  invoice: ExtractedInvoice,
  info: SupplierInformation | null,
  supplierName: string,
): ValidationProblem[] {
  const printed = [invoice.fields.iban?.value, invoice.fields.bankAccount?.value]
    .filter((v): v is string => Boolean(v))
    .map(clean);
  if (printed.length === 0) return [];
  const onFile = (info?.supplierInformationAddresses ?? [])
    .flatMap((a) => [a.ibanNumber, a.bankAccountNumber])
    .filter((v): v is string => Boolean(v))
    .map(clean);
  if (onFile.length === 0) {
    return [
      {
        code: 'bank_details_unverified',
        severity: 'warning',
        field: 'iban',
        message: `${supplierName} has no bank details on the master to compare with`,
      },
    ];
  }
  const unknown = printed.filter((p) => !onFile.includes(p));
  return unknown.map((p) => ({
    code: 'bank_details_mismatch',
    severity: 'fraud' as const,
    field: p.length > 17 ? 'iban' : 'bankAccount',
    message: `the document asks for payment to account ${maskAccount(p)}, which is not ${supplierName}'s account on the master (${onFile.map(maskAccount).join(', ')}); possible payment fraud — verify with the supplier by phone, do not update the master from this document`,
  }));
}
