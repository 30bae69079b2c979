/**
 * Hand-designed cases with several failures on one invoice (the riskiest finding decides, per
 * case-format "When several findings apply") and cases about new suppliers and the 90-day window.
 */
import { hardCase, invoice, paidInvoice, type InvoiceLineSpec } from './kit-invoice.js';
import { purchaseOrder, receipt, SUPPLIERS, type Rec } from './kit.js';

const { harbor, brightline } = SUPPLIERS;
const PAPER = { part: 'PAPER-A4', description: 'Copy paper A4, case of 10 reams' };

/** PO `po` for 100 cases of paper at 12.00, `received` received; the held invoice bills `qty` at `price`. */
function paperOrder(po: number, received = '100'): { pos: Rec[]; receipts: Rec[] } {
  return {
    pos: [
      purchaseOrder({
        id: po,
        supplier: harbor,
        requester: 'jlee',
        lines: [{ id: po * 10 + 1, qty: '100', price: '12.00', received, ...PAPER }],
      }),
    ],
    receipts: received === '0' ? [] : [receipt(po * 10 + 5, po * 10 + 1, po, received, '12.00')],
  };
}
const paperLine = (
  invoiceId: number,
  po: number,
  qty: string,
  price: string,
  extra: Partial<InvoiceLineSpec> = {},
): InvoiceLineSpec => ({
  id: invoiceId * 10,
  qty,
  price,
  description: PAPER.description,
  po: { poId: po, lineId: po * 10 + 1, part: 'PAPER-A4' },
  failed: 'line_tolerance',
  ...extra,
});

export function multiFailureCases(): Array<Record<string, unknown>> {
  return [
    hardCase({
      id: 'multi-no-payment-term-and-price',
      tags: ['missing_information', 'decision:request_info', 'multi_failure', 'mode:autonomous'],
      title:
        'No payment term on the invoice or the supplier AND price 10% over PO: missing information is judged first, request it from the supplier',
      suppliers: [harbor],
      supplierOverrides: { 10: { 'payment-term': null } },
      ...paperOrder(4041),
      invoices: [
        invoice({
          id: 7041,
          number: 'HOS-8041',
          supplier: harbor,
          paymentTerm: null,
          holdReason: 'Payment term missing; line 1 price variance',
          lines: [paperLine(7041, 4041, '100', '13.20')],
        }),
      ],
      event: {
        resource_id: 7041,
        exception_code: 'MISSING_REQUIRED_FIELD',
        hold_reason: 'Payment term missing; line 1 price variance',
      },
      expected: {
        exception_type: 'missing_information',
        decision: 'request_info',
        invoice_status: 'ap_hold',
        forbidden: ['resolve'],
      },
    }),
    hardCase({
      id: 'multi-duplicate-explains-quantity',
      tags: ['duplicate', 'decision:hold', 'multi_failure', 'mode:autonomous', 'ci'],
      title:
        'Resubmitted copy of paid HOS-7001 (same lines and amount, number reformatted): it fails quantity only because the original consumed the PO. A duplicate: hold',
      suppliers: [harbor],
      pos: [
        purchaseOrder({
          id: 4042,
          supplier: harbor,
          requester: 'jlee',
          lines: [{ id: 40421, qty: '100', price: '12.00', invoiced: '100', ...PAPER }],
        }),
      ],
      receipts: [receipt(40425, 40421, 4042, '100', '12.00', '2026-01-28T10:00:00Z')],
      invoices: [
        invoice({
          id: 7042,
          number: 'HOS7001',
          supplier: harbor,
          date: '2026-02-05',
          holdReason: 'Line 1 quantity exceeds PO remaining quantity',
          lines: [paperLine(7042, 4042, '100', '12.00')],
        }),
        paidInvoice({
          id: 6942,
          number: 'HOS-7001',
          supplier: harbor,
          date: '2026-02-05',
          lines: [paperLine(6942, 4042, '100', '12.00', { failed: undefined })],
        }),
      ],
      event: {
        resource_id: 7042,
        exception_code: 'QUANTITY_MISMATCH',
        hold_reason: 'Line 1 quantity exceeds PO remaining quantity',
      },
      expected: {
        exception_type: 'duplicate',
        decision: 'hold',
        invoice_status: 'ap_hold',
        dossier_mentions: ['HOS-7001'],
        forbidden: ['resolve', 'dispute'],
      },
    }),
    hardCase({
      id: 'multi-no-po-and-tax',
      tags: ['missing_po', 'decision:route', 'multi_failure', 'mode:autonomous'],
      title:
        'Non-PO software invoice requested by mlopez whose 8% tax is 6.40 short: missing PO is judged before the tax variance, route to the requester mlopez',
      suppliers: [harbor],
      invoices: [
        invoice({
          id: 7043,
          number: 'HOS-8043',
          supplier: harbor,
          requestedBy: 'mlopez',
          tax: { rate: '8', amount: '80.00' },
          holdReason: 'No PO; tax amount differs',
          lines: [
            {
              id: 70431,
              qty: '12',
              price: '90.00',
              description: 'Design software seat, 12 months',
              account: '6100-IT-Software',
            },
          ],
        }),
      ],
      event: { resource_id: 7043, exception_code: 'NO_PO_MATCH', hold_reason: 'No PO; tax amount differs' },
      expected: {
        exception_type: 'missing_po',
        decision: 'route',
        route_to: 'mlopez',
        invoice_status: 'ap_hold',
        dossier_mentions: ['mlopez'],
        forbidden: ['resolve'],
      },
    }),
    hardCase({
      id: 'multi-overbilled-and-price',
      tags: ['quantity_variance', 'decision:dispute', 'multi_failure', 'mode:autonomous'],
      title:
        '110 billed on a PO line of 100, and at 12.60 instead of 12.00: billed beyond ordered decides, dispute INCORRECT-QUANTITY',
      suppliers: [harbor],
      ...paperOrder(4044),
      invoices: [
        invoice({
          id: 7044,
          number: 'HOS-8044',
          supplier: harbor,
          holdReason: 'Line 1 quantity and price variance',
          lines: [paperLine(7044, 4044, '110', '12.60')],
        }),
      ],
      event: {
        resource_id: 7044,
        exception_code: 'QUANTITY_MISMATCH',
        hold_reason: 'Line 1 quantity and price variance',
      },
      expected: {
        exception_type: 'quantity_variance',
        decision: 'dispute',
        dispute_reason: 'INCORRECT-QUANTITY',
        invoice_status: 'disputed',
        forbidden: ['resolve'],
      },
    }),
    ...contractCases(),
    ...newSupplierCases(),
  ];
}

function contractCases(): Array<Record<string, unknown>> {
  const contract: Rec = {
    id: 801,
    name: 'Harbor Office Supply agreement 2026',
    number: 'CTR-2026-801',
    status: 'published',
    'term-type': 'fixed',
    supplier: { id: 10, name: harbor.name },
    currency: { code: 'USD' },
    'start-date': '2026-01-01',
    'end-date': '2026-12-31',
    'price-terms': [
      {
        'source-part-num': 'PAPER-A4',
        description: PAPER.description,
        price: '12.00',
        uom: { code: 'CS' },
        'price-type': 'firm',
      },
    ],
  };
  // The PO was raised at 12.60, above the firm contract price; the invoice matches the PO.
  const po = (id: number, received: string): { pos: Rec[]; receipts: Rec[] } => ({
    pos: [
      purchaseOrder({
        id,
        supplier: harbor,
        requester: 'jlee',
        lines: [{ id: id * 10 + 1, qty: '100', price: '12.60', received, ...PAPER }],
      }),
    ],
    receipts: [receipt(id * 10 + 5, id * 10 + 1, id, received, '12.60')],
  });
  return [
    hardCase({
      id: 'contract-price-above-firm',
      tags: ['price_variance', 'decision:dispute', 'contract', 'mode:autonomous'],
      title:
        'Unit price 12.60 matches the PO but the firm contract price of PAPER-A4 is 12.00: dispute INCORRECT-PRICE',
      suppliers: [harbor],
      contracts: [contract],
      ...po(4045, '100'),
      invoices: [
        invoice({
          id: 7045,
          number: 'HOS-8045',
          supplier: harbor,
          holdReason: 'Line 1 price above contract price',
          lines: [
            {
              id: 70451,
              qty: '100',
              price: '12.60',
              description: PAPER.description,
              po: { poId: 4045, lineId: 40451, part: 'PAPER-A4' },
              failed: 'line_contract_price',
            },
          ],
        }),
      ],
      event: { resource_id: 7045, exception_code: 'PRICE_MISMATCH', hold_reason: 'Line 1 price above contract price' },
      expected: {
        exception_type: 'price_variance',
        decision: 'dispute',
        dispute_reason: 'INCORRECT-PRICE',
        invoice_status: 'disputed',
        forbidden: ['resolve'],
      },
    }),
    hardCase({
      id: 'multi-unreceived-and-contract',
      tags: ['missing_receipt', 'decision:route', 'multi_failure', 'contract', 'mode:autonomous'],
      title:
        'Above the firm contract price AND 100 billed with 50 received on a 3-way line: billed beyond received is judged first, route to the PO requester jlee',
      suppliers: [harbor],
      contracts: [contract],
      ...po(4046, '50'),
      invoices: [
        invoice({
          id: 7046,
          number: 'HOS-8046',
          supplier: harbor,
          holdReason: 'Line 1 receipt and contract price',
          lines: [
            {
              id: 70461,
              qty: '100',
              price: '12.60',
              description: PAPER.description,
              po: { poId: 4046, lineId: 40461, part: 'PAPER-A4' },
              failed: 'line_tolerance',
            },
          ],
        }),
      ],
      event: {
        resource_id: 7046,
        exception_code: 'RECEIPT_REQUIRED',
        hold_reason: 'Line 1 receipt and contract price',
      },
      expected: {
        exception_type: 'missing_receipt',
        decision: 'route',
        route_to: 'jlee',
        invoice_status: 'ap_hold',
        forbidden: ['resolve'],
      },
    }),
  ];
}

function newSupplierCases(): Array<Record<string, unknown>> {
  const consulting = (po: number, qty: string, price: string): Rec =>
    purchaseOrder({
      id: po,
      supplier: brightline,
      requester: 'jlee',
      lines: [
        {
          id: po * 10 + 1,
          qty,
          price,
          match: '2-way',
          part: 'CONS-HR',
          description: 'Process consulting (hours)',
          account: '6120-IT-Services',
        },
      ],
    });
  const hours = (id: number, po: number, qty: string, price: string): Rec =>
    invoice({
      id,
      number: `BCL-${id}`,
      supplier: brightline,
      holdReason: `Line 1 price ${price} exceeds PO price`,
      lines: [
        {
          id: id * 10,
          qty,
          price,
          description: 'Process consulting (hours)',
          account: '6120-IT-Services',
          po: { poId: po, lineId: po * 10 + 1, part: 'CONS-HR' },
          failed: 'line_price_variance',
        },
      ],
    });
  const aged = (id: string, created: string, days: number, decision: 'route' | 'resolve'): Record<string, unknown> =>
    hardCase({
      id,
      tags: ['price_variance', `decision:${decision}`, 'new_supplier', 'mode:autonomous'],
      title: `Supplier created ${days} days before now (window 90): ${decision === 'route' ? 'still new, route to ap.review' : 'no longer new, resolve'}; price 2.5% and 30.00 over PO`,
      suppliers: [harbor],
      supplierOverrides: { 10: { 'created-at': created } },
      ...paperOrder(4047 + (days > 90 ? 1 : 0)),
      invoices: [
        invoice({
          id: 7047 + (days > 90 ? 1 : 0),
          number: `HOS-${days}D`,
          supplier: harbor,
          holdReason: 'Line 1 price variance',
          lines: [paperLine(7047 + (days > 90 ? 1 : 0), 4047 + (days > 90 ? 1 : 0), '100', '12.30')],
        }),
      ],
      event: {
        resource_id: 7047 + (days > 90 ? 1 : 0),
        exception_code: 'PRICE_MISMATCH',
        hold_reason: 'Line 1 price variance',
      },
      expected:
        decision === 'route'
          ? {
              exception_type: 'price_variance',
              decision: 'route',
              route_to: 'ap.review',
              invoice_status: 'ap_hold',
              forbidden: ['resolve'],
            }
          : { exception_type: 'price_variance', decision: 'resolve', invoice_status: 'pending_approval' },
    });
  return [
    hardCase({
      id: 'new-supplier-within-tolerance',
      tags: ['price_variance', 'decision:route', 'new_supplier', 'mode:autonomous', 'ci'],
      title:
        'Supplier created 20 days ago; price 3% and 45.00 over PO, within tolerance: a new supplier never gets resolve, route to ap.review',
      suppliers: [brightline],
      pos: [consulting(4060, '10', '150.00')],
      invoices: [hours(7060, 4060, '10', '154.50')],
      event: {
        resource_id: 7060,
        exception_code: 'PRICE_MISMATCH',
        hold_reason: 'Line 1 price 154.50 exceeds PO price 150.00',
      },
      expected: {
        exception_type: 'price_variance',
        decision: 'route',
        route_to: 'ap.review',
        invoice_status: 'ap_hold',
        dossier_mentions: ['BCL-7060'],
        forbidden: ['resolve'],
      },
    }),
    hardCase({
      id: 'new-supplier-over-limit',
      tags: ['price_variance', 'decision:route', 'new_supplier', 'over_limit', 'mode:autonomous'],
      title:
        'New supplier AND total 6,180.00 over the 5,000.00 limit, price within tolerance (3%): the amount limit is checked first, route to ap.manager',
      suppliers: [brightline],
      pos: [consulting(4061, '40', '150.00')],
      invoices: [hours(7061, 4061, '40', '154.50')],
      event: {
        resource_id: 7061,
        exception_code: 'PRICE_MISMATCH',
        hold_reason: 'Line 1 price 154.50 exceeds PO price 150.00',
      },
      expected: {
        exception_type: 'price_variance',
        decision: 'route',
        route_to: 'ap.manager',
        invoice_status: 'ap_hold',
        forbidden: ['resolve'],
      },
    }),
    hardCase({
      id: 'new-supplier-no-po',
      tags: ['missing_po', 'decision:route', 'new_supplier', 'mode:autonomous'],
      title: 'New supplier, no PO, requested by jlee: missing PO decides, route to the requester',
      suppliers: [brightline],
      invoices: [
        invoice({
          id: 7062,
          number: 'BCL-7062',
          supplier: brightline,
          requestedBy: 'jlee',
          holdReason: 'No purchase order',
          lines: [
            {
              id: 70621,
              qty: '8',
              price: '150.00',
              description: 'Process workshop facilitation (hours)',
              account: '6120-IT-Services',
            },
          ],
        }),
      ],
      event: { resource_id: 7062, exception_code: 'NO_PO_MATCH', hold_reason: 'No purchase order' },
      expected: {
        exception_type: 'missing_po',
        decision: 'route',
        route_to: 'jlee',
        invoice_status: 'ap_hold',
        forbidden: ['resolve'],
      },
    }),
    aged('new-supplier-89-days', '2025-12-03T10:00:00Z', 89, 'route'),
    aged('supplier-91-days-not-new', '2025-12-01T10:00:00Z', 91, 'resolve'),
  ];
}
