/**
 * Ingestion throughput: pages per second read and extracted from text PDFs (pdf.js) and from
 * scans (tesseract.js OCR, one worker), on the generated fixtures; plus the full pipeline (read,
 * extract, validate against the simulator, post the draft and attach) for the text PDFs. The OCR
 * worker's start-up is timed apart from the throughput.
 *
 *   npx tsx bench/ingest.ts
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createCoupaClient } from '../src/coupa/index.js';
import { openDb } from '../src/db/connection.js';
import { migrate } from '../src/db/migrate.js';
import { createIngestStore, createIngestor, createOcrEngine, extractInvoice, readDocument, type OcrEngine } from '../src/ingest/index.js';
import { generateCompany } from '../src/sim/generator/index.js';
import { startSimulator } from '../src/sim/server.js';
import { generateIngestFixtures } from '../scripts/gen-ingest-fixtures.js';

export interface IngestBench {
  textPdf: { documents: number; pages: number; seconds: number; pagesPerSecond: number };
  ocr: { documents: number; pages: number; seconds: number; pagesPerSecond: number; workerStartSeconds: number };
  pipeline: { documents: number; seconds: number; documentsPerSecond: number };
}

async function readAll(dir: string, ocr: OcrEngine): Promise<{ documents: number; pages: number; seconds: number }> {
  const files = readdirSync(dir).filter((f) => f !== 'truth.json').sort();
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
    const coupa = createCoupaClient({ baseUrl: sim.url, clientId: sim.credentials.clientId, clientSecret: sim.credentials.clientSecret, limiter: false });
    const ingestor = createIngestor({ coupa, ocr, store: createIngestStore(db) });
    const files = readdirSync(join(dir, 'text')).filter((f) => f.endsWith('.pdf'));
    const pipeStart = performance.now();
    for (const f of files) await ingestor.ingestFile({ fileName: f, bytes: readFileSync(join(dir, 'text', f)), contentType: 'application/pdf' });
    const pipeSeconds = (performance.now() - pipeStart) / 1000;
    await Promise.all([ocr.close(), db.close(), sim.close()]);

    const result: IngestBench = {
      textPdf: { ...text, pagesPerSecond: text.pages / text.seconds },
      ocr: { ...scans, pagesPerSecond: scans.pages / scans.seconds, workerStartSeconds },
      pipeline: { documents: files.length, seconds: pipeSeconds, documentsPerSecond: files.length / pipeSeconds },
    };
    console.log('ingest');
    console.log(`  text PDFs (read + extract)        ${result.textPdf.pagesPerSecond.toFixed(1).padStart(7)} pages/s  (${text.pages} pages in ${text.seconds.toFixed(2)} s)`);
    console.log(`  OCR scans (render/OCR + extract)  ${result.ocr.pagesPerSecond.toFixed(2).padStart(7)} pages/s  (${scans.pages} pages in ${scans.seconds.toFixed(2)} s; worker start ${workerStartSeconds.toFixed(2)} s)`);
    console.log(`  full pipeline, text PDFs → drafts ${result.pipeline.documentsPerSecond.toFixed(1).padStart(7)} docs/s   (${files.length} drafts posted and attached in ${pipeSeconds.toFixed(2)} s, simulator over loopback)`);
    return result;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) await benchIngest();
