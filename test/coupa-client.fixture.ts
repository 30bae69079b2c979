/**
 * A small hand-built Coupa tenant in wire form for the client's integration tests, and a helper
 * that starts the real simulator on loopback with a client pointed at it.
 */
import { createCoupaClient, type CoupaClient, type CoupaClientOptions } from '../src/coupa/index.js';
import { emptyDataset, type CoupaDataset, type WireRecord } from '../src/sim/dataset.js';
import { startSimulator } from '../src/sim/server.js';
import type { CallLogEntry, SimulatorHandle, SimulatorOptions } from '../src/sim/types.js';

export const IDS = {
  reviewer: 11,
  manager: 12,
  requester: 13,
  supplier: 21,
  otherSupplier: 22,
  supplierInfo: 31,
  contract: 41,
  po: 51,
  poLine1: 511,
  poLine2: 512,
  receipt1: 61,
  receipt2: 62,
  heldInvoice: 5001,
  pendingApproval: 5002,
  draft: 5003,
  approved: 5004,
  disputed: 5005,
  receiptHold: 5006,
  headerTolerance: 901,
  lineTolerance: 902,
  resolvedTolerance: 903,
} as const;

function invoice(id: number, status: string, extra: Record<string, unknown> = {}): WireRecord {
  return {
    id,
    'invoice-number': `INV-${id}`,
    'invoice-date': '2026-02-10',
    status,
    'created-at': '2026-02-10T09:00:00Z',
    'updated-at': `2026-02-${10 + (id % 10)}T09:00:00Z`,
    currency: { code: 'USD' },
    supplier: { id: IDS.supplier, name: 'Acme Industrial' },
    'line-level-taxation': false,
    'tax-amount': '0.00',
    'gross-total': '1200.00',
    'total-with-taxes': '1200.00',
    'failed-tolerances': [],
    'dispute-reasons': [],
    'invoice-lines': [
      {
        id: id * 10 + 1,
        'line-num': 1,
        type: 'InvoiceQuantityLine',
        description: 'Hex bolts M8',
        quantity: '100.0',
        price: '12.00',
        total: '1200.00',
        'order-line-id': IDS.poLine1,
        'po-number': 'PO-51',
        'failed-tolerances': [],
      },
    ],
    ...extra,
  };
}

/** Users, a supplier with bank details, a contract, one PO with two lines and receipts, six invoices. */
export function smallCompany(): CoupaDataset {
  const d = emptyDataset();
  d.users = [
    {
      id: IDS.reviewer,
      login: 'apreviewer',
      email: 'ap@example.com',
      firstname: 'Ana',
      lastname: 'Reyes',
      active: true,
    },
    { id: IDS.manager, login: 'jlee', email: 'jlee@example.com', firstname: 'Jo', lastname: 'Lee', active: true },
    { id: IDS.requester, login: 'mkhan', email: 'mkhan@example.com', firstname: 'Mo', lastname: 'Khan', active: true },
  ];
  d.suppliers = [
    {
      id: IDS.supplier,
      name: 'Acme Industrial',
      number: 'S-21',
      status: 'active',
      'on-hold': false,
      'invoice-matching-level': '3-way',
      'remit-to-addresses': [
        {
          id: 211,
          'remit-to-code': 'ACME-1',
          street1: '1 Main St',
          city: 'Austin',
          'postal-code': '73301',
          country: { code: 'US' },
          active: true,
        },
      ],
    },
    {
      id: IDS.otherSupplier,
      name: 'Beta Freight GmbH',
      number: 'S-22',
      status: 'active',
      'on-hold': true,
      'tax-id': 'DE123456789',
    },
  ];
  d['supplier-information'] = [
    {
      id: IDS.supplierInfo,
      supplier: { id: IDS.supplier },
      'supplier-id': IDS.supplier,
      name: 'Acme Industrial',
      'supplier-information-addresses': [
        {
          id: 3101,
          kind: 'RTA',
          'bank-name': 'First Bank',
          'bank-account-number': '000123456789',
          'bank-routing-number': '021000021',
        },
      ],
    },
  ];
  d.contracts = [
    {
      id: IDS.contract,
      name: 'Fasteners 2026',
      number: 'C-41',
      status: 'published',
      supplier: { id: IDS.supplier },
      currency: { code: 'USD' },
      'start-date': '2026-01-01',
      'end-date': '2026-12-31',
      'price-terms': [{ 'source-part-num': 'HB-M8', price: '12.00', uom: { code: 'EA' } }],
    },
  ];
  d['purchase-orders'] = [
    {
      id: IDS.po,
      'po-number': 'PO-51',
      status: 'issued',
      currency: { code: 'USD' },
      supplier: { id: IDS.supplier },
      'order-lines': [
        {
          id: IDS.poLine1,
          'line-num': 1,
          type: 'OrderQuantityLine',
          description: 'Hex bolts M8',
          quantity: '200.0',
          price: '12.00',
          total: '2400.00',
          received: '150.0',
          'match-type': '3-way',
          'order-header-id': IDS.po,
        },
        {
          id: IDS.poLine2,
          'line-num': 2,
          type: 'OrderAmountLine',
          description: 'Freight',
          price: '300.00',
          total: '300.00',
          received: '0.00',
          'match-type': '2-way',
          'order-header-id': IDS.po,
        },
      ],
    },
  ];
  d['receiving-transactions'] = [
    {
      id: IDS.receipt1,
      type: 'InventoryReceipt',
      status: 'created',
      quantity: '100.0',
      price: '12.00',
      total: '1200.00',
      'transaction-date': '2026-02-01T10:00:00Z',
      'order-line': { id: IDS.poLine1, 'order-header-id': IDS.po, 'line-num': 1 },
    },
    {
      id: IDS.receipt2,
      type: 'InventoryReceipt',
      status: 'created',
      quantity: '50.0',
      price: '12.00',
      total: '600.00',
      'transaction-date': '2026-02-05T10:00:00Z',
      'order-line': { id: IDS.poLine1, 'order-header-id': IDS.po, 'line-num': 1 },
    },
  ];
  const held = invoice(IDS.heldInvoice, 'ap_hold', {
    'tolerance-failures': 'Price variance on line 1',
    'failed-tolerances': [
      {
        id: IDS.headerTolerance,
        code: 'total_amount',
        'failable-type': 'InvoiceHeader',
        'failable-id': IDS.heldInvoice,
        resolved: false,
        'breach-amount': '40.00',
        'breach-limit': '25.00',
      },
      {
        id: IDS.resolvedTolerance,
        code: 'extras_amount',
        'failable-type': 'InvoiceHeader',
        'failable-id': IDS.heldInvoice,
        resolved: true,
        'resolution-strategy': 'accepted_by_reviewer',
      },
    ],
  });
  (held['invoice-lines'] as Array<Record<string, unknown>>)[0]!['failed-tolerances'] = [
    {
      id: IDS.lineTolerance,
      code: 'line_price_percent',
      'failable-type': 'InvoiceLine',
      'failable-id': IDS.heldInvoice * 10 + 1,
      resolved: false,
      'breach-amount': '0.40',
      'breach-limit': '0.24',
    },
  ];
  d.invoices = [
    held,
    invoice(IDS.pendingApproval, 'pending_approval', { 'gross-total': '450.50' }),
    invoice(IDS.draft, 'draft', { 'invoice-number': 'DRAFT-7' }),
    invoice(IDS.approved, 'approved', {
      supplier: { id: IDS.otherSupplier, name: 'Beta Freight GmbH' },
      'gross-total': '99.99',
    }),
    invoice(IDS.disputed, 'disputed', { 'dispute-reasons': [{ code: 'INCORRECT-PRICE' }] }),
    invoice(IDS.receiptHold, 'pending_receipt', { 'supplier-note': null }),
  ];
  const approval = {
    id: 71,
    position: 1,
    status: 'pending_approval',
    'approvable-type': 'InvoiceHeader',
    'approvable-id': IDS.pendingApproval,
    approver: { id: IDS.manager, login: 'jlee' },
    'approver-id': IDS.manager,
  };
  d.approvals = [approval];
  (d.invoices.find((i) => i.id === IDS.pendingApproval) as Record<string, unknown>).approvals = [approval];
  d.comments = [
    {
      id: 81,
      comments: 'Supplier called about this one.',
      'commentable-type': 'InvoiceHeader',
      'commentable-id': IDS.heldInvoice,
      'to-supplier': false,
      'created-at': '2026-02-11T09:00:00Z',
    },
  ];
  return d;
}

/** `count` plain approved invoices with ids 1..count (for pagination). */
export function manyInvoices(count: number): WireRecord[] {
  return Array.from({ length: count }, (_, i) => invoice(i + 1, 'approved', { 'invoice-number': `BULK-${i + 1}` }));
}

export interface Harness {
  sim: SimulatorHandle;
  client: CoupaClient;
  /** Requests the simulator received, optionally only those matching method and path. */
  calls(method?: string, path?: string | RegExp): CallLogEntry[];
}

/** Start the simulator with `dataset` (default: the small company) and a client for its first OAuth client. */
export async function startHarness(
  simOptions: SimulatorOptions = {},
  clientOptions: Partial<CoupaClientOptions> = {},
): Promise<Harness> {
  const sim = await startSimulator({ dataset: smallCompany(), rateLimit: false, ...simOptions });
  const client = createCoupaClient({
    baseUrl: sim.url,
    clientId: sim.credentials.clientId,
    clientSecret: sim.credentials.clientSecret,
    backoff: { baseDelayMs: 20, maxDelayMs: 200 },
    ...clientOptions,
  });
  const calls = (method?: string, path?: string | RegExp): CallLogEntry[] =>
    sim.callLog.filter(
      (c) =>
        (method === undefined || c.method === method) &&
        (path === undefined || (typeof path === 'string' ? c.path === path : path.test(c.path))),
    );
  return { sim, client, calls };
}
