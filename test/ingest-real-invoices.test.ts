/**
 * Ingestion on real invoices from public test suites (test/fixtures/real-invoices, SOURCES.md):
 * English, German, French, Dutch and Spanish supplier PDFs and images, Factur-X/ZUGFeRD PDFs, XRechnung,
 * UBL (incl. an Italian and a Norwegian one) and CII XML,
 * scored against labels read off each document. Thresholds are the levels measured when this was
 * written; the figures are printed on every run. The files themselves are data placed beside the
 * labels (not committed from a worktree); without them this suite is skipped and says so.
 */
import { readFileSync } from 'node:fs';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createOcrEngine, extractInvoice, readDocument, type OcrEngine } from '../src/ingest/index.js';
import { openPdf, renderPng } from '../src/ingest/read-pdf.js';
import { FILES_DIR, haveFiles, scoreRealInvoices, subset, summarise } from './fixtures/real-invoices/score.js';

const present = haveFiles();
if (!present)
  console.warn(
    `real-invoice suite skipped: the files are not in ${FILES_DIR} (see test/fixtures/real-invoices/SOURCES.md)`,
  );

const read = async (ocr: OcrEngine, file: string) =>
  readDocument({ fileName: file, bytes: readFileSync(join(FILES_DIR, file)), contentType: '' }, ocr);

describe.skipIf(!present)('real supplier invoices', () => {
  let ocr: OcrEngine;
  beforeAll(() => {
    ocr = createOcrEngine({ cachePath: join(mkdtempSync(join(tmpdir(), 'settle-real-')), 'ocr') });
  });
  afterAll(async () => ocr?.close());

  // Floors: the tuned set at the level measured, held-out sets 1 and 2 (SOURCES.md) at the 0.90;
  // held-out set 3 at the level measured after its first round of general fixes (86.6% / 77.6%),
  // still below the 0.90: its remaining misses are OCR misreadings of two images and a
  // tax split over two VAT-rate rows (SOURCES.md).
  it.each([
    ['as-ingested', 0.95, 0.9, 0.85],
    ['printed', 0.9, 0.9, 0.75],
  ] as const)(
    '%s: field accuracy ≥ %s tuned, ≥ %s held out 1 and 2, ≥ %s held out 3, no crash, no refusal, at most 2 percent wrong at ≥ 0.9 confidence',
    async (view, tunedFloor, heldOutFloor, heldOut3Floor) => {
      const all = await scoreRealInvoices(ocr, view);
      for (const [name, scored, floor] of [
        ['tuned', subset(all, 'tuned'), tunedFloor],
        ['held out', subset(all, 'heldOut'), heldOutFloor],
        ['held out 2', subset(all, 'heldOut2'), heldOutFloor],
        ['held out 3', subset(all, 'heldOut3'), heldOut3Floor],
      ] as const) {
        const s = summarise(scored);
        console.log(
          `${view}, ${name}: ${(100 * s.accuracy).toFixed(1)}% of ${scored.results.length} fields; by language ${JSON.stringify(s.byLanguage)}; ${s.confidentWrong.length}/${s.confident} wrong at ≥ 0.9`,
        );
        expect(s.accuracy, name).toBeGreaterThanOrEqual(floor);
      }
      const s = summarise(all);
      expect(all.crashes).toEqual([]);
      expect(all.refused).toEqual([]);
      expect(s.confidentWrong.length / s.confident).toBeLessThanOrEqual(0.02);
    },
    300_000,
  );

  it('reports a Factur-X whose visible page disagrees with its XML', async () => {
    const x = extractInvoice(await read(ocr, 'zugferd-corpus--acme_invoice-42_ZUGFeRD.pdf'));
    expect(x.format).toBe('ZUGFeRD 1.0');
    expect(
      x
        .findings!.filter((f) => f.code === 'einvoice_visual_mismatch')
        .map((f) => f.field)
        .sort(),
    ).toEqual(['invoiceNumber', 'total']);
  }, 60_000);

  it('prefers the embedded XML and names it', async () => {
    const x = extractInvoice(await read(ocr, 'zugferd-corpus--zugferd_2p0_EN16931_Einfach.pdf'));
    expect(x.format).toBe('Factur-X/ZUGFeRD');
    expect(x.fields.total).toMatchObject({ value: '529.87', source: 'xml' });
    expect(x.findings).toEqual([]);
  }, 60_000);

  it('reads a German scan with the German OCR model', async () => {
    const pdf = await openPdf(readFileSync(join(FILES_DIR, 'QualityHosting.pdf')));
    const png = await renderPng(await pdf.getPage(1));
    await pdf.destroy();
    const x = extractInvoice(await readDocument({ fileName: 'scan.png', bytes: png, contentType: 'image/png' }, ocr));
    expect(x.language).toBe('German');
    expect(x.fields.invoiceNumber?.value).toBe('30064443');
    expect(x.fields.invoiceDate?.value).toBe('2014-05-07');
  }, 120_000);
});
