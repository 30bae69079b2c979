/**
 * Four invoice layouts drawn with pdfkit, as suppliers send them: a US letterhead with labels
 * beside values, a European one (1.234,56 and DD.MM.YYYY, IBAN), a banded one with labels above
 * values, and a compact one with PO line references. Text PDFs; images are rendered from these.
 */
import PDFDocument from 'pdfkit';
import type { GroundTruth } from './model.js';

export type Layout = 'classic' | 'european' | 'banded' | 'compact';
export const LAYOUTS: readonly Layout[] = ['classic', 'european', 'banded', 'compact'];

type Doc = PDFKit.PDFDocument;
const CUSTOMER = ['Northwind Traders Inc.', 'Accounts Payable', '200 Harbor Way', 'Seattle, WA 98101'];
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** "1234.5" → "1,234.50" (point) or "1.234,50" (comma). */
export function formatMoney(value: string, style: 'point' | 'comma' = 'point'): string {
  const [whole = '0', frac = '00'] = value.replace('-', '').split('.');
  const grouped = whole.replace(/\B(?=(\d{3})+(?!\d))/g, style === 'point' ? ',' : '.');
  return `${value.startsWith('-') ? '-' : ''}${grouped}${style === 'point' ? '.' : ','}${frac.padEnd(2, '0').slice(0, 2)}`;
}

const [us, eu, long] = [
  (d: string): string => `${d.slice(5, 7)}/${d.slice(8, 10)}/${d.slice(0, 4)}`,
  (d: string): string => `${d.slice(8, 10)}.${d.slice(5, 7)}.${d.slice(0, 4)}`,
  (d: string): string => `${MONTHS[Number(d.slice(5, 7)) - 1]} ${Number(d.slice(8, 10))}, ${d.slice(0, 4)}`,
];

/** Render a PDF with pdfkit and collect its bytes. */
export function renderPdf(draw: (doc: Doc) => void, options: PDFKit.PDFDocumentOptions = {}): Promise<Buffer> {
  const doc = new PDFDocument({ size: 'A4', margin: 40, info: { Title: 'Invoice', CreationDate: new Date('2026-11-01T00:00:00Z') }, ...options });
  const chunks: Buffer[] = [];
  doc.on('data', (c: Buffer) => chunks.push(c));
  const done = new Promise<Buffer>((resolve) => doc.on('end', () => resolve(Buffer.concat(chunks))));
  draw(doc);
  doc.end();
  return done;
}

const right = (doc: Doc, text: string, x: number, y: number, width = 90): void => void doc.text(text, x, y, { width, align: 'right', lineBreak: false });

function lineTable(doc: Doc, t: GroundTruth, y: number, cols: { head: string[]; money: 'point' | 'comma'; poLine?: boolean; upper?: boolean }): number {
  const xs = cols.poLine ? [40, 90, 300, 370, 460] : [40, 300, 370, 460];
  doc.font('Helvetica-Bold').fontSize(9);
  cols.head.forEach((h, i) => (i === 0 || (cols.poLine && i === 1) ? doc.text(h, xs[i]!, y, { lineBreak: false }) : right(doc, h, xs[i]! - 30, y)));
  doc.font('Helvetica').fontSize(9);
  let row = y + 18;
  for (const line of t.lines) {
    const values = [line.quantity, formatMoney(line.unitPrice, cols.money), formatMoney(line.amount, cols.money)];
    if (cols.poLine) doc.text(line.poLine, xs[0]!, row, { lineBreak: false });
    const descX = cols.poLine ? xs[1]! : xs[0]!;
    const description = cols.upper ? line.description.toUpperCase() : line.description;
    doc.text(description, descX, row, { width: 190 });
    const after = doc.y;
    values.forEach((v, i) => right(doc, v, xs[i + (cols.poLine ? 2 : 1)]! - 30, row));
    row = Math.max(after, row + 12) + 6;
  }
  return row + 8;
}

function totals(doc: Doc, t: GroundTruth, y: number, labels: [string, string, string], money: 'point' | 'comma', prefix = ''): number {
  [[labels[0], t.subtotal], [labels[1], t.tax], [labels[2], t.total]].forEach(([label, value], i) => {
    doc.font(i === 2 ? 'Helvetica-Bold' : 'Helvetica').text(label!, 330, y + i * 16, { lineBreak: false });
    right(doc, `${prefix}${formatMoney(value!, money)}`, 430, y + i * 16);
  });
  doc.font('Helvetica');
  return y + 60;
}

function bankLines(t: GroundTruth): string[] {
  if (t.iban) return [`Bank: ${t.bankName}`, `IBAN: ${t.iban.replace(/(.{4})/g, '$1 ').trim()}`];
  return [`Bank: ${t.bankName}`, `Account No: ${t.bankAccount}`, `Routing No: ${t.bankRouting}`];
}

function classic(doc: Doc, t: GroundTruth): void {
  doc.font('Helvetica-Bold').fontSize(18).text(t.supplierName, 40, 40, { lineBreak: false });
  doc.font('Helvetica').fontSize(9).text(t.remitTo, 40, 64, { lineBreak: false });
  doc.font('Helvetica-Bold').fontSize(22).text('INVOICE', 400, 40, { lineBreak: false });
  doc.font('Helvetica').fontSize(9);
  [['Invoice Number:', t.invoiceNumber], ['Invoice Date:', us(t.invoiceDate)], ['Due Date:', us(t.dueDate)], ['PO Number:', t.poNumber]].forEach(([l, v], i) => {
    doc.text(l!, 370, 80 + i * 14, { lineBreak: false });
    doc.text(v!, 450, 80 + i * 14, { lineBreak: false });
  });
  doc.font('Helvetica-Bold').text('Bill To:', 40, 110, { lineBreak: false });
  doc.font('Helvetica');
  CUSTOMER.forEach((c, i) => doc.text(c, 40, 124 + i * 12, { lineBreak: false }));
  const y = lineTable(doc, t, 200, { head: ['Description', 'Qty', 'Unit Price', 'Amount'], money: 'point' });
  const end = totals(doc, t, y, ['Subtotal', `Sales Tax (${t.taxRatePct}%)`, `Total Due (${t.currency})`], 'point');
  doc.font('Helvetica-Bold').text('Remit To:', 40, end + 10, { lineBreak: false });
  doc.font('Helvetica');
  t.remitTo.split(', ').forEach((part, i) => doc.text(part, 40, end + 24 + i * 12, { lineBreak: false }));
  bankLines(t).forEach((b, i) => doc.text(b, 300, end + 24 + i * 12, { lineBreak: false }));
  doc.text(`Tax ID: ${t.taxId}`, 40, end + 80, { lineBreak: false });
}

function european(doc: Doc, t: GroundTruth): void {
  doc.font('Helvetica-Bold').fontSize(16).text(t.supplierName, 40, 40, { lineBreak: false });
  doc.font('Helvetica').fontSize(9).text(`VAT No: ${t.taxId}`, 40, 62, { lineBreak: false });
  doc.font('Helvetica-Bold').fontSize(14).text('Invoice', 40, 100, { lineBreak: false });
  doc.font('Helvetica').fontSize(9);
  [`Invoice No.: ${t.invoiceNumber}`, `Date: ${eu(t.invoiceDate)}`, `Due: ${eu(t.dueDate)}`, `Order ref: ${t.poNumber}`, `Currency: ${t.currency}`]
    .forEach((s, i) => doc.text(s, 40, 122 + i * 13, { lineBreak: false }));
  doc.text('Invoice to:', 330, 122, { lineBreak: false });
  CUSTOMER.forEach((c, i) => doc.text(c, 330, 135 + i * 12, { lineBreak: false }));
  const y = lineTable(doc, t, 220, { head: ['Description', 'Quantity', 'Unit price', 'Net amount'], money: 'comma' });
  const end = totals(doc, t, y, ['Net amount', `VAT ${t.taxRatePct}%`, `Total ${t.currency}`], 'comma');
  doc.text('Remittance address:', 40, end + 10, { lineBreak: false });
  doc.text(t.remitTo, 40, end + 23, { lineBreak: false });
  bankLines(t).forEach((b, i) => doc.text(b, 40, end + 45 + i * 12, { lineBreak: false }));
}

function banded(doc: Doc, t: GroundTruth): void {
  doc.font('Helvetica').fontSize(9).text('Supplier:', 40, 40, { lineBreak: false });
  doc.font('Helvetica-Bold').fontSize(13).text(t.supplierName, 90, 38, { lineBreak: false });
  doc.font('Helvetica-Bold').fontSize(20).text('TAX INVOICE', 400, 36, { lineBreak: false });
  doc.font('Helvetica-Bold').fontSize(8);
  const heads = ['INVOICE #', 'INVOICE DATE', 'DUE DATE', 'P.O. #', 'CURRENCY'];
  const vals = [t.invoiceNumber, long(t.invoiceDate), long(t.dueDate), t.poNumber, t.currency];
  heads.forEach((h, i) => doc.text(h, 40 + i * 105, 90, { lineBreak: false }));
  doc.font('Helvetica').fontSize(9);
  vals.forEach((v, i) => doc.text(v, 40 + i * 105, 103, { lineBreak: false }));
  doc.text('Ship To:', 40, 135, { lineBreak: false });
  CUSTOMER.slice(0, 2).forEach((c, i) => doc.text(c, 40, 148 + i * 12, { lineBreak: false }));
  const y = lineTable(doc, t, 200, { head: ['Item Description', 'Quantity', 'Rate', 'Line Total'], money: 'point' });
  const end = totals(doc, t, y, ['Subtotal', 'Tax', 'Amount Due'], 'point', t.currency === 'EUR' ? '€' : '$');
  doc.text('Please remit to:', 40, end, { lineBreak: false });
  doc.text(t.remitTo, 40, end + 13, { lineBreak: false });
  bankLines(t).forEach((b, i) => doc.text(b, 300, end + i * 12, { lineBreak: false }));
  doc.text(`Tax ID: ${t.taxId}`, 40, end + 50, { lineBreak: false });
}

function compact(doc: Doc, t: GroundTruth): void {
  doc.font('Helvetica-Bold').fontSize(14).text(t.supplierName, 40, 40, { lineBreak: false });
  doc.font('Helvetica').fontSize(9).text(t.remitTo, 40, 58, { lineBreak: false });
  doc.text('Invoice #:', 40, 90, { lineBreak: false });
  doc.text(t.invoiceNumber, 100, 90, { lineBreak: false });
  doc.text('Invoice Date:', 250, 90, { lineBreak: false });
  doc.text(t.invoiceDate, 320, 90, { lineBreak: false });
  doc.text(`Payment due: ${t.dueDate}`, 40, 104, { lineBreak: false });
  doc.text(`Purchase Order: PO-${t.poNumber}`, 250, 104, { lineBreak: false });
  const y = lineTable(doc, t, 150, { head: ['PO Line', 'Description', 'Qty', 'Unit Price', 'Total'], money: 'point', poLine: true, upper: true });
  const end = totals(doc, t, y, ['Subtotal', 'Tax', `Total (${t.currency})`], 'point');
  bankLines(t).forEach((b, i) => doc.text(b, 40, end + i * 12, { lineBreak: false }));
  doc.text(`Tax ID: ${t.taxId}`, 40, end + 40, { lineBreak: false });
}

const DRAW: Record<Layout, (doc: Doc, t: GroundTruth) => void> = { classic, european, banded, compact };

/** The invoice `t` in `layout`, as text-PDF bytes. */
export function renderInvoice(t: GroundTruth, layout: Layout, options: PDFKit.PDFDocumentOptions = {}): Promise<Buffer> {
  return renderPdf((doc) => DRAW[layout](doc, t), options);
}
