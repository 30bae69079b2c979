/**
 * UN/CEFACT Cross Industry Invoice: Factur-X / ZUGFeRD 2.x and XRechnung CII
 * (`CrossIndustryInvoice`), and ZUGFeRD 1.0 (`CrossIndustryDocument`), whose element names differ
 * only in a few wrappers — each path below lists the 2.x name first, then the 1.0 one.
 */
import { all, attr, text, textOf, type XmlNode } from './xml.js';
import { isoDate, type EInvoice, type EParty } from './model.js';

function party(node: XmlNode | undefined): EParty {
  if (!node) return {};
  const registrations = all(node, 'SpecifiedTaxRegistration');
  const byScheme = (scheme: string): string | undefined =>
    text(
      registrations.find((r) => attr(r, 'ID', 'schemeID') === scheme),
      'ID',
    );
  const address = all(node, 'PostalTradeAddress')[0];
  return {
    name: text(node, 'Name'),
    tradingName: text(node, 'SpecifiedLegalOrganization.TradingBusinessName'),
    vatId: byScheme('VA'),
    taxId: byScheme('FC'),
    email: text(node, 'URIUniversalCommunication.URIID', 'DefinedTradeContact.EmailURIUniversalCommunication.URIID'),
    country: text(address, 'CountryID'),
    address: address
      ? [
          text(address, 'LineOne'),
          text(address, 'LineTwo'),
          [text(address, 'PostcodeCode'), text(address, 'CityName')].filter(Boolean).join(' '),
        ]
          .filter(Boolean)
          .join(', ')
      : undefined,
  };
}

/** A monetary total; CII may repeat TaxTotalAmount in the accounting currency, so prefer the invoice's. */
function amount(summation: XmlNode | undefined, name: string, currency: string | undefined): string | undefined {
  const nodes = all(summation, name);
  const own = nodes.find((n) => !n['@_currencyID'] || n['@_currencyID'] === currency) ?? nodes[0];
  return textOf(own);
}

/** Read a parsed CII document (root element already unwrapped). */
export function readCii(root: XmlNode, version: 'CII' | 'ZUGFeRD-1'): EInvoice {
  const doc = all(root, version === 'CII' ? 'ExchangedDocument' : 'HeaderExchangedDocument')[0];
  const tx = all(root, version === 'CII' ? 'SupplyChainTradeTransaction' : 'SpecifiedSupplyChainTradeTransaction')[0];
  const agreement = all(
    tx,
    version === 'CII' ? 'ApplicableHeaderTradeAgreement' : 'ApplicableSupplyChainTradeAgreement',
  )[0];
  const settlement = all(
    tx,
    version === 'CII' ? 'ApplicableHeaderTradeSettlement' : 'ApplicableSupplyChainTradeSettlement',
  )[0];
  const summation = all(
    settlement,
    version === 'CII' ? 'SpecifiedTradeSettlementHeaderMonetarySummation' : 'SpecifiedTradeSettlementMonetarySummation',
  )[0];
  const currency = text(settlement, 'InvoiceCurrencyCode');
  const lineItems = all(tx, 'IncludedSupplyChainTradeLineItem');
  return {
    syntax: version,
    profile: text(
      root,
      'ExchangedDocumentContext.GuidelineSpecifiedDocumentContextParameter.ID',
      'SpecifiedExchangedDocumentContext.GuidelineSpecifiedDocumentContextParameter.ID',
    ),
    typeCode: text(doc, 'TypeCode'),
    number: text(doc, 'ID'),
    issueDate: isoDate(text(doc, 'IssueDateTime.DateTimeString', 'IssueDateTime')),
    dueDate: isoDate(text(settlement, 'SpecifiedTradePaymentTerms.DueDateDateTime.DateTimeString')),
    currency,
    orderReference: text(agreement, 'BuyerOrderReferencedDocument.IssuerAssignedID', 'BuyerOrderReferencedDocument.ID'),
    buyerReference: text(agreement, 'BuyerReference'),
    seller: party(all(agreement, 'SellerTradeParty')[0]),
    buyer: party(all(agreement, 'BuyerTradeParty')[0]),
    ibans: all(settlement, 'SpecifiedTradeSettlementPaymentMeans.PayeePartyCreditorFinancialAccount.IBANID')
      .map((n) => text(n, '#text') ?? '')
      .filter(Boolean),
    lines: lineItems.map((item) => {
      const agreementL = all(
        item,
        version === 'CII' ? 'SpecifiedLineTradeAgreement' : 'SpecifiedSupplyChainTradeAgreement',
      )[0];
      const delivery = all(
        item,
        version === 'CII' ? 'SpecifiedLineTradeDelivery' : 'SpecifiedSupplyChainTradeDelivery',
      )[0];
      const lineSettlement = all(
        item,
        version === 'CII' ? 'SpecifiedLineTradeSettlement' : 'SpecifiedSupplyChainTradeSettlement',
      )[0];
      return {
        id: text(item, 'AssociatedDocumentLineDocument.LineID'),
        name: text(item, 'SpecifiedTradeProduct.Name') ?? '',
        quantity: text(delivery, 'BilledQuantity'),
        unitPrice: text(agreementL, 'NetPriceProductTradePrice.ChargeAmount'),
        baseQuantity: text(agreementL, 'NetPriceProductTradePrice.BasisQuantity'),
        netAmount:
          text(
            lineSettlement,
            'SpecifiedTradeSettlementLineMonetarySummation.LineTotalAmount',
            'SpecifiedTradeSettlementMonetarySummation.LineTotalAmount',
          ) ?? '',
      };
    }),
    taxes: all(settlement, 'ApplicableTradeTax').map((t) => ({
      category: text(t, 'CategoryCode'),
      rate: text(t, 'RateApplicablePercent', 'ApplicablePercent'),
      base: text(t, 'BasisAmount') ?? '0',
      tax: text(t, 'CalculatedAmount') ?? '0',
    })),
    totals: {
      lineTotal: amount(summation, 'LineTotalAmount', currency),
      allowanceTotal: amount(summation, 'AllowanceTotalAmount', currency),
      chargeTotal: amount(summation, 'ChargeTotalAmount', currency),
      taxExclusive: amount(summation, 'TaxBasisTotalAmount', currency),
      taxTotal: amount(summation, 'TaxTotalAmount', currency),
      taxInclusive: amount(summation, 'GrandTotalAmount', currency),
      prepaid: amount(summation, 'TotalPrepaidAmount', currency),
      rounding: amount(summation, 'RoundingAmount', currency),
      payable: amount(summation, 'DuePayableAmount', currency),
    },
  };
}
