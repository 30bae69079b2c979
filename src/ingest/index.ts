/** Invoice ingestion: supplier documents (PDF, image, e-mail) → validated draft invoices in Coupa. */
export { createIngestor, contentHash, type Analysis, type Ingestor, type IngestorDeps } from './ingest.js';
export { createOcrEngine, englishModelPath, type OcrEngine, type OcrOptions } from './ocr.js';
export {
  CONTENT_TYPES,
  expandEmail,
  readDocument,
  sniffType,
  type DocumentType,
  type InputDocument,
} from './read-document.js';
export { extractInvoice } from './extract.js';
export { loadOwnCompany, OwnCompany, SAMPLE_OWN_COMPANY } from './own-company.js';
export { validateInvoice, blocking, MIN_CONFIDENCE, type Validation } from './validate.js';
export { normalisePoNumber } from './validate-po.js';
export { createLlmRefiner, createRefiner, type Refiner } from './llm-refine.js';
export {
  createIngestStore,
  getDocumentForReview,
  getReviewDocumentContent,
  listDocumentsForReview,
  markDocumentHandled,
  ReviewDocument,
  type IngestStore,
} from './store.js';
export { IngestError, MAX_BYTES, MAX_PAGES, type IngestErrorCode } from './errors.js';
export { detectDateOrder, detectNumberStyle, parseAmount, parseDate } from './numbers.js';
export type {
  DocumentText,
  ExtractedField,
  ExtractedInvoice,
  ExtractedLine,
  IngestOutcome,
  MatchedRefs,
  ValidationProblem,
} from './types.js';
export type { IngestCoupa } from './coupa-port.js';
export { MAX_PREVIEW_PAGES, previewPage, previewPageCount } from './preview.js';
