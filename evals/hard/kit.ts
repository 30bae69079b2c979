/**
 * Building blocks of the hand-designed cases: a small, fixed company (Northwind's AP team, five
 * suppliers with their bank details) and builders that write Coupa wire records the way the API
 * returns them. Each case states its own facts; the kit only keeps the JSON short and consistent.
 */
import { Decimal } from 'decimal.js';

export type Rec = Record<string, unknown>;

export const NOW = '2026-03-02T10:00:00Z';

const user = (id: number, login: string, first: string, last: string, role: string): Rec => ({
  id,
  login,
  email: `${login}@northwind-example.com`,
  firstname: first,
  lastname: last,
  active: true,
  roles: [{ name: role }],
  'invoicing-user': true,
  'created-at': '2021-05-03T09:00:00Z',
});

/** The AP team, two requesters, budget owners, and an ordinary employee attackers like to name. */
export const USERS: Rec[] = [
  user(1, 'ap.review', 'Priya', 'Raman', 'AP Reviewer'),
  user(2, 'ap.manager', 'Dana', 'Whitfield', 'AP Manager'),
  user(3, 'jlee', 'Jordan', 'Lee', 'Requester'),
  user(4, 'mlopez', 'Maria', 'Lopez', 'Requester'),
  user(5, 'fac.owner', 'Sam', 'Okafor', 'Budget Owner'),
  user(6, 'it.owner', 'Ren', 'Takahashi', 'Budget Owner'),
  user(7, 'tmiller', 'Tom', 'Miller', 'Warehouse Clerk'),
  user(8, 'kchen', 'Kai', 'Chen', 'AP Reviewer'),
];

export interface SupplierSpec {
  id: number;
  name: string;
  createdAt: string;
  taxId: string;
  country: string;
  currency: string;
  city: string;
  bank: { account?: string; routing?: string; iban?: string; name: string };
  vat?: string;
}

export const SUPPLIERS = {
  harbor: {
    id: 10,
    name: 'Harbor Office Supply Inc.',
    createdAt: '2023-01-10T12:00:00Z',
    taxId: '93-1234567',
    country: 'US',
    currency: 'USD',
    city: 'Portland',
    bank: { name: 'First Cascade Bank', account: '4455667788', routing: '121000248' },
  },
  cascade: {
    id: 11,
    name: 'Cascade Facilities LLC',
    createdAt: '2022-06-01T12:00:00Z',
    taxId: '91-7654321',
    country: 'US',
    currency: 'USD',
    city: 'Seattle',
    bank: { name: 'Puget Sound Bank', account: '7788990011', routing: '125000105' },
  },
  northwind: {
    id: 12,
    name: 'Rheinfracht Logistik GmbH',
    createdAt: '2023-04-18T12:00:00Z',
    taxId: 'DE811234565',
    vat: 'DE811234565',
    country: 'DE',
    currency: 'EUR',
    city: 'Köln',
    bank: { name: 'Kölner Bank', iban: 'DE89370400440532013000' },
  },
  brightline: {
    id: 13,
    name: 'Brightline Consulting LLC',
    createdAt: '2026-02-10T12:00:00Z',
    taxId: '84-2468135',
    country: 'US',
    currency: 'USD',
    city: 'Denver',
    bank: { name: 'Front Range Bank', account: '3322114455', routing: '102000021' },
  },
  summit: {
    id: 14,
    name: 'Summit Paper Co.',
    createdAt: '2021-09-09T12:00:00Z',
    taxId: '95-1357913',
    country: 'US',
    currency: 'USD',
    city: 'Boise',
    bank: { name: 'Snake River Bank', account: '6655443322', routing: '124100064' },
  },
} satisfies Record<string, SupplierSpec>;

export function remitTo(s: SupplierSpec): Rec {
  return {
    id: s.id * 100,
    'remit-to-code': `RT-${s.id}`,
    name: `${s.name} remittance`,
    street1: `${s.id} Commerce Street`,
    city: s.city,
    'postal-code': '97201',
    country: { code: s.country },
    active: true,
    'vat-number': s.vat ?? null,
  };
}

export function supplier(s: SupplierSpec, overrides: Rec = {}): Rec {
  return {
    id: s.id,
    name: s.name,
    'display-name': s.name,
    number: `S${s.id}`,
    status: 'active',
    'on-hold': false,
    'tax-id': s.taxId,
    'invoice-matching-level': '3-way',
    'payment-term': { code: 'Net 30', 'days-for-net-payment': 30 },
    'default-currency': { code: s.currency },
    'primary-address': remitTo(s),
    'remit-to-addresses': [remitTo(s)],
    'created-at': s.createdAt,
    'updated-at': s.createdAt,
    ...overrides,
  };
}

export function supplierInfo(s: SupplierSpec): Rec {
  return {
    id: 500 + s.id,
    supplier: { id: s.id },
    'supplier-id': s.id,
    name: s.name,
    'tax-id': s.taxId,
    status: 'approved',
    'supplier-information-addresses': [
      {
        kind: 'RTA',
        'remit-to-code': `RT-${s.id}`,
        'name-on-bank-account': s.name,
        city: s.city,
        country: { code: s.country },
        currency: { code: s.currency },
        'bank-name': s.bank.name,
        'bank-account-number': s.bank.account ?? null,
        'bank-routing-number': s.bank.routing ?? null,
        'iban-number': s.bank.iban ?? null,
      },
    ],
  };
}

const money = (d: Decimal): string => d.toFixed(2);

export interface PoLineSpec {
  id: number;
  qty?: string;
  price: string;
  part?: string;
  description?: string;
  received?: string;
  invoiced?: string;
  match?: '2-way' | '3-way';
  /** An amount line (services, rent): `price` is the line's total. */
  amount?: boolean;
  account?: string;
}

export function purchaseOrder(o: {
  id: number;
  supplier: SupplierSpec;
  requester: string;
  lines: PoLineSpec[];
  createdAt?: string;
}): Rec {
  const requester = USERS.find((u) => u.login === o.requester)!;
  const lines = o.lines.map((l, i) => {
    const total = l.amount ? new Decimal(l.price) : new Decimal(l.qty ?? '1').times(l.price);
    return {
      id: l.id,
      'line-num': String(i + 1),
      type: l.amount ? 'OrderAmountLine' : 'OrderQuantityLine',
      description: l.description ?? `Item ${l.part ?? l.id}`,
      'source-part-num': l.part ?? null,
      ...(l.amount ? {} : { quantity: l.qty ?? '1' }),
      price: l.price,
      total: money(total),
      received: l.received ?? (l.amount ? money(total) : (l.qty ?? '1')),
      invoiced: l.invoiced ?? '0',
      'receipt-required': (l.match ?? '3-way') === '3-way',
      'match-type': l.match ?? '3-way',
      'order-header-id': o.id,
      currency: { code: o.supplier.currency },
      account: { code: l.account ?? '6410-OPS-Supplies' },
    };
  });
  const total = lines.reduce((sum, l) => sum.plus(l.total), new Decimal(0));
  return {
    id: o.id,
    'po-number': String(o.id),
    status: 'issued',
    type: 'OrderHeader',
    currency: { code: o.supplier.currency },
    supplier: { id: o.supplier.id, name: o.supplier.name, number: `S${o.supplier.id}` },
    requester: { id: requester.id, login: o.requester },
    'created-by': { id: requester.id, login: o.requester },
    total: money(total),
    'created-at': o.createdAt ?? '2026-01-12T09:00:00Z',
    'order-lines': lines,
  };
}

export function receipt(
  id: number,
  orderLineId: number,
  poId: number,
  quantity: string,
  price: string,
  date = '2026-02-12T15:00:00Z',
): Rec {
  return {
    id,
    type: 'InventoryReceipt',
    status: 'created',
    quantity,
    price,
    total: money(new Decimal(quantity).times(price)),
    'transaction-date': date,
    'order-line': { id: orderLineId, 'order-header-id': poId },
    'created-by': { id: 3, login: 'jlee' },
    'created-at': date,
  };
}
