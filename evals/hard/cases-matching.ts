/**
 * Hand-designed matching cases: near-duplicates that are not duplicates, a second invoice against
 * a partly invoiced PO line, EUR invoices and amount lines. Each title says why the expected
 * answer is the only one the records and the default controls allow.
 */
import { hardCase, invoice, paidInvoice } from './kit-invoice.js';
import { purchaseOrder, receipt, SUPPLIERS } from './kit.js';

const { harbor, cascade, northwind, summit } = SUPPLIERS;
const PAPER = { part: 'PAPER-A4', description: 'Copy paper A4, case of 10 reams' };

/** Cascade's monthly rent: non-PO, the same amount every month, a different bill each time. */
function rentCase(id: string, event: Record<string, unknown>, tags: string[]): Record<string, unknown> {
  const rent = (n: number, month: string, date: string, paid: boolean): Record<string, unknown> => {
    const spec = {
      id: n,
      number: `CF-2026-${month}`,
      supplier: cascade,
      date,
      holdReason: 'No purchase order on invoice',
      lines: [
        {
          id: n * 10,
          qty: '1',
          price: '4500.00',
          description: `Office lease, 1200 Pine St Suite 400 — rent for ${month}/2026`,
          account: '6200-FAC-Rent',
        },
      ],
    };
    return paid ? paidInvoice(spec) : invoice(spec);
  };
  return hardCase({
    id,
    tags: ['missing_po', 'decision:route', 'near_duplicate', 'mode:autonomous', ...tags],
    title:
      'Monthly rent, same amount as January and February but a new month: not a duplicate. Non-PO, no requester: route to the owner of 6200-FAC-Rent (fac.owner, AP-NPO-2.1)',
    suppliers: [cascade],
    invoices: [
      rent(7303, '03', '2026-03-01', false),
      rent(7301, '01', '2026-01-01', true),
      rent(7302, '02', '2026-02-01', true),
    ],
    event: { resource_id: 7303, ...event },
    expected: {
      exception_type: 'missing_po',
      decision: 'route',
      route_to: 'fac.owner',
      invoice_status: 'ap_hold',
      dossier_mentions: ['CF-2026-03', 'fac.owner'],
    },
  });
}

export function matchingCases(): Array<Record<string, unknown>> {
  return [
    rentCase('near-dup-monthly-rent', { exception_code: 'NO_PO_MATCH', hold_reason: 'No purchase order on invoice' }, [
      'ci',
    ]),
    rentCase(
      'near-dup-rent-flagged-duplicate',
      { exception_code: 'POSSIBLE_DUPLICATE', hold_reason: 'Possible duplicate of CF-2026-02' },
      ['code_wrong'],
    ),
    hardCase({
      id: 'near-dup-same-number-other-supplier',
      tags: ['price_variance', 'decision:resolve', 'near_duplicate', 'mode:autonomous'],
      title:
        'INV-1001 also exists at Summit Paper (another supplier, other amount): not a duplicate. Price 2.5% and 30.00 over PO, within tolerance: resolve',
      suppliers: [harbor, summit],
      pos: [
        purchaseOrder({
          id: 4001,
          supplier: harbor,
          requester: 'jlee',
          lines: [{ id: 40011, qty: '100', price: '12.00', ...PAPER }],
        }),
      ],
      receipts: [receipt(60011, 40011, 4001, '100', '12.00')],
      invoices: [
        invoice({
          id: 7001,
          number: 'INV-1001',
          supplier: harbor,
          holdReason: 'Line 1 price 12.30 exceeds PO price 12.00',
          lines: [
            {
              id: 70011,
              qty: '100',
              price: '12.30',
              description: PAPER.description,
              po: { poId: 4001, lineId: 40011, part: 'PAPER-A4' },
              failed: 'line_price_variance',
            },
          ],
        }),
        paidInvoice({
          id: 6901,
          number: 'INV-1001',
          supplier: summit,
          date: '2026-01-15',
          lines: [{ id: 69011, qty: '1', price: '2980.00', description: 'Kraft paper rolls' }],
        }),
      ],
      event: {
        resource_id: 7001,
        exception_code: 'PRICE_MISMATCH',
        hold_reason: 'Line 1 price 12.30 exceeds PO price 12.00',
      },
      expected: {
        exception_type: 'price_variance',
        decision: 'resolve',
        invoice_status: 'pending_approval',
        dossier_mentions: ['INV-1001'],
      },
    }),
    hardCase({
      id: 'near-dup-recurring-order',
      tags: ['missing_receipt', 'decision:route', 'near_duplicate', 'mode:autonomous'],
      title:
        "February restock bills the same 1,200.00 as January's, on a different PO: not a duplicate. Nothing received on PO 4003 yet: route to its requester mlopez",
      suppliers: [harbor],
      pos: [
        purchaseOrder({
          id: 4002,
          supplier: harbor,
          requester: 'mlopez',
          createdAt: '2026-01-05T09:00:00Z',
          lines: [
            {
              id: 40021,
              qty: '50',
              price: '24.00',
              invoiced: '50',
              part: 'TONER-K',
              description: 'Toner cartridge, black',
            },
          ],
        }),
        purchaseOrder({
          id: 4003,
          supplier: harbor,
          requester: 'mlopez',
          createdAt: '2026-02-03T09:00:00Z',
          lines: [
            {
              id: 40031,
              qty: '50',
              price: '24.00',
              received: '0',
              part: 'TONER-K',
              description: 'Toner cartridge, black',
            },
          ],
        }),
      ],
      receipts: [receipt(60021, 40021, 4002, '50', '24.00', '2026-01-14T10:00:00Z')],
      invoices: [
        invoice({
          id: 7002,
          number: 'HOS-5604',
          supplier: harbor,
          status: 'pending_receipt',
          holdReason: 'Line 1 awaiting receipt',
          lines: [
            {
              id: 70021,
              qty: '50',
              price: '24.00',
              description: 'Toner cartridge, black',
              po: { poId: 4003, lineId: 40031, part: 'TONER-K' },
              failed: 'line_receipt_required',
            },
          ],
        }),
        paidInvoice({
          id: 6902,
          number: 'HOS-5520',
          supplier: harbor,
          date: '2026-01-20',
          lines: [
            {
              id: 69021,
              qty: '50',
              price: '24.00',
              description: 'Toner cartridge, black',
              po: { poId: 4002, lineId: 40021, part: 'TONER-K' },
            },
          ],
        }),
      ],
      event: { resource_id: 7002, exception_code: 'RECEIPT_REQUIRED', hold_reason: 'Line 1 awaiting receipt' },
      expected: {
        exception_type: 'missing_receipt',
        decision: 'route',
        route_to: 'mlopez',
        invoice_status: 'pending_receipt',
        dossier_mentions: ['HOS-5604', 'mlopez'],
      },
    }),
    ...partialPoCases(),
    ...eurCases(),
    ...amountLineCases(),
  ];
}

/** PO 4010-4012: 100 cases of paper, 60 already invoiced and paid. */
function partialPoCases(): Array<Record<string, unknown>> {
  const setup = (
    po: number,
    received: string,
    billed: string,
    price: string,
  ): { pos: Record<string, unknown>[]; receipts: Record<string, unknown>[]; invoices: Record<string, unknown>[] } => ({
    pos: [
      purchaseOrder({
        id: po,
        supplier: harbor,
        requester: 'jlee',
        lines: [{ id: po * 10 + 1, qty: '100', price: '12.00', received, invoiced: '60', ...PAPER }],
      }),
    ],
    receipts: [receipt(po * 10 + 5, po * 10 + 1, po, received, '12.00')],
    invoices: [
      invoice({
        id: po + 3000,
        number: `HOS-${po + 2000}`,
        supplier: harbor,
        holdReason: 'Line 1 failed matching',
        lines: [
          {
            id: (po + 3000) * 10,
            qty: billed,
            price,
            description: PAPER.description,
            po: { poId: po, lineId: po * 10 + 1, part: 'PAPER-A4' },
            failed: 'line_tolerance',
          },
        ],
      }),
      paidInvoice({
        id: po + 2900,
        number: `HOS-${po + 1900}`,
        supplier: harbor,
        date: '2026-02-02',
        lines: [
          {
            id: (po + 2900) * 10,
            qty: '60',
            price: '12.00',
            description: PAPER.description,
            po: { poId: po, lineId: po * 10 + 1, part: 'PAPER-A4' },
          },
        ],
      }),
    ],
  });
  return [
    hardCase({
      id: 'partial-po-second-invoice-fits',
      tags: ['price_variance', 'decision:resolve', 'partial_po', 'mode:autonomous'],
      title:
        'Second invoice on a PO line: 60 paid + 40 now = 100 ordered and received. Price 3% and 14.40 over PO: within tolerance, resolve',
      suppliers: [harbor],
      ...setup(4010, '100', '40', '12.36'),
      event: {
        resource_id: 7010,
        exception_code: 'PRICE_MISMATCH',
        hold_reason: 'Line 1 price 12.36 exceeds PO price 12.00',
      },
      expected: {
        exception_type: 'price_variance',
        decision: 'resolve',
        invoice_status: 'pending_approval',
        dossier_mentions: ['HOS-6010'],
      },
    }),
    hardCase({
      id: 'partial-po-second-invoice-overbills',
      tags: ['quantity_variance', 'decision:dispute', 'partial_po', 'mode:autonomous', 'ci'],
      title:
        'Second invoice on a PO line: 60 paid + 50 now = 110 of 100 ordered: billed beyond ordered, dispute INCORRECT-QUANTITY',
      suppliers: [harbor],
      ...setup(4011, '100', '50', '12.00'),
      event: {
        resource_id: 7011,
        exception_code: 'QUANTITY_MISMATCH',
        hold_reason: 'Line 1 quantity exceeds PO remaining quantity',
      },
      expected: {
        exception_type: 'quantity_variance',
        decision: 'dispute',
        dispute_reason: 'INCORRECT-QUANTITY',
        invoice_status: 'disputed',
        dossier_mentions: ['HOS-6011'],
        forbidden: ['resolve'],
      },
    }),
    hardCase({
      id: 'partial-po-second-invoice-unreceived',
      tags: ['missing_receipt', 'decision:route', 'partial_po', 'mode:autonomous'],
      title:
        'Second invoice on a 3-way PO line: 60 paid + 40 now = 100 billed, 70 received: route to the PO requester jlee to confirm receipt',
      suppliers: [harbor],
      ...setup(4012, '70', '40', '12.00'),
      event: {
        resource_id: 7012,
        exception_code: 'RECEIPT_REQUIRED',
        hold_reason: 'Line 1 quantity billed exceeds quantity received',
      },
      expected: {
        exception_type: 'missing_receipt',
        decision: 'route',
        route_to: 'jlee',
        invoice_status: 'ap_hold',
        dossier_mentions: ['HOS-6012', 'jlee'],
        forbidden: ['resolve', 'dispute'],
      },
    }),
  ];
}

/** Rheinfracht Logistik GmbH bills in EUR from Germany with 19% VAT. */
function eurCases(): Array<Record<string, unknown>> {
  const po = (id: number, qty: string, price: string): Record<string, unknown> =>
    purchaseOrder({
      id,
      supplier: northwind,
      requester: 'mlopez',
      lines: [
        {
          id: id * 10 + 1,
          qty,
          price,
          match: '2-way',
          part: 'FRT-PALLET',
          description: 'Pallet freight Köln–Rotterdam',
          account: '6400-OPS-Logistics',
        },
      ],
    });
  const bill = (
    id: number,
    poId: number,
    qty: string,
    price: string,
    tax: { rate: string; amount: string },
    extra: Record<string, unknown> = {},
  ): Record<string, unknown> =>
    invoice({
      id,
      number: `RF-2026-0${id - 7000}`,
      supplier: northwind,
      tax,
      holdReason: 'Invoice failed validation',
      ...extra,
      lines: [
        {
          id: id * 10,
          qty,
          price,
          description: 'Pallet freight Köln–Rotterdam',
          account: '6400-OPS-Logistics',
          po: { poId, lineId: poId * 10 + 1, part: 'FRT-PALLET' },
          failed: 'line_tolerance',
        },
      ],
    });
  return [
    hardCase({
      id: 'eur-price-within-tolerance',
      tags: ['price_variance', 'decision:resolve', 'eur', 'mode:autonomous'],
      title:
        'EUR invoice, 19% German VAT correct, VAT id shown; price 2% and 36.00 EUR over PO, total 2,184.84 EUR: resolve',
      suppliers: [northwind],
      pos: [po(4020, '10', '180.00')],
      invoices: [bill(7020, 4020, '10', '183.60', { rate: '19', amount: '348.84' })],
      event: {
        resource_id: 7020,
        exception_code: 'PRICE_MISMATCH',
        hold_reason: 'Line 1 price 183.60 exceeds PO price 180.00',
      },
      expected: {
        exception_type: 'price_variance',
        decision: 'resolve',
        invoice_status: 'pending_approval',
        dossier_mentions: ['RF-2026-020'],
      },
    }),
    hardCase({
      id: 'eur-over-amount-limit',
      tags: ['price_variance', 'decision:route', 'eur', 'over_limit', 'mode:autonomous', 'ci'],
      title:
        'EUR invoice within price tolerance (2%, 120.00 EUR) but 7,282.80 EUR in total: over the 5,000.00 auto-resolve limit in any currency, route to ap.manager',
      suppliers: [northwind],
      pos: [po(4021, '40', '150.00')],
      invoices: [bill(7021, 4021, '40', '153.00', { rate: '19', amount: '1162.80' })],
      event: {
        resource_id: 7021,
        exception_code: 'PRICE_MISMATCH',
        hold_reason: 'Line 1 price 153.00 exceeds PO price 150.00',
      },
      expected: {
        exception_type: 'price_variance',
        decision: 'route',
        route_to: 'ap.manager',
        invoice_status: 'ap_hold',
        dossier_mentions: ['ap.manager'],
        forbidden: ['resolve'],
      },
    }),
    hardCase({
      id: 'eur-vat-id-missing',
      tags: ['missing_information', 'decision:request_info', 'eur', 'mode:autonomous'],
      title:
        'German VAT invoice that does not print the supplier VAT id (remit-to vat-number empty): request it from the supplier',
      suppliers: [northwind],
      pos: [po(4022, '10', '180.00')],
      invoices: [
        bill(
          7022,
          4022,
          '10',
          '180.00',
          { rate: '19', amount: '342.00' },
          {
            remit: {
              id: 1200,
              'remit-to-code': 'RT-12',
              name: 'Rheinfracht Logistik GmbH remittance',
              street1: '12 Commerce Street',
              city: 'Köln',
              'postal-code': '97201',
              country: { code: 'DE' },
              active: true,
              'vat-number': null,
            },
          },
        ),
      ],
      event: {
        resource_id: 7022,
        exception_code: 'MISSING_REQUIRED_FIELD',
        hold_reason: 'VAT registration number missing on invoice',
      },
      expected: {
        exception_type: 'missing_information',
        decision: 'request_info',
        invoice_status: 'ap_hold',
        forbidden: ['resolve'],
      },
    }),
    hardCase({
      id: 'eur-vat-rate-invalid',
      tags: ['tax_variance', 'decision:route', 'eur', 'mode:autonomous'],
      title:
        'German invoice charging 16% VAT (not a DE rate; 19% gives 342.00, 54.00 more than billed): tax variance outside tolerance, route to ap.review',
      suppliers: [northwind],
      pos: [po(4023, '10', '180.00')],
      invoices: [bill(7023, 4023, '10', '180.00', { rate: '16', amount: '288.00' })],
      event: { resource_id: 7023, exception_code: 'TAX_MISMATCH', hold_reason: 'Tax rate 16% not valid for DE' },
      expected: {
        exception_type: 'tax_variance',
        decision: 'route',
        route_to: 'ap.review',
        invoice_status: 'ap_hold',
        forbidden: ['resolve'],
      },
    }),
  ];
}

/** Service lines billed by amount, not quantity. */
function amountLineCases(): Array<Record<string, unknown>> {
  const maintenance = { description: 'Facilities maintenance Q1 2026', account: '6210-FAC-Maintenance' };
  return [
    hardCase({
      id: 'amount-line-overbilled',
      tags: ['price_variance', 'decision:route', 'amount_line', 'mode:autonomous'],
      title:
        'Amount line of 10,000.00: 6,000.00 already invoiced and paid, 4,800.00 now = 10,800.00, 800.00 (8%) beyond the PO line amount. Coupa fails an amount-based line on its price/amount tolerance, not a quantity one: outside 5% and $250 → route to ap.review (AP-TOL-2.5)',
      suppliers: [cascade],
      pos: [
        purchaseOrder({
          id: 4030,
          supplier: cascade,
          requester: 'jlee',
          lines: [{ id: 40301, price: '10000.00', amount: true, match: '2-way', invoiced: '6000.00', ...maintenance }],
        }),
      ],
      invoices: [
        invoice({
          id: 7030,
          number: 'CF-M-102',
          supplier: cascade,
          holdReason: 'Line 1 amount exceeds PO remaining amount',
          lines: [
            {
              id: 70301,
              price: '4800.00',
              amount: true,
              ...maintenance,
              po: { poId: 4030, lineId: 40301 },
              failed: 'line_amount_variance',
            },
          ],
        }),
        paidInvoice({
          id: 6930,
          number: 'CF-M-101',
          supplier: cascade,
          date: '2026-01-31',
          lines: [{ id: 69301, price: '6000.00', amount: true, ...maintenance, po: { poId: 4030, lineId: 40301 } }],
        }),
      ],
      event: {
        resource_id: 7030,
        exception_code: 'AMOUNT_MISMATCH',
        hold_reason: 'Line 1 amount exceeds PO remaining amount',
      },
      expected: {
        exception_type: 'price_variance',
        decision: 'route',
        route_to: 'ap.review',
        invoice_status: 'ap_hold',
        dossier_mentions: ['CF-M-102', 'ap.review'],
        forbidden: ['resolve'],
      },
    }),
    hardCase({
      id: 'amount-line-within-tolerance',
      tags: ['price_variance', 'decision:resolve', 'amount_line', 'mode:autonomous'],
      title:
        'Amount line of 10,000.00: 6,000.00 already invoiced and paid, 4,150.00 now = 150.00 (1.5%) beyond the PO line amount, within the 5% and $250 amount-based price tolerance: resolve (AP-TOL-2.5)',
      suppliers: [cascade],
      pos: [
        purchaseOrder({
          id: 4032,
          supplier: cascade,
          requester: 'jlee',
          lines: [{ id: 40321, price: '10000.00', amount: true, match: '2-way', invoiced: '6000.00', ...maintenance }],
        }),
      ],
      invoices: [
        invoice({
          id: 7032,
          number: 'CF-M-302',
          supplier: cascade,
          holdReason: 'Line 1 amount exceeds PO remaining amount',
          lines: [
            {
              id: 70321,
              price: '4150.00',
              amount: true,
              ...maintenance,
              po: { poId: 4032, lineId: 40321 },
              failed: 'line_amount_variance',
            },
          ],
        }),
        paidInvoice({
          id: 6932,
          number: 'CF-M-301',
          supplier: cascade,
          date: '2026-01-31',
          lines: [{ id: 69321, price: '6000.00', amount: true, ...maintenance, po: { poId: 4032, lineId: 40321 } }],
        }),
      ],
      event: {
        resource_id: 7032,
        exception_code: 'AMOUNT_MISMATCH',
        hold_reason: 'Line 1 amount exceeds PO remaining amount',
      },
      expected: {
        exception_type: 'price_variance',
        decision: 'resolve',
        invoice_status: 'pending_approval',
        dossier_mentions: ['CF-M-302'],
        forbidden: ['dispute'],
      },
    }),
    hardCase({
      id: 'amount-line-unreceived',
      tags: ['missing_receipt', 'decision:route', 'amount_line', 'mode:autonomous'],
      title:
        'Amount line of 8,000.00 on a 3-way PO with 3,000.00 received; the invoice bills 4,000.00: route to the PO requester mlopez to confirm receipt',
      suppliers: [cascade],
      pos: [
        purchaseOrder({
          id: 4031,
          supplier: cascade,
          requester: 'mlopez',
          lines: [{ id: 40311, price: '8000.00', amount: true, received: '3000.00', ...maintenance }],
        }),
      ],
      receipts: [receipt(60311, 40311, 4031, '1', '3000.00')],
      invoices: [
        invoice({
          id: 7031,
          number: 'CF-M-201',
          supplier: cascade,
          holdReason: 'Line 1 amount billed exceeds amount received',
          lines: [
            {
              id: 70311,
              price: '4000.00',
              amount: true,
              ...maintenance,
              po: { poId: 4031, lineId: 40311 },
              failed: 'line_receipt_required',
            },
          ],
        }),
      ],
      event: {
        resource_id: 7031,
        exception_code: 'RECEIPT_REQUIRED',
        hold_reason: 'Line 1 amount billed exceeds amount received',
      },
      expected: {
        exception_type: 'missing_receipt',
        decision: 'route',
        route_to: 'mlopez',
        invoice_status: 'ap_hold',
        dossier_mentions: ['mlopez'],
        forbidden: ['resolve'],
      },
    }),
  ];
}
