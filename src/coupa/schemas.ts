/**
 * zod schemas of the Coupa records Settle reads, in Settle's camelCase convention
 * (the client converts from the hyphenated or underscored wire with `fromWire` before parsing).
 *
 * The schemas follow Coupa's documented field types and accept every benign variant of them
 * (scalars.ts): integers as numbers or numeric strings, decimals as strings or JSON numbers,
 * booleans as "true"/"false", null ≡ absent ≡ "" for optional fields, one object where an array
 * belongs, references by bare id or natural key. Objects are loose: unknown keys and
 * `custom-fields` stay on the record and are ignored by the logic. Money and quantities stay
 * decimal strings — never JS numbers — and become `Money`/`Decimal` only in `src/domain`.
 * A field that still cannot be read is dropped by `parseRecord` and named in `readProblems`.
 */
import { z } from 'zod';
import {
  absentable,
  asList,
  Bool,
  Code,
  DateTime,
  Decimal as DecimalText,
  Int,
  Text,
  isBlank,
  list,
  opt,
  ref,
  snakeValue,
  unwrapScalar,
} from './scalars.js';

/** A decimal amount as a plain decimal string ("425.99"); JSON numbers and other spellings are converted exactly. */
export const Decimal = DecimalText;

const NullableDecimal = opt(Decimal);
const Id = Int;
const OptId = opt(Int);
/** A record's own id inside another record: a number, or absent (never null). */
const RefId = absentable(Int);
const OptText = opt(Text);
const OptCode = opt(Code);
const OptBool = opt(Bool);
const OptDateTime = opt(DateTime);

/** One field Settle could not read, as `parseRecord` reports it (see read-problems.ts). */
export const ReadProblem = z.object({
  /** Resource name, e.g. `invoice`, `purchase order`. */
  resource: z.string(),
  recordId: z.union([z.number(), z.string()]).optional(),
  /** Wire path of the field, e.g. `invoice-lines[0].order-line-num`. */
  field: z.string(),
  /** The value seen, as JSON text (shortened). */
  seen: z.string(),
  /** What was expected. */
  problem: z.string(),
  /** `field`: the value was set aside; `element`: a whole collection element or sub-record was. */
  lost: z.enum(['field', 'element']),
});
export type ReadProblem = z.infer<typeof ReadProblem>;

/** Every top-level record carries the fields it could not read (never taken from the wire). */
const readable = { readProblems: z.array(ReadProblem).optional() };

export const Ref = z.looseObject({ id: RefId, code: OptCode, name: OptText });
export const CurrencyRef = z.looseObject({ id: RefId, code: Code });
export const UserRef = z.looseObject({
  id: RefId,
  login: OptText,
  email: OptText,
  firstname: OptText,
  lastname: OptText,
});
export const AccountRef = z.looseObject({ id: RefId, code: OptCode, name: OptText });
export const CountryRef = z.looseObject({ id: RefId, code: OptCode, name: OptText });

/** Coupa does not document the format of breach figures ("5.00", "5%", …): kept as text. */
const BreachText = opt(
  z.unknown().transform((raw, ctx) => {
    const v = unwrapScalar(raw);
    if (typeof v === 'string' || typeof v === 'number') return String(v);
    ctx.addIssue({ code: 'custom', message: 'expected a figure' });
    return z.NEVER;
  }),
);

export const FailedTolerance = z.looseObject({
  id: RefId,
  // A failed tolerance whose code cannot be read is still a failed tolerance.
  code: opt(Code).transform((c) => c ?? 'UNKNOWN'),
  failableType: OptText,
  failableId: OptId,
  resolved: OptBool.transform((v) => v ?? false),
  resolutionStrategy: OptText,
  breachAmount: BreachText,
  breachLimit: BreachText,
  breachDetail1: OptText,
  breachDetail2: OptText,
});
export type FailedTolerance = z.infer<typeof FailedTolerance>;

export const RemitToAddress = z.looseObject({
  id: RefId,
  remitToCode: OptCode,
  name: OptText,
  street1: OptText,
  street2: OptText,
  city: OptText,
  state: OptText,
  postalCode: OptText,
  country: ref(CountryRef, 'code'),
  active: OptBool,
  vatNumber: OptText,
});
export type RemitToAddress = z.infer<typeof RemitToAddress>;

/** `InvoiceAmountLine`, `invoice_amount_line`, `Amount` … → Coupa's class name. */
function lineType<T extends string, A extends string>(quantity: T, amount: A) {
  // Absent means Coupa's default, the quantity line (a preprocess runs for absent keys too).
  return z.preprocess(
    (raw) => (isBlank(raw) ? quantity : unwrapScalar(raw)),
    z.unknown().transform((v, ctx): T | A => {
      const key = typeof v === 'string' ? v.toLowerCase().replace(/[^a-z]/g, '') : '';
      if (key.includes('amount')) return amount;
      if (key.includes('quantity') || key.includes('qty')) return quantity;
      ctx.addIssue({ code: 'custom', message: `expected ${quantity} or ${amount}` });
      return z.NEVER;
    }),
  );
}

/** A line number: Coupa prints it as a number or a string; a numeric one reads as the number. */
const LineNum = opt(z.union([Int, Text]));

export const InvoiceLine = z.looseObject({
  id: RefId,
  lineNum: LineNum,
  type: lineType('InvoiceQuantityLine', 'InvoiceAmountLine'),
  description: OptText,
  quantity: NullableDecimal,
  price: NullableDecimal,
  total: NullableDecimal,
  orderLineId: OptId,
  poNumber: OptCode,
  orderHeaderNum: OptCode,
  orderLineNum: OptCode,
  sourcePartNum: OptCode,
  matchReference: OptCode,
  taxAmount: NullableDecimal,
  taxRate: NullableDecimal,
  uom: ref(Ref, 'code'),
  account: ref(AccountRef, 'code'),
  item: ref(z.looseObject({ id: RefId, itemNumber: OptCode, name: OptText }), 'name'),
  failedTolerances: list(FailedTolerance),
});
export type InvoiceLine = z.infer<typeof InvoiceLine>;

export { InvoiceStatus } from './invoice-statuses.js';

/** Tenants and releases add statuses; an unknown one must not make an invoice unreadable. "AP Hold" is `ap_hold`. */
const AnyInvoiceStatus = Code.pipe(z.string().min(1, { error: 'expected a status' })).transform(snakeValue);

/** `supplier-id: 7` beside (or instead of) `supplier: {id: 7}`: lift flat references into objects. */
export function liftFlatRefs(keys: readonly string[]) {
  return (raw: unknown): unknown => {
    if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) return raw;
    const o = raw as Record<string, unknown>;
    let out: Record<string, unknown> | undefined;
    for (const key of keys) {
      if (!isBlank(o[key])) continue;
      for (const [suffix, field] of [
        ['Id', 'id'],
        ['Code', 'code'],
        ['Login', 'login'],
        ['Name', 'name'],
      ] as const) {
        const flat = o[`${key}${suffix}`];
        if (!isBlank(flat) && (typeof flat === 'string' || typeof flat === 'number')) {
          out ??= { ...o };
          out[key] = { ...((out[key] as object | null | undefined) ?? {}), [field]: flat };
        }
      }
    }
    return out ?? raw;
  };
}

/**
 * An invoice line that links its PO line by a nested reference (`"order-line": {"id": 7,
 * "line-num": 1, "order-header-number": "4001"}`, as receipts do, or a bare id) instead of
 * `order-line-id`: the reference is lifted into the flat fields the matcher reads. Flat fields,
 * when present, win.
 */
export function liftOrderLineRefs(raw: unknown): unknown {
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) return raw;
  const o = raw as Record<string, unknown>;
  const lines = asList(o.invoiceLines);
  if (
    !Array.isArray(lines) ||
    !lines.some((l) => l !== null && typeof l === 'object' && !isBlank((l as Record<string, unknown>).orderLine))
  )
    return raw;
  return {
    ...o,
    invoiceLines: lines.map((l) =>
      l !== null && typeof l === 'object' ? liftOrderLineRef(l as Record<string, unknown>) : l,
    ),
  };
}

function liftOrderLineRef(line: Record<string, unknown>): Record<string, unknown> {
  const ref = unwrapScalar(line.orderLine);
  if (isBlank(ref)) return line;
  const r: Record<string, unknown> =
    ref !== null && typeof ref === 'object' ? (ref as Record<string, unknown>) : { id: ref };
  const header =
    r.orderHeader !== null && typeof r.orderHeader === 'object' ? (r.orderHeader as Record<string, unknown>) : {};
  const lifted: Record<string, unknown> = {
    orderLineId: r.id,
    orderLineNum: r.lineNum,
    poNumber: r.poNumber ?? r.orderHeaderNumber ?? r.orderHeaderNum ?? header.poNumber,
  };
  const out = { ...line };
  for (const [key, value] of Object.entries(lifted)) if (isBlank(out[key]) && !isBlank(value)) out[key] = value;
  return out;
}

/** A file on an invoice or comment (`AttachmentFile`, `AttachmentUrl`, `AttachmentText`). */
export const Attachment = z.looseObject({ type: OptCode, intent: OptCode, fileFileName: OptText });

export const Invoice = z.looseObject({
  id: Id,
  invoiceNumber: Code,
  invoiceDate: OptDateTime,
  status: AnyInvoiceStatus,
  createdAt: OptDateTime,
  updatedAt: OptDateTime,
  currency: ref(CurrencyRef, 'code'),
  supplier: ref(z.looseObject({ id: RefId, name: OptText, number: OptCode }), 'name'),
  remitToAddress: ref(RemitToAddress, 'code'),
  paymentTerm: ref(Ref, 'code'),
  lineLevelTaxation: OptBool,
  taxAmount: NullableDecimal,
  taxRate: NullableDecimal,
  shippingAmount: NullableDecimal,
  handlingAmount: NullableDecimal,
  miscAmount: NullableDecimal,
  grossTotal: NullableDecimal,
  totalWithTaxes: NullableDecimal,
  paid: OptBool,
  paymentDate: OptDateTime,
  internalNote: OptText,
  supplierNote: OptText,
  comments: OptText,
  requestedBy: ref(UserRef, 'login'),
  toleranceFailures: OptText,
  failedTolerances: list(FailedTolerance),
  disputeReasons: list(ref(z.looseObject({ code: OptCode }), 'code')).nullish(),
  invoiceLines: list(InvoiceLine),
  /** Files on the invoice; their names are chosen by whoever uploaded them (supplier text). */
  attachments: list(Attachment),
  approvals: list(z.looseObject({})).nullish(),
  ...readable,
});
export type Invoice = z.infer<typeof Invoice>;

export const MatchType = z.enum(['2-way', '3-way', '3-way-fifo', '3-way-direct', 'direct_matching', 'none']);
export type MatchType = z.infer<typeof MatchType>;

/** `3_way`, `Three-Way`, `3 way fifo`, `direct-matching` → Coupa's value. */
const AnyMatchType = z.unknown().transform((raw, ctx): MatchType => {
  const v = unwrapScalar(raw);
  const s =
    typeof v === 'string'
      ? v
          .trim()
          .toLowerCase()
          .replace(/three/g, '3')
          .replace(/two/g, '2')
          .replace(/[\s_]+/g, '-')
      : '';
  if (s === 'direct-matching' || s === 'direct') return 'direct_matching';
  const parsed = MatchType.safeParse(s);
  if (parsed.success) return parsed.data;
  ctx.addIssue({ code: 'custom', message: `expected a match type (${MatchType.options.join(', ')})` });
  return z.NEVER;
});

export const OrderLine = z.looseObject({
  id: Id,
  lineNum: LineNum,
  type: lineType('OrderQuantityLine', 'OrderAmountLine'),
  description: OptText,
  quantity: NullableDecimal,
  price: NullableDecimal,
  total: NullableDecimal,
  received: NullableDecimal,
  invoiced: NullableDecimal,
  receiptRequired: OptBool,
  matchType: opt(AnyMatchType),
  sourcePartNum: OptCode,
  orderHeaderId: OptId,
  account: ref(AccountRef, 'code'),
  uom: ref(Ref, 'code'),
  currency: ref(CurrencyRef, 'code'),
  contract: ref(z.looseObject({ id: RefId }), 'name'),
});
export type OrderLine = z.infer<typeof OrderLine>;

export const PurchaseOrder = z.looseObject({
  id: Id,
  poNumber: Code,
  status: OptCode.transform((s) => s ?? 'unknown'),
  currency: ref(CurrencyRef, 'code'),
  supplier: ref(z.looseObject({ id: RefId, name: OptText }), 'name'),
  requester: ref(UserRef, 'login'),
  createdAt: OptDateTime,
  updatedAt: OptDateTime,
  orderLines: list(OrderLine),
  ...readable,
});
export type PurchaseOrder = z.infer<typeof PurchaseOrder>;

export const ReceivingTransaction = z.looseObject({
  id: Id,
  type: OptText.transform((t) => t ?? 'InventoryReceipt'),
  status: OptCode,
  quantity: NullableDecimal,
  price: NullableDecimal,
  total: NullableDecimal,
  transactionDate: OptDateTime,
  matchReference: OptCode,
  // The order line it receives against: an object, or a bare id.
  orderLine: z.preprocess(
    (v) => (typeof v === 'number' || typeof v === 'string' ? { id: v } : unwrapScalar(v)),
    z.looseObject({ id: Id, orderHeaderId: OptId, lineNum: LineNum }),
  ),
  createdAt: OptDateTime,
  ...readable,
});
export type ReceivingTransaction = z.infer<typeof ReceivingTransaction>;

export const Supplier = z.looseObject({
  id: Id,
  name: Text,
  displayName: OptText,
  number: OptCode,
  status: OptCode.transform((s) => s ?? 'active'),
  onHold: OptBool,
  taxId: OptCode,
  invoiceMatchingLevel: OptCode,
  paymentTerm: ref(Ref, 'code'),
  primaryAddress: ref(RemitToAddress, 'code'),
  remitToAddresses: list(RemitToAddress),
  /** Where the supplier can be told from its documents by domain (ingestion's supplier evidence). */
  website: OptText,
  poEmail: OptText,
  primaryContact: opt(z.looseObject({ email: OptText })),
  createdAt: OptDateTime,
  updatedAt: OptDateTime,
  ...readable,
});
export type Supplier = z.infer<typeof Supplier>;

/** Supplier Information (SIM) record: where bank details live in Coupa (§5.8). */
export const SupplierInformation = z.looseObject({
  id: Id,
  supplier: ref(z.looseObject({ id: Id }), 'name'),
  supplierId: OptId,
  name: OptText,
  taxId: OptCode,
  supplierInformationAddresses: list(
    z.looseObject({
      id: RefId,
      kind: OptText,
      bankName: OptText,
      bankAccountNumber: OptCode,
      bankRoutingNumber: OptCode,
      ibanNumber: OptCode,
      swiftCode: OptCode,
      nameOnBankAccount: OptText,
      street1: OptText,
      city: OptText,
      postalCode: OptText,
      country: ref(CountryRef, 'code'),
    }),
  ),
  ...readable,
});
export type SupplierInformation = z.infer<typeof SupplierInformation>;

export const User = z.looseObject({
  id: Id,
  login: Code,
  email: OptText,
  firstname: OptText,
  lastname: OptText,
  active: OptBool.transform((v) => v ?? true),
  roles: list(ref(z.looseObject({ name: Text }), 'name')).nullish(),
  manager: ref(UserRef, 'login'),
  invoiceApprovalLimit: opt(z.looseObject({ amount: NullableDecimal })),
  ...readable,
});
export type User = z.infer<typeof User>;

export const PriceTerm = z.looseObject({
  sourcePartNum: OptCode,
  description: OptText,
  price: Decimal,
  uom: ref(Ref, 'code'),
  priceType: OptCode.transform((t) => t ?? 'firm'),
});
export type PriceTerm = z.infer<typeof PriceTerm>;

export const Contract = z.looseObject({
  id: Id,
  name: OptText,
  number: OptCode,
  status: OptCode,
  supplier: ref(z.looseObject({ id: RefId, name: OptText }), 'name'),
  currency: ref(CurrencyRef, 'code'),
  startDate: OptDateTime,
  endDate: OptDateTime,
  priceTerms: list(PriceTerm),
  ...readable,
});
export type Contract = z.infer<typeof Contract>;

/** The comment text: Coupa calls it `comments`; `comment`, `text` and `body` are read too. */
export function commentText(raw: unknown): unknown {
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) return raw;
  const o = raw as Record<string, unknown>;
  if (!isBlank(o.comments)) return raw;
  const alt = [o.comment, o.text, o.body].find((v) => !isBlank(v));
  return alt === undefined ? { ...o, comments: '' } : { ...o, comments: alt };
}

/**
 * A comment. One with no Coupa author (`created-by` null, or `{id: null}`, as the supplier portal
 * and e-mail channels leave it) is supplier-written, untrusted text.
 */
export const Comment = z.looseObject({
  id: RefId,
  comments: Text,
  commentableType: OptText,
  commentableId: OptId,
  toSupplier: OptBool.transform((v) => v ?? false),
  createdAt: OptDateTime,
  createdBy: ref(UserRef, 'login'),
  attachments: list(Attachment),
  ...readable,
});
export type Comment = z.infer<typeof Comment>;

export const Approval = z.looseObject({
  id: Id,
  position: opt(Int),
  status: Code.transform(snakeValue),
  approvableType: OptText,
  approvableId: OptId,
  approver: ref(UserRef, 'login'),
  approverId: OptId,
  note: OptText,
  createdAt: OptDateTime,
  ...readable,
});
export type Approval = z.infer<typeof Approval>;

/** Coupa's error body: `{"errors": {"invoice-header": ["msg", …]}}`. */
export const CoupaErrorBody = z.object({ errors: z.record(z.string(), z.unknown()) });
