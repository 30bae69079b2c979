/**
 * Every replay case of the project, served by the real simulator in every dialect and read by the
 * real client over HTTP: each record the agent reads must come out the same as in Coupa's
 * documented shape (same values, nothing set aside), so no invoice is lost to a shape. The
 * agent's decisions are a pure function of these records; the whole-replay scores per dialect are
 * in docs/coupa-compatibility.md (`settle eval --dialect NAME`).
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCoupaClient, type CoupaClient } from '../src/coupa/index.js';
import { listItem } from '../src/coupa/scalars.js';
import {
  Approval,
  Comment,
  Contract,
  Invoice,
  PurchaseOrder,
  ReceivingTransaction,
  Supplier,
  SupplierInformation,
  User,
} from '../src/coupa/schemas.js';
import { describeReadProblem, type ReadProblem } from '../src/coupa/read-problems.js';
import type { CoupaDataset } from '../src/sim/dataset.js';
import { DIALECTS, type Dialect } from '../src/sim/dialects.js';
import { startSimulator } from '../src/sim/server.js';
import type { SimulatorHandle } from '../src/sim/types.js';
import { ReplayCase } from '../evals/case-schema.js';

const CASES = join(import.meta.dirname, '..', 'evals', 'cases');
const OUTSIDER = join(import.meta.dirname, '..', 'evals', 'outsider');
const allFiles = readdirSync(CASES)
  .filter((f) => f.endsWith('.json'))
  .sort();
/** Every case with SETTLE_ALL_DIALECT_CASES=1 (about 10 s a case); by default an even spread of 12. */
const files =
  process.env.SETTLE_ALL_DIALECT_CASES === '1'
    ? allFiles
    : allFiles.filter((_, i) => i % Math.ceil(allFiles.length / 12) === 0);
/** The outsider set (records as a tenant returns them: numbers as numbers, ids as strings, …), every case. */
const outsiderFiles = readdirSync(OUTSIDER)
  .filter((f) => f.endsWith('.json'))
  .sort();
const pathOf = (file: string): string => join(file.startsWith('outsider-') ? OUTSIDER : CASES, file);

/** Every field name the schemas declare, at any depth: other keys are kept on records but read by nothing. */
function declaredKeys(schema: unknown, into = new Set<string>(), seen = new Set<unknown>()): Set<string> {
  if (!schema || typeof schema !== 'object' || seen.has(schema)) return into;
  seen.add(schema);
  const item = listItem(schema);
  if (item) declaredKeys(item, into, seen);
  const def = (schema as { _zod?: { def?: Record<string, unknown> } })._zod?.def;
  if (!def) return into;
  if (def.type === 'object') {
    for (const [k, v] of Object.entries(def.shape as Record<string, unknown>)) {
      into.add(k);
      declaredKeys(v, into, seen);
    }
  }
  for (const k of ['in', 'out', 'innerType', 'element']) declaredKeys(def[k], into, seen);
  for (const option of (def.options as unknown[] | undefined) ?? []) declaredKeys(option, into, seen);
  return into;
}
const DECLARED = [
  Invoice,
  PurchaseOrder,
  ReceivingTransaction,
  Supplier,
  SupplierInformation,
  Contract,
  User,
  Comment,
  Approval,
].reduce((keys, schema) => declaredKeys(schema, keys), new Set<string>());

/** Keys the logic ignores: undeclared ones, and references a tenant may send by id only. */
const IGNORED = new Set(['customFields', 'readProblems']);
const ID_ONLY = new Set(['createdBy', 'updatedBy', 'accountType', 'shipToUser']);
const DATE_LIKE = /^\d{4}-\d{2}-\d{2}/;

/** What the logic sees: nulls and dialect-added keys dropped, timestamps as instants. */
function normal(value: unknown, key?: string): unknown {
  if (Array.isArray(value)) return value.map((v) => normal(v));
  if (typeof value === 'string' && DATE_LIKE.test(value) && !Number.isNaN(Date.parse(value))) return Date.parse(value);
  if (value === null || typeof value !== 'object') return value;
  // A reference carrying no id (`created-by: {id: null}`, a supplier-portal author) is no reference.
  if (key !== undefined && ID_ONLY.has(key)) {
    const id = (value as { id?: unknown }).id;
    return id == null ? undefined : { id };
  }
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) {
    if (v === null || v === undefined || IGNORED.has(k) || !DECLARED.has(k)) continue;
    out[k] = normal(v, k);
  }
  return out;
}

/** Everything Settle reads about a case's tenant, through the client. */
async function readTenant(client: CoupaClient, dataset: CoupaDataset, eventInvoice: number): Promise<unknown> {
  const collect = async <T>(items: AsyncIterable<T>): Promise<T[]> => {
    const out: T[] = [];
    for await (const item of items) out.push(item);
    return out;
  };
  // Lists cover every record; the single reads and nested routes are taken for the event's invoice.
  return {
    invoice: await client.getInvoice(eventInvoice),
    listed: await collect(client.listInvoices()),
    purchaseOrders: await collect(client.listPurchaseOrders()),
    receipts: await Promise.all(
      dataset['purchase-orders'].map((p) => collect(client.listReceipts({ purchaseOrderId: p.id }))),
    ),
    suppliers: await collect(client.listSuppliers()),
    supplierInformation: await Promise.all(dataset.suppliers.map((s) => client.getSupplierInformation(s.id))),
    contracts: await collect(client.listContracts()),
    users: await collect(client.listUsers()),
    comments: await client.listComments(eventInvoice),
    approvals: await client.listApprovals(eventInvoice),
  };
}

describe("the project's replay cases in every simulator dialect", () => {
  let sim: SimulatorHandle | undefined;
  afterAll(async () => sim?.close());

  it.each([...files, ...outsiderFiles])(
    '%s reads the same in every dialect, with nothing set aside',
    async (file) => {
      const kase = ReplayCase.parse(JSON.parse(readFileSync(pathOf(file), 'utf8')));
      await sim?.close();
      sim = await startSimulator({ dataset: kase.coupa as CoupaDataset, now: kase.now, rateLimit: false });
      const problems: ReadProblem[] = [];
      const client = createCoupaClient({
        baseUrl: sim.url,
        clientId: sim.credentials.clientId,
        clientSecret: sim.credentials.clientSecret,
        limiter: false,
        onReadProblem: (p) => problems.push(p),
      });
      const canonical = normal(await readTenant(client, kase.coupa as CoupaDataset, kase.event.resource_id));
      for (const dialect of DIALECTS) {
        sim.setDialect(dialect, [...allFiles, ...outsiderFiles].indexOf(file) + 1);
        const seen = normal(await readTenant(client, kase.coupa as CoupaDataset, kase.event.resource_id));
        expect(problems.map(describeReadProblem), `${dialect}`).toEqual([]);
        expect(seen, `${file} in dialect ${dialect}`).toEqual(canonical);
      }
    },
    120_000,
  );
});

describe('the mixed dialect, seeded (property)', () => {
  let sim: SimulatorHandle;
  let client: CoupaClient;
  const problems: ReadProblem[] = [];
  let canonical: unknown;
  const kase = ReplayCase.parse(JSON.parse(readFileSync(join(CASES, allFiles[0] as string), 'utf8')));

  beforeAll(async () => {
    sim = await startSimulator({ dataset: kase.coupa as CoupaDataset, now: kase.now, rateLimit: false });
    client = createCoupaClient({
      baseUrl: sim.url,
      clientId: sim.credentials.clientId,
      clientSecret: sim.credentials.clientSecret,
      limiter: false,
      onReadProblem: (p) => problems.push(p),
    });
    canonical = normal(await readTenant(client, kase.coupa as CoupaDataset, kase.event.resource_id));
  });
  afterAll(async () => sim.close());

  it('any seed reads the same records', async () => {
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 1, max: 1_000_000 }), async (seed) => {
        sim.setDialect('mixed' as Dialect, seed);
        const seen = normal(await readTenant(client, kase.coupa as CoupaDataset, kase.event.resource_id));
        expect(problems.map(describeReadProblem)).toEqual([]);
        expect(seen).toEqual(canonical);
      }),
      { numRuns: 15, seed: 14 },
    );
  }, 120_000);
});
