/** Invoice records and the case wrapper for the hand-designed cases. */
import { Decimal } from 'decimal.js';
import { NOW, remitTo, supplier, supplierInfo, USERS, type Rec, type SupplierSpec } from './kit.js';

export interface InvoiceLineSpec {
  id: number;
  qty?: string;
  price: string;
  description?: string;
  /** The PO line billed (po number and order line id); absent on non-PO lines. */
  po?: { poId: number; lineId: number; part?: string };
  /** An amount line: `price` is the line total. */
  amount?: boolean;
  account?: string;
  /** Failed tolerance Coupa recorded on this line (its code), if any. */
  failed?: string;
}

export interface InvoiceSpec {
  id: number;
  number: string;
  supplier: SupplierSpec;
  lines: InvoiceLineSpec[];
  date?: string;
  status?: string;
  paid?: boolean;
  /** Header tax: rate in % and amount; default no tax. */
  tax?: { rate: string; amount: string };
  note?: string | null;
  requestedBy?: string;
  paymentTerm?: string | null;
  remit?: Rec | null;
  holdReason?: string;
  attachments?: boolean;
  /** The supplier's attachment file name (default: the invoice number). */
  attachmentName?: string;
  shipping?: string;
}

const money = (d: Decimal): string => d.toFixed(2);

function line(spec: InvoiceSpec, l: InvoiceLineSpec, i: number): Rec {
  const total = l.amount ? new Decimal(l.price) : new Decimal(l.qty ?? '1').times(l.price);
  return {
    id: l.id,
    'line-num': i + 1,
    type: l.amount ? 'InvoiceAmountLine' : 'InvoiceQuantityLine',
    description: l.description ?? 'Goods as ordered',
    ...(l.amount ? {} : { quantity: l.qty ?? '1' }),
    price: l.price,
    total: money(total),
    ...(l.po
      ? {
          'order-line-id': l.po.lineId,
          'po-number': String(l.po.poId),
          'order-header-num': String(l.po.poId),
          'source-part-num': l.po.part ?? null,
        }
      : {}),
    account: { code: l.account ?? '6410-OPS-Supplies' },
    currency: { code: spec.supplier.currency },
    'tax-amount': null,
    'failed-tolerances': l.failed
      ? [
          {
            id: l.id * 10 + 1,
            code: l.failed,
            'failable-type': 'InvoiceLine',
            'failable-id': l.id,
            resolved: false,
            'resolution-strategy': null,
            'breach-detail-1': spec.holdReason ?? l.failed,
          },
        ]
      : [],
  };
}

/** An invoice as Coupa returns it; totals are computed exactly from the lines, tax and shipping. */
export function invoice(spec: InvoiceSpec): Rec {
  const lines = spec.lines.map((l, i) => line(spec, l, i));
  const net = lines.reduce((sum, l) => sum.plus(l.total as string), new Decimal(0));
  const gross = net.plus(spec.tax?.amount ?? '0').plus(spec.shipping ?? '0');
  const status = spec.status ?? 'ap_hold';
  const date = spec.date ?? '2026-02-20';
  return {
    id: spec.id,
    'invoice-number': spec.number,
    'invoice-date': date,
    status,
    'document-type': 'Invoice',
    'created-at': `${date}T16:00:00Z`,
    'updated-at': `${date}T16:00:00Z`,
    currency: { code: spec.supplier.currency },
    supplier: { id: spec.supplier.id, name: spec.supplier.name, number: `S${spec.supplier.id}` },
    'remit-to-address': spec.remit === undefined ? remitTo(spec.supplier) : spec.remit,
    'payment-term': spec.paymentTerm === null ? null : { code: spec.paymentTerm ?? 'Net 30' },
    'line-level-taxation': false,
    ...(spec.tax ? { 'tax-rate': spec.tax.rate, 'tax-amount': spec.tax.amount } : { 'tax-amount': '0.00' }),
    'shipping-amount': spec.shipping ?? '0.00',
    'handling-amount': '0.00',
    'misc-amount': '0.00',
    'gross-total': money(gross),
    'total-with-taxes': money(gross),
    paid: spec.paid ?? false,
    'supplier-note': spec.note ?? null,
    'requested-by': spec.requestedBy ? { login: spec.requestedBy } : null,
    'tolerance-failures': status === 'ap_hold' || status === 'pending_receipt' ? (spec.holdReason ?? null) : null,
    'failed-tolerances': [],
    attachments:
      spec.attachments === false
        ? []
        : [
            {
              type: 'AttachmentFile',
              intent: 'Supplier',
              'file-file-name': spec.attachmentName ?? `${spec.number}.pdf`,
            },
          ],
    'invoice-lines': lines,
  };
}

/** A paid invoice in the history (it consumed its PO lines). */
export function paidInvoice(spec: Omit<InvoiceSpec, 'status' | 'paid'>): Rec {
  return invoice({ ...spec, status: 'approved', paid: true });
}

/** A comment on an invoice written by someone outside the company (the supplier, through the portal). */
export function supplierComment(
  id: number,
  invoiceId: number,
  text: string,
  supplierLogin = 'billing@supplier-portal.example',
): Rec {
  return {
    id,
    'commentable-type': 'InvoiceHeader',
    'commentable-id': invoiceId,
    comments: text,
    'to-supplier': true,
    'created-at': '2026-02-21T09:30:00Z',
    'created-by': { login: supplierLogin },
  };
}

export interface CaseSpec {
  id: string;
  title: string;
  tags: string[];
  controls?: Rec;
  suppliers: SupplierSpec[];
  supplierOverrides?: Record<number, Rec>;
  contracts?: Rec[];
  pos?: Rec[];
  receipts?: Rec[];
  invoices: Rec[];
  comments?: Rec[];
  knowledge?: Rec;
  event: Rec;
  expected: Rec;
  now?: string;
}

/** The case file: the kit's users, the named suppliers with their bank records, the given records. */
export function hardCase(spec: CaseSpec): Record<string, unknown> {
  return {
    id: `hard-${spec.id}`,
    title: spec.title,
    tags: ['hand-written', ...spec.tags],
    now: spec.now ?? NOW,
    ...(spec.controls ? { controls: spec.controls } : {}),
    coupa: {
      users: USERS,
      suppliers: spec.suppliers.map((s) => supplier(s, spec.supplierOverrides?.[s.id] ?? {})),
      'supplier-information': spec.suppliers.map(supplierInfo),
      contracts: spec.contracts ?? [],
      'purchase-orders': spec.pos ?? [],
      'receiving-transactions': spec.receipts ?? [],
      invoices: spec.invoices,
      approvals: [],
      comments: spec.comments ?? [],
    },
    ...(spec.knowledge ? { knowledge: spec.knowledge } : {}),
    event: { event_type: 'invoice.exception.created', ...spec.event },
    expected: spec.expected,
  };
}
