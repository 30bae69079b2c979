/**
 * Validation against Coupa before anything is posted: PO, supplier, lines, totals, bank details,
 * an existing invoice with the same number, and the confidence of every field a draft needs.
 * Master data that confirms a value (the PO exists, the supplier matches) raises its confidence;
 * nothing here ever writes to Coupa.
 */
import type { PurchaseOrder } from '../coupa/schemas.js';
import { invoicesWithNumber, type IngestCoupa } from './coupa-port.js';
import { checkAmounts, checkBankDetails } from './validate-amounts.js';
import { findPurchaseOrder, matchLines, normalisePoNumber } from './validate-po.js';
import type { OwnCompany } from './own-company.js';
import { matchSupplier } from './validate-supplier.js';
import type { ExtractedField, ExtractedInvoice, HeaderField, MatchedRefs, ValidationProblem } from './types.js';

/** Below this a value is not trusted into a draft: the document goes to review. */
export const MIN_CONFIDENCE = 0.8;

/** Fields a clean draft needs (the supplier and PO are judged by their match instead). */
const REQUIRED: readonly HeaderField[] = ['invoiceNumber', 'invoiceDate', 'currency', 'total'];
const OPEN_PO_STATUSES = new Set(['issued', 'currency_hold', 'sent', 'acknowledged']);

export interface Validation {
  /** The extraction with confidences updated by what Coupa confirmed. */
  invoice: ExtractedInvoice;
  refs: MatchedRefs;
  problems: ValidationProblem[];
}

const confirmed = (f: ExtractedField | undefined, confidence: number): ExtractedField | undefined =>
  f && { ...f, confidence: Math.max(f.confidence, confidence) };

function confidenceProblems(invoice: ExtractedInvoice): ValidationProblem[] {
  const problems: ValidationProblem[] = [];
  for (const name of REQUIRED) {
    const f = invoice.fields[name];
    if (!f) problems.push({ code: 'missing_field', severity: 'error', field: name, message: `no ${name} was found` });
    else if (f.confidence < MIN_CONFIDENCE)
      problems.push({
        code: 'low_confidence',
        severity: 'error',
        field: name,
        message: `${name} "${f.value}" was read with confidence ${f.confidence.toFixed(2)}`,
      });
  }
  for (const name of ['tax', 'subtotal', 'iban', 'bankAccount'] as const) {
    const f = invoice.fields[name];
    if (f && f.confidence < MIN_CONFIDENCE)
      problems.push({
        code: 'low_confidence',
        severity: 'error',
        field: name,
        message: `${name} "${f.value}" was read with confidence ${f.confidence.toFixed(2)}`,
      });
  }
  invoice.lines.forEach((l, i) => {
    const weakest = Math.min(
      l.description.confidence,
      l.amount.confidence,
      l.quantity?.confidence ?? 1,
      l.unitPrice?.confidence ?? 1,
    );
    if (weakest < MIN_CONFIDENCE)
      problems.push({
        code: 'low_confidence',
        severity: 'error',
        field: `lines[${i}]`,
        message: `line ${i + 1} was read with confidence ${weakest.toFixed(2)}`,
      });
  });
  return problems;
}

async function checkPo(
  coupa: IngestCoupa,
  invoice: ExtractedInvoice,
): Promise<{ po?: PurchaseOrder; problems: ValidationProblem[] }> {
  const printed = invoice.fields.poNumber?.value;
  if (!printed)
    return {
      problems: [
        {
          code: 'missing_po',
          severity: 'error',
          field: 'poNumber',
          message: 'no PO number was found; a non-PO invoice needs coding by a person',
        },
      ],
    };
  const po = await findPurchaseOrder(coupa, printed);
  if (!po)
    return {
      problems: [
        {
          code: 'po_not_found',
          severity: 'error',
          field: 'poNumber',
          message: `PO ${normalisePoNumber(printed)} does not exist in Coupa`,
        },
      ],
    };
  const problems: ValidationProblem[] = [];
  if (!OPEN_PO_STATUSES.has(po.status))
    problems.push({
      code: 'po_not_open',
      severity: 'error',
      field: 'poNumber',
      message: `PO ${po.poNumber} is ${po.status}`,
    });
  const currency = invoice.fields.currency?.value;
  if (currency && po.currency?.code && currency !== po.currency.code) {
    problems.push({
      code: 'currency_mismatch',
      severity: 'error',
      field: 'currency',
      message: `the document is in ${currency}, PO ${po.poNumber} in ${po.currency.code}`,
    });
  }
  return { po, problems };
}

/** Validate an extraction against Coupa; `text` is the document's full text (remit-to evidence). */
export async function validateInvoice(
  coupa: IngestCoupa,
  extracted: ExtractedInvoice,
  text: string,
  ownCompany?: OwnCompany,
): Promise<Validation> {
  const invoice: ExtractedInvoice = { ...extracted, fields: { ...extracted.fields }, lines: [...extracted.lines] };
  const { po, problems } = await checkPo(coupa, invoice);
  if (po) invoice.fields.poNumber = confirmed(invoice.fields.poNumber, 0.98);
  const supplierMatch = await matchSupplier(coupa, invoice, text, po?.supplier?.id, ownCompany);
  problems.push(...supplierMatch.problems);
  const supplier = supplierMatch.supplier;
  if (supplier) {
    // Matched by its ids although no name (or the customer's, or a misread one) was taken for it: the master's name stands.
    const nameMatched = supplierMatch.evidence.some((e) => e.startsWith('name '));
    invoice.fields.supplierName = nameMatched
      ? confirmed(invoice.fields.supplierName, supplierMatch.strength)
      : { value: supplier.name, confidence: supplierMatch.strength, source: 'supplier-master' };
    invoice.evidence = [
      ...(invoice.evidence ?? []),
      `supplier master: ${supplier.name} (${supplier.id}) matched by ${supplierMatch.evidence.join(', ') || 'its score'}`,
    ];
  }
  const lineMatch = po ? matchLines(invoice.lines, po) : { orderLineIds: invoice.lines.map(() => null), problems: [] };
  problems.push(...lineMatch.problems, ...printedArithmetic(invoice));
  if (supplier) {
    problems.push(...checkBankDetails(invoice, await coupa.getSupplierInformation(supplier.id), supplier.name));
    const number = invoice.fields.invoiceNumber?.value;
    const existing = number ? await invoicesWithNumber(coupa, supplier.id, number) : [];
    if (existing.length > 0) {
      problems.push({
        code: 'duplicate_invoice_number',
        severity: 'error',
        field: 'invoiceNumber',
        message: `${supplier.name} already has invoice ${number} in Coupa (id ${existing.map((e) => e.id).join(', ')})`,
      });
    }
  }
  problems.push(...(extracted.findings ?? []), ...confidenceProblems(invoice));
  const refs: MatchedRefs = {
    ...(supplier ? { supplierId: supplier.id, supplierName: supplier.name } : {}),
    ...(supplierMatch.remitToAddressId !== undefined ? { remitToAddressId: supplierMatch.remitToAddressId } : {}),
    ...(po ? { purchaseOrderId: po.id, poNumber: po.poNumber } : {}),
    orderLineIds: lineMatch.orderLineIds,
  };
  return { invoice, refs, problems };
}

/** An e-invoice's sums were checked by the EN 16931 rules (allowances and charges included) when it was read. */
const printedArithmetic = (invoice: ExtractedInvoice): ValidationProblem[] =>
  invoice.format && invoice.format !== 'printed' ? [] : checkAmounts(invoice);

/**
 * What can be said without Coupa (a dry run with no tenant configured): the document's own
 * findings, its arithmetic and the confidence of every field. Supplier, PO and duplicates are not checked.
 */
export function validateOffline(extracted: ExtractedInvoice): Validation {
  const invoice: ExtractedInvoice = { ...extracted, fields: { ...extracted.fields }, lines: [...extracted.lines] };
  const problems: ValidationProblem[] = [
    ...(extracted.findings ?? []),
    ...printedArithmetic(invoice),
    ...confidenceProblems(invoice),
    {
      code: 'not_checked_against_coupa',
      severity: 'warning',
      message: 'not checked against Coupa (none configured): supplier, PO and duplicates unverified',
    },
  ];
  return { invoice, refs: { orderLineIds: invoice.lines.map(() => null) }, problems };
}

/** Problems that keep a document from being posted (warnings do not). */
export function blocking(problems: readonly ValidationProblem[]): ValidationProblem[] {
  return problems.filter((p) => p.severity !== 'warning');
}
