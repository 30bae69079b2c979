/**
 * Knowledge store at years of history, on embedded PGlite + pgvector through `pg` as in production
 * (or on the Postgres at BENCH_DATABASE_URL). The corpus is the policy pack plus past resolutions
 * written by the sample-company generator — the company's own, then re-drawn settled exceptions
 * up to the size asked (evals/retrieval.ts) — embedded with the configured embedder (the offline
 * one unless SETTLE_EMBEDDING_MODEL is set). Per size it prints:
 *  - hybrid search p50/p95 ms, unfiltered and filtered by exception type, supplier and date;
 *  - HNSW recall@10 vs exact search, unfiltered and filtered (tie-aware: an ANN hit as close as
 *    the exact 10th neighbour counts, as in ann-benchmarks);
 *  - hit@5 and MRR of vector-only, full-text-only and hybrid search over the labelled queries
 *    (open exceptions → past resolutions of the same pattern);
 *  - how long a newly recorded resolution takes to become searchable (no rebuild);
 *  - with BENCH_KNOWLEDGE_EXPLAIN=1, EXPLAIN (ANALYZE, BUFFERS) of the hybrid statement.
 *
 * Built databases are cached under $TMPDIR/settle-bench-knowledge (PGlite only), keyed by size and
 * embedder; BENCH_KNOWLEDGE_FRESH=1 rebuilds them. Loading is bulk: indexes are dropped, rows go
 * in as multi-row inserts, indexes are rebuilt once.
 *
 *   npm run bench -- knowledge                                  # 50k and 500k
 *   BENCH_KNOWLEDGE_SIZES=5000,50000 npx tsx bench/knowledge.ts
 *   BENCH_KNOWLEDGE_QUERIES=100 BENCH_KNOWLEDGE_RECALL_QUERIES=50   # defaults
 *   BENCH_KNOWLEDGE_BUILD_ONLY=1                                # build (and cache) the corpora, measure nothing
 */
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { labelledCorpus, measureQuality, moreResolutions, sample, type LabelledQuery } from '../evals/retrieval.js';
import { loadConfig } from '../src/config.js';
import { openDb, type Db } from '../src/db/connection.js';
import { migrate } from '../src/db/migrate.js';
import { createEmbedder } from '../src/knowledge/embedder.js';
import { createAnnIndex, dropAnnIndex, inTransaction, vectorLiteral } from '../src/knowledge/index-meta.js';
import { prepareDirectory } from '../src/knowledge/ingest.js';
import { DEFAULT_EF_SEARCH, DEFAULT_HYBRID_EF_SEARCH, hybridEfSearchFor } from '../src/knowledge/search.js';
import { createKnowledgeStore, type KnowledgeStoreAdmin } from '../src/knowledge/store.js';
import type { Citation, Embedder, SearchOptions } from '../src/knowledge/types.js';
import type { PreparedDocument } from '../src/knowledge/writer.js';
import { percentile } from '../src/stats.js';

const SEED = 7;
/** Invoices of the labelled company: ~750 past resolutions, ~700 open exceptions as queries. */
const COMPANY_INVOICES = 6000;
// v2: embeddings stored inline (migration 095 only affects rows written after it). The HNSW
// parameters are not in the key: migrations 078 and 094 rebuild an older index on open.
const CACHE_VERSION = 'v2';
const envInt = (name: string, fallback: number): number => {
  const n = Number(process.env[name]);
  return Number.isInteger(n) && n > 0 ? n : fallback;
};

/** Wall and CPU seconds spent per phase of a corpus build (the build is what keeps 500k out of reach). */
type Phases = Record<string, { wall: number; cpu: number }>;

async function timed<T>(phases: Phases, name: string, work: () => Promise<T>): Promise<T> {
  const used = process.cpuUsage();
  const start = performance.now();
  try {
    return await work();
  } finally {
    const d = process.cpuUsage(used);
    const p = (phases[name] ??= { wall: 0, cpu: 0 });
    p.wall += (performance.now() - start) / 1000;
    p.cpu += (d.user + d.system) / 1e6;
  }
}

/** Insert documents and their chunks in multi-row batches, with no index maintenance. */
async function bulkInsert(db: Db, embedder: Embedder, docs: PreparedDocument[], phases: Phases): Promise<void> {
  const BATCH = 1000;
  for (let i = 0; i < docs.length; i += BATCH) {
    const batch = docs.slice(i, i + BATCH);
    const chunks = batch.flatMap((d) => d.chunks.map((c) => ({ d, c })));
    const vectors = await timed(phases, 'embed', async () =>
      (await embedder.embed(chunks.map((x) => x.c.embedText))).map(vectorLiteral),
    );
    await timed(phases, 'insert', async () => {
      await db.query(
        `insert into knowledge_documents (id, kind, title, origin, content_hash, metadata)
       select * from unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::jsonb[])`,
        [
          batch.map((d) => d.id),
          batch.map((d) => d.kind),
          batch.map((d) => d.title),
          batch.map((d) => d.origin),
          batch.map(() => 'bench'),
          batch.map((d) => JSON.stringify(d.metadata)),
        ],
      );
      await db.query(
        `insert into knowledge_chunks (document_id, chunk_key, kind, section_id, title, context, text, content_hash, metadata, embedding)
       select d, k, kd, s, t, cx, x, h, m::jsonb, e::vector
       from unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[], $8::text[], $9::text[], $10::text[]) as u(d, k, kd, s, t, cx, x, h, m, e)`,
        [
          chunks.map((x) => x.d.id),
          chunks.map((x) => x.c.key),
          chunks.map((x) => x.d.kind),
          chunks.map((x) => x.c.sectionId),
          chunks.map((x) => x.c.title),
          chunks.map((x) => x.c.context),
          chunks.map((x) => x.c.text),
          chunks.map((x) => x.c.hash),
          chunks.map((x) => JSON.stringify({ ...x.d.metadata, document_title: x.d.title })),
          vectors,
        ],
      );
    });
  }
}

/** Drop the chunk table's secondary indexes, run `load`, recreate them (HNSW last, as the store builds it). */
async function withoutIndexes(db: Db, load: () => Promise<void>, phases: Phases): Promise<void> {
  const { rows } = await db.query<{ name: string; def: string }>(
    `select indexname as name, indexdef as def from pg_indexes where tablename = 'knowledge_chunks' and indexname not like '%pkey' and indexname not like '%_key' and indexdef not like '%USING hnsw%'`,
  );
  await inTransaction(db, (client) => dropAnnIndex(client));
  for (const r of rows) await db.query(`drop index ${r.name}`);
  await load();
  await timed(phases, 'other indexes', async () => {
    for (const r of rows) await db.query(r.def);
  });
  await timed(phases, 'HNSW build', () => inTransaction(db, (client) => createAnnIndex(client)));
  await timed(phases, 'analyze', () => db.query('analyze knowledge_chunks'));
}

interface Built {
  db: Db;
  store: KnowledgeStoreAdmin;
  cached: boolean;
  loadSeconds: number;
  chunks: number;
  /** `phase wall/CPU s, …` of the build that made this database. */
  phases: string;
}

async function buildCorpus(size: number, embedder: Embedder, base: ReturnType<typeof labelledCorpus>): Promise<Built> {
  const url = process.env.BENCH_DATABASE_URL;
  const dir = join(tmpdir(), 'settle-bench-knowledge', `${CACHE_VERSION}-${embedder.model}-${size}`);
  const marker = join(dir, 'complete.json');
  if (!url && process.env.BENCH_KNOWLEDGE_FRESH) rmSync(dir, { recursive: true, force: true });
  const cached = !url && existsSync(marker);
  if (!url && !cached) rmSync(dir, { recursive: true, force: true });
  if (!url) mkdirSync(dir, { recursive: true });
  const db = await openDb(url ? { databaseUrl: url, maxConnections: 1 } : { dataDir: dir });
  await migrate(db);
  if (cached) {
    const store = await createKnowledgeStore({ db, embedder, searchCache: false });
    const info = JSON.parse(readFileSync(marker, 'utf8')) as { loadSeconds: number; chunks: number; phases?: string };
    return { db, store, cached, ...info, phases: info.phases ?? 'not recorded' };
  }
  if (url) await db.query('truncate knowledge_documents, knowledge_chunks cascade');
  const store = await createKnowledgeStore({ db, embedder, searchCache: false });
  const started = performance.now();
  const phases: Phases = {};
  const docs = await timed(phases, 'generate', async () => {
    const { docs: policies } = await prepareDirectory('knowledge/policies');
    const own = policies.reduce((n, d) => n + d.chunks.length, 0) + base.resolutions.length;
    return [...policies, ...base.resolutions, ...moreResolutions(base.company, Math.max(0, size - own), 10_000_000)];
  });
  await withoutIndexes(db, () => bulkInsert(db, embedder, docs, phases), phases);
  const loadSeconds = Number(((performance.now() - started) / 1000).toFixed(1));
  const chunks = Number(
    (await db.query<{ n: string }>('select count(*)::text as n from knowledge_chunks')).rows[0]?.n ?? 0,
  );
  const phaseText = Object.entries(phases)
    .map(([name, p]) => `${name} ${p.wall.toFixed(1)}/${p.cpu.toFixed(1)}`)
    .join(', ');
  if (!url) writeFileSync(marker, JSON.stringify({ loadSeconds, chunks, phases: phaseText }));
  return { db, store, cached, loadSeconds, chunks, phases: phaseText };
}

/** Wall ms per query, sorted; `cpu` collects the process's CPU ms per query (PGlite runs in process). */
async function latencies(
  run: (q: LabelledQuery) => Promise<unknown>,
  queries: readonly LabelledQuery[],
  cpu: number[] = [],
): Promise<number[]> {
  const out: number[] = [];
  for (const q of queries) {
    const used = process.cpuUsage();
    const start = performance.now();
    await run(q);
    out.push(performance.now() - start);
    const d = process.cpuUsage(used);
    cpu.push((d.user + d.system) / 1000);
  }
  cpu.sort((a, b) => a - b);
  return out.sort((a, b) => a - b);
}

/**
 * Tie-aware recall@10 of each store's HNSW search against one exact search per query: the share
 * of the exact top 10 matched by ANN hits at least as close as the exact 10th neighbour.
 */
async function recallAt10(
  stores: KnowledgeStoreAdmin[],
  queries: readonly LabelledQuery[],
  filter: (q: LabelledQuery) => SearchOptions,
): Promise<number[]> {
  const sums = stores.map(() => 0);
  let counted = 0;
  for (const q of queries) {
    const options = { limit: 10, ...filter(q) };
    const exact = await stores[0]!.exactSearch(q.query, options);
    if (exact.length === 0) continue;
    const bar = exact[exact.length - 1]!.score - 1e-6;
    for (const [i, store] of stores.entries()) {
      const ann = await store.vectorSearch(q.query, options);
      sums[i]! += Math.min(exact.length, ann.filter((c: Citation) => c.score >= bar).length) / exact.length;
    }
    counted++;
  }
  return sums.map((sum) => Number((sum / Math.max(1, counted)).toFixed(3)));
}

const round = (n: number): number => Number(n.toFixed(1));

async function explain(db: Db, store: KnowledgeStoreAdmin, q: LabelledQuery, options: SearchOptions): Promise<string> {
  const { sql, params } = await store.hybridStatement(q.query, options);
  // The same transaction-local settings a real hybrid search runs with (search.ts).
  const client = await db.pool.connect();
  try {
    await client.query(
      `begin; set local hnsw.ef_search = ${hybridEfSearchFor(Math.max(40, (options.limit ?? 10) * 4), DEFAULT_HYBRID_EF_SEARCH)}; set local hnsw.iterative_scan = relaxed_order; set local enable_seqscan = off`,
    );
    const { rows } = await client.query<{ 'QUERY PLAN': string }>(`explain (analyze, buffers) ${sql}`, params);
    return rows.map((r) => r['QUERY PLAN']).join('\n');
  } finally {
    await client.query('rollback').catch(() => undefined);
    client.release();
  }
}

async function measure(
  built: Built,
  base: ReturnType<typeof labelledCorpus>,
  label: string,
): Promise<Record<string, number | string>> {
  const { db, store } = built;
  const queries = sample(base.queries, envInt('BENCH_KNOWLEDGE_QUERIES', 100));
  const recallQueries = sample(base.queries, envInt('BENCH_KNOWLEDGE_RECALL_QUERIES', 50));
  const yearAgo = new Date(Date.parse(base.company.now) - 365 * 86_400_000).toISOString().slice(0, 10);
  const filters: Record<string, (q: LabelledQuery) => SearchOptions> = {
    unfiltered: () => ({}),
    'by type': (q) => ({ exceptionType: q.exceptionType as SearchOptions['exceptionType'] }),
    'by supplier': (q) => ({ supplierId: q.supplierId }),
    'by date': () => ({ decidedFrom: yearAgo }),
  };
  const f: Record<string, number | string> = { [`knowledge ${label} chunks`]: built.chunks };
  f[`knowledge ${label} bulk load + index build s${built.cached ? ' (cached)' : ''}`] = built.loadSeconds;
  f[`knowledge ${label} build phases, wall/CPU s`] = built.phases;
  // Warm-up: one pass over the queries, so the timed passes see the steady state of a running
  // server (pages in memory, plans, session settings), not the first reads after opening the files.
  for (const q of queries) await store.search(q.query, { limit: 10 });
  for (const [name, filter] of Object.entries(filters)) {
    const cpu: number[] = [];
    const times = await latencies((q) => store.search(q.query, { limit: 10, ...filter(q) }), queries, cpu);
    const suffix = name === 'unfiltered' ? '' : ` (${name})`;
    f[`knowledge ${label} hybrid search p50 ms${suffix}`] = round(percentile(times, 50));
    f[`knowledge ${label} hybrid search p95 ms${suffix}`] = round(percentile(times, 95));
    f[`knowledge ${label} hybrid search CPU p50 / p95 ms${suffix}`] =
      `${round(percentile(cpu, 50))} / ${round(percentile(cpu, 95))}`;
  }
  const ann = await latencies((q) => store.vectorSearch(q.query, { limit: 10 }), queries);
  const text = await latencies((q) => store.textSearch(q.query, { limit: 10 }), queries);
  f[`knowledge ${label} HNSW-only search p95 ms`] = round(percentile(ann, 95));
  f[`knowledge ${label} full-text-only search p95 ms`] = round(percentile(text, 95));
  const efs = [...new Set([200, DEFAULT_EF_SEARCH, 800])].sort((a, b) => a - b);
  const stores = [
    store,
    ...(await Promise.all(
      efs
        .filter((ef) => ef !== DEFAULT_EF_SEARCH)
        .map((efSearch) => createKnowledgeStore({ db, embedder: store.embedder, efSearch, searchCache: false })),
    )),
  ];
  const storeEfs = [DEFAULT_EF_SEARCH, ...efs.filter((ef) => ef !== DEFAULT_EF_SEARCH)];
  for (const [name, filter] of Object.entries(filters).filter(([n]) => n !== 'by date')) {
    const recalls = await recallAt10(stores, recallQueries, filter);
    const what = name === 'unfiltered' ? 'vs exact' : `vs exact filtered ${name}`;
    for (const [i, ef] of storeEfs.entries()) {
      if (name !== 'unfiltered' && ef !== DEFAULT_EF_SEARCH) continue;
      f[`knowledge ${label} HNSW recall@10 ${what} (ef_search ${ef}${ef === DEFAULT_EF_SEARCH ? ', default' : ''})`] =
        recalls[i]!;
    }
  }
  for (const [mode, search] of [
    ['vector-only', store.vectorSearch],
    ['full-text-only', store.textSearch],
    ['hybrid', store.search],
  ] as const) {
    const quality = await measureQuality(search, queries);
    f[`knowledge ${label} ${mode} hit@5`] = quality.hitAt5;
    f[`knowledge ${label} ${mode} MRR`] = quality.mrr;
  }
  // The hybrid's vector side at three candidate lists, the default among them, measured after the
  // passes above so every one runs on warm pages: latency against ranking quality.
  for (const hybridEfSearch of [40, DEFAULT_HYBRID_EF_SEARCH, 100, 500]) {
    const alt = await createKnowledgeStore({ db, embedder: store.embedder, hybridEfSearch, searchCache: false });
    const cpu: number[] = [];
    const times = await latencies((q) => alt.search(q.query, { limit: 10 }), queries, cpu);
    const quality = await measureQuality(alt.search, queries);
    const name = `hybrid (vector side ef_search ${hybridEfSearch}${hybridEfSearch === DEFAULT_HYBRID_EF_SEARCH ? ', default' : ''}, warm)`;
    f[`knowledge ${label} ${name} p50 / p95 ms, CPU p50 / p95`] =
      `${round(percentile(times, 50))} / ${round(percentile(times, 95))}, ${round(percentile(cpu, 50))} / ${round(percentile(cpu, 95))}`;
    f[`knowledge ${label} ${name} hit@5 / MRR`] = `${quality.hitAt5} / ${quality.mrr}`;
  }
  // Growth: a resolution written is searchable at once, through the live index (no rebuild).
  // A fresh invoice id and token per run, and no probe left behind: earlier probes differ only in
  // their number, so one could tie with the new one in the fused ranking and win on its older id.
  const dropProbes = () =>
    db.query(
      `delete from knowledge_documents where id in (select document_id from knowledge_chunks where text like '%Bench probe: the same bill%')`,
    );
  await dropProbes();
  const probe = 90_000_000 + (Date.now() % 9_000_000);
  const started = performance.now();
  await store.recordResolution({
    invoiceId: probe,
    exceptionType: 'duplicate',
    decision: 'hold',
    decidedBy: 'bench',
    source: 'human',
    supplierId: 1,
    summary: `Bench probe: the same bill resubmitted as ZX-PROBE-${probe}, held and voided per AP-DUP-1.1.`,
  });
  const [found] = await store.search(`ZX-PROBE-${probe} resubmitted bill`, { limit: 1 });
  f[`knowledge ${label} write → searchable ms`] =
    found?.document === `resolution/invoice-${probe}/human` ? round(performance.now() - started) : 'not found';
  await dropProbes();
  if (process.env.BENCH_KNOWLEDGE_EXPLAIN) {
    const q = queries[0]!;
    const plans = [
      `-- ${label} hybrid, unfiltered: ${q.query}\n${await explain(db, store, q, { limit: 10 })}`,
      `-- ${label} hybrid, by type ${q.exceptionType}\n${await explain(db, store, q, { limit: 10, exceptionType: q.exceptionType as SearchOptions['exceptionType'] })}`,
      `-- ${label} hybrid, by supplier ${q.supplierId}\n${await explain(db, store, q, { limit: 10, supplierId: q.supplierId })}`,
    ].join('\n\n');
    const file = join(tmpdir(), `settle-bench-knowledge-plans-${label}.txt`);
    writeFileSync(file, plans);
    f[`knowledge ${label} query plans`] = file;
  }
  return f;
}

/** Run the knowledge benchmark; returns labelled figures, printed as they come. */
export async function benchKnowledge(
  sizes: number[] = [50_000, 500_000],
  print = true,
): Promise<Record<string, string | number>> {
  const embedder = await createEmbedder(loadConfig());
  const base = labelledCorpus(SEED, COMPANY_INVOICES);
  const figures: Record<string, string | number> = {
    'knowledge embedder': `${embedder.model} (${embedder.dimensions} dims)`,
    'knowledge labelled queries': base.queries.length,
  };
  for (const size of [...sizes].sort((a, b) => a - b)) {
    const built = await buildCorpus(size, embedder, base);
    try {
      const label = `${Math.round(size / 1000)}k`;
      const f = process.env.BENCH_KNOWLEDGE_BUILD_ONLY
        ? {
            [`knowledge ${label} chunks`]: built.chunks,
            [`knowledge ${label} bulk load + index build s`]: built.loadSeconds,
            [`knowledge ${label} build phases, wall/CPU s`]: built.phases,
          }
        : await measure(built, base, label);
      if (print) for (const [label, value] of Object.entries(f)) console.log(`${label.padEnd(64)} ${value}`);
      Object.assign(figures, f);
    } finally {
      await built.db.close();
    }
  }
  return figures;
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const sizes = process.env.BENCH_KNOWLEDGE_SIZES?.split(',')
    .map(Number)
    .filter((n) => Number.isInteger(n) && n > 0);
  console.log(`knowledge embedder and corpus: ${COMPANY_INVOICES}-invoice company, seed ${SEED}`);
  await benchKnowledge(sizes && sizes.length > 0 ? sizes : undefined);
}
