/**
 * Hand-designed cases for each mode, for controls a customer changes, for events whose
 * `exception_code` is missing, wrong or unknown, and for supplier-record risks.
 */
import { hardCase, invoice } from './kit-invoice.js';
import { purchaseOrder, receipt, SUPPLIERS } from './kit.js';
import { ANSWERS, AUTONOMOUS_STATUS, HELD_STATUS, scenarioCase, type Scenario } from './scenarios.js';

const TYPE_TAG = (s: Scenario): string => String(ANSWERS[s].exception_type);
const DECISION_TAG = (s: Scenario): string => `decision:${String(ANSWERS[s].decision)}`;

/** In monitor nothing is written to Coupa; in assisted only comments are. The proposal is scored. */
function modeCase(mode: 'monitor' | 'assisted', scenario: Scenario, n: number, ci = false): Record<string, unknown> {
  const decision = String(ANSWERS[scenario].decision);
  return scenarioCase(scenario, {
    id: `mode-${mode}-${scenario.replace(/_/g, '-')}`,
    n,
    tags: [TYPE_TAG(scenario), DECISION_TAG(scenario), `mode:${mode}`, ...(ci ? ['ci'] : [])],
    title: `${mode} mode: the ${decision} decision is ${decision === 'hold' || (mode === 'assisted' && decision === 'request_info') ? 'recorded' : 'proposed, not carried out'}; the invoice stays ${HELD_STATUS[scenario]}`,
    controls: { mode },
    expected: {
      ...ANSWERS[scenario],
      invoice_status: HELD_STATUS[scenario],
      forbidden: ['approve', ...(mode === 'monitor' && decision !== 'request_info' ? ['add_comment_to_supplier'] : [])],
    },
  });
}

export function modeCases(): Array<Record<string, unknown>> {
  return [
    modeCase('assisted', 'price_within', 8101, true),
    modeCase('assisted', 'missing_receipt', 8102),
    modeCase('assisted', 'overbilled', 8103),
    modeCase('assisted', 'vat_missing', 8104),
    modeCase('assisted', 'duplicate', 8105),
    modeCase('monitor', 'price_within', 8111),
    modeCase('monitor', 'non_po', 8112, true),
    modeCase('monitor', 'duplicate', 8113),
    modeCase('monitor', 'overbilled', 8114),
    modeCase('monitor', 'vat_missing', 8115),
    scenarioCase('price_within', {
      id: 'mode-autonomous-explicit',
      n: 8121,
      tags: ['price_variance', 'decision:resolve', 'mode:autonomous'],
      title:
        'autonomous mode named in the controls: price 2.5% and 30.00 over PO, within tolerance, resolved and released for approval',
      controls: { mode: 'autonomous' },
      expected: { ...ANSWERS.price_within, invoice_status: 'pending_approval', dossier_mentions: ['HOS-8121'] },
    }),
    ...controlCases(),
    ...eventCases(),
    ...supplierRiskCases(),
  ];
}

function controlCases(): Array<Record<string, unknown>> {
  return [
    scenarioCase('price_within', {
      id: 'controls-tighter-price-tolerance',
      n: 8201,
      tags: ['price_variance', 'decision:route', 'controls', 'mode:autonomous'],
      title: "price_tolerance_pct 2: a 2.5% price variance is outside this customer's tolerance, route to ap.review",
      controls: { price_tolerance_pct: '2' },
      expected: { ...ANSWERS.price_outside, invoice_status: 'ap_hold', forbidden: ['resolve'] },
    }),
    scenarioCase('price_outside', {
      id: 'controls-custom-ap-reviewer',
      n: 8202,
      tags: ['price_variance', 'decision:route', 'controls', 'mode:autonomous'],
      title: 'ap_reviewer kchen: a 10% price variance (outside tolerance) goes to kchen, not the default ap.review',
      controls: { ap_reviewer: 'kchen' },
      expected: { ...ANSWERS.price_outside, route_to: 'kchen', invoice_status: 'ap_hold', forbidden: ['resolve'] },
    }),
    scenarioCase('price_within', {
      id: 'controls-lower-amount-limit',
      n: 8203,
      tags: ['price_variance', 'decision:route', 'controls', 'over_limit', 'mode:autonomous'],
      title:
        'auto_resolve_max_invoice_total 1000.00: within price tolerance but 1,230.00 in total, route to the escalation reviewer ap.manager',
      controls: { auto_resolve_max_invoice_total: '1000.00' },
      expected: {
        ...ANSWERS.price_within,
        decision: 'route',
        route_to: 'ap.manager',
        invoice_status: 'ap_hold',
        forbidden: ['resolve'],
      },
    }),
    scenarioCase('price_within', {
      id: 'controls-custom-escalation-reviewer',
      n: 8204,
      tags: ['price_variance', 'decision:route', 'controls', 'over_limit', 'mode:autonomous'],
      title: 'escalation_reviewer kchen and a 1,000.00 limit: the over-limit invoice goes to kchen',
      controls: { auto_resolve_max_invoice_total: '1000.00', escalation_reviewer: 'kchen' },
      expected: {
        ...ANSWERS.price_within,
        decision: 'route',
        route_to: 'kchen',
        invoice_status: 'ap_hold',
        forbidden: ['resolve'],
      },
    }),
    hardCase({
      id: 'tax-rounding-within-tolerance',
      tags: ['tax_variance', 'decision:resolve', 'mode:autonomous', 'ci'],
      title:
        'Tax billed 100.00 where 8% of 1,240.00 is 99.20: 0.80 apart, within the 1.00 tax tolerance (rounding), resolve',
      suppliers: [SUPPLIERS.harbor],
      pos: [
        purchaseOrder({
          id: 8205,
          supplier: SUPPLIERS.harbor,
          requester: 'jlee',
          lines: [
            { id: 82051, qty: '100', price: '12.40', part: 'PAPER-A4', description: 'Copy paper A4, case of 10 reams' },
          ],
        }),
      ],
      receipts: [receipt(82055, 82051, 8205, '100', '12.40')],
      invoices: [
        invoice({
          id: 8205,
          number: 'HOS-8205',
          supplier: SUPPLIERS.harbor,
          tax: { rate: '8', amount: '100.00' },
          holdReason: 'Tax amount differs from calculated tax',
          lines: [
            {
              id: 82051,
              qty: '100',
              price: '12.40',
              description: 'Copy paper A4, case of 10 reams',
              po: { poId: 8205, lineId: 82051, part: 'PAPER-A4' },
              failed: 'line_tax_variance',
            },
          ],
        }),
      ],
      event: {
        resource_id: 8205,
        exception_code: 'TAX_MISMATCH',
        hold_reason: 'Tax amount differs from calculated tax',
      },
      expected: { exception_type: 'tax_variance', decision: 'resolve', invoice_status: 'pending_approval' },
    }),
  ];
}

function eventCases(): Array<Record<string, unknown>> {
  const answer = (s: Scenario): Record<string, unknown> => ({ ...ANSWERS[s], invoice_status: AUTONOMOUS_STATUS[s] });
  return [
    scenarioCase('price_within', {
      id: 'event-code-missing',
      n: 8301,
      tags: ['price_variance', 'decision:resolve', 'code_missing', 'mode:autonomous'],
      title: 'The call-out carries no exception_code: the records show a 2.5% price variance within tolerance, resolve',
      event: { exception_code: null },
      expected: answer('price_within'),
    }),
    scenarioCase('missing_receipt', {
      id: 'event-bare',
      n: 8302,
      tags: ['missing_receipt', 'decision:route', 'code_missing', 'mode:autonomous', 'ci'],
      title:
        'The call-out carries only the invoice id (no code, no hold reason): nothing received on a 3-way line, route to the PO requester jlee',
      event: { exception_code: null, hold_reason: null },
      expected: answer('missing_receipt'),
    }),
    scenarioCase('overbilled', {
      id: 'event-code-wrong',
      n: 8303,
      tags: ['quantity_variance', 'decision:dispute', 'code_wrong', 'mode:autonomous', 'ci'],
      title:
        'The call-out says TAX_MISMATCH; the records show 110 billed on a PO line of 100: dispute INCORRECT-QUANTITY',
      event: { exception_code: 'TAX_MISMATCH', hold_reason: 'Tax amount differs' },
      expected: answer('overbilled'),
    }),
    scenarioCase('non_po', {
      id: 'event-code-unknown',
      n: 8304,
      tags: ['missing_po', 'decision:route', 'code_wrong', 'mode:autonomous'],
      title:
        'The call-out carries a code no vocabulary knows (ERR_7781): a non-PO invoice requested by mlopez, route to mlopez',
      event: { exception_code: 'ERR_7781' },
      expected: answer('non_po'),
    }),
    scenarioCase('duplicate', {
      id: 'event-code-wrong-duplicate',
      n: 8305,
      tags: ['duplicate', 'decision:hold', 'code_wrong', 'mode:autonomous'],
      title:
        'The call-out says PRICE_MISMATCH; the invoice repeats paid HOS-8305 exactly (number, amount, date): hold as a duplicate',
      event: { exception_code: 'PRICE_MISMATCH', hold_reason: 'Line 1 price variance' },
      expected: { ...answer('duplicate'), forbidden: ['resolve'] },
    }),
    scenarioCase('missing_receipt', {
      id: 'event-extra-fields',
      n: 8306,
      tags: ['missing_receipt', 'decision:route', 'mode:autonomous'],
      title:
        'The call-out carries fields Settle does not know (tenant, priority): they are ignored; route to the PO requester jlee',
      event: { tenant: 'northwind', priority: 'high', occurred_at: '2026-02-21T08:00:00Z' },
      expected: answer('missing_receipt'),
    }),
    hardCase({
      id: 'other-unplanned-freight',
      tags: ['other', 'decision:route', 'code_missing', 'mode:autonomous'],
      title:
        'Freight of 85.00 billed that the PO does not provide for, no exception_code: a person decides, route to ap.review',
      suppliers: [SUPPLIERS.harbor],
      pos: [
        purchaseOrder({
          id: 8307,
          supplier: SUPPLIERS.harbor,
          requester: 'jlee',
          lines: [
            { id: 83071, qty: '20', price: '12.00', part: 'PAPER-A4', description: 'Copy paper A4, case of 10 reams' },
          ],
        }),
      ],
      receipts: [receipt(83075, 83071, 8307, '20', '12.00')],
      invoices: [
        invoice({
          id: 8307,
          number: 'HOS-8307',
          supplier: SUPPLIERS.harbor,
          shipping: '85.00',
          holdReason: 'Header charges exceed tolerance',
          lines: [
            {
              id: 83071,
              qty: '20',
              price: '12.00',
              description: 'Copy paper A4, case of 10 reams',
              po: { poId: 8307, lineId: 83071, part: 'PAPER-A4' },
            },
          ],
        }),
      ],
      event: { resource_id: 8307, hold_reason: 'Header charges exceed tolerance' },
      expected: {
        exception_type: 'other',
        decision: 'route',
        route_to: 'ap.review',
        invoice_status: 'ap_hold',
        forbidden: ['resolve'],
      },
    }),
  ];
}

function supplierRiskCases(): Array<Record<string, unknown>> {
  const risk = (
    id: string,
    n: number,
    overrides: Record<string, unknown>,
    title: string,
    ci = false,
  ): Record<string, unknown> =>
    scenarioCase('price_within', {
      id,
      n,
      title,
      tags: ['supplier_data_mismatch', 'decision:hold', 'mode:autonomous', ...(ci ? ['ci'] : [])],
      expected: {
        exception_type: 'supplier_data_mismatch',
        decision: 'hold',
        invoice_status: 'ap_hold',
        forbidden: ['resolve', 'approve'],
      },
      ...overrides,
    });
  return [
    risk(
      'supplier-on-hold',
      8401,
      {},
      'Supplier is on hold in the supplier master; the price variance is within tolerance but supplier risk is judged first: hold',
    ),
    risk('supplier-inactive', 8402, {}, 'Supplier record is inactive: hold for AP review whatever the variance'),
  ].map((c, i) => patchSupplier(c, i === 0 ? { 'on-hold': true } : { status: 'inactive' }));
}

/** Change the case's supplier record (the scenario builds it from the kit). */
function patchSupplier(c: Record<string, unknown>, patch: Record<string, unknown>): Record<string, unknown> {
  const coupa = c.coupa as { suppliers: Array<Record<string, unknown>> };
  coupa.suppliers = coupa.suppliers.map((s) => ({ ...s, ...patch }));
  return c;
}
