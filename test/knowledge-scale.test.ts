/**
 * The knowledge store's behaviour at history scale, on PGlite through `pg`: date, supplier and
 * type filters agree with exact search; the full-text side finds a rare identifier among
 * thousands of chunks of common words (its candidates come from the rarest query words); a
 * written resolution is searchable at once without rebuilding the vector index; `settle
 * knowledge stats` reports chunks by kind, index sizes and the last reindex, and bad filter input
 * is a one-line error. Speed itself is measured by `npm run bench -- knowledge`, not here.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { formatStats } from '../src/cli/knowledge.js';
import type { Db } from '../src/db/connection.js';
import { chunkMarkdown, type KnowledgeStoreAdmin } from '../src/knowledge/index.js';
import { resolutionDocument } from '../src/knowledge/resolution-docs.js';
import type { PreparedDocument } from '../src/knowledge/writer.js';
import { openLocalKnowledgeStore } from './knowledge.fixture.js';

const TYPES = ['price_variance', 'quantity_variance', 'duplicate', 'tax_variance'] as const;
const DOCS = 2400;

/** Resolutions of common AP words over four years, 40 suppliers, four types. */
function history(): PreparedDocument[] {
  return Array.from({ length: DOCS }, (_, i) => {
    const type = TYPES[i % TYPES.length]!;
    const month = String((i % 12) + 1).padStart(2, '0');
    const day = String((i % 28) + 1).padStart(2, '0');
    return resolutionDocument(
      {
        id: `res-${i}`,
        invoice_id: 1000 + i,
        supplier_id: (i % 40) + 1,
        supplier_name: `Supplier ${(i % 40) + 1}`,
        exception_type: type,
        decision: 'route',
        decided_by: 'ap.review',
        decided_at: `${2022 + (i % 4)}-${month}-${day}T10:00:00Z`,
        summary: `Invoice price above the PO price on line ${i % 7}; routed to the AP reviewer with the quote attached.`,
      },
      'test',
      'history',
    );
  });
}

let db: Db;
let store: KnowledgeStoreAdmin;
const docs = history();
const countWhere = (match: (meta: Record<string, unknown>) => boolean): number =>
  docs.filter((d) => match(d.metadata)).length;

beforeAll(async () => {
  ({ db, store } = await openLocalKnowledgeStore());
  const { chunks } = chunkMarkdown(
    '## NEEDLE-1 Odd one\nRoute invoice price mismatches of ZQX-ORCHID-4471 to the treasury desk.',
    { title: 'Needle' },
  );
  await store.writePrepared([
    ...docs,
    { id: 'needle', kind: 'policy', title: 'Needle', origin: 'test', metadata: {}, chunks },
  ]);
}, 600_000);
afterAll(async () => {
  await db?.close();
});

const key = (c: { document: string }): string => c.document;

describe('filters', () => {
  it('by date keeps only resolutions decided in the range, inclusive, as exact search does', async () => {
    const options = { kind: 'resolution', decidedFrom: '2023-06-01', decidedTo: '2023-06-12', limit: 100 } as const;
    const inRange = (at: unknown): boolean => String(at) >= '2023-06-01' && String(at) < '2023-06-13';
    const expected = countWhere((m) => inRange(m.decided_at));
    expect(expected).toBeGreaterThan(20);
    expect(expected).toBeLessThan(100);
    const hits = await store.search('price above the PO', options);
    expect(hits.length).toBeGreaterThan(0);
    for (const h of hits) expect(inRange(h.metadata.decided_at), String(h.metadata.decided_at)).toBe(true);
    // Every chunk in range, whichever way: the filtered ANN scan must not stop early.
    const exact = await store.exactSearch('price above the PO', options);
    expect(exact).toHaveLength(expected);
    const ann = await store.vectorSearch('price above the PO', options);
    expect(new Set(ann.map(key))).toEqual(new Set(exact.map(key)));
  });

  it('by supplier and type return only matching chunks, and filtered ANN matches exact search', async () => {
    const options = { supplierId: 8, exceptionType: 'tax_variance', limit: 100 } as const;
    const expected = countWhere((m) => m.supplier_id === '8' && m.exception_type === 'tax_variance');
    expect(expected).toBeGreaterThan(20);
    const hits = await store.search('routed to the AP reviewer', { ...options, limit: 10 });
    expect(hits).toHaveLength(10);
    for (const h of hits) expect(h.metadata).toMatchObject({ supplier_id: '8', exception_type: 'tax_variance' });
    const exact = await store.exactSearch('routed to the AP reviewer', options);
    expect(exact).toHaveLength(expected);
    const ann = await store.vectorSearch('routed to the AP reviewer', options);
    expect(new Set(ann.map(key))).toEqual(new Set(exact.map(key)));
  });

  it('refuses a malformed date', async () => {
    await expect(store.search('x', { decidedFrom: '2023-02-30' })).rejects.toThrow();
    await expect(store.search('x', { decidedTo: 'last week' })).rejects.toThrow();
  });
});

describe('the full-text side at scale', () => {
  it('has statistics after a bulk write, and finds a rare identifier among thousands of common-word chunks', async () => {
    expect((await store.stats()).analyzedAt).toBeInstanceOf(Date);
    const [top] = await store.textSearch('invoice price mismatch ZQX-ORCHID-4471', { limit: 5 });
    expect(top?.document).toBe('needle');
    const [hybridTop] = await store.search('invoice price mismatch ZQX-ORCHID-4471', { limit: 5 });
    expect(hybridTop?.document).toBe('needle');
  });

  it('still ranks a question made only of common words, and an all-stopword query finds nothing by words', async () => {
    const hits = await store.textSearch('invoice price routed reviewer', { limit: 10 });
    expect(hits).toHaveLength(10);
    for (let i = 1; i < hits.length; i++) expect(hits[i - 1]!.score).toBeGreaterThanOrEqual(hits[i]!.score);
    expect(await store.textSearch('the of and', { limit: 5 })).toEqual([]);
    expect((await store.search('the of and', { limit: 5 })).length).toBeLessThanOrEqual(5);
  });
});

describe('storage', () => {
  it('keeps what every candidate is checked by in the row (vector, filters, words), and has one HNSW graph per kind', async () => {
    // pg_column_toast_chunk_id is set only for a value stored out of line, in the TOAST table.
    const { rows } = await db.query<{ embedding: string; metadata: string; tsv: string; n: string }>(
      `select count(pg_column_toast_chunk_id(embedding))::text as embedding, count(pg_column_toast_chunk_id(metadata))::text as metadata,
              count(pg_column_toast_chunk_id(tsv))::text as tsv, count(*)::text as n from knowledge_chunks`,
    );
    expect(rows[0]).toEqual({ embedding: '0', metadata: '0', tsv: '0', n: String(DOCS + 1) });
    const { rows: graphs } = await db.query<{ predicate: string }>(
      `select pg_get_expr(i.indpred, i.indrelid) as predicate from pg_index i join pg_class x on x.oid = i.indexrelid join pg_am a on a.oid = x.relam
       where i.indrelid = 'knowledge_chunks'::regclass and a.amname = 'hnsw' order by 1`,
    );
    expect(graphs.map((g) => g.predicate)).toEqual([
      "(kind = 'case'::text)",
      "(kind = 'policy'::text)",
      "(kind = 'resolution'::text)",
    ]);
  });
});

describe('growth', () => {
  it('a recorded resolution is searchable at once, and the vector index is not rebuilt', async () => {
    const indexOid = async (): Promise<string> =>
      (
        await db.query<{ oid: string }>(
          `select 'knowledge_chunks_embedding_resolution_idx'::regclass::oid::text as oid`,
        )
      ).rows[0]!.oid;
    const before = await indexOid();
    const { documentId } = await store.recordResolution({
      invoiceId: 777_001,
      exceptionType: 'duplicate',
      decision: 'hold',
      decidedBy: 'ap.manager',
      source: 'human',
      supplierId: 3,
      summary: 'Resubmitted copy WOMBAT-99 of an invoice already paid; held and voided per AP-DUP-1.1.',
      decidedAt: '2026-05-01T09:00:00+02:00',
    });
    const [hit] = await store.search('WOMBAT-99 resubmitted copy', { limit: 1 });
    expect(hit?.document).toBe(documentId);
    expect(hit?.metadata.decided_at).toBe('2026-05-01T07:00:00.000Z');
    const [byDate] = await store.search('WOMBAT-99', { decidedFrom: '2026-05-01', decidedTo: '2026-05-01', limit: 1 });
    expect(byDate?.document).toBe(documentId);
    expect(await indexOid()).toBe(before);
  });

  it('a chunk found by an exact token on the text side alone wins the tie with the best of the vector side', async () => {
    // The question repeats the history's wording, so the vector side's 40 candidates are history
    // chunks; only the new resolution carries the token, so the text side ranks it first. Both
    // score 1/61 in the fusion: the exact token must win, not the older chunk's lower id.
    const { documentId } = await store.recordResolution({
      invoiceId: 777_002,
      exceptionType: 'duplicate',
      decision: 'hold',
      decidedBy: 'ap.manager',
      source: 'human',
      supplierId: 5,
      summary: 'Courier manifest KOALA-4417 archived beside the warehouse keys.',
    });
    const question = 'Invoice price above the PO price; routed to the AP reviewer with the quote attached. KOALA-4417';
    expect((await store.vectorSearch(question, { limit: 40 })).map(key)).not.toContain(documentId);
    expect((await store.textSearch(question, { limit: 1 }))[0]?.document).toBe(documentId);
    expect((await store.search(question, { limit: 1 }))[0]?.document).toBe(documentId);
  });
});

describe('stats', () => {
  it('reports chunks by kind, index sizes and the last reindex', async () => {
    const stats = await store.stats();
    // The history, the needle policy and the two resolutions the growth tests recorded.
    expect(stats.chunksByKind).toEqual({ policy: 1, resolution: DOCS + 2, case: 0 });
    expect(stats.chunks).toBe(DOCS + 3);
    expect(stats.bytes.hnsw).toBeGreaterThan(0);
    expect(stats.bytes.fullText).toBeGreaterThan(0);
    expect(stats.reindexedAt).toBeInstanceOf(Date);
    const text = formatStats(stats);
    expect(text).toMatch(/^chunks: +2403 \(policy 1, resolution 2402, case 0\)$/m);
    expect(text).toMatch(/^vector index: +[\d.]+ (KB|MB) \(HNSW, cosine\)$/m);
    expect(text).toMatch(/^last reindex: +\d{4}-\d{2}-\d{2}T/m);
  });
});

describe('settle knowledge stats and search on the command line', () => {
  const REPO = fileURLToPath(new URL('..', import.meta.url));
  const TSX = join(REPO, 'node_modules', '.bin', 'tsx');
  let dir: string;
  const settle = (...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> =>
    new Promise((resolve) => {
      execFile(
        TSX,
        ['src/cli.ts', ...args],
        {
          cwd: REPO,
          env: { ...process.env, SETTLE_DATA_DIR: dir, DATABASE_URL: '', SETTLE_EMBEDDING_MODEL: '' },
          timeout: 240_000,
        },
        (error, stdout, stderr) => {
          resolve({ code: error ? (typeof error.code === 'number' ? error.code : -1) : 0, stdout, stderr });
        },
      );
    });
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'settle-knowledge-cli-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('prints the stats of an empty store, then of an ingested one', { timeout: 600_000 }, async () => {
    const empty = await settle('knowledge', 'stats');
    expect(empty.stderr).toBe('');
    expect(empty.stdout).toMatch(/^chunks: +0 \(policy 0, resolution 0, case 0\)$/m);
    expect((await settle('knowledge', 'ingest', 'knowledge/policies')).code).toBe(0);
    const after = await settle('knowledge', 'stats', '--json');
    const json = JSON.parse(after.stdout) as { chunksByKind: { policy: number }; bytes: { hnsw: number } };
    expect(json.chunksByKind.policy).toBeGreaterThan(50);
    expect(json.bytes.hnsw).toBeGreaterThan(0);
  });

  it('rejects a bad date filter in one line', { timeout: 300_000 }, async () => {
    const bad = await settle('knowledge', 'search', 'tolerance', '--since', '2026-02-31');
    expect(bad.code).not.toBe(0);
    expect(bad.stderr.trim()).toBe('settle: --since must be a date like 2026-03-31, got "2026-02-31"');
    const reversed = await settle('knowledge', 'search', 'tolerance', '--since', '2026-03-01', '--until', '2026-02-01');
    expect(reversed.stderr.trim()).toBe('settle: --since 2026-03-01 is after --until 2026-02-01');
  });
});
