/**
 * Field-level extraction accuracy on the generated fixtures (30 text PDFs in four layouts, 10 PNG
 * scans and 2 scanned PDFs through OCR), against their ground truth. The thresholds are the levels
 * measured when this was written; the figures are printed on every run.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createOcrEngine, extractInvoice, readDocument, type OcrEngine } from '../src/ingest/index.js';
import { SCORED_FIELDS, freshFixtures, readTruth, score, type GroundTruth } from './fixtures/ingest/harness.js';

interface Tally {
  right: number;
  total: number;
  lines: number;
  docs: number;
  misses: string[];
}

async function measure(dir: string, set: string, ocr: OcrEngine): Promise<Tally> {
  const truth: Record<string, GroundTruth> = readTruth(dir, set);
  const tally: Tally = { right: 0, total: 0, lines: 0, docs: 0, misses: [] };
  for (const [file, t] of Object.entries(truth)) {
    const doc = await readDocument({ fileName: file, bytes: readFileSync(join(dir, set, file)), contentType: '' }, ocr);
    const result = score(t, extractInvoice(doc));
    for (const name of SCORED_FIELDS) {
      tally.total += 1;
      if (result.fields[name]) tally.right += 1;
      else tally.misses.push(`${file}:${name}`);
    }
    tally.docs += 1;
    if (result.lines) tally.lines += 1;
    else tally.misses.push(`${file}:lines`);
  }
  return tally;
}

const report = (label: string, t: Tally): string =>
  `${label}: header fields ${t.right}/${t.total} (${((100 * t.right) / t.total).toFixed(1)}%), all lines right on ${t.lines}/${t.docs} documents${t.misses.length ? `; misses: ${t.misses.join(', ')}` : ''}`;

describe('extraction accuracy', () => {
  let dir: string;
  let ocr: OcrEngine;

  beforeAll(async () => {
    dir = await freshFixtures({ emails: 0 });
    ocr = createOcrEngine({ cachePath: join(dir, 'ocr-cache') });
  }, 120_000);
  afterAll(async () => ocr?.close());

  it('reads header fields of text PDFs at ≥ 99% and their lines exactly', async () => {
    const t = await measure(dir, 'text', ocr);
    console.log(report('text PDFs', t));
    expect(t.docs).toBe(30);
    expect(t.right / t.total).toBeGreaterThanOrEqual(0.99);
    expect(t.lines).toBe(t.docs);
  }, 120_000);

  it('reads header fields of scans (PNG and scanned PDF, OCR) at ≥ 95% and lines on ≥ 90% of them', async () => {
    const t = await measure(dir, 'images', ocr);
    console.log(report('OCR scans', t));
    expect(t.docs).toBe(12);
    expect(t.right / t.total).toBeGreaterThanOrEqual(0.95);
    expect(t.lines / t.docs).toBeGreaterThanOrEqual(0.9);
  }, 240_000);
});
