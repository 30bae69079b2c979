/**
 * Per-document failures that end a document's ingestion with one clear line (the rest of a folder
 * goes on). Each has a code the review table and the CLI's JSON output carry.
 */
export type IngestErrorCode =
  | 'empty_file'
  | 'unsupported_type'
  | 'encrypted_pdf'
  | 'corrupt_pdf'
  | 'too_many_pages'
  | 'no_text'
  | 'unsupported_language'
  | 'not_an_invoice'
  | 'corrupt_email'
  | 'too_large';

export class IngestError extends Error {
  override name = 'IngestError';
  constructor(
    readonly code: IngestErrorCode,
    message: string,
  ) {
    super(message);
  }
}

/** Invoices are short: a long document is a statement, a catalogue or a mistake, not one bill. */
export const MAX_PAGES = 20;

/** Larger files are refused before parsing (a scanned 20-page invoice stays well under this). */
export const MAX_BYTES = 25 * 1024 * 1024;
