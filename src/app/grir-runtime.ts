/**
 * What `settle grir` and the GR/IR bench need: the database (migrated) and a record source on the
 * configured Coupa tenant — or, without one, the embedded simulator serving the sample company with
 * its GR/IR book (said on stderr). `source` names the tenant the stored book belongs to.
 */
import { randomBytes } from 'node:crypto';
import type { Config } from '../config.js';
import { createCoupaClient } from '../coupa/index.js';
import { createRecordSource, type RecordSource } from '../coupa/record-source.js';
import { openDb, type Db } from '../db/connection.js';
import { createEmbedder } from '../knowledge/index.js';
import { seedFromPreparedStore } from './prepared-store.js';
import { migrate } from '../db/migrate.js';
import type { CoupaDataset } from '../sim/dataset.js';
import type { GrirBook, GrirLabel } from '../sim/generator/grir-book.js';
import type { SimulatorHandle } from '../sim/types.js';
import { ALL_SCOPES } from '../sim/types.js';
import { loadSampleCompany } from './company-cache.js';
import { SAMPLE_GRIR_SOURCE, grirSourceOf } from '../grir/source.js';

/**
 * PGlite's shared_buffers for a GR/IR run: the book is written once and read back in one pass, so
 * a large buffer pool buys no speed and costs its size in resident memory (the default is 128MB).
 */
export const GRIR_SHARED_BUFFERS = '32MB';

/** PO lines in the sample company's GR/IR book. */
export const SAMPLE_GRIR_PO_LINES = 4000;

/**
 * The sample company's dataset with its GR/IR book appended: what every embedded simulator serves
 * (`start`, `serve`, `settle grir`), so a book read by one command names POs the others can comment on.
 */
export async function withSampleGrirBook(
  dataset: CoupaDataset,
  now: string,
  seed = 7,
): Promise<{ dataset: CoupaDataset; book: GrirBook }> {
  const { generateGrirBook, withGrirBook } = await import('../sim/generator/grir-book.js');
  const book = generateGrirBook({ seed, poLines: SAMPLE_GRIR_PO_LINES, now });
  return { dataset: withGrirBook(dataset, book), book };
}

export interface GrirRuntime {
  db: Db;
  records: RecordSource;
  source: string;
  /** The tenant's clock. */
  now(): Date;
  sim?: SimulatorHandle;
  /** The book's ground truth, on the embedded default. */
  labels?: GrirLabel[];
  close(): Promise<void>;
}

export async function openGrirRuntime(
  config: Config,
  say: (line: string) => void = (l) => void process.stderr.write(`settle: ${l}\n`),
): Promise<GrirRuntime> {
  const embedder = await createEmbedder(config);
  // A new data folder starts from the build's prepared store, as every other command's does: initdb
  // in WebAssembly is slow and its peak memory is larger than a whole GR/IR run's.
  const db = await openDb({
    databaseUrl: config.databaseUrl,
    dataDir: config.dataDir,
    seed: (location) => seedFromPreparedStore(location, embedder.model),
    sharedBuffers: GRIR_SHARED_BUFFERS,
  });
  try {
    await migrate(db);
    if (config.coupa) {
      const coupa = createCoupaClient({
        baseUrl: config.coupa.baseUrl,
        clientId: config.coupa.clientId,
        clientSecret: config.coupa.clientSecret,
        ...(config.coupa.scopes ? { scopes: config.coupa.scopes.split(/\s+/) } : {}),
        ratePerSecond: config.coupaRatePerSecond,
        burst: config.coupaBurst,
        timeoutMs: config.coupaTimeoutMs,
      });
      return {
        db,
        records: createRecordSource(coupa),
        source: grirSourceOf(config),
        now: () => new Date(),
        close: () => db.close(),
      };
    }
    const company = await loadSampleCompany({ seed: 7, invoices: 2000, dataDir: config.dataDir });
    const { dataset, book } = await withSampleGrirBook(company.dataset, company.now);
    const { startSimulator } = await import('../sim/server.js');
    const client = {
      clientId: 'settle-grir',
      clientSecret: randomBytes(18).toString('base64url'),
      scopes: [...ALL_SCOPES],
    };
    const sim = await startSimulator({
      dataset,
      now: company.now,
      rateLimit: false,
      clients: [client],
    });
    say(
      `no Coupa configured (COUPA_BASE_URL): using the embedded simulator with the sample company and its GR/IR book (${book.summary.poLines} PO lines) at ${sim.url}`,
    );
    const coupa = createCoupaClient({
      baseUrl: sim.url,
      clientId: client.clientId,
      clientSecret: client.clientSecret,
      limiter: false,
    });
    return {
      db,
      sim,
      labels: book.labels,
      records: createRecordSource(coupa),
      source: SAMPLE_GRIR_SOURCE,
      now: () => new Date(sim.now()),
      close: async () => {
        await sim.close();
        await db.close();
      },
    };
  } catch (error) {
    await db.close().catch(() => undefined);
    throw error;
  }
}
