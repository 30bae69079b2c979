/**
 * The shapes of invoice ingestion: what a reader hands the extractor (positioned text), what the
 * extractor produces (fields with a confidence each), and what validation says about it. The
 * extracted values are supplier-controlled text: they are data to check, never instructions.
 */
import { z } from 'zod';

/** A run of text on one row, with its left edge (points for PDFs, pixels for OCR). */
export interface Cell {
  text: string;
  x: number;
  right: number;
  /** Glyph height: the supplier name is usually the largest text at the top. */
  height: number;
}

/** One visual row of a page, cells ordered left to right. */
export interface Row {
  page: number;
  /** Distance from the top of the page, growing downwards. */
  y: number;
  cells: Cell[];
  /** The cells joined by two spaces, for pattern matching. */
  text: string;
}

/** What a reader found in one document. */
export interface DocumentText {
  kind: 'pdf-text' | 'pdf-scanned' | 'image' | 'xml';
  pages: number;
  rows: Row[];
  /** Mean OCR word confidence 0–1 (1 for text PDFs). */
  textConfidence: number;
  /** XML the document carries (a Factur-X PDF's attachment) or is (an XML file). */
  xml?: Array<{ name: string; text: string; embedded: boolean }>;
}

/** Where a value came from: the label's own cell, the cell right of it, below it, a pattern, a model. */
export type FieldSource = 'label-inline' | 'label-right' | 'label-below' | 'pattern' | 'derived' | 'llm' | 'layout';

export const ExtractedField = z.object({
  value: z.string(),
  confidence: z.number().min(0).max(1),
  source: z.string(),
});
export type ExtractedField = z.infer<typeof ExtractedField>;

export const HEADER_FIELDS = [
  'supplierName',
  'invoiceNumber',
  'invoiceDate',
  'dueDate',
  'currency',
  'poNumber',
  'subtotal',
  'tax',
  'total',
  'remitTo',
  'iban',
  'bankAccount',
  'bankRouting',
  'taxId',
] as const;
export type HeaderField = (typeof HEADER_FIELDS)[number];

export const ExtractedLine = z.object({
  description: ExtractedField,
  quantity: ExtractedField.optional(),
  unitPrice: ExtractedField.optional(),
  amount: ExtractedField,
  /** The PO line number the supplier printed, when it did. */
  poLine: ExtractedField.optional(),
});
export type ExtractedLine = z.infer<typeof ExtractedLine>;

/** `fraud` problems (bank details unlike the master) are never fixed by posting anyway. */
export const ProblemSeverity = z.enum(['error', 'fraud', 'warning']);

export const ValidationProblem = z.object({
  code: z.string(),
  severity: ProblemSeverity,
  field: z.string().optional(),
  message: z.string(),
});
export type ValidationProblem = z.infer<typeof ValidationProblem>;

export const ExtractedInvoice = z.object({
  fields: z.partialRecord(z.enum(HEADER_FIELDS), ExtractedField),
  lines: z.array(ExtractedLine),
  /** 'printed' for the visual layer, else the e-invoice syntax the values were read from. */
  format: z.string().optional(),
  /** The language the printed labels were read in (English name). */
  language: z.string().optional(),
  /** What reading found wrong with the document itself (e-invoice sums, XML vs visible text). */
  findings: z.array(ValidationProblem).optional(),
  /** How the values were found, for the person reviewing (which XML, which supplier evidence). */
  evidence: z.array(z.string()).optional(),
});
export type ExtractedInvoice = z.infer<typeof ExtractedInvoice>;

/** The Coupa records the document was matched to. */
export const MatchedRefs = z.object({
  supplierId: z.number().int().optional(),
  supplierName: z.string().optional(),
  remitToAddressId: z.number().int().optional(),
  purchaseOrderId: z.number().int().optional(),
  poNumber: z.string().optional(),
  /** Per extracted line (same order): the PO line it matched, or null. */
  orderLineIds: z.array(z.number().int().nullable()),
});
export type MatchedRefs = z.infer<typeof MatchedRefs>;

export const DocumentStatus = z.enum(['posted', 'needs_review', 'failed']);
export type DocumentStatus = z.infer<typeof DocumentStatus>;

/** The outcome for one document (an e-mail yields one per attachment). */
export interface IngestOutcome {
  fileName: string;
  contentHash: string;
  /** `dismissed`: a person marked the same content handled on the review page; nothing was done. */
  status: DocumentStatus | 'already_posted' | 'dismissed' | 'dry_run';
  /** One line for the operator. */
  message: string;
  extracted?: ExtractedInvoice;
  problems: ValidationProblem[];
  refs?: MatchedRefs;
  coupaInvoiceId?: number;
  pages?: number;
  readerKind?: DocumentText['kind'];
}
