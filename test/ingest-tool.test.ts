/**
 * The `extract_invoice` tool through the real guard (scopes, schema, audit) against the simulator:
 * fields with confidences and matches, supplier text fenced, paths confined to allowed folders,
 * and no write to Coupa whatever the document says.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRuntime, type Runtime } from '../src/app/runtime.js';
import { loadConfig } from '../src/config.js';
import { createGuard, type Guard } from '../src/guard/guard.js';
import { createIdempotencyStore } from '../src/guard/idempotency.js';
import { AGENT_IDENTITY } from '../src/guard/identity.js';
import { isFenced } from '../src/guard/untrusted.js';
import { createExtractInvoiceTool } from '../tools/extract-invoice.js';
import { freshFixtures, readTruth, startIngestSim, type IngestSim } from './fixtures/ingest/harness.js';

interface DocOut {
  fields: Record<string, { value: string; confidence: number }>;
  lines: unknown[];
  matched: { supplier_id: number | null; order_line_ids: Array<number | null> };
  problems: Array<{ code: string; severity: string }>;
  ready_to_post: boolean;
}

describe('extract_invoice tool', () => {
  let dir: string;
  let env: IngestSim;
  let runtime: Runtime;
  let guard: Guard;
  const documents = (structured: Record<string, unknown> | undefined): DocOut[] =>
    (structured?.documents ?? []) as DocOut[];

  beforeAll(async () => {
    dir = await freshFixtures({ textPdfs: 4, images: 0, scans: 0, emails: 1 });
    env = await startIngestSim();
    runtime = await createRuntime({
      config: loadConfig({ SETTLE_DATA_DIR: join(dir, 'data') }),
      simulator: env.sim,
      db: env.db,
      knowledgeDirs: [],
    });
    const tool = createExtractInvoiceTool({
      allowedDirs: () => [join(dir, 'text'), join(dir, 'email')],
      ocrCachePath: () => join(dir, 'ocr'),
    });
    guard = createGuard({
      tools: [tool],
      services: await runtime.contextFor(AGENT_IDENTITY),
      audit: runtime.audit,
      proposals: runtime.proposals,
      idempotency: createIdempotencyStore(env.db),
      mode: () => runtime.mode.get(),
      tenant: 'ingest-tool-test',
    });
  }, 120_000);
  afterAll(async () => {
    await runtime?.close();
    await env?.close();
  });

  it('returns fenced fields with confidences and the Coupa records they match, posting nothing', async () => {
    const truth = readTruth(dir, 'text')['01-classic.pdf']!;
    const result = await guard.call(AGENT_IDENTITY, 'extract_invoice', { path: join(dir, 'text', '01-classic.pdf') });
    expect(result.isError, result.text).toBe(false);
    const [doc] = documents(result.structured);
    expect(doc!.ready_to_post).toBe(true);
    expect(doc!.matched.supplier_id).toBe(truth.supplierId);
    expect(doc!.matched.order_line_ids).toEqual(truth.lines.map((l) => l.orderLineId));
    expect(isFenced(doc!.fields.invoiceNumber!.value)).toBe(true);
    expect(doc!.fields.invoiceNumber!.value).toContain(truth.invoiceNumber);
    expect(doc!.fields.total!.confidence).toBeGreaterThanOrEqual(0.95);
    expect(env.sim.callLog.filter((c) => c.method !== 'GET' && c.path.startsWith('/api/'))).toEqual([]);
  }, 60_000);

  it('takes a document as base64 and opens e-mails', async () => {
    const eml = readFileSync(join(dir, 'email', '01-invoice.eml'));
    const result = await guard.call(AGENT_IDENTITY, 'extract_invoice', {
      document_base64: eml.toString('base64'),
      file_name: 'mail.eml',
    });
    expect(result.isError, result.text).toBe(false);
    expect(documents(result.structured)).toHaveLength(1);
    expect(documents(result.structured)[0]!.matched.supplier_id).toBe(
      readTruth(dir, 'email')['01-invoice.eml']!.supplierId,
    );
  }, 60_000);

  it('refuses paths outside the allowed folders and unreadable documents, with a short error', async () => {
    const outside = await guard.call(AGENT_IDENTITY, 'extract_invoice', { path: join(dir, 'bad', 'good.pdf') });
    expect(outside.isError).toBe(true);
    expect(outside.text).toMatch(/outside the folders/);
    const escape = await guard.call(AGENT_IDENTITY, 'extract_invoice', {
      path: join(dir, 'text', '..', 'bad', 'good.pdf'),
    });
    expect(escape.isError).toBe(true);
    const encrypted = await guard.call(AGENT_IDENTITY, 'extract_invoice', {
      document_base64: readFileSync(join(dir, 'bad', 'encrypted.pdf')).toString('base64'),
    });
    expect(encrypted.isError).toBe(true);
    expect(encrypted.text).toMatch(/password-protected/);
    const both = await guard.call(AGENT_IDENTITY, 'extract_invoice', { path: 'x.pdf', document_base64: 'AA==' });
    expect(both.isError).toBe(true);
  }, 60_000);

  it('reports a bank-detail change as a fraud problem and not ready to post', async () => {
    const pdf = readFileSync(join(dir, 'bad', 'bank-mismatch.pdf'));
    const result = await guard.call(AGENT_IDENTITY, 'extract_invoice', { document_base64: pdf.toString('base64') });
    const [doc] = documents(result.structured);
    expect(doc!.ready_to_post).toBe(false);
    expect(doc!.problems).toContainEqual(expect.objectContaining({ code: 'bank_details_mismatch', severity: 'fraud' }));
  }, 60_000);
});
