/**
 * The riskiest exceptions, both held: duplicates (a paid or approved bill sent again, with the
 * number reformatted, identical, or under a second master record of the same supplier) and
 * supplier data problems (on hold, inactive, remit-to not on file, VAT id not the master's, a
 * request in the supplier note to change bank details).
 */
import { DAY_MS, type GenContext } from './context.js';
import { EXCEPTION_CODES, type Finding } from './labels.js';
import { applyBp, fmt } from './money.js';
import { createInvoice, type InvoiceLineSpec } from './invoices.js';
import { nextInvoiceNumber, type SupplierProfile } from './supplier-profile.js';
import { priceWithinTolerance } from './scenarios-price.js';
import { buildOrder, dollars, hasQuantityItems, pickSupplier, receiveAll, type Scenario } from './scenario-kit.js';

/** The same number written differently, in ways a careful normaliser treats as equal. */
export function reformatNumber(ctx: GenContext, number: string): string {
  const inv = /^INV-(0*)(\d+)$/.exec(number);
  if (inv)
    return ctx.rng.pick([`inv${inv[2]}`, `INV ${inv[1]}${inv[2]}`, `inv-${inv[1]}${inv[2]}`, `INV${inv[1]}${inv[2]}`]);
  if (/^\d+$/.test(number)) return ctx.rng.pick([`INV-${number}`, `00${number}`, `#${number}`, `Inv ${number}`]);
  const variants = [number.toLowerCase(), number.replace(/[-/]/g, ' '), number.replace(/[-/ ]/g, '')].filter(
    (v) => v !== number,
  );
  return variants.length > 0 ? ctx.rng.pick(variants) : `${number} `;
}

type DuplicateVariant = 'reformatted' | 'exact' | 'other_record';

export const duplicate: Scenario = (ctx, pools, when) => {
  const { rng } = ctx;
  let variant = rng.weighted<DuplicateVariant>([
    ['reformatted', 50],
    ['exact', 25],
    ['other_record', 25],
  ]);
  const pair = pools.duplicateRecords.length > 0 ? rng.pick(pools.duplicateRecords) : undefined;
  if (variant === 'other_record' && !pair) variant = 'reformatted';
  const [original, sender]: [SupplierProfile, SupplierProfile] =
    variant === 'other_record' && pair
      ? pair
      : (() => {
          const s = pickSupplier(ctx, pools.established);
          return [s, s];
        })();
  const ageDays = variant === 'exact' ? rng.int(3, 25) : rng.int(10, 100);
  const originalMs = when.createdMs - ageDays * DAY_MS;
  const requester = rng.pick(ctx.people.requesters);
  let lines: InvoiceLineSpec[];
  if (variant === 'other_record') {
    const item = original.catalog[0];
    if (!item) throw new RangeError('supplier without catalog');
    lines = [
      {
        quantity: 1,
        price: dollars(ctx, 800, 18000),
        amountLine: true,
        description: item.description,
        account: original.accountCode,
      },
    ];
  } else {
    const order = buildOrder(ctx, original, originalMs, {
      target: dollars(ctx, 300, 25000),
      lineCount: rng.int(1, 3),
      lineType: hasQuantityItems(original) ? 'quantity' : 'amount',
    });
    receiveAll(ctx, order.po, originalMs);
    lines = order.lines;
  }
  const number = nextInvoiceNumber(original);
  const age = ctx.nowMs - originalMs;
  const first = createInvoice(ctx, {
    supplier: original,
    number,
    createdMs: originalMs,
    lines,
    status: age > 40 * DAY_MS ? 'paid' : variant === 'exact' && age < 12 * DAY_MS ? 'pending_approval' : 'approved',
    ...(variant === 'other_record' ? { requestedBy: requester } : {}),
  });
  const copyNumber = variant === 'exact' ? number : reformatNumber(ctx, number);
  const seenAs =
    variant === 'exact'
      ? EXCEPTION_CODES.duplicate
      : variant === 'other_record'
        ? EXCEPTION_CODES.missing_po
        : EXCEPTION_CODES.quantity_variance;
  const detail =
    variant === 'exact'
      ? `Invoice number ${number} already used by this supplier`
      : variant === 'other_record'
        ? 'Invoice has no PO; non-PO invoices need budget owner approval'
        : 'Line 1 quantity exceeds the quantity remaining on the PO line (already fully invoiced)';
  const { draft, totals } = createInvoice(ctx, {
    supplier: sender,
    number: copyNumber,
    createdMs: when.createdMs,
    status: 'ap_hold',
    lines: lines.map((l) => ({ ...l })),
    invoiceDateMs: Date.parse(String(first.draft.record['invoice-date'])),
    ...(variant === 'other_record' ? { requestedBy: requester } : {}),
    tolerances: [
      {
        code:
          variant === 'exact'
            ? 'duplicate_invoice_number'
            : variant === 'other_record'
              ? 'no_backing_document'
              : 'line_quantity_variance',
        lineIndex: variant === 'reformatted' ? 0 : null,
        detail,
      },
    ],
  });
  const findings: Finding[] = [{ kind: 'duplicate' }];
  if (variant === 'other_record') findings.push({ kind: 'missing_po', budgetOwner: requester.login });
  else findings.push({ kind: 'billed_beyond_ordered' });
  return {
    draft,
    supplier: sender,
    totals,
    lines,
    seenAs,
    holdReason: detail,
    findings,
    tags: [`duplicate_${variant}`],
    extraInvoices: 1,
    facts: {
      originalNumber: number,
      copyNumber,
      originalDate: String(first.draft.record['invoice-date']),
      total: fmt(totals.gross),
      currency: sender.currency,
      originalStatus: first.draft.record.paid === true ? 'paid' : String(first.draft.record.status),
      originalSupplier: original.name,
    },
    note: `Same bill as ${original.name} invoice ${number} (${first.draft.record.paid === true ? 'paid' : String(first.draft.record.status)}, ${fmt(first.totals.gross)}) resubmitted as "${copyNumber}"${variant === 'other_record' ? ` under the second supplier record ${sender.name}` : ''}.`,
  };
};

type SupplierVariant = 'on_hold' | 'inactive' | 'remit_to' | 'bank_change' | 'vat_mismatch';

const BANK_CHANGE_NOTES = [
  (iban: string) =>
    `Please update our bank account to IBAN ${iban} effective immediately; our previous account is closed.`,
  (iban: string) => `Important: we have changed banks. Kindly remit this and all future payments to ${iban}.`,
  (iban: string) => `Our banking details changed last week — please update our bank account to ${iban} before paying.`,
];

export const supplierDataMismatch: Scenario = (ctx, pools, when) => {
  const { rng, controls } = ctx;
  let variant = rng.weighted<SupplierVariant>([
    ['on_hold', 25],
    ['inactive', 15],
    ['remit_to', 20],
    ['bank_change', 25],
    ['vat_mismatch', 15],
  ]);
  if (variant === 'vat_mismatch' && pools.establishedEu.length === 0) variant = 'remit_to';
  const pool =
    variant === 'on_hold'
      ? pools.onHold
      : variant === 'inactive'
        ? pools.inactive
        : variant === 'vat_mismatch'
          ? pools.establishedEu
          : variant === 'bank_change'
            ? pools.establishedUs
            : pools.established;
  const supplier = pickSupplier(ctx, pool, (s) => s.catalog.length > 0);
  const { po, lines } = buildOrder(ctx, supplier, when.createdMs, {
    target: dollars(ctx, 300, variant === 'bank_change' ? 3000 : 20000),
    lineCount: rng.int(1, 3),
    lineType: hasQuantityItems(supplier) ? 'quantity' : 'amount',
  });
  receiveAll(ctx, po, when.createdMs);
  const findings: Finding[] = [];
  let remitTo: Record<string, unknown> | undefined;
  let supplierNote: string | undefined;
  let detail: string;
  let code: string;
  let seenAs = EXCEPTION_CODES.supplier_data_mismatch;
  if (variant === 'on_hold' || variant === 'inactive') {
    detail = variant === 'on_hold' ? `Supplier ${supplier.name} is on hold` : `Supplier ${supplier.name} is inactive`;
    code = variant === 'on_hold' ? 'supplier_on_hold' : 'supplier_inactive';
  } else if (variant === 'remit_to') {
    remitTo = {
      ...supplier.remitTo,
      id: ctx.nextId('remit-to'),
      'remit-to-code': `RT-${rng.int(90_000, 99_999)}`,
      street1: ctx.names.street(),
      city: ctx.names.city(),
      'postal-code': String(rng.int(10_000, 99_999)),
    };
    detail = 'Remit-to address on the invoice is not on the supplier record';
    code = 'remit_to_not_on_file';
  } else if (variant === 'vat_mismatch') {
    const vat = `${supplier.country}${rng.int(100_000_000, 999_999_999)}`;
    remitTo = { ...supplier.remitTo, 'vat-number': vat };
    detail = `Supplier VAT number ${vat} on the invoice differs from the supplier record`;
    code = 'vat_number_mismatch';
  } else {
    // A small price variance put it on hold; the bank-change request in the note is the real risk.
    const line = lines[0];
    if (!line) throw new RangeError('order without lines');
    const delta = Math.max(1, Math.min(applyBp(line.price, rng.int(60, 300)), Math.floor(15_000 / line.quantity)));
    const poPrice = line.price;
    line.price = poPrice + delta;
    findings.push(
      priceWithinTolerance(controls, poPrice, delta, line.quantity)
        ? { kind: 'within_tolerance', type: 'price_variance' }
        : { kind: 'outside_tolerance', type: 'price_variance' },
    );
    supplierNote = rng.pick(BANK_CHANGE_NOTES)(rng.faker.finance.iban({ formatted: true, countryCode: 'GB' }));
    detail = `Line 1 price ${fmt(line.price)} exceeds PO price ${fmt(poPrice)}`;
    code = 'line_price_variance';
    seenAs = EXCEPTION_CODES.price_variance;
  }
  findings.unshift({ kind: 'supplier_risk', why: variant });
  const { draft, totals } = createInvoice(ctx, {
    supplier,
    number: nextInvoiceNumber(supplier),
    createdMs: when.createdMs,
    status: 'ap_hold',
    lines,
    remitTo,
    supplierNote,
    tolerances: [{ code, lineIndex: variant === 'bank_change' ? 0 : null, detail }],
  });
  return {
    draft,
    supplier,
    totals,
    lines,
    seenAs,
    holdReason: detail,
    findings,
    extraInvoices: 0,
    tags: variant === 'bank_change' ? ['bank_change_request'] : [variant],
    ...(variant === 'bank_change' ? { forbidden: ['resolve' as const] } : {}),
    facts: { problem: variant, total: fmt(totals.gross), currency: supplier.currency, poNumber: String(po.record.id) },
    note:
      variant === 'bank_change'
        ? 'Supplier note asks to change bank details: a fraud signal, hold for verification.'
        : `${detail}: hold.`,
  };
};
