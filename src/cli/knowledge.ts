/**
 * `settle knowledge ingest | search | stats | reindex` — load the policy pack and past resolutions,
 * query them the way the agent does, see what the store holds, and rebuild the vector index after
 * changing embedding models.
 * Uses the configured database (DATABASE_URL, else PGlite under SETTLE_DATA_DIR) and embedder.
 */
import type { Command } from 'commander';
import { loadConfig } from '../config.js';
import { openDb, type Db } from '../db/connection.js';
import { migrate } from '../db/migrate.js';
import { seedFromPreparedStore } from '../app/prepared-store.js';
import { ExceptionType } from '../domain/vocabulary.js';
import { UserError } from '../errors.js';
import { createEmbedder } from '../knowledge/embedder.js';
import { createKnowledgeStore, reindexKnowledge, type KnowledgeStoreAdmin } from '../knowledge/store.js';
import { KnowledgeInputError } from '../knowledge/text.js';
import {
  KnowledgeKind,
  type Citation,
  type Embedder,
  type IngestReport,
  type KnowledgeStats,
} from '../knowledge/types.js';

async function withDb<T>(work: (db: Db, embedder: Embedder) => Promise<T>): Promise<T> {
  const config = loadConfig();
  const embedder = await createEmbedder(config);
  // A new data directory starts from the build's prepared store, the policy pack already indexed.
  const db = await openDb({
    databaseUrl: config.databaseUrl,
    dataDir: config.dataDir,
    seed: (location) => seedFromPreparedStore(location, embedder.model),
  });
  try {
    await migrate(db);
    return await work(db, embedder);
  } catch (error) {
    // Bad input files are the user's to fix: one line, no stack.
    if (error instanceof KnowledgeInputError) throw new UserError(error.message);
    throw error;
  } finally {
    await db.close();
  }
}

const withStore = <T>(work: (store: KnowledgeStoreAdmin) => Promise<T>): Promise<T> =>
  withDb(async (db, embedder) => work(await createKnowledgeStore({ db, embedder })));

function choice<T extends string>(flag: string, options: readonly T[]): (value: string) => T {
  return (value) => {
    if (!(options as readonly string[]).includes(value))
      throw new UserError(`${flag} must be one of ${options.join(', ')}, got "${value}"`);
    return value as T;
  };
}

function limit(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1 || n > 100)
    throw new UserError(`--limit must be a whole number from 1 to 100, got "${value}"`);
  return n;
}

function day(flag: string): (value: string) => string {
  return (value) => {
    const ms = Date.parse(`${value}T00:00:00Z`);
    if (
      !/^\d{4}-\d{2}-\d{2}$/.test(value) ||
      !Number.isFinite(ms) ||
      new Date(ms).toISOString().slice(0, 10) !== value
    ) {
      throw new UserError(`${flag} must be a date like 2026-03-31, got "${value}"`);
    }
    return value;
  };
}

/** 1536 → `1.5 KB`. */
function bytes(n: number): string {
  const units = ['B', 'KB', 'MB', 'GB'];
  let value = n;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return `${unit === 0 ? value : value.toFixed(1)} ${units[unit]}`;
}

/** The `settle knowledge stats` report, one fact per line. */
export function formatStats(s: KnowledgeStats): string {
  const kinds = (counts: Record<string, number>): string =>
    Object.entries(counts)
      .map(([k, n]) => `${k} ${n}`)
      .join(', ');
  const when = (d: Date | null): string => (d ? d.toISOString() : 'never');
  return [
    `embedder:        ${s.model} (${s.dimensions} dimensions)`,
    `documents:       ${Object.values(s.documents).reduce((a, b) => a + b, 0)} (${kinds(s.documents)})`,
    `chunks:          ${s.chunks} (${kinds(s.chunksByKind)})`,
    `vector index:    ${bytes(s.bytes.hnsw)} (HNSW, cosine)`,
    `full-text index: ${bytes(s.bytes.fullText)} (GIN)`,
    `chunk table:     ${bytes(s.bytes.table)}`,
    `last reindex:    ${when(s.reindexedAt)}`,
    `statistics:      ${s.analyzedAt ? `gathered ${when(s.analyzedAt)}` : 'not gathered yet (run a bulk ingest or ANALYZE knowledge_chunks)'}`,
  ].join('\n');
}

/** `documents: 11 added, …; chunks: …` */
export function formatReport(report: IngestReport): string {
  const part = (name: string, c: IngestReport['chunks']): string =>
    `${name}: ${c.added} added, ${c.updated} updated, ${c.unchanged} unchanged, ${c.removed} removed`;
  return `${part('documents', report.documents)}; ${part('chunks', report.chunks)}`;
}

/** One ranked hit with its citation and the start of the text. */
export function formatCitation(c: Citation, rank: number): string {
  const where = c.sectionId ? `${c.sectionId} ${c.title}` : c.title;
  const snippet = c.text.replace(/\s+/g, ' ').slice(0, 240);
  return `${rank}. [${c.kind}] ${where} — ${c.document} (score ${c.score.toFixed(4)})\n   ${snippet}${c.text.length > 240 ? '…' : ''}`;
}

/** Register `settle knowledge …`. */
export function registerKnowledgeCommand(program: Command): void {
  const knowledge = program
    .command('knowledge')
    .description('Policy pack and past resolutions: ingest, search with citations, re-index');

  knowledge
    .command('ingest')
    .description(
      'Ingest Markdown policies (*.md) and past resolutions (*.jsonl) under a folder; unchanged sections are skipped',
    )
    .argument('[dir]', 'knowledge folder', './knowledge')
    .action(async (dir: string) => {
      const started = performance.now();
      const report = await withStore((store) => store.ingestDirectory(dir));
      console.log(`${formatReport(report)} (${Math.round(performance.now() - started)} ms)`);
    });

  knowledge
    .command('search')
    .description('Hybrid search (vector + full text) printing ranked results with citations')
    .argument('<query>', 'what to look for, in plain words')
    .option(
      '--kind <kind>',
      `document kind: ${KnowledgeKind.options.join(', ')}`,
      choice('--kind', KnowledgeKind.options),
    )
    .option(
      '--type <exception_type>',
      'exception type of past resolutions, e.g. price_variance',
      choice('--type', ExceptionType.options),
    )
    .option('--supplier <id>', 'supplier id of past resolutions')
    .option('--since <date>', 'only past resolutions decided on or after this day (YYYY-MM-DD)', day('--since'))
    .option('--until <date>', 'only past resolutions decided on or before this day (YYYY-MM-DD)', day('--until'))
    .option('--limit <n>', 'how many results (1-100)', limit, 5)
    .option('--json', 'print the citations as JSON')
    .action(
      async (
        query: string,
        opts: {
          kind?: KnowledgeKind;
          type?: ExceptionType;
          supplier?: string;
          since?: string;
          until?: string;
          limit: number;
          json?: boolean;
        },
      ) => {
        if (query.trim() === '') throw new UserError('the search query is empty');
        if (opts.since && opts.until && opts.since > opts.until)
          throw new UserError(`--since ${opts.since} is after --until ${opts.until}`);
        const hits = await withStore((store) =>
          store.search(query, {
            kind: opts.kind,
            exceptionType: opts.type,
            supplierId: opts.supplier,
            decidedFrom: opts.since,
            decidedTo: opts.until,
            limit: opts.limit,
          }),
        );
        if (opts.json) console.log(JSON.stringify(hits, null, 2));
        else if (hits.length === 0) console.log('no results (run `settle knowledge ingest` first?)');
        else console.log(hits.map((h, i) => formatCitation(h, i + 1)).join('\n'));
      },
    );

  knowledge
    .command('stats')
    .description('What the store holds: documents and chunks by kind, index sizes, last reindex')
    .option('--json', 'print the figures as JSON')
    .action(async (opts: { json?: boolean }) => {
      const stats = await withStore((store) => store.stats());
      console.log(opts.json ? JSON.stringify(stats, null, 2) : formatStats(stats));
    });

  knowledge
    .command('reindex')
    .description('Re-embed every stored chunk with the configured embedder (after changing SETTLE_EMBEDDING_MODEL)')
    .action(async () => {
      const result = await withDb((db, embedder) =>
        reindexKnowledge({ db, embedder }).then((r) => ({
          ...r,
          model: `${embedder.model} (${embedder.dimensions} dimensions)`,
        })),
      );
      console.log(
        `re-indexed ${result.chunks} chunks with ${result.model}${result.previous ? `, replacing ${result.previous}` : ''}`,
      );
    });
}
