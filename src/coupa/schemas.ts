/**
 * zod schemas of the Coupa records Settle reads, in Settle's camelCase convention
 * (the client converts from the hyphenated wire with `fromWire` before parsing).
 * Objects are loose: Coupa returns many more fields than Settle needs, and real tenants add
 * custom fields; unknown keys pass through untouched. Money and quantities stay decimal
 * strings — never JS numbers — and are turned into `Money`/`Decimal` only in `src/domain`.
 */
import { z } from 'zod';

/** A decimal amount as Coupa sends it ("425.99"); a bare JSON number is accepted and stringified. */
export const Decimal = z
  .union([z.string(), z.number()])
  .transform((v) => (typeof v === 'number' ? String(v) : v.trim()))
  .refine((v) => /^-?\d+(\.\d+)?$/.test(v), { message: 'expected a decimal number such as "425.99"' });

const NullableDecimal = Decimal.nullish();
const Id = z.number().int();
const DateTime = z.string();

export const Ref = z.looseObject({ id: Id.optional(), code: z.string().nullish(), name: z.string().nullish() });
export const CurrencyRef = z.looseObject({ id: Id.optional(), code: z.string() });
export const UserRef = z.looseObject({
  id: Id.optional(),
  login: z.string().nullish(),
  email: z.string().nullish(),
  firstname: z.string().nullish(),
  lastname: z.string().nullish(),
});
export const AccountRef = z.looseObject({ id: Id.optional(), code: z.string().nullish(), name: z.string().nullish() });
export const CountryRef = z.looseObject({ id: Id.optional(), code: z.string().nullish(), name: z.string().nullish() });

export const FailedTolerance = z.looseObject({
  id: Id.optional(),
  code: z.string(),
  failableType: z.string().nullish(),
  failableId: Id.nullish(),
  resolved: z.boolean().default(false),
  resolutionStrategy: z.string().nullish(),
  // Coupa does not document the format of breach figures ("5.00", "5%", …): kept as text.
  breachAmount: z.union([z.string(), z.number()]).transform(String).nullish(),
  breachLimit: z.union([z.string(), z.number()]).transform(String).nullish(),
  breachDetail1: z.string().nullish(),
  breachDetail2: z.string().nullish(),
});
export type FailedTolerance = z.infer<typeof FailedTolerance>;

export const RemitToAddress = z.looseObject({
  id: Id.optional(),
  remitToCode: z.string().nullish(),
  name: z.string().nullish(),
  street1: z.string().nullish(),
  street2: z.string().nullish(),
  city: z.string().nullish(),
  state: z.string().nullish(),
  postalCode: z.string().nullish(),
  country: CountryRef.nullish(),
  active: z.boolean().nullish(),
  vatNumber: z.string().nullish(),
});
export type RemitToAddress = z.infer<typeof RemitToAddress>;

export const InvoiceLine = z.looseObject({
  id: Id.optional(),
  lineNum: z.union([z.number(), z.string()]).nullish(),
  type: z.enum(['InvoiceQuantityLine', 'InvoiceAmountLine']).default('InvoiceQuantityLine'),
  description: z.string().nullish(),
  quantity: NullableDecimal,
  price: NullableDecimal,
  total: NullableDecimal,
  orderLineId: Id.nullish(),
  poNumber: z.string().nullish(),
  orderHeaderNum: z.string().nullish(),
  orderLineNum: z.string().nullish(),
  sourcePartNum: z.string().nullish(),
  matchReference: z.string().nullish(),
  taxAmount: NullableDecimal,
  taxRate: NullableDecimal,
  uom: Ref.nullish(),
  account: AccountRef.nullish(),
  item: z.looseObject({ id: Id.optional(), itemNumber: z.string().nullish(), name: z.string().nullish() }).nullish(),
  failedTolerances: z.array(FailedTolerance).default([]),
});
export type InvoiceLine = z.infer<typeof InvoiceLine>;

export const InvoiceStatus = z.enum([
  'new', 'draft', 'pending_approval', 'pending_receipt', 'approved', 'on_hold', 'ap_hold', 'booking_hold',
  'pending_action', 'disputed', 'rejected', 'abandoned', 'voided', 'processing', 'invalid', 'payable_adjustment',
  'save_as_draft',
]);
export type InvoiceStatus = z.infer<typeof InvoiceStatus>;

/** Tenants and releases add statuses; an unknown one must not make an invoice unreadable. */
const AnyInvoiceStatus = z.union([InvoiceStatus, z.string().min(1)]);

export const Invoice = z.looseObject({
  id: Id,
  invoiceNumber: z.string(),
  invoiceDate: z.string().nullish(),
  status: AnyInvoiceStatus,
  createdAt: DateTime.nullish(),
  updatedAt: DateTime.nullish(),
  currency: CurrencyRef.nullish(),
  supplier: z.looseObject({ id: Id.optional(), name: z.string().nullish(), number: z.string().nullish() }).nullish(),
  remitToAddress: RemitToAddress.nullish(),
  paymentTerm: Ref.nullish(),
  lineLevelTaxation: z.boolean().nullish(),
  taxAmount: NullableDecimal,
  taxRate: NullableDecimal,
  shippingAmount: NullableDecimal,
  handlingAmount: NullableDecimal,
  miscAmount: NullableDecimal,
  grossTotal: NullableDecimal,
  totalWithTaxes: NullableDecimal,
  paid: z.boolean().nullish(),
  paymentDate: z.string().nullish(),
  internalNote: z.string().nullish(),
  supplierNote: z.string().nullish(),
  comments: z.string().nullish(),
  requestedBy: UserRef.nullish(),
  toleranceFailures: z.string().nullish(),
  failedTolerances: z.array(FailedTolerance).default([]),
  disputeReasons: z.array(z.looseObject({ code: z.string().nullish() })).nullish(),
  invoiceLines: z.array(InvoiceLine).default([]),
  approvals: z.array(z.looseObject({})).nullish(),
});
export type Invoice = z.infer<typeof Invoice>;

export const MatchType = z.enum(['2-way', '3-way', '3-way-fifo', '3-way-direct', 'direct_matching', 'none']);
export type MatchType = z.infer<typeof MatchType>;

export const OrderLine = z.looseObject({
  id: Id,
  lineNum: z.union([z.number(), z.string()]).nullish(),
  type: z.enum(['OrderQuantityLine', 'OrderAmountLine']).default('OrderQuantityLine'),
  description: z.string().nullish(),
  quantity: NullableDecimal,
  price: NullableDecimal,
  total: NullableDecimal,
  received: NullableDecimal,
  invoiced: NullableDecimal,
  receiptRequired: z.boolean().nullish(),
  matchType: MatchType.nullish(),
  sourcePartNum: z.string().nullish(),
  orderHeaderId: Id.nullish(),
  account: AccountRef.nullish(),
  uom: Ref.nullish(),
  currency: CurrencyRef.nullish(),
  contract: z.looseObject({ id: Id.optional() }).nullish(),
});
export type OrderLine = z.infer<typeof OrderLine>;

export const PurchaseOrder = z.looseObject({
  id: Id,
  poNumber: z.string(),
  status: z.string(),
  currency: CurrencyRef.nullish(),
  supplier: z.looseObject({ id: Id.optional(), name: z.string().nullish() }).nullish(),
  requester: UserRef.nullish(),
  createdAt: DateTime.nullish(),
  updatedAt: DateTime.nullish(),
  orderLines: z.array(OrderLine).default([]),
});
export type PurchaseOrder = z.infer<typeof PurchaseOrder>;

export const ReceivingTransaction = z.looseObject({
  id: Id,
  type: z.string().default('InventoryReceipt'),
  status: z.string().nullish(),
  quantity: NullableDecimal,
  price: NullableDecimal,
  total: NullableDecimal,
  transactionDate: z.string().nullish(),
  matchReference: z.string().nullish(),
  orderLine: z.looseObject({ id: Id, orderHeaderId: Id.nullish(), lineNum: z.union([z.number(), z.string()]).nullish() }),
  createdAt: DateTime.nullish(),
});
export type ReceivingTransaction = z.infer<typeof ReceivingTransaction>;

export const Supplier = z.looseObject({
  id: Id,
  name: z.string(),
  displayName: z.string().nullish(),
  number: z.string().nullish(),
  status: z.string().default('active'),
  onHold: z.boolean().nullish(),
  taxId: z.string().nullish(),
  invoiceMatchingLevel: z.string().nullish(),
  paymentTerm: Ref.nullish(),
  primaryAddress: RemitToAddress.nullish(),
  remitToAddresses: z.array(RemitToAddress).default([]),
  createdAt: DateTime.nullish(),
  updatedAt: DateTime.nullish(),
});
export type Supplier = z.infer<typeof Supplier>;

/** Supplier Information (SIM) record: where bank details live in Coupa (§5.8). */
export const SupplierInformation = z.looseObject({
  id: Id,
  supplier: z.looseObject({ id: Id }).nullish(),
  supplierId: Id.nullish(),
  name: z.string().nullish(),
  taxId: z.string().nullish(),
  supplierInformationAddresses: z
    .array(
      z.looseObject({
        id: Id.optional(),
        kind: z.string().nullish(),
        bankName: z.string().nullish(),
        bankAccountNumber: z.string().nullish(),
        bankRoutingNumber: z.string().nullish(),
        ibanNumber: z.string().nullish(),
        swiftCode: z.string().nullish(),
        nameOnBankAccount: z.string().nullish(),
        street1: z.string().nullish(),
        city: z.string().nullish(),
        postalCode: z.string().nullish(),
        country: CountryRef.nullish(),
      }),
    )
    .default([]),
});
export type SupplierInformation = z.infer<typeof SupplierInformation>;

export const User = z.looseObject({
  id: Id,
  login: z.string(),
  email: z.string().nullish(),
  firstname: z.string().nullish(),
  lastname: z.string().nullish(),
  active: z.boolean().default(true),
  roles: z.array(z.looseObject({ name: z.string() })).nullish(),
  manager: UserRef.nullish(),
  invoiceApprovalLimit: z.looseObject({ amount: NullableDecimal }).nullish(),
});
export type User = z.infer<typeof User>;

export const PriceTerm = z.looseObject({
  sourcePartNum: z.string().nullish(),
  description: z.string().nullish(),
  price: Decimal,
  uom: Ref.nullish(),
  priceType: z.string().default('firm'),
});
export type PriceTerm = z.infer<typeof PriceTerm>;

export const Contract = z.looseObject({
  id: Id,
  name: z.string().nullish(),
  number: z.string().nullish(),
  status: z.string().nullish(),
  supplier: z.looseObject({ id: Id.optional(), name: z.string().nullish() }).nullish(),
  currency: CurrencyRef.nullish(),
  startDate: z.string().nullish(),
  endDate: z.string().nullish(),
  priceTerms: z.array(PriceTerm).default([]),
});
export type Contract = z.infer<typeof Contract>;

export const Comment = z.looseObject({
  id: Id.optional(),
  comments: z.string(),
  commentableType: z.string().nullish(),
  commentableId: Id.nullish(),
  toSupplier: z.boolean().default(false),
  createdAt: DateTime.nullish(),
  createdBy: UserRef.nullish(),
});
export type Comment = z.infer<typeof Comment>;

export const Approval = z.looseObject({
  id: Id,
  position: z.number().nullish(),
  status: z.string(),
  approvableType: z.string().nullish(),
  approvableId: Id.nullish(),
  approver: UserRef.nullish(),
  approverId: Id.nullish(),
  note: z.string().nullish(),
  createdAt: DateTime.nullish(),
});
export type Approval = z.infer<typeof Approval>;

/** Coupa's error body: `{"errors": {"invoice-header": ["msg", …]}}`. */
export const CoupaErrorBody = z.object({ errors: z.record(z.string(), z.unknown()) });
