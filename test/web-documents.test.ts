/**
 * Supplier documents on the review page, over real loopback HTTP: what `settle ingest` did not post
 * (a bank-detail change, an unknown PO with markup in its lines, an encrypted PDF, a blank scan) is
 * listed; a document shows its pages as PNGs we drew beside the values read; the original is only
 * ever a download; marking one handled needs the write role and CSRF, is audited, and stops the
 * same file from being ingested again.
 */
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { renderInvoice } from '../scripts/ingest-fixtures/layouts.js';
import { createRuntime, type Runtime } from '../src/app/runtime.js';
import {
  CONTENT_TYPES,
  createIngestStore,
  createIngestor,
  createOcrEngine,
  sniffType,
  type Ingestor,
  type IngestOutcome,
  type OcrEngine,
} from '../src/ingest/index.js';
import { createTokenDirectory } from '../src/mcp/auth.js';
import { createReviewServer } from '../src/web/index.js';
import { freshFixtures, readTruth, startIngestSim, type IngestSim } from './fixtures/ingest/harness.js';
import { configFor, tokenEntries } from './mcp.fixture.js';
import { signIn } from './web.fixture.js';

const MARKUP = '<img src=x onerror="alert(1)"> Hex bolts';
const PNG_SIGNATURE = [0x89, 0x50, 0x4e, 0x47];

let dir: string;
let env: IngestSim;
let ocr: OcrEngine;
let ingestor: Ingestor;
let runtime: Runtime;
let app: FastifyInstance;
let base: string;
const outcomes = new Map<string, IngestOutcome>();
const token = (name: string): string => tokenEntries().find((e) => e.token.startsWith(`tok-${name}-`))!.token;

async function ingest(fileName: string, bytes: Uint8Array): Promise<IngestOutcome> {
  const [outcome] = await ingestor.ingestFile({ fileName, bytes, contentType: CONTENT_TYPES[sniffType(bytes)] });
  outcomes.set(fileName, outcome!);
  return outcome!;
}

/** The document id the list links to for a file name. */
function idOf(html: string, fileName: string): number {
  const match = new RegExp(`href="/review/documents/(\\d+)">${fileName.replace('.', '\\.')}<`).exec(html);
  expect(match, `${fileName} is listed`).not.toBeNull();
  return Number(match![1]);
}

beforeAll(async () => {
  dir = await freshFixtures({ textPdfs: 1, images: 0, scans: 0, emails: 0 });
  env = await startIngestSim();
  ocr = createOcrEngine({ cachePath: join(dir, 'ocr-cache') });
  ingestor = createIngestor({ coupa: env.coupa, ocr, store: createIngestStore(env.db) });
  const bad = (name: string): Uint8Array => new Uint8Array(readFileSync(join(dir, 'bad', name)));
  await ingest('bank-mismatch.pdf', bad('bank-mismatch.pdf'));
  await ingest('encrypted.pdf', bad('encrypted.pdf'));
  await ingest('blank-scan.png', bad('blank-scan.png'));
  await ingest('good.pdf', bad('good.pdf'));
  const good = readTruth(dir, 'bad')['good.pdf']!;
  const markup = await renderInvoice(
    {
      ...good,
      invoiceNumber: `${good.invoiceNumber}-M`,
      poNumber: '99999999',
      lines: good.lines.map((l, i) => (i === 0 ? { ...l, description: MARKUP } : l)),
    },
    'classic',
  );
  await ingest('markup.pdf', markup);
  runtime = await createRuntime({
    config: configFor(mkdtempSync(join(tmpdir(), 'settle-docs-'))),
    simulator: env.sim,
    db: env.db,
    now: () => new Date(env.sim.now()),
    coupaLimiter: false,
  });
  app = await createReviewServer({ runtime, tokens: createTokenDirectory(tokenEntries()), signInPerMinute: 100 });
  base = await app.listen({ host: '127.0.0.1', port: 0 });
}, 180_000);

afterAll(async () => {
  await app?.close();
  await runtime?.close();
  await ocr?.close();
  await env?.close();
});

describe('supplier documents on the review page', () => {
  it('the fixtures ended where the page expects them', () => {
    expect(outcomes.get('bank-mismatch.pdf')?.status).toBe('needs_review');
    expect(outcomes.get('markup.pdf')?.status).toBe('needs_review');
    expect(outcomes.get('encrypted.pdf')?.status).toBe('failed');
    expect(outcomes.get('blank-scan.png')?.status).toBe('failed');
    expect(outcomes.get('good.pdf')?.status).toBe('posted');
  });

  it('needs a signed-in person for the list, a document, its pages and the original', async () => {
    for (const path of [
      '/review/documents',
      '/review/documents/1',
      '/review/documents/1/pages/1.png',
      '/review/documents/1/original',
    ]) {
      const res = await fetch(base + path, { redirect: 'manual' });
      expect(res.status, path).toBe(303);
      expect(res.headers.get('location'), path).toMatch(/^\/review\/sign-in\?next=/);
    }
  });

  it('lists what was not posted, fraud signals called out, and not what was posted', async () => {
    const { c } = await signIn(base, token('reader'));
    const page = await (await c.get('/review/documents')).text();
    for (const name of ['bank-mismatch.pdf', 'markup.pdf', 'encrypted.pdf', 'blank-scan.png']) idOf(page, name);
    expect(page).not.toContain('good.pdf');
    expect(page).toContain('4 waiting');
    const bankRow = page.slice(
      page.indexOf('bank-mismatch.pdf'),
      page.indexOf('</tr>', page.indexOf('bank-mismatch.pdf')),
    );
    expect(bankRow).toContain('Fraud signal');
    expect(page).toMatch(/<a href="\/review\/documents" aria-current="page">Supplier documents<\/a>/);
  });

  it('shows the pages beside the values read, with the problems and the supplier text inert', async () => {
    const { c } = await signIn(base, token('reviewer'));
    const id = idOf(await (await c.get('/review/documents')).text(), 'markup.pdf');
    const res = await c.get(`/review/documents/${id}`);
    expect(res.status).toBe(200);
    const page = await res.text();
    expect(page).toContain(`<img class="doc-page" src="/review/documents/${id}/pages/1.png"`);
    expect(page).toContain('Values read');
    expect(page).toContain(outcomes.get('markup.pdf')!.extracted!.fields.invoiceNumber!.value);
    expect(page).toMatch(/PO .*99999999|99999999/);
    expect(page).toContain('Blocks posting');
    // The line description is shown as text: escaped, labelled, never an element.
    expect(page).not.toContain('<img src=x');
    expect(page).toContain('&lt;img src=x onerror=&quot;alert(1)&quot;&gt; Hex bolts');
    expect(page).toContain('name="note"');

    const png = await c.get(`/review/documents/${id}/pages/1.png`);
    expect(png.status).toBe(200);
    expect(png.headers.get('content-type')).toBe('image/png');
    const bytes = new Uint8Array(await png.arrayBuffer());
    expect([...bytes.subarray(0, 4)]).toEqual(PNG_SIGNATURE);
    expect(bytes.length).toBeGreaterThan(5_000);
    expect((await c.get(`/review/documents/${id}/pages/9.png`)).status).toBe(404);
  });

  it('serves the original only as a download with a neutral type and a tame file name', async () => {
    const { c } = await signIn(base, token('reader'));
    const id = idOf(await (await c.get('/review/documents')).text(), 'bank-mismatch.pdf');
    const res = await c.get(`/review/documents/${id}/original`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/octet-stream');
    expect(res.headers.get('content-disposition')).toBe('attachment; filename="bank-mismatch.pdf"');
    expect(Buffer.from(await res.arrayBuffer()).equals(readFileSync(join(dir, 'bad', 'bank-mismatch.pdf')))).toBe(true);
  });

  it('shows an unreadable file with its error, and previews a scan it could not read', async () => {
    const { c } = await signIn(base, token('reader'));
    const list = await (await c.get('/review/documents')).text();
    const encrypted = await (await c.get(`/review/documents/${idOf(list, 'encrypted.pdf')}`)).text();
    expect(encrypted).toContain('password-protected');
    expect(encrypted).toContain('Unreadable');
    expect(encrypted).toContain('Nothing could be read from this file.');
    const blankId = idOf(list, 'blank-scan.png');
    expect(await (await c.get(`/review/documents/${blankId}`)).text()).toContain(
      `src="/review/documents/${blankId}/pages/1.png"`,
    );
    const png = await c.get(`/review/documents/${blankId}/pages/1.png`);
    expect(png.headers.get('content-type')).toBe('image/png');
    expect([...new Uint8Array(await png.arrayBuffer()).subarray(0, 4)]).toEqual(PNG_SIGNATURE);
  });

  it('answers 404 for an unknown, posted or malformed document id', async () => {
    const { c } = await signIn(base, token('reader'));
    const posted = (
      await env.db.query<{ id: string }>("select id from ingested_documents where file_name = 'good.pdf'")
    ).rows[0]!.id;
    for (const path of [
      '/review/documents/999999',
      `/review/documents/${posted}`,
      '/review/documents/abc',
      '/review/documents/-1',
    ]) {
      expect((await c.get(path)).status, path).toBe(404);
    }
  });

  it('lets only people with the write role mark a document handled, with CSRF and a note', async () => {
    const reader = (await signIn(base, token('reader'))).c;
    const id = idOf(await (await reader.get('/review/documents')).text(), 'encrypted.pdf');
    const readerPage = await (await reader.get(`/review/documents/${id}`)).text();
    expect(readerPage).not.toContain('name="note"');
    const readerCsrf = /name="_csrf" value="([^"]+)"/.exec(readerPage)![1]!;
    expect(
      (await reader.post(`/review/documents/${id}/handled`, { _csrf: readerCsrf, note: 'trying anyway' })).status,
    ).toBe(403);

    const reviewer = (await signIn(base, token('reviewer'))).c;
    expect((await reviewer.post(`/review/documents/${id}/handled`, { note: 'no token' })).status).toBe(403);
    const csrf = await reviewer.csrf(`/review/documents/${id}`);
    const empty = await reviewer.post(`/review/documents/${id}/handled`, { _csrf: csrf, note: ' ' });
    expect(empty.status).toBe(303);
    expect(empty.headers.get('location')).toBe(`/review/documents/${id}`);
    expect(await (await reviewer.get(`/review/documents/${id}`)).text()).toContain('Not marked handled');
    expect((await reviewer.get('/review/documents')).status).toBe(200);
  });

  it('marks a document handled: it leaves the list, the audit names the person, and the same file is not ingested again', async () => {
    const reviewer = (await signIn(base, token('reviewer'))).c;
    const id = idOf(await (await reviewer.get('/review/documents')).text(), 'bank-mismatch.pdf');
    const csrf = await reviewer.csrf(`/review/documents/${id}`);
    const res = await reviewer.post(`/review/documents/${id}/handled`, {
      _csrf: csrf,
      note: 'Called the supplier on the number on file: the bank change is not genuine.',
    });
    expect(res.status).toBe(303);
    expect(res.headers.get('location')).toBe('/review/documents');
    const list = await (await reviewer.get('/review/documents')).text();
    expect(list).toContain('bank-mismatch.pdf marked handled.');
    expect(list).not.toContain(`/review/documents/${id}"`);
    expect((await reviewer.get(`/review/documents/${id}`)).status).toBe(404);

    const audit = await env.db.query<{ actor: string; tool: string; reason: string }>(
      "select actor, tool, reason from audit_log where tool = 'mark_document_handled'",
    );
    expect(audit.rows).toEqual([
      expect.objectContaining({ actor: 'rita.reviewer', reason: expect.stringContaining('not genuine') }),
    ]);
    expect((await runtime.audit.verify()).ok).toBe(true);

    const again = await reviewer.post(`/review/documents/${id}/handled`, {
      _csrf: await reviewer.csrf('/review/documents'),
      note: 'second time',
    });
    expect(again.headers.get('location')).toBe('/review/documents');
    expect(await (await reviewer.get('/review/documents')).text()).toContain('no longer waiting');

    const postsBefore = env.sim.callLog.filter((c) => c.method === 'POST' && c.path === '/api/invoices').length;
    const repeat = await ingest(
      'bank-mismatch-again.pdf',
      new Uint8Array(readFileSync(join(dir, 'bad', 'bank-mismatch.pdf'))),
    );
    expect(repeat.status).toBe('dismissed');
    expect(repeat.message).toContain('rita.reviewer');
    expect(env.sim.callLog.filter((c) => c.method === 'POST' && c.path === '/api/invoices').length).toBe(postsBefore);
    expect((await env.db.query('select status from ingested_documents where id = $1', [id])).rows[0]).toEqual({
      status: 'dismissed',
    });
  });
});
