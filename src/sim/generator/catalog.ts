/**
 * What each supplier sells (part numbers, units, prices) and, for some, a contract whose
 * `price-terms` fix firm prices for part of the catalog (case-format.md conventions).
 */
import { dateOnly, DAY_MS, isoSeconds, type GenContext } from './context.js';
import { fmt } from './money.js';
import type { CatalogItem, SupplierProfile } from './supplier-profile.js';

const UNITS = ['EA', 'EA', 'EA', 'BOX', 'CS', 'PK', 'KG'] as const;
const SERVICE_LINES: ReadonlyArray<readonly [string, 'quantity' | 'amount', string]> = [
  ['Consulting services (hourly)', 'quantity', 'HR'],
  ['Implementation support (hourly)', 'quantity', 'HR'],
  ['Managed services monthly fee', 'amount', 'EA'],
  ['Project milestone', 'amount', 'EA'],
  ['Advisory retainer', 'amount', 'EA'],
  ['Software subscription (per seat)', 'quantity', 'EA'],
  ['Field technician visit', 'quantity', 'EA'],
];

/** The supplier's catalog: goods (per-unit parts), services (hourly or fixed-fee), or rent. */
export function buildCatalog(ctx: GenContext, supplier: SupplierProfile): CatalogItem[] {
  const { rng } = ctx;
  const prefix = supplier.name
    .replace(/[^A-Za-z]/g, '')
    .slice(0, 2)
    .toUpperCase()
    .padEnd(2, 'X');
  if (supplier.kind === 'rent') {
    const rent = rng.int(45, 220) * 10_000; // $4,500–$22,000 a month, whole hundreds
    return [
      {
        partNum: `${prefix}-LEASE`,
        description: 'Monthly office lease',
        uom: 'EA',
        price: rent,
        lineType: 'amount',
        contracted: false,
      },
    ];
  }
  if (supplier.kind === 'services') {
    const picks = rng.shuffle([...SERVICE_LINES]).slice(0, rng.int(2, 4));
    return picks.map(([description, lineType, uom], i) => ({
      partNum: `${prefix}-SVC-${100 + i}`,
      description,
      uom,
      price:
        lineType === 'amount'
          ? rng.int(8, 400) * 5_000
          : uom === 'HR'
            ? rng.int(90, 320) * 100
            : rng.int(15, 900) * 100,
      lineType,
      contracted: false,
    }));
  }
  const size = rng.int(5, 14);
  return Array.from({ length: size }, (_, i) => ({
    partNum: `${prefix}-${rng.int(1000, 9999)}-${i}`,
    description: ctx.names.product(),
    uom: rng.pick(UNITS),
    // Log-spread unit prices: many cheap parts, a few expensive ones.
    price: Math.round(Math.exp(rng.int(160, 850) / 100)) * 100 + rng.int(0, 99),
    lineType: 'quantity' as const,
    contracted: false,
  }));
}

/** A fixed-term contract; about half of the catalog gets firm prices. Marks those items contracted. */
export function createContract(ctx: GenContext, supplier: SupplierProfile): { id: number; number: string } {
  const id = ctx.nextId('contract');
  const number = `CTR-${new Date(ctx.nowMs).getUTCFullYear() - 1}-${id}`;
  const startMs = ctx.nowMs - ctx.rng.int(200, 500) * DAY_MS;
  const terms = supplier.catalog.filter((_, i) => i % 2 === 0);
  for (const item of terms) item.contracted = true;
  ctx.dataset.contracts.push({
    id,
    name: `${supplier.name} supply agreement`,
    number,
    status: 'published',
    'term-type': 'fixed',
    'contract-type': 'Master Supply Agreement',
    supplier: { id: supplier.id, name: supplier.name },
    currency: { code: supplier.currency },
    'start-date': dateOnly(isoSeconds(startMs)),
    'end-date': dateOnly(isoSeconds(startMs + 3 * 365 * DAY_MS)),
    'supplier-invoiceable': true,
    'price-terms': terms.map((item) => ({
      'source-part-num': item.partNum,
      description: item.description,
      price: fmt(item.price),
      uom: { code: item.uom },
      'price-type': 'firm',
    })),
    'created-at': isoSeconds(startMs - 20 * DAY_MS),
    'updated-at': isoSeconds(startMs),
  });
  return { id, number };
}
