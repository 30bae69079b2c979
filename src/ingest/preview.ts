/**
 * Page images of a stored document for the review page. A person sees the document as pixels we
 * drew: PDF pages rendered by pdf.js (no PDF viewer, no PDF scripts in the browser) and images
 * decoded and re-encoded as PNG, so whatever else the supplier's bytes carry never reaches it.
 */
import { IngestError } from './errors.js';
import { openPdf, renderPng } from './read-pdf.js';
import { sniffType } from './read-document.js';

/** Screen resolution (1.5 × 72 dpi): readable side by side with the extracted values. */
const PREVIEW_SCALE = 1.5;

/** How many page images the review page offers; longer documents are downloaded. */
export const MAX_PREVIEW_PAGES = 5;

/** Pages that can be previewed: 0 when the bytes are neither a readable PDF nor an image. */
export async function previewPageCount(bytes: Uint8Array): Promise<number> {
  const type = sniffType(bytes);
  if (type === 'image') return 1;
  if (type !== 'pdf') return 0;
  const doc = await openPdf(bytes).catch(() => undefined);
  if (!doc) return 0;
  try {
    return Math.min(doc.numPages, MAX_PREVIEW_PAGES);
  } finally {
    await doc.destroy();
  }
}

/** Page `pageNo` (1-based) as a PNG; throws `IngestError` when it cannot be drawn. */
export async function previewPage(bytes: Uint8Array, pageNo: number): Promise<Uint8Array> {
  const type = sniffType(bytes);
  if (type === 'image') {
    if (pageNo !== 1) throw new IngestError('unsupported_type', 'an image has one page');
    const { createCanvas, loadImage } = await import('@napi-rs/canvas');
    const image = await loadImage(Buffer.from(bytes)).catch((error: unknown) => {
      throw new IngestError('unsupported_type', `the image cannot be decoded (${(error as Error).message})`);
    });
    const canvas = createCanvas(image.width, image.height);
    canvas.getContext('2d').drawImage(image, 0, 0);
    return canvas.toBuffer('image/png');
  }
  if (type !== 'pdf') throw new IngestError('unsupported_type', 'only PDFs and images have page previews');
  const doc = await openPdf(bytes);
  try {
    if (pageNo < 1 || pageNo > Math.min(doc.numPages, MAX_PREVIEW_PAGES))
      throw new IngestError('too_many_pages', `no preview of page ${pageNo}`);
    const page = await doc.getPage(pageNo);
    try {
      return await renderPng(page, PREVIEW_SCALE);
    } finally {
      page.cleanup();
    }
  } finally {
    await doc.destroy();
  }
}
