/**
 * Incremental ingestion on PGlite + pgvector through `pg`: idempotent re-runs, edited and removed
 * sections, pruned files, empty and huge documents, strict UTF-8, and the embedder lock on the index.
 */
import { mkdtempSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDb, type Db } from '../src/db/connection.js';
import { migrate } from '../src/db/migrate.js';
import {
  KnowledgeIndexMismatchError,
  KnowledgeInputError,
  createKnowledgeStore,
  createLocalEmbedder,
  reindexKnowledge,
  type Embedder,
  type KnowledgeStoreAdmin,
} from '../src/knowledge/index.js';

const POLICY = `---
title: Test policy
---
# Test policy
Applies to every test invoice.

## TST-1 Freight charges
Freight billed without a freight line on the PO is routed to the reviewer.

## TST-2 Early payment discounts
Take the discount when paying within ten days.
`;

let db: Db;
let store: KnowledgeStoreAdmin;
let dir: string;

beforeAll(async () => {
  db = await openDb();
  await migrate(db);
  store = await createKnowledgeStore({ db, embedder: createLocalEmbedder() });
  dir = mkdtempSync(join(tmpdir(), 'settle-knowledge-'));
});
afterAll(async () => {
  await db?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

async function snapshot(documentId: string): Promise<Array<{ chunk_key: string; content_hash: string; id: string }>> {
  const { rows } = await db.query<{ chunk_key: string; content_hash: string; id: string }>(
    'select chunk_key, content_hash, id::text from knowledge_chunks where document_id = $1 order by chunk_key',
    [documentId],
  );
  return rows;
}

describe('directory ingestion', () => {
  it('is idempotent: a second run changes nothing, rows and hashes stay the same', async () => {
    mkdirSync(join(dir, 'policies'), { recursive: true });
    writeFileSync(join(dir, 'policies', 'test-policy.md'), POLICY);
    writeFileSync(
      join(dir, 'past.jsonl'),
      `${JSON.stringify({ id: 'res-1', invoice_id: 1, supplier_id: 9, supplier_name: 'Acme', exception_type: 'duplicate', decision: 'hold', decided_by: 'ap.review', decided_at: '2026-01-02T00:00:00Z', summary: 'Held a resubmitted copy.' })}\n`,
    );
    const first = await store.ingestDirectory(dir);
    expect(first.documents).toEqual({ added: 2, updated: 0, unchanged: 0, removed: 0 });
    expect(first.chunks.added).toBe(4); // preamble, TST-1, TST-2, the resolution
    const before = await snapshot('policies/test-policy');

    const second = await store.ingestDirectory(dir);
    expect(second.documents).toEqual({ added: 0, updated: 0, unchanged: 2, removed: 0 });
    expect(second.chunks).toEqual({ added: 0, updated: 0, unchanged: 4, removed: 0 });
    expect(await snapshot('policies/test-policy')).toEqual(before);
  });

  it('replaces an edited section, keeps the others, deletes a removed one', async () => {
    const before = await snapshot('policies/test-policy');
    const edited = POLICY.replace('routed to the reviewer', 'disputed with the supplier').replace(
      /## TST-2[\s\S]*$/,
      '',
    );
    writeFileSync(join(dir, 'policies', 'test-policy.md'), edited);
    const report = await store.ingestDirectory(dir);
    expect(report.documents).toMatchObject({ updated: 1, unchanged: 1 });
    expect(report.chunks).toEqual({ added: 0, updated: 1, unchanged: 2, removed: 1 });
    const after = await snapshot('policies/test-policy');
    expect(after.map((r) => r.chunk_key)).toEqual(['TST-1#0', 'preamble#0']);
    expect(after.find((r) => r.chunk_key === 'preamble#0')).toEqual(before.find((r) => r.chunk_key === 'preamble#0'));
    expect(after.find((r) => r.chunk_key === 'TST-1#0')!.content_hash).not.toBe(
      before.find((r) => r.chunk_key === 'TST-1#0')!.content_hash,
    );
    const [hit] = await store.search('freight charges without a PO line', { kind: 'policy', limit: 1 });
    expect(hit?.text).toContain('disputed with the supplier');
  });

  it('treats whitespace-only edits as unchanged', async () => {
    const current = (
      await db.query<{ text: string }>(
        `select text from knowledge_chunks where document_id = 'policies/test-policy' and chunk_key = 'TST-1#0'`,
      )
    ).rows[0]!.text;
    writeFileSync(
      join(dir, 'policies', 'test-policy.md'),
      `${POLICY.split('## TST-1')[0]}${current.replace(/\n/g, '   \r\n')}\n\n\n\n`,
    );
    expect((await store.ingestDirectory(dir)).chunks).toMatchObject({ added: 0, updated: 0, removed: 0 });
  });

  it('removes the documents of files that were deleted, and only those of this folder', async () => {
    await store.ingestDocument({
      id: 'api-doc',
      title: 'Added by API',
      text: '## API-1 Kept\nNot from the folder.',
      kind: 'case',
    });
    rmSync(join(dir, 'past.jsonl'));
    const report = await store.ingestDirectory(dir);
    expect(report.documents.removed).toBe(1);
    expect(report.chunks.removed).toBe(1);
    expect(await snapshot('res-1')).toEqual([]);
    expect(await snapshot('api-doc')).toHaveLength(1);
  });

  it('rejects a file that is not UTF-8, naming it, and leaves the store untouched', async () => {
    const bad = join(dir, 'policies', 'latin1.md');
    writeFileSync(bad, Buffer.from([0x23, 0x20, 0x50, 0x6f, 0x6c, 0x69, 0x63, 0xe9, 0x0a])); // "# Policé" in Latin-1
    const before = await store.stats();
    await expect(store.ingestDirectory(dir)).rejects.toThrow(
      /latin1\.md is not valid UTF-8 \(first bad byte at offset 7\); re-save it as UTF-8/,
    );
    expect(await store.stats()).toEqual(before);
    rmSync(bad);
  });
});

describe('single documents', () => {
  it('rejects non-UTF-8 bytes and unpaired surrogates with a clear error', async () => {
    const latin1 = new Uint8Array([0x50, 0x72, 0x69, 0x78, 0x20, 0xe0, 0x20, 0x39, 0x39]);
    await expect(store.ingestDocument({ id: 'bad-bytes', title: 'Bad', text: latin1, kind: 'policy' })).rejects.toThrow(
      KnowledgeInputError,
    );
    await expect(store.ingestDocument({ id: 'bad-bytes', title: 'Bad', text: latin1, kind: 'policy' })).rejects.toThrow(
      'bad-bytes is not valid UTF-8 (first bad byte at offset 5)',
    );
    await expect(
      store.ingestDocument({ id: 'bad-string', title: 'Bad', text: 'broken \uD800 text', kind: 'policy' }),
    ).rejects.toThrow(/unpaired UTF-16 surrogates/);
    const utf8 = new TextEncoder().encode('## TAX-9 Mehrwertsteuer\nUmsatzsteuer für Lieferungen — 19 %.');
    expect(
      (await store.ingestDocument({ id: 'good-bytes', title: 'Gut', text: utf8, kind: 'policy' })).chunks.added,
    ).toBe(1);
  });

  it('stores an empty document with no chunks, and emptying a document removes its chunks', async () => {
    expect(await store.ingestDocument({ id: 'empty', title: 'Empty', text: '', kind: 'policy' })).toMatchObject({
      documents: { added: 1 },
      chunks: { added: 0 },
    });
    expect(await store.ingestDocument({ id: 'empty', title: 'Empty', text: '  \n\n', kind: 'policy' })).toMatchObject({
      documents: { unchanged: 1 },
    });
    await store.ingestDocument({ id: 'shrinks', title: 'Shrinks', text: '## SHR-1 Something\nText.', kind: 'policy' });
    expect(
      (await store.ingestDocument({ id: 'shrinks', title: 'Shrinks', text: '# Only a title', kind: 'policy' })).chunks
        .removed,
    ).toBe(1);
    expect(await snapshot('shrinks')).toEqual([]);
  });

  it('splits a huge document into bounded, overlapping chunks that keep their section id', async () => {
    const paragraph = 'Freight accruals are reconciled against carrier statements every month end. ';
    const huge = `# Huge\n## HUGE-1 Carrier reconciliation\n${Array.from({ length: 4000 }, (_, i) => `${paragraph}Batch ${i}.${i % 5 === 4 ? '\n\n' : ' '}`).join('')}\n## HUGE-2 One run-on line\n${'x'.repeat(50_000)}\n`;
    expect(huge.length).toBeGreaterThan(300_000);
    const report = await store.ingestDocument({ id: 'huge', title: 'Huge', text: huge, kind: 'policy' });
    expect(report.chunks.added).toBeGreaterThan(200);
    const { rows } = await db.query<{ section_id: string; len: number }>(
      `select section_id, length(text) as len from knowledge_chunks where document_id = 'huge'`,
    );
    expect(new Set(rows.map((r) => r.section_id))).toEqual(new Set(['HUGE-1', 'HUGE-2']));
    expect(Math.max(...rows.map((r) => Number(r.len)))).toBeLessThanOrEqual(1600);
    const [hit] = await store.search('Batch 2001 carrier statements', { kind: 'policy', limit: 1 });
    expect(hit?.sectionId).toBe('HUGE-1');
    expect(
      (await store.ingestDocument({ id: 'huge', title: 'Huge', text: huge, kind: 'policy' })).documents.unchanged,
    ).toBe(1);
  });

  it('rejects a bad document id or kind', async () => {
    await expect(store.ingestDocument({ id: '../etc', title: 'x', text: 'x', kind: 'policy' })).rejects.toThrow(
      /document id/,
    );
    await expect(store.ingestDocument({ id: 'x', title: 'x', text: 'x', kind: 'memo' as 'policy' })).rejects.toThrow();
  });
});

describe('the index belongs to one embedder', () => {
  const otherDims: Embedder = createLocalEmbedder(256);
  const sameDimsOtherModel: Embedder = { ...createLocalEmbedder(), model: 'another-model' };

  it('refuses an embedder with another dimension or model, saying how to re-index', async () => {
    await expect(createKnowledgeStore({ db, embedder: otherDims })).rejects.toThrow(KnowledgeIndexMismatchError);
    await expect(createKnowledgeStore({ db, embedder: otherDims })).rejects.toThrow(
      /built with settle-hash-v1 \(384 dimensions\).*settle-hash-v1-256 \(256 dimensions\).*settle knowledge reindex/,
    );
    await expect(createKnowledgeStore({ db, embedder: sameDimsOtherModel })).rejects.toThrow(
      /another-model.*settle knowledge reindex/,
    );
  });

  it('reindex rebuilds every embedding with the new embedder, keeping all chunks', async () => {
    const chunks = (await store.stats()).chunks;
    const result = await reindexKnowledge({ db, embedder: otherDims });
    expect(result).toEqual({ chunks, previous: 'settle-hash-v1 (384 dimensions)' });
    const reopened = await createKnowledgeStore({ db, embedder: otherDims });
    expect(await reopened.stats()).toMatchObject({ dimensions: 256, chunks });
    const { rows } = await db.query<{ dims: number }>(
      `select distinct vector_dims(embedding) as dims from knowledge_chunks`,
    );
    expect(rows).toEqual([{ dims: 256 }]);
    expect((await reopened.search('freight charges', { kind: 'policy', limit: 1 }))[0]?.sectionId).toBe('TST-1');
    await expect(createKnowledgeStore({ db, embedder: createLocalEmbedder() })).rejects.toThrow(
      KnowledgeIndexMismatchError,
    );
  });
});
