/**
 * cXML InvoiceDetailRequest, what Coupa's and Ariba's supplier integrations send. Its summary is
 * not EN 16931's: SubtotalAmount (items) + Tax + shipping/handling = GrossAmount; less the
 * discount = NetAmount; less deposits = DueAmount. Mapped here onto the same totals.
 */
import { Dec } from '../../domain/money.js';
import { all, attr, text, type XmlNode } from './xml.js';
import { isoDate, type EInvoice, type EParty } from './model.js';

function contact(header: XmlNode | undefined, roles: string[]): EParty {
  const contacts = all(header, 'InvoicePartner.Contact');
  const partner = all(header, 'InvoicePartner');
  for (const role of roles) {
    const i = contacts.findIndex((c) => String(c['@_role'] ?? '').toLowerCase() === role.toLowerCase());
    if (i < 0) continue;
    const c = contacts[i]!;
    const refs = all(partner[i], 'IdReference');
    const ref = (...domains: string[]): string | undefined => {
      const hit = refs.find((r) => domains.includes(String(r['@_domain'] ?? '')));
      return hit ? String(hit['@_identifier'] ?? '') || undefined : undefined;
    };
    const addr = all(c, 'PostalAddress')[0];
    return {
      name: text(c, 'Name'),
      vatId: ref('vatID', 'supplierTaxID', 'taxID'),
      email: text(c, 'Email'),
      country: attr(addr, 'Country', 'isoCountryCode'),
      address: addr
        ? [
            ...all(addr, 'Street').map((s) => text(s, '#text')),
            [text(addr, 'PostalCode'), text(addr, 'City')].filter(Boolean).join(' '),
          ]
            .filter(Boolean)
            .join(', ')
        : undefined,
    };
  }
  return {};
}

const money = (node: XmlNode | undefined, path: string): string | undefined => text(node, `${path}.Money`);

/** Read a parsed cXML document (the `cXML` element). */
export function readCxml(root: XmlNode): EInvoice {
  const request = all(root, 'Request.InvoiceDetailRequest')[0];
  const header = all(request, 'InvoiceDetailRequestHeader')[0];
  const summary = all(request, 'InvoiceDetailSummary')[0];
  const items = [
    ...all(request, 'InvoiceDetailOrder.InvoiceDetailItem'),
    ...all(request, 'InvoiceDetailOrder.InvoiceDetailServiceItem'),
  ];
  const sum = (...values: Array<string | undefined>): string =>
    values.reduce((s, v) => (v ? s.plus(v) : s), new Dec(0)).toString();
  const subtotal = money(summary, 'SubtotalAmount');
  const tax = money(summary, 'Tax');
  const gross = money(summary, 'GrossAmount');
  const due = money(summary, 'DueAmount') ?? money(summary, 'NetAmount') ?? gross;
  const charges = sum(money(summary, 'SpecialHandlingAmount'), money(summary, 'ShippingAmount'));
  const purpose = String(header?.['@_purpose'] ?? '');
  const paymentDays = attr(header, 'InvoiceDetailPaymentTerm', 'payInNumberOfDays');
  const issueDate = isoDate(String(header?.['@_invoiceDate'] ?? ''));
  return {
    syntax: 'cXML',
    typeCode: purpose === 'creditMemo' || purpose === 'lineLevelCreditMemo' ? '381' : '380',
    number: header?.['@_invoiceID'] ? String(header['@_invoiceID']) : undefined,
    issueDate,
    dueDate:
      issueDate && paymentDays && /^\d+$/.test(paymentDays)
        ? new Date(Date.parse(`${issueDate}T00:00:00Z`) + Number(paymentDays) * 86_400_000).toISOString().slice(0, 10)
        : undefined,
    currency: attr(summary, 'SubtotalAmount.Money', 'currency') ?? attr(summary, 'NetAmount.Money', 'currency'),
    orderReference:
      attr(request, 'InvoiceDetailOrder.InvoiceDetailOrderInfo.OrderReference', 'orderID') ??
      attr(request, 'InvoiceDetailOrder.InvoiceDetailOrderInfo.OrderIDInfo', 'orderID'),
    seller: contact(header, ['from', 'remitTo', 'supplierCorporate', 'soldFrom']),
    buyer: contact(header, ['soldTo', 'billTo']),
    ibans: [],
    lines: items.map((item) => ({
      id: item['@_invoiceLineNumber'] ? String(item['@_invoiceLineNumber']) : undefined,
      name: text(item, 'InvoiceDetailItemReference.Description', 'InvoiceDetailServiceItemReference.Description') ?? '',
      quantity: item['@_quantity'] ? String(item['@_quantity']) : undefined,
      unitPrice: money(item, 'UnitPrice'),
      netAmount: money(item, 'SubtotalAmount') ?? '',
    })),
    taxes: all(summary, 'Tax.TaxDetail').map((d) => ({
      category: d['@_category'] ? String(d['@_category']) : undefined,
      rate: d['@_percentageRate'] ? String(d['@_percentageRate']) : undefined,
      base: money(d, 'TaxableAmount') ?? '0',
      tax: money(d, 'TaxAmount') ?? '0',
    })),
    totals: {
      lineTotal: subtotal,
      chargeTotal: charges === '0' ? undefined : charges,
      taxExclusive: subtotal ? sum(subtotal, charges) : undefined,
      taxTotal: tax,
      taxInclusive: gross,
      // The discount comes after tax in cXML; like a prepayment it lies between gross and due.
      prepaid: gross && due ? new Dec(gross).minus(due).toString() : undefined,
      payable: due,
    },
  };
}
