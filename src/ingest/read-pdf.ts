/**
 * PDF reader on pdf.js (Mozilla's, legacy build for Node): positioned text of text PDFs, and for
 * pages that carry no text (scans) a rendering through @napi-rs/canvas that goes to OCR. Encrypted,
 * corrupt and over-long PDFs end as clear `IngestError`s before any page is processed.
 */
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { embeddedXml } from './einvoice/attachments.js';
import { IngestError, MAX_PAGES } from './errors.js';
import { recogniseInLanguage, type OcrEngine } from './ocr.js';
import { buildRows, type Fragment } from './rows.js';
import type { DocumentText } from './types.js';

/** A page with fewer characters of real text than this is treated as a scan. */
const MIN_TEXT_CHARS = 20;
/** Render scans at 2× (144 dpi): tesseract reads 10-pt print reliably from there. */
const RENDER_SCALE = 2;

type PdfJs = typeof import('pdfjs-dist/legacy/build/pdf.mjs');
type PdfPage = Awaited<ReturnType<Awaited<ReturnType<PdfJs['getDocument']>['promise']>['getPage']>>;

function standardFontsDir(): string {
  const require = createRequire(import.meta.url);
  return join(dirname(require.resolve('pdfjs-dist/package.json')), 'standard_fonts') + '/';
}

export type PdfDocument = Awaited<ReturnType<PdfJs['getDocument']>['promise']>;

export async function openPdf(bytes: Uint8Array): Promise<Awaited<ReturnType<PdfJs['getDocument']>['promise']>> {
  const pdfjs = await import('pdfjs-dist/legacy/build/pdf.mjs');
  // pdf.js detaches the buffer it is given: hand it a copy.
  const task = pdfjs.getDocument({
    data: new Uint8Array(bytes),
    isEvalSupported: false,
    useSystemFonts: false,
    disableFontFace: true,
    standardFontDataUrl: standardFontsDir(),
    verbosity: pdfjs.VerbosityLevel.ERRORS,
    stopAtErrors: false,
  });
  try {
    return await task.promise;
  } catch (error) {
    const name = (error as Error).name;
    if (name === 'PasswordException')
      throw new IngestError('encrypted_pdf', 'the PDF is password-protected; ask the supplier for an unprotected copy');
    throw new IngestError('corrupt_pdf', `the PDF cannot be read (${(error as Error).message || name})`);
  }
}

async function textFragments(page: PdfPage, pageNo: number): Promise<Fragment[]> {
  const viewport = page.getViewport({ scale: 1 });
  const content = await page.getTextContent();
  const out: Fragment[] = [];
  for (const item of content.items) {
    if (!('str' in item) || item.str.trim() === '') continue;
    const [a = 0, b = 0, , , x = 0, baseline = 0] = item.transform as number[];
    const height = item.height || Math.hypot(a, b) || 10;
    out.push({ page: pageNo, text: item.str, x, y: viewport.height - baseline - height, width: item.width, height });
  }
  return out;
}

/** One page as a PNG on a white background, at `scale` × 72 dpi. */
export async function renderPng(page: PdfPage, scale = RENDER_SCALE): Promise<Uint8Array> {
  const { createCanvas } = await import('@napi-rs/canvas');
  const viewport = page.getViewport({ scale });
  const canvas = createCanvas(Math.ceil(viewport.width), Math.ceil(viewport.height));
  const ctx = canvas.getContext('2d');
  ctx.fillStyle = '#ffffff';
  ctx.fillRect(0, 0, canvas.width, canvas.height);
  // pdf.js accepts the napi-rs canvas in Node; its types only know the DOM canvas.
  await page.render({ canvas: canvas as unknown as HTMLCanvasElement, viewport }).promise;
  return canvas.toBuffer('image/png');
}

/** Read a PDF: text pages directly, scanned pages through `ocr`. */
export async function readPdf(bytes: Uint8Array, ocr: OcrEngine): Promise<DocumentText> {
  const doc = await openPdf(bytes);
  try {
    if (doc.numPages > MAX_PAGES) {
      throw new IngestError(
        'too_many_pages',
        `the PDF has ${doc.numPages} pages; an invoice has at most ${MAX_PAGES} (split statements or catalogues first)`,
      );
    }
    const fragments: Fragment[] = [];
    const confidences: number[] = [];
    const scans: Array<{ n: number; png: Uint8Array }> = [];
    let scanned = 0;
    for (let n = 1; n <= doc.numPages; n++) {
      const page = await doc.getPage(n);
      const text = await textFragments(page, n).catch((error: unknown) => {
        throw new IngestError('corrupt_pdf', `page ${n} of the PDF cannot be read (${(error as Error).message})`);
      });
      if (text.reduce((s, f) => s + f.text.trim().length, 0) >= MIN_TEXT_CHARS) {
        fragments.push(...text);
        confidences.push(1);
      } else {
        scanned += 1;
        scans.push({ n, png: await renderPng(page) });
      }
      page.cleanup();
    }
    if (scans.length > 0) {
      const pages = await recogniseInLanguage(ocr, scans);
      for (const result of pages) {
        fragments.push(
          ...result.fragments.map((f) => ({
            ...f,
            x: f.x / RENDER_SCALE,
            y: f.y / RENDER_SCALE,
            width: f.width / RENDER_SCALE,
            height: f.height / RENDER_SCALE,
          })),
        );
        confidences.push(result.confidence);
      }
    }
    const textConfidence = confidences.length ? Math.min(...confidences) : 0;
    const xml = (await embeddedXml(doc)).map((x) => ({ ...x, embedded: true }));
    return {
      kind: scanned > 0 ? 'pdf-scanned' : 'pdf-text',
      pages: doc.numPages,
      rows: buildRows(fragments),
      textConfidence,
      ...(xml.length ? { xml } : {}),
    };
  } finally {
    await doc.destroy();
  }
}
