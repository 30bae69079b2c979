/**
 * Simulator query speed at scale: loads N invoices (default 100k), then times typical list
 * queries over loopback with plain fetch — default order, deep offsets, indexed filters
 * (status, supplier, invoice number, PO line), an unindexed range scan and a full sort.
 *
 *   npx tsx bench/sim.ts [invoices]
 */
import { emptyDataset, type WireRecord } from '../src/sim/dataset.js';
import { startSimulator } from '../src/sim/server.js';

const COUNT = Number(process.argv[2] ?? 100_000);
const REPEAT = 20;

function wireInvoice(id: number): WireRecord {
  const price = (100 + (id % 400)).toFixed(2);
  return {
    id,
    'invoice-number': `B-${id}`,
    'invoice-date': `2025-${String(1 + (id % 12)).padStart(2, '0')}-15`,
    status: id % 10 === 0 ? 'ap_hold' : 'approved',
    currency: { code: 'USD' },
    supplier: { id: 1 + (id % 50), name: `Supplier ${1 + (id % 50)}` },
    'gross-total': price,
    'failed-tolerances': [],
    'invoice-lines': [
      {
        id: id * 10 + 1,
        'line-num': 1,
        description: 'Item',
        quantity: '1.0',
        price,
        total: price,
        'order-line-id': id * 10 + 1,
        'failed-tolerances': [],
      },
    ],
  };
}

async function main(): Promise<void> {
  const dataset = emptyDataset();
  dataset.invoices = Array.from({ length: COUNT }, (_, i) => wireInvoice(i + 1));
  const heapBefore = process.memoryUsage().heapUsed;
  const loadStart = performance.now();
  const sim = await startSimulator({ dataset, rateLimit: false });
  const loadMs = performance.now() - loadStart;
  dataset.invoices = [];
  const heapMb = (process.memoryUsage().heapUsed - heapBefore) / 2 ** 20;
  console.log(
    `simulator with ${COUNT} invoices: started in ${loadMs.toFixed(0)} ms, heap +${heapMb.toFixed(0)} MB (incl. source dataset)`,
  );

  const form = new URLSearchParams({
    client_id: sim.credentials.clientId,
    client_secret: sim.credentials.clientSecret,
    grant_type: 'client_credentials',
  });
  const token = (
    (await (await fetch(`${sim.url}/oauth2/token`, { method: 'POST', body: form })).json()) as { access_token: string }
  ).access_token;
  const headers = { authorization: `Bearer ${token}`, accept: 'application/json' };
  const queries: Array<[string, string]> = [
    ['first page', '/api/invoices'],
    ['deep offset (90k)', `/api/invoices?offset=${Math.floor(COUNT * 0.9)}`],
    ['status=ap_hold (index, 10%)', '/api/invoices?status=ap_hold&offset=500'],
    ['supplier[id]=7 (index, 2%)', '/api/invoices?supplier[id]=7'],
    ['invoice-number= (index, 1 hit)', `/api/invoices?invoice-number=B-${COUNT - 3}`],
    ['invoice-lines[order-line-id]= (index)', `/api/invoices?invoice-lines[order-line-id]=${(COUNT - 5) * 10 + 1}`],
    ['gross-total[gt]=495 (scan)', '/api/invoices?gross-total[gt]=495&offset=100'],
    ['order_by=gross-total desc (sort)', '/api/invoices?order_by=gross-total&dir=desc'],
    ['get one', `/api/invoices/${COUNT - 1}`],
  ];
  for (const [label, path] of queries) {
    const times: number[] = [];
    for (let i = 0; i < REPEAT; i += 1) {
      const start = performance.now();
      const response = await fetch(`${sim.url}${path}`, { headers });
      await response.arrayBuffer();
      times.push(performance.now() - start);
    }
    times.sort((a, b) => a - b);
    console.log(`  ${label.padEnd(40)} median ${(times[REPEAT >> 1] ?? 0).toFixed(2).padStart(8)} ms`);
  }
  await sim.close();
}

await main();
