/**
 * Hand-designed tax cases checked against a tax engine (issue 23): each invoice names its ship-to
 * address, so the engine (the offline table by default, the same rates as the simulator's
 * AvaTax-format endpoint) gives the jurisdiction and rate. One case per branch: (a) Coupa's rate
 * wrong, (b) supplier billed wrong, (c) use tax, (d) specialist questions, and no rate at all.
 */
import { hardCase, invoice } from './kit-invoice.js';
import { purchaseOrder, receipt, SUPPLIERS, type Rec, type SupplierSpec } from './kit.js';

const { harbor, northwind } = SUPPLIERS;
const DESK = { part: 'DESK-STD', description: 'Standing desk frame' };
const AUSTIN = {
  street1: '500 Congress Ave',
  city: 'Austin',
  state: 'TX',
  'postal-code': '78701',
  country: { code: 'US' },
};

/**
 * Harbor bills 10 desk frames at 100.00 shipped to `shipTo`, taxed per line: the line states Coupa's
 * expected `rate` and the supplier's billed `tax` (and a tax code when given).
 */
function taxedInvoice(o: {
  id: number;
  number: string;
  rate: string;
  tax: string;
  holdReason: string;
  shipTo?: Rec;
  taxCode?: string;
  supplier?: SupplierSpec;
}): { pos: Rec[]; receipts: Rec[]; invoices: Rec[] } {
  const supplier = o.supplier ?? harbor;
  const po = o.id - 3000;
  const inv = invoice({
    id: o.id,
    number: o.number,
    supplier,
    holdReason: o.holdReason,
    lines: [
      {
        id: o.id * 10,
        qty: '10',
        price: '100.00',
        description: DESK.description,
        po: { poId: po, lineId: po * 10 + 1, part: DESK.part },
        failed: 'line_tax_variance',
      },
    ],
  });
  const line = (inv['invoice-lines'] as Rec[])[0]!;
  Object.assign(line, {
    'tax-rate': o.rate,
    'tax-amount': o.tax,
    ...(o.taxCode ? { 'tax-code': { code: o.taxCode } } : {}),
  });
  const gross = (1000 + Number(o.tax)).toFixed(2);
  Object.assign(inv, {
    'line-level-taxation': true,
    'tax-amount': o.tax,
    'gross-total': gross,
    'total-with-taxes': gross,
    'ship-to-address': o.shipTo ?? AUSTIN,
  });
  return {
    pos: [
      purchaseOrder({
        id: po,
        supplier,
        requester: 'jlee',
        lines: [{ id: po * 10 + 1, qty: '10', price: '100.00', ...DESK }],
      }),
    ],
    receipts: [receipt(po * 10 + 5, po * 10 + 1, po, '10', '100.00')],
    invoices: [inv],
  };
}

/** The tax team and the supplier-master approver, as Coupa users (routing targets of these cases). */
export const SPECIALIST_USERS: Rec[] = [
  {
    id: 9,
    login: 'tax.team',
    firstname: 'Noor',
    lastname: 'Haddad',
    email: 'tax.team@northwind-example.com',
    active: true,
    roles: [{ name: 'Tax Manager' }, { name: 'Invoice Approver' }],
  },
  {
    id: 10,
    login: 'supplier.master',
    firstname: 'Lena',
    lastname: 'Vogel',
    email: 'supplier.master@northwind-example.com',
    active: true,
    roles: [{ name: 'Supplier Master Data' }, { name: 'Invoice Approver' }],
  },
];

/** A hand case with the specialists added to its users. */
export function withSpecialists(c: Record<string, unknown>): Record<string, unknown> {
  const coupa = c.coupa as { users: Rec[] };
  return { ...c, coupa: { ...coupa, users: [...coupa.users, ...SPECIALIST_USERS] } };
}

export function taxEngineCases(): Array<Record<string, unknown>> {
  return taxEngineCaseList().map(withSpecialists);
}

function taxEngineCaseList(): Array<Record<string, unknown>> {
  return [
    hardCase({
      id: 'tax-engine-a-coupa-rate-wrong',
      tags: ['tax_variance', 'decision:resolve', 'tax_engine', 'tax_branch_a', 'mode:autonomous', 'ci'],
      title:
        "Austin, TX ship-to: the supplier billed 8.25% (82.50), the engine's combined rate (TX 6.25 + Austin 1 + transit 1); Coupa expected the state rate 6.25% alone. Correct the line rate, revalidate, resolve",
      suppliers: [harbor],
      ...taxedInvoice({
        id: 7501,
        number: 'HOS-7501',
        rate: '6.25',
        tax: '82.50',
        holdReason: 'Line 1 tax 82.50 differs from 6.25% of 1000.00 = 62.50',
      }),
      event: {
        resource_id: 7501,
        exception_code: 'TAX_MISMATCH',
        hold_reason: 'Line 1 tax 82.50 differs from 6.25% of 1000.00 = 62.50',
      },
      expected: {
        exception_type: 'tax_variance',
        decision: 'resolve',
        invoice_status: 'pending_approval',
        dossier_mentions: ['8.25', 'as of 2025-01-01'],
        forbidden: ['dispute'],
      },
    }),
    hardCase({
      id: 'tax-engine-b-overbilled',
      tags: [
        'tax_variance',
        'decision:dispute',
        'tax_engine',
        'tax_branch_b',
        'self_consistent_rate',
        'mode:autonomous',
      ],
      title:
        'Austin, TX ship-to: 10% billed and 10% expected on the line (self-consistent), but the jurisdiction gives 8.25% (82.50): the supplier over-billed 17.50 — dispute TAX-ERROR citing jurisdiction and rate',
      suppliers: [harbor],
      ...taxedInvoice({
        id: 7502,
        number: 'HOS-7502',
        rate: '10',
        tax: '100.00',
        holdReason: 'Tax validation failed: rate not valid for ship-to jurisdiction',
      }),
      event: {
        resource_id: 7502,
        exception_code: 'TAX_MISMATCH',
        hold_reason: 'Tax validation failed: rate not valid for ship-to jurisdiction',
      },
      expected: {
        exception_type: 'tax_variance',
        decision: 'dispute',
        dispute_reason: 'TAX-ERROR',
        invoice_status: 'disputed',
        dossier_mentions: ['8.25'],
        forbidden: ['resolve'],
      },
    }),
    hardCase({
      id: 'tax-engine-c-use-tax',
      tags: ['tax_variance', 'decision:route', 'tax_engine', 'tax_branch_c', 'self_consistent_rate', 'mode:autonomous'],
      title:
        'Austin, TX ship-to: 6% billed and expected (self-consistent) where the jurisdiction gives 8.25%: sales tax under-billed by 22.50 on taxable goods — a use-tax self-assessment for the tax team, not a dispute (AP-TAX-1.3)',
      suppliers: [harbor],
      ...taxedInvoice({
        id: 7503,
        number: 'HOS-7503',
        rate: '6',
        tax: '60.00',
        holdReason: 'Tax validation failed: rate not valid for ship-to jurisdiction',
      }),
      event: {
        resource_id: 7503,
        exception_code: 'TAX_MISMATCH',
        hold_reason: 'Tax validation failed: rate not valid for ship-to jurisdiction',
      },
      expected: {
        exception_type: 'tax_variance',
        decision: 'route',
        route_to: 'tax.team',
        invoice_status: 'ap_hold',
        dossier_mentions: ['use tax', '22.50'],
        forbidden: ['dispute', 'resolve'],
      },
    }),
    hardCase({
      id: 'tax-engine-d-exemption',
      tags: ['tax_variance', 'decision:route', 'tax_engine', 'tax_branch_d', 'mode:autonomous'],
      title:
        'The line carries the EXEMPT tax code (resale certificate) yet 8.25% is billed: an exemption-certificate question for the tax team before anyone disputes (AP-TAX-1.2)',
      suppliers: [harbor],
      ...taxedInvoice({
        id: 7504,
        number: 'HOS-7504',
        rate: '0',
        tax: '82.50',
        taxCode: 'EXEMPT',
        holdReason: 'Tax billed on exempt line',
      }),
      event: { resource_id: 7504, exception_code: 'TAX_MISMATCH', hold_reason: 'Tax billed on exempt line' },
      expected: {
        exception_type: 'tax_variance',
        decision: 'route',
        route_to: 'tax.team',
        invoice_status: 'ap_hold',
        dossier_mentions: ['exempt'],
        forbidden: ['dispute', 'resolve'],
      },
    }),
    hardCase({
      id: 'tax-engine-d-reverse-charge',
      tags: ['tax_variance', 'decision:route', 'tax_engine', 'tax_branch_d', 'eur', 'mode:autonomous'],
      title:
        'A German supplier ships to Northwind in Lyon and charges German VAT 19%: an intra-EU supply under the reverse charge — the tax team decides (AP-TAX-3.2)',
      suppliers: [northwind],
      ...taxedInvoice({
        id: 7505,
        number: 'RFL-7505',
        rate: '19',
        tax: '190.00',
        supplier: northwind,
        shipTo: { city: 'Lyon', 'postal-code': '69002', country: { code: 'FR' } },
        holdReason: 'VAT charged on intra-EU supply',
      }),
      event: { resource_id: 7505, exception_code: 'TAX_MISMATCH', hold_reason: 'VAT charged on intra-EU supply' },
      expected: {
        exception_type: 'tax_variance',
        decision: 'route',
        route_to: 'tax.team',
        invoice_status: 'ap_hold',
        dossier_mentions: ['reverse charge'],
        forbidden: ['dispute', 'resolve'],
      },
    }),
    hardCase({
      id: 'tax-engine-no-rate',
      tags: ['tax_variance', 'decision:route', 'tax_engine', 'engine_outage', 'mode:autonomous'],
      title:
        'Ship-to in São Paulo: the tax engine has no rate there. Nothing is resolved on a guessed rate — routed to the tax team, the dossier says the engine could not answer',
      suppliers: [harbor],
      ...taxedInvoice({
        id: 7506,
        number: 'HOS-7506',
        rate: '6.25',
        tax: '62.60',
        shipTo: { city: 'São Paulo', state: 'SP', 'postal-code': '01310-100', country: { code: 'BR' } },
        holdReason: 'Line 1 tax 62.60 differs from 6.25% of 1000.00 = 62.50',
      }),
      event: {
        resource_id: 7506,
        exception_code: 'TAX_MISMATCH',
        hold_reason: 'Line 1 tax 62.60 differs from 6.25% of 1000.00 = 62.50',
      },
      expected: {
        exception_type: 'tax_variance',
        decision: 'route',
        route_to: 'tax.team',
        invoice_status: 'ap_hold',
        dossier_mentions: ['could not answer'],
        forbidden: ['resolve', 'dispute'],
      },
    }),
  ];
}
