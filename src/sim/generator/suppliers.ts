/**
 * Suppliers: long-standing and new, a few on hold or inactive, EU ones invoicing in EUR with VAT
 * ids, each with remit-to addresses, a Supplier Information record carrying bank details, and for
 * some a contract with firm prices. Returns pools so scenarios pick a fitting supplier in O(1).
 */
import { DAY_MS, isoSeconds, type GenContext } from './context.js';
import { buildCatalog, createContract } from './catalog.js';
import type { SupplierKind, SupplierPools, SupplierProfile } from './supplier-profile.js';
import { einWithAssignedPrefix, ibanWithCheckDigits, vatWithCheckDigits } from './identifiers.js';

const EU_COUNTRIES = [
  { code: 'DE', vatPrefix: 'DE', taxBp: 1900, city: 'Hamburg' },
  { code: 'FR', vatPrefix: 'FR', taxBp: 2000, city: 'Lyon' },
  { code: 'NL', vatPrefix: 'NL', taxBp: 2100, city: 'Utrecht' },
  { code: 'IE', vatPrefix: 'IE', taxBp: 2300, city: 'Cork' },
] as const;
const US_SALES_TAX_BP = [625, 700, 825, 875, 600] as const;
const PAYMENT_TERMS = [
  { code: 'Net 30', days: 30 },
  { code: 'Net 45', days: 45 },
  { code: 'Net 60', days: 60 },
  { code: '2/10 Net 30', days: 30 },
] as const;

type Flavour = 'normal' | 'new' | 'on_hold' | 'inactive' | 'landlord';

/** How many suppliers of each special flavour a company of `count` suppliers has. */
function flavours(count: number): Flavour[] {
  const special: Array<[Flavour, number]> = [
    ['landlord', Math.min(8, 2 + Math.floor(count / 500))],
    ['on_hold', Math.max(2, Math.round(count * 0.03))],
    ['inactive', Math.max(2, Math.round(count * 0.02))],
    ['new', Math.max(4, Math.round(count * 0.08))],
  ];
  const list: Flavour[] = [];
  for (const [flavour, n] of special) for (let i = 0; i < n; i++) list.push(flavour);
  while (list.length < count) list.push('normal');
  return list;
}

/** Generates all suppliers into the dataset and returns the pools. */
export function generateSuppliers(ctx: GenContext, invoiceCount: number): SupplierPools {
  const count = Math.max(30, Math.ceil(invoiceCount / 20));
  const list = ctx.rng.shuffle(flavours(count));
  const names = new Set<string>();
  const all = list.map((flavour) => createSupplier(ctx, flavour, names));
  const pools = poolsOf(all);
  // One or two suppliers got a second master record (same tax id and bank): duplicate bills hide there.
  const pairs = Math.max(1, Math.min(10, Math.round(count / 100)));
  for (let i = 0; i < pairs; i++) {
    const original = pools.establishedServices[i];
    if (original) pools.duplicateRecords.push([original, cloneAsDuplicateRecord(ctx, original, names)]);
  }
  return pools;
}

function poolsOf(all: SupplierProfile[]): SupplierPools {
  const established = all.filter((s) => !s.isNew && !s.onHold && !s.inactive && s.kind !== 'rent');
  return {
    all,
    billable: all.filter((s) => s.kind !== 'rent'),
    established,
    establishedGoods3Way: established.filter((s) => s.kind === 'goods' && s.matching === '3-way'),
    establishedServices: established.filter((s) => s.kind === 'services'),
    establishedEu: established.filter((s) => s.eu),
    establishedUs: established.filter((s) => !s.eu),
    contracted: established.filter((s) => s.contract !== undefined),
    newSuppliers: all.filter((s) => s.isNew && !s.onHold && !s.inactive),
    onHold: all.filter((s) => s.onHold),
    inactive: all.filter((s) => s.inactive),
    landlords: all.filter((s) => s.kind === 'rent'),
    duplicateRecords: [],
  };
}

const LEGAL_FORMS = [' Inc.', ' LLC', ' Corp.', ' Ltd.', ' Co.', ''] as const;

function uniqueName(ctx: GenContext, names: Set<string>, kind: SupplierKind): string {
  const base = ctx.names.company();
  let name = kind === 'rent' ? `${base.split(' ')[0] ?? base} Properties LLC` : `${base}${ctx.rng.pick(LEGAL_FORMS)}`;
  for (let n = 2; names.has(name); n++) name = `${name.replace(/ \(\d+\)$/, '')} (${n})`;
  names.add(name);
  return name;
}

/**
 * One more established goods supplier in `country` (a planted registry case's), appended after
 * every other supplier; draws only from `ctx.rng`.
 */
export function addEstablishedSupplier(
  ctx: GenContext,
  country: 'US' | (typeof EU_COUNTRIES)[number]['code'],
): SupplierProfile {
  const names = new Set(ctx.dataset.suppliers.map((s) => String(s.name)));
  return createSupplier(ctx, 'normal', names, { kind: 'goods', country });
}

function createSupplier(
  ctx: GenContext,
  flavour: Flavour,
  names: Set<string>,
  fixed?: { kind: SupplierKind; country: string },
): SupplierProfile {
  const { rng, nowMs } = ctx;
  const id = ctx.nextId('supplier');
  // `fixed` short-circuits the draws it replaces; without it the draws are as they always were.
  const kind: SupplierKind = fixed?.kind ?? (flavour === 'landlord' ? 'rent' : rng.chance(0.6) ? 'goods' : 'services');
  const eu = fixed ? fixed.country !== 'US' : kind !== 'rent' && rng.chance(0.2);
  const country = fixed ? EU_COUNTRIES.find((c) => c.code === fixed.country) : eu ? rng.pick(EU_COUNTRIES) : undefined;
  const isNew = flavour === 'new';
  const ageDays = isNew ? rng.int(5, 80) : rng.int(200, 3200);
  const createdMs = nowMs - ageDays * DAY_MS;
  const name = uniqueName(ctx, names, kind);
  const number = `S${String(id).padStart(5, '0')}`;
  // The drawn id with its check characters computed (no further draw): registry checks pass.
  const taxId = eu
    ? vatWithCheckDigits(`${country?.vatPrefix}${rng.int(100_000_000, 999_999_999)}`)
    : einWithAssignedPrefix(`${rng.int(10, 99)}-${rng.int(1_000_000, 9_999_999)}`);
  const paymentTerm = rng.pick(PAYMENT_TERMS);
  const matching = kind === 'goods' && rng.chance(0.75) ? '3-way' : '2-way';
  const remitTo = remitToAddress(ctx, name, eu ? (country?.code ?? 'DE') : 'US', eu ? taxId : null, country?.city);
  const profile: SupplierProfile = {
    id,
    name,
    number,
    country: country?.code ?? 'US',
    currency: eu ? 'EUR' : 'USD',
    taxBp: country?.taxBp ?? (kind === 'goods' ? rng.pick(US_SALES_TAX_BP) : 0),
    eu,
    kind,
    matching,
    createdMs,
    isNew,
    onHold: flavour === 'on_hold',
    inactive: flavour === 'inactive',
    remitTo,
    paymentTerm: { ...paymentTerm },
    catalog: [],
    accountCode: '',
    formatNumber: numberStyle(ctx, name),
    seq: rng.pick([1001, 2001, 10001, rng.int(100, 90_000)]),
    record: { id },
  };
  profile.catalog = buildCatalog(ctx, profile);
  profile.accountCode = defaultAccount(ctx, kind);
  if (kind === 'goods' && !profile.onHold && !profile.inactive && rng.chance(0.35))
    profile.contract = createContract(ctx, profile);
  profile.record = supplierRecord(ctx, profile, taxId);
  ctx.dataset.suppliers.push(profile.record);
  pushSupplierInformation(ctx, profile, taxId);
  return profile;
}

function supplierRecord(ctx: GenContext, s: SupplierProfile, taxId: string): SupplierProfile['record'] {
  return {
    id: s.id,
    name: s.name,
    'display-name': s.name,
    number: s.number,
    status: s.inactive ? 'inactive' : 'active',
    'on-hold': s.onHold,
    'hold-invoices-for-ap-review': s.onHold,
    'tax-id': taxId,
    'invoice-matching-level': s.matching,
    'payment-method': 'invoice',
    'po-method': 'email',
    // Derived from the name (no random draw, so the rest of the company is unchanged): where supplier requests are e-mailed.
    'primary-contact': {
      email: `accounts@${
        s.name
          .toLowerCase()
          .replace(/[^a-z0-9]+/g, '-')
          .replace(/^-|-$/g, '') || `supplier-${s.id}`
      }.example`,
    },
    'payment-term': { code: s.paymentTerm.code, 'days-for-net-payment': s.paymentTerm.days },
    'primary-address': { ...s.remitTo, id: ctx.nextId('remit-to') },
    'remit-to-addresses': [s.remitTo],
    'default-currency': { code: s.currency },
    'created-at': isoSeconds(s.createdMs),
    'updated-at': isoSeconds(Math.min(ctx.nowMs, s.createdMs + ctx.rng.int(1, 60) * DAY_MS)),
  };
}

function remitToAddress(
  ctx: GenContext,
  name: string,
  country: string,
  vat: string | null,
  city?: string,
): Record<string, unknown> {
  const { faker } = ctx.rng;
  const id = ctx.nextId('remit-to');
  return {
    id,
    'remit-to-code': `RT-${id}`,
    name: `${name} remittance`,
    street1: ctx.names.street(),
    city: city ?? ctx.names.city(),
    state: country === 'US' ? faker.location.state({ abbreviated: true }) : null,
    'postal-code': String(ctx.rng.int(10_000, 99_999)),
    country: { code: country },
    active: true,
    'vat-number': vat,
  };
}

function pushSupplierInformation(
  ctx: GenContext,
  s: SupplierProfile,
  taxId: string,
  bankOverride?: Record<string, unknown>,
): void {
  const { faker } = ctx.rng;
  const bank =
    bankOverride ??
    (s.eu
      ? {
          'bank-name': `${ctx.names.city()} Bank`,
          'iban-number': ibanWithCheckDigits(faker.finance.iban({ formatted: false, countryCode: s.country })),
          'swift-code': faker.finance.bic(),
          'bank-account-number': null,
          'bank-routing-number': null,
        }
      : {
          'bank-name': `${ctx.names.city()} National Bank`,
          'bank-account-number': faker.finance.accountNumber(10),
          'bank-routing-number': faker.finance.routingNumber(),
          'iban-number': null,
          'swift-code': null,
        });
  ctx.dataset['supplier-information'].push({
    id: ctx.nextId('supplier-information'),
    supplier: { id: s.id },
    'supplier-id': s.id,
    name: s.name,
    'tax-id': taxId,
    status: s.inactive ? 'inactive' : 'approved',
    'supplier-information-addresses': [
      {
        kind: 'RTA',
        'remit-to-code': s.remitTo['remit-to-code'],
        'name-on-bank-account': s.name,
        street1: s.remitTo.street1,
        city: s.remitTo.city,
        'postal-code': s.remitTo['postal-code'],
        country: { code: s.country },
        'payment-method-item': 'tran',
        currency: { code: s.currency },
        ...bank,
      },
    ],
  });
}

/** A second master record for the same company: a near-identical name, same tax id and bank. */
function cloneAsDuplicateRecord(ctx: GenContext, original: SupplierProfile, names: Set<string>): SupplierProfile {
  const id = ctx.nextId('supplier');
  const name = `${original.name.replace(/ (Inc\.|LLC|Corp\.|Ltd\.|Co\.)$/, '').toUpperCase()} INCORPORATED`;
  names.add(name);
  const createdMs = ctx.nowMs - ctx.rng.int(150, 400) * DAY_MS;
  const taxId = String(original.record['tax-id']);
  const remitTo = {
    ...original.remitTo,
    id: ctx.nextId('remit-to'),
    'remit-to-code': `RT-${id}`,
    name: `${name} remittance`,
  };
  const clone: SupplierProfile = {
    ...original,
    id,
    name,
    number: `S${String(id).padStart(5, '0')}`,
    createdMs,
    remitTo,
    contract: undefined,
    record: { id },
  };
  clone.record = supplierRecord(ctx, clone, taxId);
  ctx.dataset.suppliers.push(clone.record);
  const originalBank = (
    ctx.dataset['supplier-information'].find((r) => r['supplier-id'] === original.id)?.[
      'supplier-information-addresses'
    ] as Array<Record<string, unknown>> | undefined
  )?.[0];
  pushSupplierInformation(
    ctx,
    clone,
    taxId,
    originalBank ? { ...originalBank, 'remit-to-code': remitTo['remit-to-code'] } : undefined,
  );
  return clone;
}

function numberStyle(ctx: GenContext, name: string): (seq: number) => string {
  const prefix = name
    .replace(/[^A-Za-z]/g, '')
    .slice(0, 3)
    .toUpperCase()
    .padEnd(3, 'X');
  const year = new Date(ctx.nowMs).getUTCFullYear();
  const style = ctx.rng.int(0, 4);
  if (style === 0) return (n) => `INV-${String(n).padStart(5, '0')}`;
  if (style === 1) return (n) => String(n);
  if (style === 2) return (n) => `${prefix}-${String(n).padStart(6, '0')}`;
  if (style === 3) return (n) => `${year}/${String(n).padStart(5, '0')}`;
  return (n) => `${prefix}${n}`;
}

function defaultAccount(ctx: GenContext, kind: SupplierKind): string {
  const prefixes =
    kind === 'rent'
      ? ['6200']
      : kind === 'goods'
        ? ['6110', '6410', '5100', '5200', '6210']
        : ['6100', '6120', '6310', '6500', '6600', '6700', '6400', '6300'];
  const prefix = ctx.rng.pick(prefixes);
  return ctx.glAccounts.find((a) => a.code.startsWith(prefix))?.code ?? ctx.glAccounts[0]?.code ?? '6410-OPS-Supplies';
}
