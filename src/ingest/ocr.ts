/**
 * OCR for scanned PDFs and images: tesseract.js with the English model shipped by the
 * `@tesseract.js-data/eng` npm package. `langPath` points at that package and `cachePath` at the
 * data folder, so nothing is downloaded at run time. One worker is created lazily and reused.
 */
import { createRequire } from 'node:module';
import { mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { createWorker, type Worker } from 'tesseract.js';
import type { Fragment } from './rows.js';

export interface OcrPage {
  fragments: Fragment[];
  /** Mean word confidence, 0–1 (0 when no word was found). */
  confidence: number;
}

export interface OcrEngine {
  /** Recognise one page image (PNG/JPEG/TIFF bytes); coordinates are pixels. */
  recognize(image: Uint8Array, page: number): Promise<OcrPage>;
  close(): Promise<void>;
}

export interface OcrOptions {
  /** Where tesseract keeps the unpacked model (e.g. `<dataDir>/ocr`). */
  cachePath: string;
}

/** Words tesseract itself is this unsure of are noise (specks, lines, stamps). */
const MIN_WORD_CONFIDENCE = 30;

/** The folder holding `eng.traineddata.gz` inside the installed data package. */
export function englishModelPath(): string {
  const require = createRequire(import.meta.url);
  return join(dirname(require.resolve('@tesseract.js-data/eng/package.json')), '4.0.0');
}

interface Box { x0: number; y0: number; x1: number; y1: number }
interface OcrWord { text: string; confidence: number; bbox: Box; line: Box }

/** Words with their line's box: letters differ in height, a line's words share one baseline. */
function wordsOf(blocks: unknown): OcrWord[] {
  type Line = { bbox: Box; words?: Array<Omit<OcrWord, 'line'>> };
  type Block = { paragraphs?: Array<{ lines?: Line[] }> };
  return ((blocks ?? []) as Block[]).flatMap((b) =>
    (b.paragraphs ?? []).flatMap((p) => (p.lines ?? []).flatMap((l) => (l.words ?? []).map((w) => ({ ...w, line: l.bbox })))));
}

/** Create an engine; the worker (≈1 s to start) is only started by the first `recognize`. */
export function createOcrEngine(options: OcrOptions): OcrEngine {
  let worker: Promise<Worker> | undefined;
  const start = (): Promise<Worker> => {
    mkdirSync(options.cachePath, { recursive: true });
    return createWorker('eng', 1, { langPath: englishModelPath(), cachePath: options.cachePath, gzip: true });
  };
  return {
    async recognize(image, page) {
      worker ??= start();
      const w = await worker;
      const { data } = await w.recognize(Buffer.from(image), {}, { blocks: true, text: false });
      const words = wordsOf(data.blocks).filter((w) => w.text.trim() !== '' && w.confidence >= MIN_WORD_CONFIDENCE);
      const fragments = words.map((w) => ({
        page, text: w.text, x: w.bbox.x0, y: w.line.y0, width: w.bbox.x1 - w.bbox.x0, height: w.line.y1 - w.line.y0,
      }));
      const confidence = words.length === 0 ? 0 : words.reduce((s, w) => s + w.confidence, 0) / words.length / 100;
      return { fragments, confidence };
    },
    async close() {
      if (!worker) return;
      const w = await worker.catch(() => undefined);
      worker = undefined;
      await w?.terminate();
    },
  };
}
