/**
 * Hand-designed registry cases (issue 23), with `verify_supplier_registries` on: the supplier
 * master carries an identifier an outside registry contradicts (offline check digits, IBAN
 * checksum and country, US TIN format). The invoice itself matches its PO; the registry finding
 * alone holds it, and a change request waits for the supplier-master approver.
 */
import { hardCase, invoice } from './kit-invoice.js';
import { purchaseOrder, receipt, type Rec, type SupplierSpec } from './kit.js';
import { withSpecialists } from './cases-tax-engine.js';

const created = '2022-05-01T12:00:00Z';
const SUPPLIERS = {
  moselwerk: {
    id: 21,
    name: 'Moselwerk Industriebedarf GmbH',
    createdAt: created,
    taxId: 'DE136695977',
    vat: 'DE136695977',
    country: 'DE',
    currency: 'EUR',
    city: 'Trier',
    bank: { name: 'Sparkasse Trier', iban: 'DE89370400440532013000' },
  },
  lyon: {
    id: 22,
    name: 'Lyon Emballages SARL',
    createdAt: created,
    taxId: 'FR40303265045',
    vat: 'FR40303265045',
    country: 'FR',
    currency: 'EUR',
    city: 'Lyon',
    bank: { name: 'Commerzbank', iban: 'DE89370400440532013000' },
  },
  utrecht: {
    id: 23,
    name: 'Utrecht Kantoorartikelen BV',
    createdAt: created,
    taxId: 'NL004495445B01',
    vat: 'NL004495445B01',
    country: 'NL',
    currency: 'EUR',
    city: 'Utrecht',
    bank: { name: 'ABN AMRO', iban: 'NL91ABNA0417164301' },
  },
  pioneer: {
    id: 24,
    name: 'Pioneer Valve Co.',
    createdAt: created,
    taxId: '00-1234567',
    country: 'US',
    currency: 'USD',
    city: 'Tulsa',
    bank: { name: 'Tulsa First Bank', account: '5544332211', routing: '103000648' },
  },
} satisfies Record<string, SupplierSpec>;

function matchedInvoice(
  id: number,
  supplier: SupplierSpec,
  holdReason: string,
): { pos: Rec[]; receipts: Rec[]; invoices: Rec[] } {
  const po = id - 3000;
  return {
    pos: [
      purchaseOrder({
        id: po,
        supplier,
        requester: 'jlee',
        lines: [{ id: po * 10 + 1, qty: '20', price: '45.00', part: 'VALVE-20', description: 'Ball valve DN20' }],
      }),
    ],
    receipts: [receipt(po * 10 + 5, po * 10 + 1, po, '20', '45.00')],
    invoices: [
      invoice({
        id,
        number: `REG-${id}`,
        supplier,
        holdReason,
        lines: [
          {
            id: id * 10,
            qty: '20',
            price: '45.00',
            description: 'Ball valve DN20',
            po: { poId: po, lineId: po * 10 + 1, part: 'VALVE-20' },
          },
        ],
      }),
    ],
  };
}

function registryCase(o: {
  id: string;
  invoiceId: number;
  supplier: SupplierSpec;
  title: string;
  mentions: string[];
  hold: string;
}): Record<string, unknown> {
  return withSpecialists(
    hardCase({
      id: `registry-${o.id}`,
      tags: ['supplier_data_mismatch', 'decision:hold', 'registry', `registry_${o.id}`, 'mode:autonomous'],
      title: o.title,
      controls: { verify_supplier_registries: true },
      suppliers: [o.supplier],
      ...matchedInvoice(o.invoiceId, o.supplier, o.hold),
      event: { resource_id: o.invoiceId, exception_code: 'SUPPLIER_VERIFICATION', hold_reason: o.hold },
      expected: {
        exception_type: 'supplier_data_mismatch',
        decision: 'hold',
        invoice_status: 'ap_hold',
        dossier_mentions: o.mentions,
        forbidden: ['resolve', 'dispute'],
      },
    }),
  );
}

export function registryCases(): Array<Record<string, unknown>> {
  return [
    registryCase({
      id: 'vat-invalid',
      invoiceId: 7601,
      supplier: SUPPLIERS.moselwerk,
      hold: 'Supplier VAT registration could not be verified',
      title:
        "The supplier master's VAT id DE136695977 fails Germany's check digits: held, change request to the supplier-master approver",
      mentions: ['DE136695977', 'check digits'],
    }),
    registryCase({
      id: 'iban-country',
      invoiceId: 7602,
      supplier: SUPPLIERS.lyon,
      hold: 'Supplier bank details need review',
      title:
        'A French supplier (remit-to Lyon) whose bank account on file is a German IBAN: held, change request to the supplier-master approver',
      mentions: ['DE', 'FR'],
    }),
    registryCase({
      id: 'iban-invalid',
      invoiceId: 7603,
      supplier: SUPPLIERS.utrecht,
      hold: 'Supplier bank details need review',
      title:
        'The IBAN on file fails its checksum: held, change request to the supplier-master approver; Settle never edits bank data',
      mentions: ['IBAN'],
    }),
    registryCase({
      id: 'tin-invalid',
      invoiceId: 7604,
      supplier: SUPPLIERS.pioneer,
      hold: 'Supplier tax id could not be verified',
      title:
        'US supplier with tax id 00-1234567, a prefix the IRS never assigns: held, change request to the supplier-master approver',
      mentions: ['00-1234567'],
    }),
  ];
}
