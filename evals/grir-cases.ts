/**
 * GR/IR eval cases, written by hand (not by the generator) so the root-cause rules are scored on
 * shapes the generator does not make: Coupa's benign variants (numbers as numbers, offsets in
 * timestamps, credit notes with positive quantities, a Void… transaction instead of a voided
 * status), amount lines, several imbalances on one PO. Each case is the `coupa` block of the replay
 * case format plus `expected.grir` (per PO line: cause and action) or `expected.adjustment`.
 *
 *   npx tsx evals/grir-cases.ts     # (re)writes evals/grir/*.json
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

type Rec = Record<string, unknown>;
export interface GrirCase {
  id: string;
  title: string;
  tags: string[];
  now: string;
  coupa: {
    suppliers: Rec[];
    contracts: Rec[];
    'purchase-orders': Rec[];
    'receiving-transactions': Rec[];
    invoices: Rec[];
    users: Rec[];
  };
  expected: {
    grir?: Array<{ po_line_id: number; cause: string; action: string }>;
    clears?: number[];
    adjustment?: { invoice_id: number; total: string };
  };
}

const NOW = '2026-09-30T18:00:00Z';
const SUP = { id: 70, name: 'Harbor Tools Inc.' };
const po = (id: number, lines: Rec[], extra: Rec = {}): Rec => ({
  id,
  'po-number': `P${id}`,
  status: 'issued',
  currency: { code: 'USD' },
  supplier: SUP,
  requester: { id: 1, login: 'mo.requester' },
  'created-at': '2026-05-04T08:00:00-07:00',
  'updated-at': '2026-05-05T08:00:00-07:00',
  'order-lines': lines,
  ...extra,
});
const qline = (id: number, num: number, qty: number | string, price: string, extra: Rec = {}): Rec => ({
  id,
  'line-num': num,
  type: 'OrderQuantityLine',
  quantity: qty,
  price,
  'receipt-required': true,
  'match-type': '3-way',
  uom: { code: 'EA' },
  account: { code: '6100-MRO' },
  ...extra,
});
const rcpt = (id: number, line: number, qty: number | string, date: string, extra: Rec = {}): Rec => ({
  id,
  type: 'InventoryReceipt',
  status: 'created',
  quantity: qty,
  'transaction-date': date,
  'order-line': { id: line },
  'updated-at': date,
  ...extra,
});
const inv = (id: number, lines: Rec[], date: string, extra: Rec = {}): Rec => ({
  id,
  'invoice-number': `H-${id}`,
  'invoice-date': date,
  status: 'approved',
  paid: true,
  currency: { code: 'USD' },
  supplier: SUP,
  'invoice-lines': lines,
  'updated-at': `${date}T12:00:00Z`,
  ...extra,
});
const iline = (id: number, poLine: number, qty: number | string, price: string, extra: Rec = {}): Rec => ({
  id,
  'order-line-id': poLine,
  quantity: qty,
  price,
  total: (Number(qty) * Number(price)).toFixed(2),
  ...extra,
});
const base = (
  id: string,
  title: string,
  tags: string[],
  coupa: Partial<GrirCase['coupa']>,
  expected: GrirCase['expected'],
): GrirCase => ({
  id,
  title,
  tags,
  now: NOW,
  expected,
  coupa: {
    users: [{ id: 1, login: 'mo.requester' }],
    suppliers: [{ id: 70, name: SUP.name, status: 'active' }],
    contracts: [],
    'purchase-orders': [],
    'receiving-transactions': [],
    invoices: [],
    ...coupa,
  },
});

export const CASES: GrirCase[] = [
  base(
    'grir-wrong-line-amount-offsets',
    'Receipt for line 3 booked on line 1; timestamps with offsets, quantities as numbers',
    ['wrong_line'],
    {
      'purchase-orders': [po(1, [qline(11, 1, 10, '4.50'), qline(12, 2, 5, '19.00'), qline(13, 3, 7, '12.25')])],
      'receiving-transactions': [
        rcpt(101, 11, 10, '2026-05-10T09:00:00-07:00'),
        rcpt(102, 12, 5, '2026-05-10T09:00:00-07:00'),
        rcpt(103, 11, 7, '2026-05-20T15:00:00+02:00'),
      ],
      invoices: [
        inv(201, [iline(2011, 11, 10, '4.50'), iline(2012, 12, 5, '19.00'), iline(2013, 13, 7, '12.25')], '2026-06-01'),
      ],
    },
    {
      grir: [
        { po_line_id: 11, cause: 'wrong_line', action: 'receipt_request' },
        { po_line_id: 13, cause: 'wrong_line', action: 'receipt_request' },
      ],
      clears: [12],
    },
  ),
  base(
    'grir-wrong-uom-dozen',
    'Invoiced by the dozen against a PO in each',
    ['wrong_uom'],
    {
      'purchase-orders': [po(2, [qline(21, 1, '48.0', '2.10')])],
      'receiving-transactions': [rcpt(104, 21, '48.0', '2026-05-12T10:00:00Z')],
      invoices: [inv(202, [iline(2021, 21, '4.0', '25.20', { uom: { code: 'DZ' } })], '2026-05-30')],
    },
    { grir: [{ po_line_id: 21, cause: 'wrong_uom', action: 'clearing_entry' }] },
  ),
  base(
    'grir-duplicate-receipt-same-day',
    'The same delivery received twice on one day',
    ['duplicate_receipt'],
    {
      'purchase-orders': [po(3, [qline(31, 1, 3, '310.00')])],
      'receiving-transactions': [rcpt(105, 31, 3, '2026-06-02T08:00:00Z'), rcpt(106, 31, 3, '2026-06-02T16:30:00Z')],
      invoices: [inv(203, [iline(2031, 31, 3, '310.00')], '2026-06-10')],
    },
    { grir: [{ po_line_id: 31, cause: 'duplicate_receipt', action: 'receipt_request' }] },
  ),
  base(
    'grir-return-not-credited',
    'Two units returned to the supplier, no credit note',
    ['return_not_credited'],
    {
      'purchase-orders': [po(4, [qline(41, 1, 12, '45.00')])],
      'receiving-transactions': [
        rcpt(107, 41, 12, '2026-06-03T08:00:00Z'),
        rcpt(108, 41, 2, '2026-06-20T08:00:00Z', { type: 'ReceivingQuantityReturnToSupplier' }),
      ],
      invoices: [inv(204, [iline(2041, 41, 12, '45.00')], '2026-06-08')],
    },
    { grir: [{ po_line_id: 41, cause: 'return_not_credited', action: 'credit_note_request' }] },
  ),
  base(
    'grir-return-credited-positive-qty',
    'Return credited by a credit note that carries positive quantities: clears',
    ['return_not_credited', 'clean'],
    {
      'purchase-orders': [po(5, [qline(51, 1, 12, '45.00')])],
      'receiving-transactions': [
        rcpt(109, 51, 12, '2026-06-03T08:00:00Z'),
        rcpt(110, 51, 2, '2026-06-20T08:00:00Z', { type: 'ReceivingQuantityReturnToSupplier' }),
      ],
      invoices: [
        inv(205, [iline(2051, 51, 12, '45.00')], '2026-06-08'),
        inv(206, [iline(2061, 51, 2, '45.00')], '2026-06-25', {
          'document-type': 'Credit Note',
          'gross-total': '-90.00',
        }),
      ],
    },
    { clears: [51] },
  ),
  base(
    'grir-closed-po',
    'Invoiced in full on a PO closed after a short delivery',
    ['closed_po_invoice'],
    {
      'purchase-orders': [po(6, [qline(61, 1, 20, '8.00')], { status: 'closed' })],
      'receiving-transactions': [rcpt(111, 61, 15, '2026-06-03T08:00:00Z')],
      invoices: [inv(207, [iline(2071, 61, 20, '8.00')], '2026-07-01')],
    },
    { grir: [{ po_line_id: 61, cause: 'closed_po_invoice', action: 'credit_note_request' }] },
  ),
  base(
    'grir-contract-price',
    'Billed at the new contract price; PO at the old one',
    ['contract_price_change'],
    {
      contracts: [
        {
          id: 90,
          number: 'C-90',
          status: 'published',
          supplier: SUP,
          currency: { code: 'USD' },
          'updated-at': '2026-05-20T00:00:00Z',
          'price-terms': [{ 'source-part-num': 'HT-77', price: 13.4 }],
        },
      ],
      'purchase-orders': [po(7, [qline(71, 1, 100, '12.90', { 'source-part-num': 'HT-77' })])],
      'receiving-transactions': [rcpt(112, 71, 100, '2026-06-03T08:00:00Z')],
      invoices: [inv(208, [iline(2081, 71, 100, '13.40')], '2026-06-12')],
    },
    { grir: [{ po_line_id: 71, cause: 'contract_price_change', action: 'clearing_entry' }] },
  ),
  base(
    'grir-fx',
    'PO in EUR, invoiced in USD with an accounting total in EUR',
    ['fx_difference'],
    {
      'purchase-orders': [
        po(8, [qline(81, 1, 10, '100.00', { currency: { code: 'EUR' } })], { currency: { code: 'EUR' } }),
      ],
      'receiving-transactions': [rcpt(113, 81, 10, '2026-06-03T08:00:00Z')],
      invoices: [
        inv(
          209,
          [
            iline(2091, 81, 10, '108.70', {
              currency: { code: 'USD' },
              'accounting-total': '1012.35',
              'accounting-total-currency': { code: 'EUR' },
            }),
          ],
          '2026-06-12',
          { currency: { code: 'USD' } },
        ),
      ],
    },
    { grir: [{ po_line_id: 81, cause: 'fx_difference', action: 'clearing_entry' }] },
  ),
  base(
    'grir-awaiting-invoice-amount-line',
    'A service received by amount last week',
    ['awaiting_invoice'],
    {
      'purchase-orders': [
        po(9, [
          {
            id: 91,
            'line-num': 1,
            type: 'OrderAmountLine',
            price: '2400.00',
            total: '2400.00',
            'receipt-required': true,
            'match-type': '3-way',
            account: { code: '6300-SERVICES' },
          },
        ]),
      ],
      'receiving-transactions': [
        rcpt(114, 91, null as unknown as number, '2026-09-24T08:00:00Z', { total: '1200.00' }),
      ],
    },
    { grir: [{ po_line_id: 91, cause: 'awaiting_invoice', action: 'leave_open' }] },
  ),
  base(
    'grir-invoice-on-hold',
    'Received; its invoice sits in AP hold',
    ['invoice_in_process'],
    {
      'purchase-orders': [po(10, [qline(1001, 1, 4, '250.00')])],
      'receiving-transactions': [rcpt(115, 1001, 4, '2026-06-03T08:00:00Z')],
      invoices: [inv(210, [iline(2101, 1001, 4, '262.00')], '2026-09-20', { status: 'ap_hold', paid: false })],
    },
    { grir: [{ po_line_id: 1001, cause: 'invoice_in_process', action: 'leave_open' }] },
  ),
  base(
    'grir-invoiced-not-received',
    'Approved and paid, never received',
    ['awaiting_receipt'],
    {
      'purchase-orders': [po(11, [qline(1101, 1, 6, '75.00')])],
      invoices: [inv(211, [iline(2111, 1101, 6, '75.00')], '2026-08-01')],
    },
    { grir: [{ po_line_id: 1101, cause: 'awaiting_receipt', action: 'receipt_request' }] },
  ),
  base(
    'grir-no-explanation-void-txn',
    'Old receipt, no invoice; a second receipt cancelled by a Void transaction',
    ['no_explanation'],
    {
      'purchase-orders': [po(12, [qline(1201, 1, 30, '95.00')])],
      'receiving-transactions': [
        rcpt(116, 1201, 30, '2026-04-03T08:00:00Z'),
        rcpt(117, 1201, 30, '2026-04-04T08:00:00Z'),
        rcpt(118, 1201, 30, '2026-04-05T08:00:00Z', { type: 'VoidInventoryReceipt', 'original-transaction-id': 117 }),
      ],
    },
    { grir: [{ po_line_id: 1201, cause: 'no_explanation', action: 'leave_open' }] },
  ),
  base(
    'grir-small-difference-write-off',
    'Two cents a unit over the PO, no contract',
    ['no_explanation', 'write_off'],
    {
      'purchase-orders': [po(13, [qline(1301, 1, 500, '3.10')])],
      'receiving-transactions': [rcpt(119, 1301, 500, '2026-06-03T08:00:00Z')],
      invoices: [inv(212, [iline(2121, 1301, 500, '3.12')], '2026-06-15')],
    },
    { grir: [{ po_line_id: 1301, cause: 'no_explanation', action: 'write_off' }] },
  ),
  base(
    'adjust-price-over-po',
    'Adjustment: billed 5% over the PO price on a held invoice',
    ['adjustment', 'price_variance'],
    {
      'purchase-orders': [po(14, [qline(1401, 1, 40, '20.00', { received: '40.0', invoiced: '0.0' })])],
      invoices: [inv(213, [iline(2131, 1401, 40, '21.00')], '2026-09-20', { status: 'ap_hold', paid: false })],
    },
    { adjustment: { invoice_id: 213, total: '40.00' } },
  ),
  base(
    'adjust-quantity-over-received',
    'Adjustment: billed 12, received 10, at the PO price',
    ['adjustment', 'quantity_variance'],
    {
      'purchase-orders': [po(15, [qline(1501, 1, 12, '55.00', { received: '10.0', invoiced: '0.0' })])],
      invoices: [inv(214, [iline(2141, 1501, 12, '55.00')], '2026-09-20', { status: 'ap_hold', paid: false })],
    },
    { adjustment: { invoice_id: 214, total: '110.00' } },
  ),
];

if (import.meta.url === `file://${process.argv[1]}`) {
  const dir = join(dirname(fileURLToPath(import.meta.url)), 'grir');
  mkdirSync(dir, { recursive: true });
  for (const c of CASES) writeFileSync(join(dir, `${c.id}.json`), `${JSON.stringify(c, null, 2)}\n`);
  console.error(`wrote ${CASES.length} cases to ${dir}`);
}
