/**
 * Building blocks of the GR/IR book: its own suppliers, requesters and contracts, and the three
 * documents of the GR/IR flow — a PO line, a receiving transaction (receipt, return, duplicate)
 * and an invoice line — in Coupa's wire form. Ids start high so the book can sit beside the
 * sample company's records without touching them.
 */
import type { WireRecord } from '../dataset.js';
import { DAY_MS, isoSeconds } from './context.js';
import { fmt, qty, times, type Cents } from './money.js';
import type { Rng } from './rng.js';

const ID_BASES: Record<string, number> = {
  user: 9101,
  supplier: 9001,
  contract: 9501,
  po: 400001,
  line: 4000001,
  receipt: 5000001,
  invoice: 6000001,
  'invoice-line': 7000001,
};

export interface GrirSupplier {
  id: number;
  name: string;
  currency: string;
  contract: { id: number; number: string; record: WireRecord } | null;
  parts: Array<{ partNum: string; description: string; price: Cents; amount: boolean }>;
}

export interface GrirLineHandle {
  record: Record<string, unknown> & { id: number };
  partNum: string;
  price: Cents;
  quantity: number;
  amount: boolean;
  uom: string;
  lineNum: number;
}

export interface GrirPo {
  record: Record<string, unknown> & { id: number };
  supplier: GrirSupplier;
  createdMs: number;
  lines: GrirLineHandle[];
}

export interface InvoiceLineSpec {
  line: GrirLineHandle;
  quantity: number;
  /** Unit price in cents (amount lines: the amount). */
  price: Cents;
  uom?: string;
}

export interface InvoiceOptions {
  status?: string;
  currency?: string;
  creditNote?: boolean;
  /** Per line: the total in the PO currency when the invoice is in another one. */
  accountingTotals?: Cents[];
}

const ACCOUNTS = ['6100-MRO', '6200-IT-EQUIPMENT', '6300-LAB-SUPPLIES', '1400-INVENTORY', '6400-PACKAGING'];

/** Shared state of one GR/IR book run. */
export class GrirKit {
  readonly records = {
    users: [] as WireRecord[],
    suppliers: [] as WireRecord[],
    contracts: [] as WireRecord[],
    'purchase-orders': [] as WireRecord[],
    'receiving-transactions': [] as WireRecord[],
    invoices: [] as WireRecord[],
  };
  readonly requesters: Array<{ id: number; login: string }> = [];
  /** Contract prices changed by the contract-price scenario, by part. */
  readonly changedPrices = new Map<string, number>();
  private readonly counters = new Map<string, number>();

  constructor(
    readonly rng: Rng,
    readonly nowMs: number,
  ) {}

  nextId(kind: string): number {
    const id = this.counters.get(kind) ?? ID_BASES[kind] ?? 1;
    this.counters.set(kind, id + 1);
    return id;
  }

  iso(ms: number): string {
    return isoSeconds(Math.min(ms, this.nowMs - 3_600_000));
  }

  daysAgo(days: number): number {
    return this.nowMs - days * DAY_MS;
  }

  addRequesters(n: number): void {
    for (let i = 1; i <= n; i++) {
      const id = this.nextId('user');
      const first = this.rng.faker.person.firstName();
      const last = this.rng.faker.person.lastName();
      const login = `${first}.${last}`.toLowerCase().replace(/[^a-z.]/g, '') + i;
      this.requesters.push({ id, login });
      this.records.users.push({
        id,
        login,
        email: `${login}@northwind.example`,
        firstname: first,
        lastname: last,
        active: true,
      });
    }
  }

  addSupplier(currency: string, withContract: boolean): GrirSupplier {
    const id = this.nextId('supplier');
    const name = `${this.rng.faker.company.name()} ${this.rng.pick(['Industrial', 'Supply', 'Components', 'Labs', 'Distribution'])}`;
    const parts = Array.from({ length: this.rng.int(6, 14) }, (_, i) => ({
      partNum: `GR${id}-${String(i + 1).padStart(3, '0')}`,
      description: this.rng.faker.commerce.productName(),
      price: this.rng.int(150, 90_000),
      amount: i === 0 && this.rng.chance(0.5),
    }));
    const supplier: GrirSupplier = { id, name, currency, contract: null, parts };
    this.records.suppliers.push({
      id,
      name,
      'display-name': name,
      number: `S${id}`,
      status: 'active',
      'on-hold': false,
      'invoice-matching-level': '3-way',
      currency: { code: currency },
      'created-at': isoSeconds(this.daysAgo(900)),
      'updated-at': isoSeconds(this.daysAgo(400)),
    });
    if (withContract) {
      const cid = this.nextId('contract');
      const record: WireRecord = {
        id: cid,
        name: `${name} supply agreement`,
        number: `CTR-${cid}`,
        status: 'published',
        supplier: { id, name },
        currency: { code: currency },
        'start-date': isoSeconds(this.daysAgo(700)),
        'end-date': isoSeconds(this.daysAgo(-365)),
        'price-terms': parts
          .filter((p) => !p.amount)
          .map((p) => ({
            'source-part-num': p.partNum,
            description: p.description,
            price: fmt(p.price),
            uom: { code: 'EA' },
            'price-type': 'firm',
          })),
        'created-at': isoSeconds(this.daysAgo(700)),
        'updated-at': isoSeconds(this.daysAgo(700)),
      };
      supplier.contract = { id: cid, number: `CTR-${cid}`, record };
      this.records.contracts.push(record);
    }
    return supplier;
  }

  /** A receipt-required PO of `count` lines (quantity lines unless the part is billed by amount). */
  purchaseOrder(
    supplier: GrirSupplier,
    createdMs: number,
    count: number,
    options: { quantityOnly?: boolean; status?: string } = {},
  ): GrirPo {
    const id = this.nextId('po');
    const requester = this.rng.pick(this.requesters);
    const parts = this.rng
      .shuffle([...supplier.parts])
      .filter((p) => !(options.quantityOnly && p.amount))
      .slice(0, count);
    const lines = parts.map((part, i): GrirLineHandle => {
      const lineId = this.nextId('line');
      const quantity = part.amount ? 1 : this.rng.int(2, 60);
      const total = part.amount ? part.price * this.rng.int(2, 12) : times(part.price, quantity);
      const price = part.amount ? total : part.price;
      const account = ACCOUNTS[(supplier.id + i) % ACCOUNTS.length] as string;
      return {
        partNum: part.partNum,
        price,
        quantity,
        amount: part.amount,
        uom: 'EA',
        lineNum: i + 1,
        record: {
          id: lineId,
          'line-num': String(i + 1),
          type: part.amount ? 'OrderAmountLine' : 'OrderQuantityLine',
          description: part.description,
          'source-part-num': part.partNum,
          quantity: part.amount ? null : qty(quantity),
          price: fmt(price),
          total: fmt(part.amount ? price : total),
          'receipt-required': true,
          'match-type': '3-way',
          'order-header-id': id,
          uom: part.amount ? null : { code: 'EA' },
          currency: { code: supplier.currency },
          account: { code: account },
          ...(supplier.contract && !part.amount
            ? { contract: { id: supplier.contract.id, number: supplier.contract.number } }
            : {}),
        },
      };
    });
    const record = {
      id,
      'po-number': `GR${id}`,
      status: options.status ?? 'issued',
      version: 1,
      currency: { code: supplier.currency },
      supplier: { id: supplier.id, name: supplier.name },
      requester: { id: requester.id, login: requester.login },
      'order-lines': lines.map((l) => l.record),
      'created-at': isoSeconds(createdMs),
      'updated-at': isoSeconds(createdMs + DAY_MS),
    };
    this.records['purchase-orders'].push(record);
    return { record, supplier, createdMs, lines };
  }

  /** Change a quantity line's ordered quantity (scenarios that need a particular one). */
  setQuantity(line: GrirLineHandle, quantity: number): void {
    line.quantity = quantity;
    line.record.quantity = qty(quantity);
    line.record.total = fmt(times(line.price, quantity));
  }

  /** A receiving transaction: `units` of a quantity line, or cents of an amount line. */
  receive(po: GrirPo, line: GrirLineHandle, units: number, atMs: number, type = 'InventoryReceipt'): number {
    const id = this.nextId('receipt');
    const at = this.iso(atMs);
    this.records['receiving-transactions'].push({
      id,
      type,
      status: 'created',
      quantity: line.amount ? null : qty(units),
      price: fmt(line.price),
      total: fmt(line.amount ? units : times(line.price, units)),
      'transaction-date': at,
      'order-line': { id: line.record.id, 'line-num': String(line.lineNum), 'order-header-id': po.record.id },
      uom: line.amount ? null : { code: line.uom },
      'created-by': po.record.requester,
      'created-at': at,
      'updated-at': at,
    });
    return id;
  }

  /** An invoice with one line per spec (a credit note carries negative quantities and totals). */
  invoice(po: GrirPo, specs: InvoiceLineSpec[], atMs: number, options: InvoiceOptions = {}): number {
    const id = this.nextId('invoice');
    const status = options.status ?? (this.nowMs - atMs > 40 * DAY_MS ? 'paid' : 'approved');
    const currency = options.currency ?? po.supplier.currency;
    const sign = options.creditNote ? -1 : 1;
    let net = 0;
    const lines = specs.map((spec, i) => {
      const total = spec.line.amount ? spec.price * sign : times(spec.price, spec.quantity) * sign;
      net += total;
      const accounting = options.accountingTotals?.[i] ?? total;
      return {
        id: this.nextId('invoice-line'),
        'line-num': i + 1,
        type: spec.line.amount ? 'InvoiceAmountLine' : 'InvoiceQuantityLine',
        description: String(spec.line.record.description),
        quantity: spec.line.amount ? null : qty(spec.quantity * sign),
        price: fmt(spec.price),
        total: fmt(total),
        'order-line-id': spec.line.record.id,
        'po-number': po.record['po-number'],
        'order-line-num': String(spec.line.lineNum),
        uom: spec.line.amount ? null : { code: spec.uom ?? spec.line.uom },
        currency: { code: currency },
        'accounting-total': fmt(accounting),
        'accounting-total-currency': { code: po.supplier.currency },
      };
    });
    const at = this.iso(atMs);
    this.records.invoices.push({
      id,
      'invoice-number': `${options.creditNote ? 'CN' : 'INV'}-${id}`,
      'invoice-date': at.slice(0, 10),
      status: status === 'paid' ? 'approved' : status,
      paid: status === 'paid',
      'document-type': options.creditNote ? 'Credit Note' : 'Invoice',
      'is-credit-note': options.creditNote === true,
      currency: { code: currency },
      supplier: { id: po.supplier.id, name: po.supplier.name },
      'gross-total': fmt(net),
      'invoice-lines': lines,
      'created-at': at,
      'updated-at': at,
    });
    return id;
  }
}
