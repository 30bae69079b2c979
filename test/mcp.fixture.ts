/**
 * A small hand-built Coupa tenant in wire form (case-format.md style) for the MCP tests, and the
 * harness that serves Settle's MCP server over real transports against it: a simulator over
 * loopback HTTP, PGlite in memory (opened once per test file — startup is the slow part), the
 * runtime from `createRuntime`, and fastify + Streamable HTTP with bearer tokens.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Fastify, { type FastifyInstance } from 'fastify';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { createRuntime, type Runtime } from '../src/app/runtime.js';
import { loadConfig } from '../src/config.js';
import { openDb, type Db } from '../src/db/connection.js';
import type { ControlsOverrides } from '../src/domain/controls.js';
import type { Role } from '../src/guard/identity.js';
import { createTokenDirectory, type TokenEntry } from '../src/mcp/auth.js';
import { mountMcp, type McpMount, type MountMcpOptions } from '../src/mcp/mount.js';
import { emptyDataset, type CoupaDataset, type WireRecord } from '../src/sim/dataset.js';
import { startSimulator } from '../src/sim/server.js';
import type { CallLogEntry, SimulatorHandle } from '../src/sim/types.js';

export const NOW = '2026-03-02T10:00:00Z';
/** The invoice in ap_hold: line 1 billed at 103.00 against a PO price of 100.00 (3%, 30.00 over). */
export const HELD_INVOICE = 5001;
export const SUPPLIER = 10;
export const PO = 300;
export const ORDER_LINE = 3001;

type Rec = Record<string, unknown>;

export interface PriceVarianceSpec {
  invoiceId: number;
  supplierId: number;
  /** Unit prices and quantity as decimal strings. */
  poPrice: string;
  invoicePrice: string;
  quantity: string;
  /** Supplier text on the invoice (untrusted). */
  supplierNote?: string;
  lineDescription?: string;
}

const cents = (s: string): bigint => {
  const [whole, frac = ''] = s.split('.');
  return BigInt(whole!) * 100n + BigInt((frac + '00').slice(0, 2));
};
const money = (c: bigint): string => `${c / 100n}.${String(c % 100n).padStart(2, '0')}`;
/** qty × price in exact cents (qty a whole number in these fixtures). */
export const lineTotal = (quantity: string, price: string): string =>
  money(BigInt(quantity.split('.')[0]!) * cents(price));

export function supplier(id: number, createdAt: string, name = `Supplier ${id}`): WireRecord {
  return {
    id,
    name,
    number: `S-${id}`,
    status: 'active',
    'on-hold': false,
    'created-at': createdAt,
    'updated-at': createdAt,
    'tax-id': `${String(10 + (id % 89)).padStart(2, '0')}-${String(1000000 + id).slice(-7)}`,
    'invoice-matching-level': '3-way',
    'payment-term': { code: 'Net 30' },
    'remit-to-addresses': [
      {
        id: id * 10,
        'remit-to-code': `R-${id}`,
        street1: `${id} Harbor Way`,
        city: 'Portland',
        'postal-code': '97201',
        country: { code: 'US' },
        active: true,
      },
    ],
  };
}

export function supplierInformation(supplierId: number): WireRecord {
  return {
    id: 100 + supplierId,
    supplier: { id: supplierId },
    name: `Supplier ${supplierId}`,
    'supplier-information-addresses': [
      {
        id: 1000 + supplierId,
        kind: 'remit_to',
        'bank-name': 'First Bank',
        'bank-account-number': `99000${supplierId}4321`,
        'bank-routing-number': '121000248',
      },
    ],
  };
}

/** PO + receipt + held invoice billing the PO line at a different unit price. */
export function priceVarianceCase(spec: PriceVarianceSpec): {
  po: WireRecord;
  receipt: WireRecord;
  invoice: WireRecord;
} {
  const poId = spec.invoiceId + 100_000;
  const lineId = spec.invoiceId + 200_000;
  const po: WireRecord = {
    id: poId,
    'po-number': `PO-${poId}`,
    status: 'issued',
    currency: { code: 'USD' },
    supplier: { id: spec.supplierId, name: `Supplier ${spec.supplierId}` },
    requester: { id: 3, login: 'jlee' },
    'created-at': '2026-01-05T09:00:00Z',
    'order-lines': [
      {
        id: lineId,
        'line-num': 1,
        description: 'Copy paper, case',
        quantity: spec.quantity,
        price: spec.poPrice,
        total: lineTotal(spec.quantity, spec.poPrice),
        received: spec.quantity,
        invoiced: '0',
        'match-type': '3-way',
        'order-header-id': poId,
        'source-part-num': 'PAPER-A4',
      },
    ],
  };
  const receipt: WireRecord = {
    id: spec.invoiceId + 300_000,
    type: 'InventoryReceipt',
    status: 'created',
    quantity: spec.quantity,
    price: spec.poPrice,
    total: lineTotal(spec.quantity, spec.poPrice),
    'transaction-date': '2026-02-10T10:00:00Z',
    'order-line': { id: lineId, 'order-header-id': poId },
  };
  const total = lineTotal(spec.quantity, spec.invoicePrice);
  const invoice: WireRecord = {
    id: spec.invoiceId,
    'invoice-number': `NW-${spec.invoiceId}`,
    'invoice-date': '2026-02-20T00:00:00Z',
    status: 'ap_hold',
    'created-at': '2026-02-21T09:00:00Z',
    'updated-at': '2026-02-21T09:00:00Z',
    currency: { code: 'USD' },
    supplier: { id: spec.supplierId, name: `Supplier ${spec.supplierId}` },
    'payment-term': { code: 'Net 30' },
    'remit-to-address': {
      id: spec.supplierId * 10,
      'remit-to-code': `R-${spec.supplierId}`,
      street1: `${spec.supplierId} Harbor Way`,
      city: 'Portland',
      'postal-code': '97201',
      country: { code: 'US' },
    },
    'gross-total': total,
    'total-with-taxes': total,
    'tax-amount': '0.00',
    'supplier-note': spec.supplierNote ?? null,
    'tolerance-failures': 'Line 1 price exceeds PO price',
    'failed-tolerances': [],
    approvals: [],
    attachments: [],
    'dispute-reasons': [],
    'invoice-lines': [
      {
        id: spec.invoiceId * 10 + 1,
        'line-num': 1,
        type: 'InvoiceQuantityLine',
        description: spec.lineDescription ?? 'Copy paper, case',
        quantity: spec.quantity,
        price: spec.invoicePrice,
        total,
        'order-line-id': lineId,
        'po-number': `PO-${poId}`,
        'source-part-num': 'PAPER-A4',
        'failed-tolerances': [
          {
            id: spec.invoiceId * 10 + 9,
            code: 'line_price_percent',
            resolved: false,
            'breach-amount': money(cents(spec.invoicePrice) - cents(spec.poPrice)),
          },
        ],
      },
    ],
  };
  return { po, receipt, invoice };
}

/** The tenant: users, an established supplier, a PO with its receipt, the held invoice and history. */
export function mcpDataset(): CoupaDataset {
  const d = emptyDataset();
  d.users = [
    { id: 1, login: 'ap.review', email: 'ap.review@example.com', firstname: 'Ana', lastname: 'Reyes', active: true },
    { id: 2, login: 'ap.manager', email: 'ap.manager@example.com', firstname: 'Max', lastname: 'Ortiz', active: true },
    { id: 3, login: 'jlee', email: 'jlee@example.com', firstname: 'Jo', lastname: 'Lee', active: true },
    { id: 4, login: 'gone.user', email: 'gone@example.com', firstname: 'Old', lastname: 'User', active: false },
  ];
  d.suppliers = [supplier(SUPPLIER, '2019-04-01T00:00:00Z', 'Northwind Office Supply')];
  d['supplier-information'] = [supplierInformation(SUPPLIER)];
  d.contracts = [
    {
      id: 200,
      name: 'Office paper 2026',
      number: 'C-200',
      status: 'published',
      supplier: { id: SUPPLIER },
      'start-date': '2026-01-01',
      'end-date': '2026-12-31',
      'price-terms': [
        {
          'source-part-num': 'TONER-9',
          description: 'Toner',
          price: '80.00',
          uom: { code: 'EA' },
          'price-type': 'firm',
        },
      ],
    },
  ];
  const held = priceVarianceCase({
    invoiceId: HELD_INVOICE,
    supplierId: SUPPLIER,
    poPrice: '100.00',
    invoicePrice: '103.00',
    quantity: '10',
  });
  held.po.id = PO;
  held.po['po-number'] = 'PO-300';
  const line = (held.po['order-lines'] as Rec[])[0]!;
  Object.assign(line, { id: ORDER_LINE, 'order-header-id': PO });
  held.receipt['order-line'] = { id: ORDER_LINE, 'order-header-id': PO };
  const invLine = (held.invoice['invoice-lines'] as Rec[])[0]!;
  Object.assign(invLine, { 'order-line-id': ORDER_LINE, 'po-number': 'PO-300' });
  d['purchase-orders'] = [held.po];
  d['receiving-transactions'] = [held.receipt];
  d.invoices = [
    held.invoice,
    // History: the same supplier's earlier, paid invoices (nothing duplicate about them).
    {
      id: 4001,
      'invoice-number': 'NW-3990',
      'invoice-date': '2026-01-12T00:00:00Z',
      status: 'approved',
      paid: true,
      currency: { code: 'USD' },
      supplier: { id: SUPPLIER, name: 'Northwind Office Supply' },
      'gross-total': '412.50',
      'total-with-taxes': '412.50',
      'failed-tolerances': [],
      'invoice-lines': [
        {
          id: 40011,
          'line-num': 1,
          description: 'Toner',
          quantity: '5',
          price: '82.50',
          total: '412.50',
          'failed-tolerances': [],
        },
      ],
    },
    {
      id: 4002,
      'invoice-number': 'NW-3871',
      'invoice-date': '2025-12-03T00:00:00Z',
      status: 'approved',
      paid: true,
      currency: { code: 'USD' },
      supplier: { id: SUPPLIER, name: 'Northwind Office Supply' },
      'gross-total': '96.00',
      'total-with-taxes': '96.00',
      'failed-tolerances': [],
      'invoice-lines': [
        {
          id: 40021,
          'line-num': 1,
          description: 'Staples',
          quantity: '12',
          price: '8.00',
          total: '96.00',
          'failed-tolerances': [],
        },
      ],
    },
  ];
  return d;
}

export interface McpHarness {
  sim: SimulatorHandle;
  db: Db;
  runtime: Runtime;
  app: FastifyInstance;
  mount: McpMount;
  /** Base URL of the MCP endpoint, e.g. http://127.0.0.1:PORT/mcp */
  mcpUrl: URL;
  /** Bearer token per named identity (see TOKENS). */
  tokens: Record<string, string>;
  /** A connected MCP client for a named identity (cached). */
  client(name: string): Promise<Client>;
  close(): Promise<void>;
}

/** Identities every harness knows: login and roles. */
export const IDENTITIES: Record<string, { login: string; roles: Role[] }> = {
  reviewer: { login: 'rita.reviewer', roles: ['reviewer'] },
  approver: { login: 'ap.manager', roles: ['approver'] },
  approver2: { login: 'cfo.delegate', roles: ['approver'] },
  reader: { login: 'riley.reader', roles: ['read-only'] },
  auditor: { login: 'aud.itor', roles: ['auditor'] },
  agentRole: { login: 'agent.like', roles: ['agent'] },
};

export function tokenEntries(): TokenEntry[] {
  return Object.entries(IDENTITIES).map(([name, id]) => ({
    token: `tok-${name}-0123456789abcdef`,
    login: id.login,
    roles: id.roles,
  }));
}

export function configFor(dataDir = mkdtempSync(join(tmpdir(), 'settle-mcp-'))): ReturnType<typeof loadConfig> {
  // A minimal environment: never the developer's DATABASE_URL or Coupa settings.
  return loadConfig({ SETTLE_DATA_DIR: dataDir, SETTLE_LOG_LEVEL: 'silent' });
}

export interface HarnessOptions {
  controls?: ControlsOverrides;
  readOnly?: boolean;
  dataset?: CoupaDataset;
  /** Reuse an open database (and keep it open on close). */
  db?: Db;
  mount?: MountMcpOptions;
}

/** Simulator + PGlite + runtime + fastify with MCP mounted on port 0. */
export async function startHarness(options: HarnessOptions = {}): Promise<McpHarness> {
  const sim = await startSimulator({ dataset: options.dataset ?? mcpDataset(), now: NOW, rateLimit: false });
  const db = options.db ?? (await openDb({ dataDir: 'memory://' }));
  const runtime = await createRuntime({
    config: configFor(),
    simulator: sim,
    db,
    now: () => new Date(sim.now()),
    controls: { mode: 'autonomous', ...options.controls },
    readOnly: options.readOnly ?? false,
    coupaLimiter: false,
  });
  const app = Fastify({ logger: false });
  const mount = await mountMcp(app, runtime, createTokenDirectory(tokenEntries()), options.mount);
  const address = await app.listen({ host: '127.0.0.1', port: 0 });
  const tokens = Object.fromEntries(tokenEntries().map((e, i) => [Object.keys(IDENTITIES)[i]!, e.token]));
  const mcpUrl = new URL('/mcp', address);
  const clients = new Map<string, Promise<Client>>();
  return {
    sim,
    db,
    runtime,
    app,
    mount,
    mcpUrl,
    tokens,
    client(name) {
      let c = clients.get(name);
      if (!c) {
        c = connectHttp(mcpUrl, tokens[name]!);
        clients.set(name, c);
      }
      return c;
    },
    async close() {
      for (const c of clients.values()) await (await c).close().catch(() => undefined);
      await app.close();
      await runtime.close();
      if (!options.db) await db.close();
      await sim.close();
    },
  };
}

/** A real SDK client over Streamable HTTP with a bearer token. */
export async function connectHttp(url: URL, token: string, headers: Record<string, string> = {}): Promise<Client> {
  const client = new Client({ name: 'settle-test', version: '1.0.0' });
  await client.connect(
    new StreamableHTTPClientTransport(url, {
      requestInit: { headers: { authorization: `Bearer ${token}`, ...headers } },
    }),
  );
  return client;
}

/** Text of a tool result's first content block. */
export function textOf(result: unknown): string {
  const content = (result as CallToolResult).content ?? [];
  return content.map((c) => (c.type === 'text' ? c.text : '')).join('\n');
}

/** Structured content of a tool result (test-only `any`: assertions index freely). */
export function structured(result: unknown): any {
  return (result as CallToolResult).structuredContent;
}

/** Simulator calls that changed something (PUT/POST under /api). */
export function writesIn(log: readonly CallLogEntry[], invoiceId?: number): CallLogEntry[] {
  return log.filter(
    (e) =>
      (e.method === 'PUT' || e.method === 'POST') &&
      e.path.startsWith('/api/') &&
      (invoiceId === undefined || e.path.includes(`/invoices/${invoiceId}`)),
  );
}

export function invoiceStatus(sim: SimulatorHandle, id: number): string | undefined {
  return sim.records('invoices').find((i) => i.id === id)?.status as string | undefined;
}

/** A valid call per tool, against the harness tenant (its held invoice, PO, supplier and contract). */
export const VALID_TOOL_INPUTS: Record<string, Record<string, unknown>> = {
  get_invoice: { invoice_id: HELD_INVOICE },
  get_purchase_order: { purchase_order_id: 300 },
  list_receipts: { invoice_id: HELD_INVOICE },
  get_supplier: { supplier_id: SUPPLIER },
  get_contract: { contract_id: 200 },
  search_invoices: { supplier_id: SUPPLIER },
  search_policies: { query: 'duplicate invoices' },
  find_similar_resolutions: { query: 'duplicate invoices' },
  analyze_match: { invoice_id: HELD_INVOICE },
  check_duplicates: { invoice_id: HELD_INVOICE },
  check_tax: { invoice_id: HELD_INVOICE },
  check_supplier: { invoice_id: HELD_INVOICE },
  classify_exception: { invoice_id: HELD_INVOICE },
  extract_invoice: {
    document_base64: Buffer.from('%PDF-1.4 not really a pdf').toString('base64'),
    file_name: 'fuzz.pdf',
  },
  add_comment: { invoice_id: HELD_INVOICE, text: 'fuzz' },
  route_to_approver: { invoice_id: HELD_INVOICE, approver_login: 'ap.review', reason: 'fuzzing reason' },
  resolve_exception: { invoice_id: HELD_INVOICE, justification: 'a justification long enough' },
  dispute_invoice: {
    invoice_id: HELD_INVOICE,
    reason_code: 'OTHER',
    supplier_message: 'a supplier message long enough',
  },
  hold_invoice: { invoice_id: HELD_INVOICE, dossier: 'a dossier that is long enough' },
  request_information: {
    invoice_id: HELD_INVOICE,
    missing: ['tax id'],
    supplier_message: 'a supplier message long enough',
  },
  record_resolution: {
    invoice_id: HELD_INVOICE,
    exception_type: 'price_variance',
    decision: 'resolve',
    summary: 'long enough summary',
  },
  list_proposals: {},
  decide_proposal: { proposal_id: 'p-1', decision: 'reject', reason: 'because' },
  correct_tax_rate: {
    invoice_id: HELD_INVOICE,
    corrections: [{ line_num: '1', tax_rate: '8.25' }],
    justification: 'the tax engine gives this jurisdiction 8.25%',
  },
  request_supplier_change: {
    invoice_id: HELD_INVOICE,
    changes: [
      { field: 'vat_id', coupa_value: 'DE136695977', registry_value: 'invalid', evidence: 'check digits fail' },
    ],
  },
  grir_open_items: {},
  propose_grir_clearing: { po_line_id: 301 },
  propose_adjustment: { invoice_id: HELD_INVOICE },
};
