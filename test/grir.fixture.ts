/**
 * The GR/IR tests' tenant: a small sample company with a GR/IR book appended, served by the
 * simulator over HTTP, read by Settle's Coupa client into PGlite.
 */
import { createCoupaClient } from '../src/coupa/index.js';
import { createRecordSource, type RecordSource } from '../src/coupa/record-source.js';
import { openDb, type Db } from '../src/db/connection.js';
import { migrate } from '../src/db/migrate.js';
import { generateCompany } from '../src/sim/generator/index.js';
import { generateGrirBook, withGrirBook, type GrirBook } from '../src/sim/generator/grir-book.js';
import { startSimulator } from '../src/sim/server.js';
import type { SimulatorHandle } from '../src/sim/types.js';

export interface GrirTenant {
  sim: SimulatorHandle;
  db: Db;
  records: RecordSource;
  book: GrirBook;
  now: string;
  close(): Promise<void>;
}

export async function openGrirTenant(options: { invoices?: number; poLines?: number } = {}): Promise<GrirTenant> {
  const company = generateCompany({ seed: 7, invoices: options.invoices ?? 300 });
  const book = generateGrirBook({ seed: 7, poLines: options.poLines ?? 1500, now: company.now });
  const sim = await startSimulator({
    dataset: withGrirBook(company.dataset, book),
    now: company.now,
    rateLimit: false,
  });
  const db = await openDb({ dataDir: 'memory://' });
  await migrate(db);
  const coupa = createCoupaClient({
    baseUrl: sim.url,
    clientId: sim.credentials.clientId,
    clientSecret: sim.credentials.clientSecret,
    limiter: false,
  });
  return {
    sim,
    db,
    book,
    now: company.now,
    records: createRecordSource(coupa),
    close: async () => {
      await db.close();
      await sim.close();
    },
  };
}
