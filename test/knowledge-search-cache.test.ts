/**
 * Search answers are reused only while the chunks behind them are unchanged: a write through the
 * same store drops them at once, a write by another process (another store on the same database)
 * once the cache next reads `knowledge_generations`, and a write of one kind keeps the other
 * kinds' answers.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '../src/db/connection.js';
import {
  createKnowledgeStore,
  createLocalEmbedder,
  type Citation,
  type KnowledgeStoreAdmin,
} from '../src/knowledge/index.js';
import { createSearchCache } from '../src/knowledge/search-cache.js';
import { openLocalKnowledgeStore } from './knowledge.fixture.js';

const resolution = (invoiceId: number, summary: string) =>
  ({
    invoiceId,
    exceptionType: 'duplicate',
    decision: 'hold',
    decidedBy: 'test',
    source: 'agent',
    supplierId: 7,
    summary,
  }) as const;

describe('knowledge search cache', () => {
  let db: Db;
  let store: KnowledgeStoreAdmin;
  /** Another worker process on the same database: its own store, its own cache. */
  let other: KnowledgeStoreAdmin;
  /** Searches straight to the database, for the cache under test to wrap. */
  let uncached: KnowledgeStoreAdmin;

  beforeAll(async () => {
    ({ db, store } = await openLocalKnowledgeStore());
    other = await createKnowledgeStore({ db, embedder: createLocalEmbedder() });
    uncached = await createKnowledgeStore({ db, embedder: createLocalEmbedder(), searchCache: false });
    await store.ingestDocument({
      id: 'policy/dup',
      kind: 'policy',
      title: 'Duplicates',
      text: '# Duplicates\n\n## AP-DUP-1 Same bill twice\nA bill resubmitted under a new number is held.',
    });
  });
  afterAll(async () => {
    await db?.close();
  });

  it('sees a resolution written through the same store at once', async () => {
    expect(await store.search('resubmitted bill QX-CACHE-1', { kind: 'resolution' })).toEqual([]);
    await store.recordResolution(resolution(501, 'The bill QX-CACHE-1 was resubmitted and held.'));
    const [hit] = await store.search('resubmitted bill QX-CACHE-1', { kind: 'resolution' });
    expect(hit?.document).toBe('resolution/invoice-501/agent');
  });

  it('answers a repeated question from the cache, and a changed kind from the database once it looks again', async () => {
    let clock = 0;
    const cache = createSearchCache(db, { checkEveryMs: 1000, now: () => clock });
    let runs = 0;
    const ask = (kind: 'policy' | 'resolution', query: string): Promise<Citation[]> =>
      cache.through(kind, query, () => {
        runs += 1;
        return uncached.search(query, { kind });
      });

    const first = await ask('resolution', 'resubmitted bill QX-CACHE-2');
    await ask('policy', 'resubmitted bill');
    expect(await ask('resolution', 'resubmitted bill QX-CACHE-2')).toEqual(first);
    expect(runs).toBe(2);

    // Another process writes a resolution: within the interval the answer stands…
    await other.recordResolution(resolution(502, 'The bill QX-CACHE-2 came in twice and was held.'));
    await ask('resolution', 'resubmitted bill QX-CACHE-2');
    expect(runs).toBe(2);
    // …after it, the generation has moved and the question is asked again; policies are untouched.
    clock += 1001;
    const again = await ask('resolution', 'resubmitted bill QX-CACHE-2');
    expect(first.map((h) => h.document)).not.toContain('resolution/invoice-502/agent');
    expect(again.map((h) => h.document)).toContain('resolution/invoice-502/agent');
    await ask('policy', 'resubmitted bill');
    expect(runs).toBe(3);
  });

  it('drops the written kinds on a local invalidation, and never keeps a failed search', async () => {
    const cache = createSearchCache(db, { now: () => 0 });
    let runs = 0;
    const answer: Citation[] = [];
    await cache.through('policy', 'q', async () => (runs++, answer));
    cache.invalidate(['policy']);
    await cache.through('policy', 'q', async () => (runs++, answer));
    expect(runs).toBe(2);

    await expect(
      cache.through('resolution', 'broken', async () => Promise.reject(new Error('database down'))),
    ).rejects.toThrow('database down');
    await cache.through('resolution', 'broken', async () => (runs++, answer));
    expect(runs).toBe(3);
  });

  it('hands out copies: changing an answer does not change the next one', async () => {
    const cache = createSearchCache(db, { now: () => 0 });
    const hit: Citation = {
      document: 'd',
      sectionId: null,
      title: 't',
      text: 'x',
      score: 1,
      kind: 'policy',
      metadata: { a: 1 },
    };
    const first = await cache.through('policy', 'copy', async () => [hit]);
    first[0]!.metadata.a = 2;
    expect((await cache.through('policy', 'copy', async () => []))[0]?.metadata.a).toBe(1);
  });

  it('moves a kind’s generation on insert, update, delete and truncate of its chunks only', async () => {
    const generations = async (): Promise<Record<string, string>> =>
      Object.fromEntries(
        (await db.query<{ kind: string; n: string }>('select kind, n::text as n from knowledge_generations')).rows.map(
          (r) => [r.kind, r.n],
        ),
      );
    const before = await generations();
    await db.query(`update knowledge_chunks set title = title where kind = 'resolution'`);
    const updated = await generations();
    expect(Number(updated.resolution)).toBe(Number(before.resolution) + 1);
    expect(updated.policy).toBe(before.policy);
    await db.query(`delete from knowledge_chunks where kind = 'policy'`);
    const deleted = await generations();
    expect(Number(deleted.policy)).toBe(Number(before.policy) + 1);
    expect(deleted.resolution).toBe(updated.resolution);
    await db.query(`truncate knowledge_chunks cascade`);
    const truncated = await generations();
    expect(Number(truncated.resolution)).toBe(Number(deleted.resolution) + 1);
    expect(Number(truncated.policy)).toBe(Number(deleted.policy) + 1);
  });
});
