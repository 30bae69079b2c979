/**
 * Small builders for domain tests: each returns a record parsed by the real Coupa schemas, with
 * sensible defaults for one clean 3-way matched invoice. Tests change only what they are about.
 */
import {
  Contract,
  Invoice,
  InvoiceLine,
  OrderLine,
  PurchaseOrder,
  ReceivingTransaction,
  Supplier,
  SupplierInformation,
  User,
} from '../src/coupa/schemas.js';
import type { InvoiceContext } from '../src/domain/context.js';
import { Dec } from '../src/domain/money.js';

export const NOW = new Date('2026-03-02T10:00:00Z');
export const SUPPLIER_ID = 100;
export const PO_ID = 4001;
export const ORDER_LINE_ID = 7001;
export const INVOICE_ID = 5001;

type Patch<T> = Partial<T> & Record<string, unknown>;

export function supplier(patch: Patch<Supplier> = {}): Supplier {
  return Supplier.parse({
    id: SUPPLIER_ID,
    name: 'Acme Supply Inc.',
    status: 'active',
    onHold: false,
    taxId: '12-3456789',
    invoiceMatchingLevel: '3-way',
    paymentTerm: { code: 'Net 30' },
    createdAt: '2023-01-10T00:00:00Z',
    remitToAddresses: [
      {
        id: 900,
        remitToCode: 'RT-900',
        street1: '1 Main St',
        city: 'Albany',
        postalCode: '12207',
        country: { code: 'US' },
        active: true,
      },
    ],
    ...patch,
  });
}

export function supplierInfo(
  patch: { supplierId?: number; iban?: string; account?: string; routing?: string; taxId?: string } = {},
): SupplierInformation {
  return SupplierInformation.parse({
    id: 300 + (patch.supplierId ?? SUPPLIER_ID),
    supplier: { id: patch.supplierId ?? SUPPLIER_ID },
    taxId: patch.taxId ?? null,
    supplierInformationAddresses: [
      {
        kind: 'RTA',
        bankName: 'First Bank',
        ibanNumber: patch.iban ?? null,
        bankAccountNumber: patch.account ?? '000123456789',
        bankRoutingNumber: patch.routing ?? '021000021',
      },
    ],
  });
}

export function orderLine(patch: Patch<OrderLine> = {}): OrderLine {
  return OrderLine.parse({
    id: ORDER_LINE_ID,
    lineNum: '1',
    type: 'OrderQuantityLine',
    description: 'Widget',
    quantity: '10',
    price: '10.00',
    total: '100.00',
    received: '10',
    invoiced: '0',
    receiptRequired: true,
    matchType: '3-way',
    sourcePartNum: 'W-1',
    orderHeaderId: PO_ID,
    currency: { code: 'USD' },
    account: { code: '6410-OPS-Supplies' },
    ...patch,
  });
}

export function purchaseOrder(lines: OrderLine[] = [orderLine()], patch: Patch<PurchaseOrder> = {}): PurchaseOrder {
  return PurchaseOrder.parse({
    id: PO_ID,
    poNumber: String(PO_ID),
    status: 'issued',
    currency: { code: 'USD' },
    supplier: { id: SUPPLIER_ID, name: 'Acme Supply Inc.' },
    requester: { id: 21, login: 'jlee' },
    orderLines: lines,
    ...patch,
  });
}

let nextReceiptId = 8000;

export function receipt(quantity: string, patch: Patch<ReceivingTransaction> = {}): ReceivingTransaction {
  return ReceivingTransaction.parse({
    id: nextReceiptId++,
    type: 'InventoryReceipt',
    status: 'created',
    quantity,
    price: '10.00',
    orderLine: { id: ORDER_LINE_ID, orderHeaderId: PO_ID },
    transactionDate: '2026-02-10T00:00:00Z',
    ...patch,
  });
}

/** An invoice line; total defaults to quantity × price. */
export function invoiceLine(patch: Patch<InvoiceLine> = {}): InvoiceLine {
  const quantity = (patch.quantity as string | undefined) ?? '10';
  const price = (patch.price as string | undefined) ?? '10.00';
  return InvoiceLine.parse({
    lineNum: 1,
    type: 'InvoiceQuantityLine',
    description: 'Widget',
    quantity,
    price,
    total: new Dec(quantity).times(price).toFixed(2),
    orderLineId: ORDER_LINE_ID,
    poNumber: String(PO_ID),
    orderLineNum: '1',
    sourcePartNum: 'W-1',
    ...patch,
  });
}

/** An invoice; grossTotal defaults to the sum of line totals plus the tax amount. */
export function invoice(lines: InvoiceLine[] = [invoiceLine()], patch: Patch<Invoice> = {}): Invoice {
  const tax = (patch.taxAmount as string | undefined) ?? '0.00';
  const gross = lines
    .reduce((s, l) => s.plus(l.total ?? '0'), new Dec(0))
    .plus(tax)
    .toFixed(2);
  return Invoice.parse({
    id: INVOICE_ID,
    invoiceNumber: 'INV-1001',
    invoiceDate: '2026-02-20',
    status: 'ap_hold',
    currency: { code: 'USD' },
    supplier: { id: SUPPLIER_ID, name: 'Acme Supply Inc.' },
    paymentTerm: { code: 'Net 30' },
    lineLevelTaxation: false,
    taxAmount: tax,
    grossTotal: gross,
    totalWithTaxes: gross,
    remitToAddress: { id: 900, remitToCode: 'RT-900' },
    invoiceLines: lines,
    attachments: [],
    ...patch,
  });
}

export function contract(
  terms: Array<{ sourcePartNum: string; price: string }>,
  patch: Patch<Contract> = {},
): Contract {
  return Contract.parse({
    id: 600,
    number: 'CON-600',
    status: 'published',
    supplier: { id: SUPPLIER_ID },
    currency: { code: 'USD' },
    startDate: '2025-01-01',
    endDate: '2027-12-31',
    priceTerms: terms.map((t) => ({ ...t, priceType: 'firm' })),
    ...patch,
  });
}

export function user(login: string, id = 1): User {
  return User.parse({ id, login });
}

/** A clean 3-way matched context: 10 × 10.00 ordered, received and billed. */
export function context(patch: Partial<InvoiceContext> = {}): InvoiceContext {
  return {
    invoice: invoice(),
    supplier: supplier(),
    supplierInformation: [supplierInfo()],
    purchaseOrders: [purchaseOrder()],
    receipts: [receipt('10')],
    contracts: [],
    history: [],
    otherSuppliers: [],
    comments: [],
    users: [user('ap.review')],
    ...patch,
  };
}
