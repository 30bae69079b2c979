/**
 * Deterministic extraction: positioned text → header fields and lines, each with a confidence.
 * Arithmetic is the best witness a document offers: when lines add up to the subtotal and
 * subtotal plus tax to the total, those amounts are confirmed; a missing one is derived.
 */
import { Dec } from '../domain/money.js';
import { IngestError } from './errors.js';
import { extractHeaderFields } from './extract-header.js';
import { extractLines } from './extract-lines.js';
import { extractSupplierName } from './extract-supplier.js';
import { guessLanguage } from './language.js';
import { detectNumberStyle } from './numbers.js';
import type { DocumentText, ExtractedField, ExtractedInvoice, ExtractedLine } from './types.js';

const CONFIRMED = 0.98;

const confirm = (f: ExtractedField | undefined): ExtractedField | undefined => f && { ...f, confidence: Math.max(f.confidence, CONFIRMED) };
const scale = (f: ExtractedField, k: number): ExtractedField => ({ ...f, confidence: Math.round(f.confidence * k * 1000) / 1000 });

function scaleLine(line: ExtractedLine, k: number): ExtractedLine {
  return Object.fromEntries(Object.entries(line).map(([key, f]) => [key, scale(f as ExtractedField, k)])) as ExtractedLine;
}

/** Cross-check the amounts; fill subtotal or tax when the others prove them. */
function reconcileAmounts(invoice: ExtractedInvoice): void {
  const f = invoice.fields;
  const lineSum = invoice.lines.reduce((s, l) => s.plus(l.amount.value), new Dec(0));
  if (!f.subtotal && invoice.lines.length > 0) f.subtotal = { value: lineSum.toFixed(2), confidence: 0.85, source: 'derived' };
  if (f.subtotal && f.total && !f.tax) {
    const tax = new Dec(f.total.value).minus(f.subtotal.value);
    if (tax.gte(0)) f.tax = { value: tax.toFixed(2), confidence: 0.85, source: 'derived' };
  }
  if (f.subtotal && f.tax && f.total && new Dec(f.subtotal.value).plus(f.tax.value).eq(f.total.value)) {
    [f.subtotal, f.tax, f.total] = [confirm(f.subtotal), confirm(f.tax), confirm(f.total)];
  }
  if (f.subtotal && invoice.lines.length > 0 && lineSum.eq(f.subtotal.value)) {
    invoice.lines = invoice.lines.map((l) => ({ ...l, amount: confirm(l.amount)! }));
  }
  if (f.invoiceDate && f.dueDate && f.dueDate.value < f.invoiceDate.value) f.dueDate = { ...f.dueDate, confidence: 0.4 };
}

/** Extract an invoice from a read document; throws `IngestError` when it is not one we can read. */
export function extractInvoice(doc: DocumentText): ExtractedInvoice {
  const text = doc.rows.map((r) => r.text).join('\n');
  if (text.replace(/\s/g, '').length < 10) {
    throw new IngestError('no_text', doc.kind === 'pdf-text' ? 'the PDF has no text' : 'no text was recognised in the image (blank, too faint or not a document)');
  }
  const language = guessLanguage(text);
  if (language.language !== 'English' && language.share >= 0.5) {
    throw new IngestError('unsupported_language', `the document appears to be in ${language.language}; only English invoices are read automatically — route it to a person`);
  }
  const style = detectNumberStyle(doc.rows.map((r) => r.text));
  const table = extractLines(doc.rows, style);
  const rest = doc.rows.filter((r) => !table.rows.has(r));
  const fields = extractHeaderFields(rest, style);
  // The letterhead is above the table: table headers are often as tall as the name under OCR.
  const tableTop = doc.rows.findIndex((r) => table.rows.has(r));
  const supplier = extractSupplierName(tableTop > 0 ? doc.rows.slice(0, tableTop) : doc.rows);
  if (supplier) fields.supplierName = supplier;
  if (!fields.invoiceNumber && !fields.total && table.lines.length === 0) {
    throw new IngestError('not_an_invoice', 'no invoice number, total or line items were found; the document does not look like an invoice');
  }
  // OCR'd text is only as sure as the recogniser was; arithmetic checks below can confirm it again.
  const k = doc.kind === 'pdf-text' ? 1 : 0.6 + 0.4 * doc.textConfidence;
  const invoice: ExtractedInvoice = {
    fields: Object.fromEntries(Object.entries(fields).map(([key, f]) => [key, scale(f, k)])),
    lines: table.lines.map((l) => scaleLine(l, k)),
  };
  reconcileAmounts(invoice);
  return invoice;
}
