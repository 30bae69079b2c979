/**
 * OCR for scanned PDFs and images: tesseract.js with the models shipped by the
 * `@tesseract.js-data/<lang>` npm packages (eng, deu, fra, nld, spa, ita). `langPath` points at the
 * package and `cachePath` at the data folder, so nothing is downloaded at run time. One worker per
 * language, created lazily on first use and reused.
 */
import { createRequire } from 'node:module';
import { mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { createWorker, type Worker } from 'tesseract.js';
import { guessLanguage } from './language.js';
import type { Fragment } from './rows.js';
import { languageByCode } from './vocabulary.js';

export interface OcrPage {
  fragments: Fragment[];
  /** Mean word confidence, 0–1 (0 when no word was found). */
  confidence: number;
}

export interface OcrEngine {
  /** Recognise one page image (PNG/JPEG/TIFF bytes) with a tesseract model (default `eng`); coordinates are pixels. */
  recognize(image: Uint8Array, page: number, model?: string): Promise<OcrPage>;
  close(): Promise<void>;
}

export interface OcrOptions {
  /** Where tesseract keeps the unpacked model (e.g. `<dataDir>/ocr`). */
  cachePath: string;
  /**
   * Workers kept alive at once, one per language model (default 2: English, which every scan is
   * read with first, and the last other language). Each holds its own WebAssembly heap
   * (≈100–200 MB), so a mailbox in five languages no longer keeps five of them.
   */
  maxWorkers?: number;
}

/** Words tesseract itself is this unsure of are noise (specks, lines, stamps). */
const MIN_WORD_CONFIDENCE = 30;

/** The folder holding `<model>.traineddata.gz` inside the installed data package. */
export function modelPath(model: string): string {
  const require = createRequire(import.meta.url);
  try {
    return join(dirname(require.resolve(`@tesseract.js-data/${model}/package.json`)), '4.0.0');
  } catch {
    throw new Error(`the OCR model "${model}" is not installed (npm package @tesseract.js-data/${model})`);
  }
}

export const englishModelPath = (): string => modelPath('eng');

interface Box {
  x0: number;
  y0: number;
  x1: number;
  y1: number;
}
interface OcrWord {
  text: string;
  confidence: number;
  bbox: Box;
  line: Box;
}

/** Words with their line's box: letters differ in height, a line's words share one baseline. */
function wordsOf(blocks: unknown): OcrWord[] {
  type Line = { bbox: Box; words?: Array<Omit<OcrWord, 'line'>> };
  type Block = { paragraphs?: Array<{ lines?: Line[] }> };
  return ((blocks ?? []) as Block[]).flatMap((b) =>
    (b.paragraphs ?? []).flatMap((p) =>
      (p.lines ?? []).flatMap((l) => (l.words ?? []).map((w) => ({ ...w, line: l.bbox }))),
    ),
  );
}

/** Create an engine; the worker (≈1 s to start) is only started by the first `recognize`. */
export function createOcrEngine(options: OcrOptions): OcrEngine {
  const maxWorkers = Math.max(1, options.maxWorkers ?? 2);
  // Insertion order is recency: a model used is moved to the end; the idle one at the front goes first.
  const workers = new Map<string, Promise<Worker>>();
  const busy = new Map<string, number>();
  const start = (model: string): Promise<Worker> => {
    mkdirSync(options.cachePath, { recursive: true });
    return createWorker(model, 1, { langPath: modelPath(model), cachePath: options.cachePath, gzip: true });
  };
  /** Idle workers beyond the limit, least recently used first; their termination is awaited before a new one starts. */
  const evictIdle = (): Array<Promise<unknown>> => {
    const stopping: Array<Promise<unknown>> = [];
    for (const [model, pending] of workers) {
      if (workers.size < maxWorkers) break;
      if ((busy.get(model) ?? 0) > 0) continue;
      workers.delete(model);
      stopping.push(pending.then((w) => w.terminate()).catch(() => undefined));
    }
    return stopping;
  };
  const acquire = (model: string): Promise<Worker> => {
    let pending = workers.get(model);
    if (pending) workers.delete(model);
    else {
      const stopping = evictIdle();
      pending = Promise.all(stopping).then(() => start(model));
    }
    workers.set(model, pending);
    return pending;
  };
  return {
    async recognize(image, page, model = 'eng') {
      busy.set(model, (busy.get(model) ?? 0) + 1);
      let data: Awaited<ReturnType<Worker['recognize']>>['data'];
      try {
        const w = await acquire(model);
        ({ data } = await w.recognize(Buffer.from(image), {}, { blocks: true, text: false }));
      } finally {
        busy.set(model, busy.get(model)! - 1);
      }
      const words = wordsOf(data.blocks).filter((w) => w.text.trim() !== '' && w.confidence >= MIN_WORD_CONFIDENCE);
      const fragments = words.map((w) => ({
        page,
        text: w.text,
        x: w.bbox.x0,
        y: w.line.y0,
        width: w.bbox.x1 - w.bbox.x0,
        height: w.line.y1 - w.line.y0,
      }));
      const confidence = words.length === 0 ? 0 : words.reduce((s, w) => s + w.confidence, 0) / words.length / 100;
      return { fragments, confidence };
    },
    async close() {
      const all = [...workers.values()];
      workers.clear();
      for (const pending of all) await (await pending.catch(() => undefined))?.terminate();
    },
  };
}

/**
 * OCR pages in their own language: a first pass with English (Latin script reads well enough to
 * tell the language), then, for a German, French, Dutch, Spanish or Italian document, a second
 * pass with that language's model, which knows its accents and words.
 */
export async function recogniseInLanguage(
  ocr: OcrEngine,
  pages: ReadonlyArray<{ n: number; png: Uint8Array }>,
): Promise<OcrPage[]> {
  const first = await Promise.all(pages.map((p) => ocr.recognize(p.png, p.n)));
  const text = first.flatMap((p) => p.fragments.map((f) => f.text)).join(' ');
  const guess = guessLanguage(text);
  const model = guess.code && guess.code !== 'en' && guess.share >= 0.5 ? languageByCode(guess.code)?.ocr : undefined;
  if (!model) return first;
  const second: OcrPage[] = [];
  for (const p of pages) second.push(await ocr.recognize(p.png, p.n, model));
  return second;
}
