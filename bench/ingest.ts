/**
 * Ingestion throughput: pages per second read and extracted from text PDFs (pdf.js) and from
 * scans (tesseract.js OCR, one worker), on the generated fixtures; the full pipeline (read,
 * extract, validate against the simulator, post the draft and attach) for the text PDFs; and a
 * mailbox of 1,000 PDFs (generated fixtures and, when present, the real invoices, repeated) read
 * as `settle ingest --dry-run` does without Coupa — files/s, p95 per file, peak memory, with a
 * progress bar. The OCR worker's start-up is timed apart from the throughput.
 *
 *   npx tsx bench/ingest.ts            (SETTLE_BENCH_MAILBOX=1000 sets the mailbox size)
 *
 * Peak RSS here includes tsx's own cost for pdf.js (≈ 350 MB more than plain node): the built CLI
 * (`node bin/settle.js ingest --dry-run <folder>`) is the figure for a deployment (README).
 */
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createCoupaClient } from '../src/coupa/index.js';
import { openDb } from '../src/db/connection.js';
import { migrate } from '../src/db/migrate.js';
import {
  createIngestStore,
  createIngestor,
  createOcrEngine,
  extractInvoice,
  readDocument,
  type OcrEngine,
} from '../src/ingest/index.js';
import { generateCompany } from '../src/sim/generator/index.js';
import { startSimulator } from '../src/sim/server.js';
import { generateIngestFixtures } from '../scripts/gen-ingest-fixtures.js';
import { percentile } from '../src/stats.js';
import { FILES_DIR } from '../test/fixtures/real-invoices/score.js';

export interface IngestBench {
  textPdf: { documents: number; pages: number; seconds: number; pagesPerSecond: number };
  ocr: { documents: number; pages: number; seconds: number; pagesPerSecond: number; workerStartSeconds: number };
  pipeline: { documents: number; seconds: number; documentsPerSecond: number };
  mailbox: {
    files: number;
    seconds: number;
    filesPerSecond: number;
    p50Ms: number;
    p95Ms: number;
    peakRssMb: number;
    outcomes: Record<string, number>;
  };
}

/** A folder of `count` PDFs, cycling through the given sources. */
function buildMailbox(dir: string, sources: string[], count: number): string[] {
  mkdirSync(dir, { recursive: true });
  return Array.from({ length: count }, (_, i) => {
    const target = join(dir, `${String(i + 1).padStart(4, '0')}.pdf`);
    copyFileSync(sources[i % sources.length]!, target);
    return target;
  });
}

/** `settle ingest --dry-run <folder>` without Coupa: no database, no simulator. */
async function benchMailbox(files: string[], ocr: OcrEngine): Promise<IngestBench['mailbox']> {
  const ingestor = createIngestor({ ocr });
  const latencies: number[] = [];
  const outcomes: Record<string, number> = {};
  let peak = process.memoryUsage().rss;
  const tty = process.stderr.isTTY;
  const start = performance.now();
  for (const [i, file] of files.entries()) {
    const t = performance.now();
    const [outcome] = await ingestor.ingestFile(
      { fileName: file, bytes: readFileSync(file), contentType: 'application/pdf' },
      { dryRun: true },
    );
    latencies.push(performance.now() - t);
    outcomes[outcome!.status] = (outcomes[outcome!.status] ?? 0) + 1;
    peak = Math.max(peak, process.memoryUsage().rss);
    if (tty || (i + 1) % 100 === 0 || i + 1 === files.length) {
      const done = (i + 1) / files.length;
      const rate = (i + 1) / ((performance.now() - start) / 1000);
      const bar = `[${'#'.repeat(Math.round(done * 30)).padEnd(30, '.')}] ${i + 1}/${files.length} ${rate.toFixed(1)} files/s`;
      process.stderr.write(tty ? `\r  ${bar}` : `  ${bar}\n`);
    }
  }
  if (tty) process.stderr.write('\n');
  const seconds = (performance.now() - start) / 1000;
  return {
    files: files.length,
    seconds,
    filesPerSecond: files.length / seconds,
    p50Ms: percentile(latencies, 50),
    p95Ms: percentile(latencies, 95),
    peakRssMb: peak / 2 ** 20,
    outcomes,
  };
}

async function readAll(dir: string, ocr: OcrEngine): Promise<{ documents: number; pages: number; seconds: number }> {
  const files = readdirSync(dir)
    .filter((f) => f !== 'truth.json')
    .sort();
  let pages = 0;
  const start = performance.now();
  for (const f of files) {
    const doc = await readDocument({ fileName: f, bytes: readFileSync(join(dir, f)), contentType: '' }, ocr);
    extractInvoice(doc);
    pages += doc.pages;
  }
  return { documents: files.length, pages, seconds: (performance.now() - start) / 1000 };
}

/** Run the benchmark and return its figures (also printed). */
export async function benchIngest(): Promise<IngestBench> {
  const dir = mkdtempSync(join(tmpdir(), 'settle-bench-ingest-'));
  try {
    await generateIngestFixtures(dir, { emails: 0 });
    const ocr = createOcrEngine({ cachePath: join(dir, 'ocr') });
    const warmStart = performance.now();
    // Warm-up: starts the worker and loads the model (reported apart from throughput).
    await ocr.recognize(readFileSync(join(dir, 'bad', 'blank-scan.png')), 1);
    const workerStartSeconds = (performance.now() - warmStart) / 1000;
    await readAll(join(dir, 'text'), ocr); // warm pdf.js and the JIT
    const text = await readAll(join(dir, 'text'), ocr);
    const scans = await readAll(join(dir, 'images'), ocr);

    const company = generateCompany({ seed: 7, invoices: 2000 });
    const sim = await startSimulator({ dataset: company.dataset, now: company.now, rateLimit: false });
    const db = await openDb({ dataDir: 'memory://' });
    await migrate(db);
    const coupa = createCoupaClient({
      baseUrl: sim.url,
      clientId: sim.credentials.clientId,
      clientSecret: sim.credentials.clientSecret,
      limiter: false,
    });
    const ingestor = createIngestor({ coupa, ocr, store: createIngestStore(db) });
    const files = readdirSync(join(dir, 'text')).filter((f) => f.endsWith('.pdf'));
    const pipeStart = performance.now();
    for (const f of files)
      await ingestor.ingestFile({
        fileName: f,
        bytes: readFileSync(join(dir, 'text', f)),
        contentType: 'application/pdf',
      });
    const pipeSeconds = (performance.now() - pipeStart) / 1000;
    await Promise.all([db.close(), sim.close()]);

    const real = existsSync(FILES_DIR)
      ? readdirSync(FILES_DIR)
          .filter((f) => f.endsWith('.pdf'))
          .map((f) => join(FILES_DIR, f))
      : [];
    const sources = [...files.map((f) => join(dir, 'text', f)), ...real];
    const mailboxFiles = buildMailbox(join(dir, 'mailbox'), sources, Number(process.env.SETTLE_BENCH_MAILBOX ?? 1000));
    const mailbox = await benchMailbox(mailboxFiles, ocr);
    await ocr.close();

    const result: IngestBench = {
      textPdf: { ...text, pagesPerSecond: text.pages / text.seconds },
      ocr: { ...scans, pagesPerSecond: scans.pages / scans.seconds, workerStartSeconds },
      pipeline: { documents: files.length, seconds: pipeSeconds, documentsPerSecond: files.length / pipeSeconds },
      mailbox,
    };
    console.log('ingest');
    console.log(
      `  text PDFs (read + extract)        ${result.textPdf.pagesPerSecond.toFixed(1).padStart(7)} pages/s  (${text.pages} pages in ${text.seconds.toFixed(2)} s)`,
    );
    console.log(
      `  OCR scans (render/OCR + extract)  ${result.ocr.pagesPerSecond.toFixed(2).padStart(7)} pages/s  (${scans.pages} pages in ${scans.seconds.toFixed(2)} s; worker start ${workerStartSeconds.toFixed(2)} s)`,
    );
    console.log(
      `  full pipeline, text PDFs → drafts ${result.pipeline.documentsPerSecond.toFixed(1).padStart(7)} docs/s   (${files.length} drafts posted and attached in ${pipeSeconds.toFixed(2)} s, simulator over loopback)`,
    );
    console.log(
      `  mailbox, ${mailbox.files} PDFs, dry run ${mailbox.filesPerSecond.toFixed(1).padStart(7)} files/s  (${mailbox.seconds.toFixed(1)} s; per file p50 ${mailbox.p50Ms.toFixed(0)} ms, p95 ${mailbox.p95Ms.toFixed(0)} ms; peak RSS ${mailbox.peakRssMb.toFixed(0)} MB; ${sources.length} distinct files, ${real.length} of them real; ${Object.entries(
        mailbox.outcomes,
      )
        .map(([k, v]) => `${v} ${k}`)
        .join(', ')})`,
    );
    return result;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) await benchIngest();
