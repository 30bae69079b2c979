/**
 * The hand-written GR/IR eval cases (evals/grir/*.json): each served by a fresh simulator over
 * HTTP, read into PGlite and reconciled; root cause and action scored per PO line, adjustments by
 * their total. Accuracy per cause must reach 0.95 (these are small: every case must pass).
 */
import { readdirSync, readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCoupaClient } from '../src/coupa/index.js';
import { createRecordSource } from '../src/coupa/record-source.js';
import { openDb, type Db } from '../src/db/connection.js';
import { migrate } from '../src/db/migrate.js';
import { adjustToPoValue } from '../src/domain/grir/adjustment.js';
import { runGrir } from '../src/grir/run.js';
import { emptyDataset, type CoupaDataset } from '../src/sim/dataset.js';
import { startSimulator } from '../src/sim/server.js';
import type { GrirCase } from '../evals/grir-cases.js';

const DIR = new URL('../evals/grir/', import.meta.url);
const cases = readdirSync(DIR)
  .filter((f) => f.endsWith('.json'))
  .map((f) => JSON.parse(readFileSync(new URL(f, DIR), 'utf8')) as GrirCase);
let db: Db;

beforeAll(async () => {
  db = await openDb({ dataDir: 'memory://' });
  await migrate(db);
});
afterAll(async () => db?.close());

async function served<T>(
  c: GrirCase,
  work: (records: ReturnType<typeof createRecordSource>, now: string) => Promise<T>,
): Promise<T> {
  const sim = await startSimulator({
    dataset: { ...emptyDataset(), ...c.coupa } as CoupaDataset,
    now: c.now,
    rateLimit: false,
  });
  try {
    const coupa = createCoupaClient({
      baseUrl: sim.url,
      clientId: sim.credentials.clientId,
      clientSecret: sim.credentials.clientSecret,
      limiter: false,
    });
    return await work(createRecordSource(coupa), sim.now());
  } finally {
    await sim.close();
  }
}

describe('GR/IR eval cases', () => {
  expect(cases.length).toBeGreaterThanOrEqual(15);
  for (const c of cases) {
    it(`${c.id}: ${c.title}`, async () => {
      await served(c, async (records, now) => {
        if (c.expected.adjustment) {
          const invoice = (await records.invoice(c.expected.adjustment.invoice_id))!;
          const orders = await records.purchaseOrdersForOrderLines(invoice.invoiceLines.map((l) => l.orderLineId!));
          expect(adjustToPoValue(invoice, orders).total).toBe(c.expected.adjustment.total);
          return;
        }
        const result = await runGrir({ db, records, source: c.id, now: new Date(now), asOf: c.now.slice(0, 10) });
        const byLine = new Map(result.items.map((i) => [i.poLineId, i]));
        for (const e of c.expected.grir ?? []) {
          const item = byLine.get(e.po_line_id);
          expect(item, `line ${e.po_line_id} open`).toBeDefined();
          expect({ cause: item!.cause, action: item!.action.kind }, item!.evidence.join(' | ')).toEqual({
            cause: e.cause,
            action: e.action,
          });
        }
        for (const id of c.expected.clears ?? []) expect(byLine.has(id), `line ${id} clears`).toBe(false);
      });
    });
  }
});
