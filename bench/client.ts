/**
 * Client throughput against the simulator over loopback: GETs per second sequential and with 20
 * in flight, plus paging through the whole collection. The simulator's rate limit and the
 * client's limiter are both off, so this measures the client + HTTP stack, not Coupa's budget.
 *
 *   npx tsx bench/client.ts
 */
import { pathToFileURL } from 'node:url';
import { createCoupaClient, type CoupaClient } from '../src/coupa/index.js';
import { emptyDataset, type WireRecord } from '../src/sim/dataset.js';
import { startSimulator } from '../src/sim/server.js';

const INVOICES = 3000;
const SEQUENTIAL_GETS = 1500;
const CONCURRENT_GETS = 6000;
const CONCURRENCY = 20;

/** A plausible two-line invoice in wire form (hyphenated keys, money as strings). */
function wireInvoice(id: number): WireRecord {
  const price = (100 + (id % 400)).toFixed(2);
  return {
    id,
    'invoice-number': `BENCH-${id}`,
    'invoice-date': '2026-02-01',
    status: id % 10 === 0 ? 'ap_hold' : 'approved',
    currency: { code: 'USD' },
    supplier: { id: 1 + (id % 50), name: `Supplier ${1 + (id % 50)}` },
    'line-level-taxation': false,
    'tax-amount': '0.00',
    'gross-total': (Number(price) * 3).toFixed(2),
    'failed-tolerances': [],
    'invoice-lines': [1, 2].map((n) => ({
      id: id * 10 + n,
      'line-num': n,
      type: 'InvoiceQuantityLine',
      description: `Item ${n}`,
      quantity: n === 1 ? '1.0' : '2.0',
      price,
      total: (Number(price) * n).toFixed(2),
      'order-line-id': id * 10 + n,
      'failed-tolerances': [],
    })),
  };
}

async function timeGets(client: CoupaClient, total: number, concurrency: number): Promise<number> {
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < total) {
      const n = next++;
      await client.getInvoice(1 + ((n * 7919) % INVOICES));
    }
  };
  const start = performance.now();
  await Promise.all(Array.from({ length: concurrency }, worker));
  return total / ((performance.now() - start) / 1000);
}

/** Run the client benchmark; returns labelled figures. */
export async function benchClient(): Promise<Record<string, string | number>> {
  const dataset = emptyDataset();
  dataset.invoices = Array.from({ length: INVOICES }, (_, i) => wireInvoice(i + 1));
  const sim = await startSimulator({ dataset, rateLimit: false });
  try {
    const client = createCoupaClient({
      baseUrl: sim.url,
      clientId: sim.credentials.clientId,
      clientSecret: sim.credentials.clientSecret,
      limiter: false,
    });
    await client.getInvoice(1); // mint the token and open the connection outside the timings
    const sequential = await timeGets(client, SEQUENTIAL_GETS, 1);
    const concurrent = await timeGets(client, CONCURRENT_GETS, CONCURRENCY);
    const pageStart = performance.now();
    let listed = 0;
    for await (const _ of client.listInvoices()) listed++;
    const pagedPerSecond = listed / ((performance.now() - pageStart) / 1000);
    return {
      'client GET/s sequential': Math.round(sequential),
      [`client GET/s ${CONCURRENCY} concurrent`]: Math.round(concurrent),
      'client paged records/s (limit 50)': Math.round(pagedPerSecond),
      'client bench invoices': listed,
      'client HTTP calls': client.stats().total,
    };
  } finally {
    await sim.close();
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const figures = await benchClient();
  for (const [label, value] of Object.entries(figures)) console.log(`${label.padEnd(36)} ${value}`);
}
