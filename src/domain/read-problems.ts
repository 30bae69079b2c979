/**
 * Fields of the Coupa records that could not be read (the client degrades per field and names
 * each in the record's `readProblems`). A problem in a field the decision rests on becomes an
 * `unreadable_field` finding: the invoice is routed to the AP reviewer with a dossier saying
 * exactly what could not be read, instead of being decided on half-read data. Problems in fields
 * no check reads (timestamps, descriptions, units, authors' names) are listed but decide nothing.
 */
import { describeReadProblem, type ReadProblem } from '../coupa/read-problems.js';
import type { InvoiceContext } from './context.js';
import { finding, type Finding } from './findings.js';

/** Wire field names no check depends on: a problem there is noted, never decisive. */
const NOT_MATERIAL = new Set([
  'created-at',
  'updated-at',
  'description',
  'uom',
  'approvals',
  'internal-note',
  'dispute-reasons',
  'custom-fields',
  'created-by',
  'updated-by',
  'display-name',
  'email',
  'firstname',
  'lastname',
  'roles',
  'manager',
  'line-num',
  'tolerance-failures',
  'breach-amount',
  'breach-limit',
  'breach-detail-1',
  'breach-detail-2',
  'resolution-strategy',
  'failable-type',
  'failable-id',
  'transaction-date',
  'name',
  'kind',
  'street1',
  'street2',
  'city',
  'state',
  'postal-code',
  'country',
  'payment-date',
  'to-supplier',
  'commentable-type',
  'approvable-type',
  'note',
  'position',
]);

/** Resources whose records only inform (who wrote a comment, who a user is): never decisive. */
const INFORMATIONAL_RESOURCES = new Set(['comment', 'user', 'approval']);

/** The last field name of a wire path: `invoice-lines[0].price` → `price`. */
function leafName(field: string): string {
  const parts = field.replace(/\[\d+\]/g, '').split('.');
  return parts[parts.length - 1] ?? field;
}

/** Whether a decision may rest on the field this problem is about. */
export function isMaterial(problem: ReadProblem): boolean {
  if (INFORMATIONAL_RESOURCES.has(problem.resource)) return false;
  // A whole element set aside (an invoice line, a failed tolerance) always matters.
  if (problem.lost === 'element') return true;
  return !NOT_MATERIAL.has(leafName(problem.field));
}

/** Every read problem of the invoice and the records around it, invoice first. */
export function readProblemsOf(ctx: InvoiceContext): ReadProblem[] {
  const records: Array<{ readProblems?: ReadProblem[] } | null | undefined> = [
    ctx.invoice,
    ctx.supplier,
    ...(ctx.purchaseOrders ?? []),
    ...(ctx.receipts ?? []),
    ...(ctx.supplierInformation ?? []),
    ...(ctx.contracts ?? []),
    ...(ctx.history ?? []),
    ...(ctx.comments ?? []),
  ];
  return records.flatMap((r) => r?.readProblems ?? []);
}

/**
 * One finding for everything material that could not be read (so the dossier lists it in one
 * place), or none. The figures name how many; the evidence lists each record, field and value.
 */
export function checkReadProblems(ctx: InvoiceContext): Finding[] {
  const problems = readProblemsOf(ctx);
  const material = problems.filter(isMaterial);
  if (material.length === 0) return [];
  const first = material[0] as ReadProblem;
  const more = material.length > 1 ? ` and ${material.length - 1} more field(s)` : '';
  return [
    finding(
      'unreadable_field',
      `Settle could not read ${first.resource} ${first.recordId ?? ''} ${first.field} (${first.seen})${more}; a person must check these in Coupa before the invoice is settled.`.replace(
        / {2,}/g,
        ' ',
      ),
      { unreadableFields: String(material.length), informationalProblems: String(problems.length - material.length) },
      material.map(describeReadProblem),
    ),
  ];
}
