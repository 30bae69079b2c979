/**
 * OASIS UBL 2.1 Invoice and CreditNote, as Peppol BIS Billing 3.0 and XRechnung UBL use them.
 * A credit note names its lines and quantities differently; everything else is shared.
 */
import { all, text, type XmlNode } from './xml.js';
import { isoDate, type EInvoice, type EParty } from './model.js';

function party(node: XmlNode | undefined): EParty {
  if (!node) return {};
  const schemes = all(node, 'PartyTaxScheme');
  const vat = schemes.find((s) => text(s, 'TaxScheme.ID')?.toUpperCase() === 'VAT');
  const other = schemes.find((s) => s !== vat);
  const address = all(node, 'PostalAddress')[0];
  return {
    name: text(node, 'PartyLegalEntity.RegistrationName', 'PartyName.Name'),
    tradingName: text(node, 'PartyName.Name'),
    vatId: text(vat, 'CompanyID'),
    taxId: text(other, 'CompanyID'),
    email: text(node, 'Contact.ElectronicMail'),
    country: text(address, 'Country.IdentificationCode'),
    address: address
      ? [
          text(address, 'StreetName'),
          text(address, 'AdditionalStreetName'),
          [text(address, 'PostalZone'), text(address, 'CityName')].filter(Boolean).join(' '),
        ]
          .filter(Boolean)
          .join(', ')
      : undefined,
  };
}

/** The document-level tax total: the one with a breakdown, or in the document currency (BT-110 vs BT-111). */
function taxTotal(root: XmlNode, currency: string | undefined): XmlNode | undefined {
  const totals = all(root, 'TaxTotal');
  return (
    totals.find((t) => all(t, 'TaxSubtotal').length > 0) ??
    totals.find((t) => all(t, 'TaxAmount')[0]?.['@_currencyID'] === currency) ??
    totals[0]
  );
}

/** Read a parsed UBL Invoice or CreditNote (root element already unwrapped). */
export function readUbl(root: XmlNode, kind: 'Invoice' | 'CreditNote'): EInvoice {
  const currency = text(root, 'DocumentCurrencyCode');
  const tax = taxTotal(root, currency);
  const totals = all(root, 'LegalMonetaryTotal')[0];
  const lineTag = kind === 'Invoice' ? 'InvoiceLine' : 'CreditNoteLine';
  const qtyTag = kind === 'Invoice' ? 'InvoicedQuantity' : 'CreditedQuantity';
  return {
    syntax: 'UBL',
    profile: text(root, 'CustomizationID'),
    typeCode: text(root, 'InvoiceTypeCode', 'CreditNoteTypeCode') ?? (kind === 'CreditNote' ? '381' : '380'),
    number: text(root, 'ID'),
    issueDate: isoDate(text(root, 'IssueDate')),
    dueDate: isoDate(text(root, 'DueDate', 'PaymentMeans.PaymentDueDate')),
    currency,
    orderReference: text(root, 'OrderReference.ID'),
    buyerReference: text(root, 'BuyerReference'),
    seller: party(all(root, 'AccountingSupplierParty.Party')[0]),
    buyer: party(all(root, 'AccountingCustomerParty.Party')[0]),
    ibans: all(root, 'PaymentMeans.PayeeFinancialAccount.ID')
      .map((n) => text(n, '#text') ?? '')
      .filter(Boolean),
    lines: all(root, lineTag).map((line) => ({
      id: text(line, 'ID'),
      name: text(line, 'Item.Name') ?? text(line, 'Item.Description') ?? '',
      quantity: text(line, qtyTag),
      unitPrice: text(line, 'Price.PriceAmount'),
      baseQuantity: text(line, 'Price.BaseQuantity'),
      netAmount: text(line, 'LineExtensionAmount') ?? '',
    })),
    taxes: all(tax, 'TaxSubtotal').map((s) => ({
      category: text(s, 'TaxCategory.ID'),
      rate: text(s, 'TaxCategory.Percent'),
      base: text(s, 'TaxableAmount') ?? '0',
      tax: text(s, 'TaxAmount') ?? '0',
    })),
    totals: {
      lineTotal: text(totals, 'LineExtensionAmount'),
      allowanceTotal: text(totals, 'AllowanceTotalAmount'),
      chargeTotal: text(totals, 'ChargeTotalAmount'),
      taxExclusive: text(totals, 'TaxExclusiveAmount'),
      taxTotal: text(tax, 'TaxAmount'),
      taxInclusive: text(totals, 'TaxInclusiveAmount'),
      prepaid: text(totals, 'PrepaidAmount'),
      rounding: text(totals, 'PayableRoundingAmount'),
      payable: text(totals, 'PayableAmount'),
    },
  };
}
