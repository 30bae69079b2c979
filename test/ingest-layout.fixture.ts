/**
 * Drawing helpers for the layout tests: place text at a point or right-aligned to an edge on a
 * pdfkit page, and read the rendered PDF through the real reader and extractor (text layer only).
 */
import { extractInvoice, readDocument, type OcrEngine } from '../src/ingest/index.js';
import { renderPdf } from '../scripts/ingest-fixtures/layouts.js';

export type Doc = PDFKit.PDFDocument;
const noOcr = {} as OcrEngine; // text PDFs never reach the recogniser

export const at = (doc: Doc, text: string, x: number, y: number): void => {
  doc.text(text, x, y, { lineBreak: false });
};

export const right = (doc: Doc, text: string, edge: number, y: number): void => {
  doc.text(text, edge - doc.widthOfString(text), y, { lineBreak: false });
};

export const read = async (draw: (doc: Doc) => void) =>
  extractInvoice(
    await readDocument(
      { fileName: 'x.pdf', bytes: new Uint8Array(await renderPdf(draw)), contentType: 'application/pdf' },
      noOcr,
    ),
  );
