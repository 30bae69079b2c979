/**
 * Knowledge store on embedded PGlite + pgvector, through `pg` as in production: ingestion rate
 * (chunk → offline embedding → insert with the HNSW index live), hybrid search latency p50/p95,
 * and recall@10 of the HNSW search against exact search, at 10k and 50k chunks. Synthetic
 * chunks are sentences drawn from the policy pack's own vocabulary with a seeded generator.
 *
 *   npx tsx bench/knowledge.ts            # 10k and 50k
 *   BENCH_KNOWLEDGE_SIZES=2000 npx tsx bench/knowledge.ts
 */
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { openDb, type Db } from '../src/db/connection.js';
import { migrate } from '../src/db/migrate.js';
import { chunkMarkdown } from '../src/knowledge/chunker.js';
import { createLocalEmbedder } from '../src/knowledge/embedder-local.js';
import { createKnowledgeStore, type KnowledgeStoreAdmin } from '../src/knowledge/store.js';
import type { PreparedDocument } from '../src/knowledge/writer.js';
import { DEFAULT_EF_SEARCH } from '../src/knowledge/search.js';
import type { Citation } from '../src/knowledge/types.js';
import { percentile } from '../src/stats.js';

const CHUNKS_PER_DOC = 10;
const QUERIES = 100;
const INCREMENTAL_CHUNKS = 1000;
const TYPES = ['price_variance', 'quantity_variance', 'duplicate', 'tax_variance', 'missing_po'] as const;

/** mulberry32: tiny, seeded, good enough to draw words. */
function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function vocabulary(): string[] {
  const dir = 'knowledge/policies';
  const text = readdirSync(dir).map((f) => readFileSync(join(dir, f), 'utf8')).join(' ');
  return [...new Set(text.toLowerCase().match(/[a-z]{3,}/g) ?? [])];
}

/**
 * Text with the structure of a real corpus: 60 topics, each a Zipf-weighted slice of the
 * vocabulary, mixed with general words. Uniform random words would make every pair of chunks
 * equally far apart, a worst case no real knowledge base has.
 */
interface Topics {
  draw(topic: number): string;
  count: number;
}

function topics(words: string[], next: () => number): Topics {
  const count = 60;
  const perTopic = 40;
  const slices = Array.from({ length: count }, () => Array.from({ length: perTopic }, () => words[Math.floor(next() * words.length)]!));
  const zipf = (n: number): number => Math.min(n - 1, Math.floor(Math.exp(next() * Math.log(n + 1)) - 1));
  return {
    count,
    draw: (topic) => (next() < 0.75 ? slices[topic]![zipf(perTopic)]! : words[zipf(words.length)]!),
  };
}

function sentence(t: Topics, next: () => number, length: number): string {
  const topic = Math.floor(next() * t.count);
  const second = Math.floor(next() * t.count);
  return Array.from({ length }, () => t.draw(next() < 0.8 ? topic : second)).join(' ');
}

function syntheticDocs(words: Topics, from: number, count: number, next: () => number): PreparedDocument[] {
  const docs: PreparedDocument[] = [];
  for (let d = from; d < from + count; d += CHUNKS_PER_DOC) {
    const body = Array.from({ length: CHUNKS_PER_DOC }, (_, i) => `## SYN-${d + i} ${sentence(words, next, 4)}\n${sentence(words, next, 40 + Math.floor(next() * 60))}.`).join('\n\n');
    const id = `bench/doc-${d}`;
    const { chunks } = chunkMarkdown(body, { title: id });
    const kind = (d / CHUNKS_PER_DOC) % 3 === 0 ? 'resolution' : 'policy';
    docs.push({ id, kind, title: id, origin: 'bench', metadata: { exception_type: TYPES[(d / CHUNKS_PER_DOC) % TYPES.length]!, supplier_id: String((d / CHUNKS_PER_DOC) % 200) }, chunks });
  }
  return docs;
}

async function latencies(run: (q: string) => Promise<unknown>, queries: string[]): Promise<number[]> {
  const out: number[] = [];
  for (const q of queries) {
    const start = performance.now();
    await run(q);
    out.push(performance.now() - start);
  }
  return out.sort((a, b) => a - b);
}

const key = (c: Citation): string => `${c.document}#${c.sectionId}`;

/** Mean share of the exact top 10 that the ANN top 10 also returns. */
async function recallAt10(store: KnowledgeStoreAdmin, queries: string[], filtered: boolean): Promise<number> {
  let sum = 0;
  for (const [i, q] of queries.entries()) {
    // Filtered ANN relies on pgvector's iterative scan to still find 10 neighbours.
    const options = filtered ? ({ limit: 10, exceptionType: TYPES[i % TYPES.length]! } as const) : { limit: 10 };
    const ann = new Set((await store.vectorSearch(q, options)).map(key));
    const exact = await store.exactSearch(q, options);
    if (exact.length === 0) throw new Error(`no chunks match ${JSON.stringify(options)}`);
    sum += exact.filter((c) => ann.has(key(c))).length / exact.length;
  }
  return Number((sum / queries.length).toFixed(3));
}

async function measure(db: Db, store: KnowledgeStoreAdmin, queries: string[], label: string): Promise<Record<string, number>> {
  const hybrid = await latencies((q) => store.search(q, { limit: 10 }), queries);
  const ann = await latencies((q) => store.vectorSearch(q, { limit: 10 }), queries);
  const exact = await latencies((q) => store.exactSearch(q, { limit: 10 }), queries.slice(0, 20));
  const figures: Record<string, number> = {
    [`knowledge ${label} hybrid search p50 ms`]: Number(percentile(hybrid, 50).toFixed(1)),
    [`knowledge ${label} hybrid search p95 ms`]: Number(percentile(hybrid, 95).toFixed(1)),
    [`knowledge ${label} HNSW-only search p50 ms`]: Number(percentile(ann, 50).toFixed(1)),
    [`knowledge ${label} exact search p50 ms`]: Number(percentile(exact, 50).toFixed(1)),
    [`knowledge ${label} HNSW recall@10 vs exact (ef_search ${DEFAULT_EF_SEARCH})`]: await recallAt10(store, queries, false),
    [`knowledge ${label} HNSW recall@10 filtered by type`]: await recallAt10(store, queries, true),
  };
  for (const ef of [40, 200]) {
    const tuned = await createKnowledgeStore({ db, embedder: store.embedder, efSearch: ef });
    figures[`knowledge ${label} HNSW recall@10 vs exact (ef_search ${ef})`] = await recallAt10(tuned, queries, false);
  }
  return figures;
}

/** Run the knowledge benchmark; returns labelled figures. */
export async function benchKnowledge(sizes: number[] = [10_000, 50_000]): Promise<Record<string, string | number>> {
  const next = rng(7);
  const words = topics(vocabulary(), next);
  const queries = Array.from({ length: QUERIES }, () => sentence(words, next, 8));
  const db = await openDb();
  const figures: Record<string, string | number> = {};
  try {
    await migrate(db);
    const store = await createKnowledgeStore({ db, embedder: createLocalEmbedder() });
    let loaded = 0;
    for (const size of [...sizes].sort((a, b) => a - b)) {
      const docs = syntheticDocs(words, loaded, size - loaded, next);
      const start = performance.now();
      await store.writePrepared(docs); // bulk: the HNSW index is rebuilt once at the end
      const seconds = (performance.now() - start) / 1000;
      figures[`knowledge bulk ingest chunks/s (${loaded / 1000}k→${size / 1000}k)`] = Math.round((size - loaded) / seconds);
      loaded = size;
      Object.assign(figures, await measure(db, store, queries, `${size / 1000}k`));
    }
    // Incremental: small batches (10 docs, 100 chunks) into the live index, as daily ingestion does.
    const extra = syntheticDocs(words, loaded, INCREMENTAL_CHUNKS, next);
    const start = performance.now();
    for (let i = 0; i < extra.length; i += 10) await store.writePrepared(extra.slice(i, i + 10));
    figures[`knowledge incremental ingest chunks/s (at ${loaded / 1000}k)`] = Math.round(INCREMENTAL_CHUNKS / ((performance.now() - start) / 1000));
    figures['knowledge embedder'] = `${store.embedder.model} (${store.embedder.dimensions} dims)`;
    return figures;
  } finally {
    await db.close();
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const sizes = process.env.BENCH_KNOWLEDGE_SIZES?.split(',').map(Number).filter((n) => n > 0);
  const figures = await benchKnowledge(sizes && sizes.length > 0 ? sizes : undefined);
  for (const [label, value] of Object.entries(figures)) console.log(`${label.padEnd(48)} ${value}`);
}
