/**
 * A hand-built wire-format tenant for the simulator's own tests, plus thin HTTP helpers that talk
 * to a running simulator over loopback with plain `fetch` (no Settle client in between).
 */
import { emptyDataset, type CoupaDataset, type WireRecord } from '../src/sim/dataset.js';
import { startSimulator } from '../src/sim/server.js';
import type { SimulatorHandle, SimulatorOptions } from '../src/sim/types.js';

type Rec = Record<string, unknown>;

export function invoice(id: number, status: string, extra: Rec = {}): WireRecord {
  return {
    id,
    'invoice-number': `INV-${id}`,
    'invoice-date': '2026-02-10T00:00:00-08:00',
    status,
    'created-at': '2026-02-10T09:00:00Z',
    'updated-at': '2026-02-10T09:00:00Z',
    currency: { code: 'USD' },
    supplier: { id: 10, name: 'CDW' },
    'gross-total': '100.00',
    'total-with-taxes': '100.00',
    'failed-tolerances': [],
    approvals: [],
    attachments: [],
    'dispute-reasons': [],
    'invoice-lines': [
      {
        id: id * 10 + 1,
        'line-num': 1,
        description: 'Widget',
        quantity: '1.0',
        price: '100.00',
        total: '100.00',
        'failed-tolerances': [],
      },
    ],
    ...extra,
  };
}

/** Invoice 5001 in ap_hold with one header and one line failed tolerance, both unresolved. */
export function heldInvoice(): WireRecord {
  return invoice(5001, 'ap_hold', {
    'tolerance-failures': 'Price over tolerance on line 1',
    'failed-tolerances': [{ id: 901, code: 'total_amount', resolved: false, 'resolution-strategy': null }],
    'invoice-lines': [
      {
        id: 50011,
        'line-num': 1,
        description: 'Laptop',
        quantity: '2.0',
        price: '525.00',
        total: '1050.00',
        'order-line-id': 3001,
        'failed-tolerances': [{ id: 902, code: 'line_price_percent', resolved: false }],
      },
    ],
  });
}

/** Small company: 3 users, 3 suppliers, 2 POs, receipts, a dozen invoices of varied shape. */
export function sampleDataset(): CoupaDataset {
  const d = emptyDataset();
  d.users = [
    { id: 1, login: 'ap.review', email: 'ap@example.com', firstname: 'Ana', lastname: 'Reyes', active: true },
    { id: 2, login: 'jlee', email: 'jlee@example.com', firstname: 'Jo', lastname: 'Lee', active: true },
    { id: 3, login: 'settle.bot', email: 'bot@example.com', firstname: 'Settle', lastname: 'Bot', active: true },
  ];
  d.suppliers = [
    { id: 10, name: 'CDW', number: 'S-10', status: 'active', 'on-hold': false, 'created-at': '2019-01-01T00:00:00Z' },
    {
      id: 11,
      name: 'Insight',
      number: 'S-11',
      status: 'active',
      'on-hold': true,
      'created-at': '2025-12-01T00:00:00Z',
    },
    {
      id: 12,
      name: 'Acme GmbH',
      number: null,
      status: 'active',
      'tax-id': 'DE123456789',
      'created-at': '2026-02-01T00:00:00Z',
    },
  ];
  d['supplier-information'] = [
    {
      id: 100,
      supplier: { id: 10 },
      name: 'CDW',
      'supplier-information-addresses': [{ id: 1001, 'bank-account-number': '123' }],
    },
    { id: 101, 'supplier-id': 11, name: 'Insight' },
  ];
  d.contracts = [
    { id: 200, name: 'Laptops', supplier: { id: 10 }, 'price-terms': [{ 'source-part-num': 'LT-1', price: '500.00' }] },
  ];
  d['purchase-orders'] = [
    {
      id: 300,
      'po-number': 'PO-300',
      status: 'issued',
      supplier: { id: 10, name: 'CDW' },
      'order-lines': [
        {
          id: 3001,
          'line-num': 1,
          description: 'Laptop',
          quantity: '2.0',
          price: '500.00',
          received: '2.0',
          'match-type': '3-way',
        },
        {
          id: 3002,
          'line-num': 2,
          description: 'Dock',
          quantity: '2.0',
          price: '90.00',
          received: '0.0',
          'match-type': '3-way',
        },
      ],
    },
    {
      id: 301,
      'po-number': 'PO-301',
      status: 'closed',
      supplier: { id: 11, name: 'Insight' },
      'order-lines': [
        {
          id: 3011,
          'line-num': 1,
          description: 'Licence',
          price: '1200.00',
          'match-type': '2-way',
          'order-header-id': 301,
        },
      ],
    },
  ];
  d['receiving-transactions'] = [
    {
      id: 400,
      type: 'InventoryReceipt',
      quantity: '2.0',
      'transaction-date': '2026-02-05T10:00:00Z',
      'order-line': { id: 3001, 'order-header-id': 300 },
    },
  ];
  d.invoices = [
    heldInvoice(),
    invoice(5002, 'pending_receipt', {
      supplier: { id: 11, name: 'Insight' },
      'gross-total': '90.00',
      'invoice-date': '2026-01-15T00:00:00-08:00',
    }),
    invoice(5003, 'pending_approval', { 'gross-total': '1000.5', 'internal-note': 'Rush order', 'po-email': '' }),
    invoice(5004, 'approved', { paid: true, 'gross-total': '99.99', 'invoice-date': '2025-11-30T00:00:00-08:00' }),
    invoice(5005, 'voided', { supplier: { id: 12, name: 'Acme GmbH' }, 'gross-total': '12.00' }),
    invoice(5006, 'disputed', { 'invoice-number': 'ACME-2026-001', 'gross-total': '250.00' }),
    invoice(5007, 'draft', { 'invoice-number': 'draft-7', 'gross-total': '9.00' }),
  ];
  d.comments = [
    {
      'commentable-type': 'InvoiceHeader',
      'commentable-id': 5001,
      comments: 'Called the supplier',
      'to-supplier': false,
    },
  ];
  return d;
}

export interface TestSim {
  sim: SimulatorHandle;
  token: string;
  /** Authorised JSON request; returns status, headers and parsed JSON (or text). */
  api(method: string, path: string, body?: unknown, headers?: Record<string, string>): Promise<ApiResponse>;
}

export interface ApiResponse {
  status: number;
  headers: Headers;
  /** Parsed JSON. Test-only `any`: assertions index freely into Coupa's loosely shaped records. */
  body: any;
}

export async function requestToken(sim: SimulatorHandle, scope?: string): Promise<ApiResponse> {
  const form = new URLSearchParams({
    client_id: sim.credentials.clientId,
    client_secret: sim.credentials.clientSecret,
    grant_type: 'client_credentials',
  });
  if (scope !== undefined) form.set('scope', scope);
  const response = await fetch(`${sim.url}/oauth2/token`, { method: 'POST', body: form });
  return { status: response.status, headers: response.headers, body: await response.json() };
}

export async function call(
  sim: SimulatorHandle,
  token: string | undefined,
  method: string,
  path: string,
  body?: unknown,
  headers: Record<string, string> = {},
): Promise<ApiResponse> {
  const init: RequestInit = {
    method,
    headers: { accept: 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}), ...headers },
  };
  if (body !== undefined) {
    init.body = typeof body === 'string' ? body : JSON.stringify(body);
    (init.headers as Record<string, string>)['content-type'] ??= 'application/json';
  }
  const response = await fetch(`${sim.url}${path}`, init);
  const text = await response.text();
  let parsed: unknown = text;
  try {
    parsed = text === '' ? undefined : JSON.parse(text);
  } catch {
    // not JSON: keep the text so the assertion shows it
  }
  return { status: response.status, headers: response.headers, body: parsed };
}

/** Start a simulator (no rate limit unless asked) with the sample dataset and a full-scope token. */
export async function startTestSim(options: SimulatorOptions = {}): Promise<TestSim> {
  const sim = await startSimulator({
    dataset: sampleDataset(),
    rateLimit: false,
    now: '2026-03-02T10:00:00Z',
    ...options,
  });
  const token = (await requestToken(sim)).body.access_token as string;
  return { sim, token, api: (method, path, body, headers) => call(sim, token, method, path, body, headers) };
}
