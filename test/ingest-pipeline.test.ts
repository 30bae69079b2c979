/**
 * Ingestion end to end against the simulator (loopback HTTP) and PGlite: drafts created with the
 * right supplier, PO-line links and the original attached; nothing posted twice; bad documents
 * failing one by one while the rest of the folder goes on; a bank-detail change sent to review.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  CONTENT_TYPES,
  createIngestStore,
  createIngestor,
  createOcrEngine,
  getReviewDocumentContent,
  listDocumentsForReview,
  sniffType,
  type IngestOutcome,
  type Ingestor,
  type OcrEngine,
} from '../src/ingest/index.js';
import { renderInvoice } from '../scripts/ingest-fixtures/layouts.js';
import {
  freshFixtures,
  readTruth,
  startIngestSim,
  type GroundTruth,
  type IngestSim,
} from './fixtures/ingest/harness.js';

type Wire = Record<string, unknown>;

describe('ingestion pipeline against the simulator', () => {
  let dir: string;
  let env: IngestSim;
  let ocr: OcrEngine;
  let ingestor: Ingestor;

  const file = (set: string, name: string): { fileName: string; bytes: Uint8Array; contentType: string } => {
    const bytes = new Uint8Array(readFileSync(join(dir, set, name)));
    return { fileName: name, bytes, contentType: CONTENT_TYPES[sniffType(bytes)] };
  };
  const ingestSet = async (set: string, ing = ingestor): Promise<Array<[string, IngestOutcome[]]>> => {
    const out: Array<[string, IngestOutcome[]]> = [];
    for (const name of readdirSync(join(dir, set))
      .filter((f) => f !== 'truth.json')
      .sort())
      out.push([name, await ing.ingestFile(file(set, name))]);
    return out;
  };
  const simInvoice = (id: number | undefined): Wire | undefined =>
    env.sim.records('invoices').find((i) => i.id === id) as Wire | undefined;
  const posts = (): number => env.sim.callLog.filter((c) => c.method === 'POST' && c.path === '/api/invoices').length;

  beforeAll(async () => {
    dir = await freshFixtures({ images: 0, scans: 0 });
    env = await startIngestSim();
    ocr = createOcrEngine({ cachePath: join(dir, 'ocr-cache') });
    ingestor = createIngestor({ coupa: env.coupa, ocr, store: createIngestStore(env.db) });
  }, 120_000);
  afterAll(async () => {
    await ocr?.close();
    await env?.close();
  });

  it('posts every text PDF as a draft with the matched supplier, PO line links, tax and the original attached', async () => {
    const truth = readTruth(dir, 'text');
    const results = await ingestSet('text');
    expect(results).toHaveLength(30);
    for (const [name, [outcome]] of results) {
      const t: GroundTruth = truth[name]!;
      expect(outcome?.status, `${name}: ${outcome?.message}`).toBe('posted');
      const draft = simInvoice(outcome!.coupaInvoiceId)!;
      expect(draft.status).toBe('draft');
      expect(draft['invoice-number']).toBe(t.invoiceNumber);
      expect((draft.supplier as Wire).id).toBe(t.supplierId);
      expect((draft['invoice-lines'] as Wire[]).map((l) => l['order-line-id'])).toEqual(
        t.lines.map((l) => l.orderLineId),
      );
      expect(draft['gross-total']).toBe(t.total);
      expect((draft['remit-to-address'] as Wire | undefined)?.id, name).toBeDefined();
      const attachments = draft.attachments as Wire[];
      expect(attachments).toHaveLength(1);
      expect(attachments[0]!['file-file-name']).toBe(name);
    }
  }, 180_000);

  it('posts nothing the second time, even for a renamed copy', async () => {
    const before = posts();
    const again = await ingestSet('text', createIngestor({ coupa: env.coupa, ocr, store: createIngestStore(env.db) }));
    expect(again.map(([, [o]]) => o?.status)).toEqual(again.map(() => 'already_posted'));
    const copy = await ingestor.ingestFile({ ...file('text', '01-classic.pdf'), fileName: 'copy-of-01.pdf' });
    expect(copy[0]).toMatchObject({ status: 'already_posted' });
    expect(posts()).toBe(before);
  }, 120_000);

  it('opens e-mails, including an e-mail forwarded as an attachment, and posts their invoices', async () => {
    const truth = readTruth(dir, 'email');
    const results = await ingestSet('email');
    for (const [name, outcomes] of results) {
      expect(outcomes, name).toHaveLength(1);
      expect(outcomes[0]?.status, `${name}: ${outcomes[0]?.message}`).toBe('posted');
      expect((simInvoice(outcomes[0]!.coupaInvoiceId)!.supplier as Wire).id).toBe(truth[name]!.supplierId);
    }
    expect(results.at(-1)![1][0]!.fileName).toMatch(/05-invoice\.eml#original\.eml#.+\.pdf$/);
  }, 60_000);

  it('fails bad documents one by one with a clear reason and still processes the rest of the folder', async () => {
    const results = Object.fromEntries((await ingestSet('bad')).map(([name, [o]]) => [name, o!]));
    const failed = (name: string): [string, string] => [results[name]!.status, results[name]!.problems[0]?.code ?? ''];
    expect(failed('encrypted.pdf')).toEqual(['failed', 'encrypted_pdf']);
    expect(failed('corrupt.pdf')).toEqual(['failed', 'corrupt_pdf']);
    expect(failed('empty.pdf')).toEqual(['failed', 'empty_file']);
    expect(failed('catalogue-200-pages.pdf')).toEqual(['failed', 'too_many_pages']);
    expect(failed('blank-scan.png')).toEqual(['failed', 'no_text']);
    expect(failed('faktura-polish.pdf')).toEqual(['failed', 'unsupported_language']);
    expect(results['faktura-polish.pdf']!.message).toMatch(/Polish/);
    expect(results['good.pdf']!.status).toBe('posted');
    for (const r of Object.values(results)) expect(r.message.split('\n')).toHaveLength(1);
  }, 120_000);

  it('sends a bank-detail change to review as a fraud signal: not posted, master untouched', async () => {
    const forged = readTruth(dir, 'bad')['bank-mismatch.pdf']!;
    const masterBefore = JSON.stringify(env.sim.records('supplier-information'));
    const [outcome] = await ingestor.ingestFile(file('bad', 'bank-mismatch.pdf'));
    expect(outcome!.status).toBe('needs_review');
    expect(outcome!.problems).toContainEqual(
      expect.objectContaining({ code: 'bank_details_mismatch', severity: 'fraud' }),
    );
    expect(env.sim.records('invoices').some((i) => i['invoice-number'] === forged.invoiceNumber)).toBe(false);
    expect(JSON.stringify(env.sim.records('supplier-information'))).toBe(masterBefore);

    const review = await listDocumentsForReview(env.db);
    const row = review.find((d) => d.fileName === 'bank-mismatch.pdf')!;
    expect(row.status).toBe('needs_review');
    expect(row.extracted?.fields.invoiceNumber?.value).toBe(forged.invoiceNumber);
    expect(row.extracted?.fields.total?.confidence).toBeGreaterThan(0.9);
    expect(row.refs?.supplierId).toBe(forged.supplierId);
    expect(review.map((d) => d.fileName)).toEqual(
      expect.arrayContaining(['encrypted.pdf', 'faktura-polish.pdf', 'empty.pdf']),
    );
    expect(review.map((d) => d.fileName)).not.toContain('good.pdf');
    const content = await getReviewDocumentContent(env.db, row.id);
    expect(Buffer.from(content!.bytes).equals(readFileSync(join(dir, 'bad', 'bank-mismatch.pdf')))).toBe(true);
  }, 60_000);

  it("sends an invoice citing an unknown PO, or another supplier's PO, to review", async () => {
    const t = readTruth(dir, 'bad')['good.pdf']!;
    const other = readTruth(dir, 'text')['02-european.pdf']!;
    const unknownPo = await renderInvoice(
      { ...t, invoiceNumber: `${t.invoiceNumber}-X`, poNumber: '99999999' },
      'classic',
    );
    const wrongPo = await renderInvoice(
      { ...t, invoiceNumber: `${t.invoiceNumber}-Y`, poNumber: other.poNumber },
      'banded',
    );
    const [a] = await ingestor.ingestFile({
      fileName: 'unknown-po.pdf',
      bytes: unknownPo,
      contentType: 'application/pdf',
    });
    const [b] = await ingestor.ingestFile({ fileName: 'wrong-po.pdf', bytes: wrongPo, contentType: 'application/pdf' });
    expect(a!.status).toBe('needs_review');
    expect(a!.problems.map((p) => p.code)).toContain('po_not_found');
    expect(b!.status).toBe('needs_review');
    expect(b!.problems.map((p) => p.code)).toContain('po_supplier_mismatch');
  }, 60_000);

  it('a dry run validates and records nothing', async () => {
    const t = readTruth(dir, 'bad')['good.pdf']!;
    const fresh = await renderInvoice({ ...t, invoiceNumber: `${t.invoiceNumber}-DRY` }, 'compact');
    const before = posts();
    const [o] = await ingestor.ingestFile(
      { fileName: 'dry.pdf', bytes: fresh, contentType: 'application/pdf' },
      { dryRun: true },
    );
    expect(o).toMatchObject({ status: 'dry_run' });
    expect(o!.refs?.supplierId).toBe(t.supplierId);
    expect(posts()).toBe(before);
    expect((await env.db.query('select 1 from ingested_documents where file_name = $1', ['dry.pdf'])).rowCount).toBe(0);
  }, 60_000);
});
