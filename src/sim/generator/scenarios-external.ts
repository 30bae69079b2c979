/**
 * Exceptions only a source outside Coupa settles (issue 23), planted once each: the four
 * tax-engine branches on invoices shipped to the Austin office (a ship-to address and tax per
 * line), and the four registry mismatches on suppliers added for them (a broken identifier on a
 * supplier other scenarios use would change their labels).
 *
 * They are built after every other record, from a random source of their own, and dated after
 * every other invoice: the rest of the company — its records, ids, labels and history — is
 * exactly what it is without them.
 */
import { forkContext, type GenContext } from './context.js';
import { EXCEPTION_CODES, type Finding } from './labels.js';
import { applyBp, fmt, times } from './money.js';
import { createInvoice } from './invoices.js';
import { brokenIban, brokenVatId, ibanWithCheckDigits, unassignedEin } from './identifiers.js';
import { addTaxAndSupplierMasterPeople } from './people.js';
import { createRng } from './rng.js';
import { addEstablishedSupplier } from './suppliers.js';
import { nextInvoiceNumber, type SupplierPools, type SupplierProfile } from './supplier-profile.js';
import {
  buildOrder,
  dollars,
  hasQuantityItems,
  pickSupplier,
  receiveAll,
  type ScenarioResult,
  type When,
} from './scenario-kit.js';

export const TAX_BRANCHES = ['tax_coupa_rate_wrong', 'tax_billed_wrong', 'use_tax', 'tax_exemption'] as const;
export const REGISTRY_MISMATCHES = ['vat_id_invalid', 'iban_invalid', 'iban_country_differs', 'tin_invalid'] as const;
type TaxBranch = (typeof TAX_BRANCHES)[number];
type RegistryMismatch = (typeof REGISTRY_MISMATCHES)[number];
export type Planted = TaxBranch | RegistryMismatch;

/** The planted cases' own random source: a fixed offset from the company's seed. */
const STREAM_OFFSET = 0x23_23_23;

/** The Austin office: the offline rate table gives TX 6.25% + Austin 1% + transit 1% = 8.25%. */
const AUSTIN = {
  street1: '500 Congress Ave',
  city: 'Austin',
  state: 'TX',
  'postal-code': '78701',
  country: { code: 'US' },
};
const AUSTIN_BP = 825;

/** Per branch: Coupa's expected rate, the billed rate (basis points), the line tax code. */
const TAX_PLAN: Record<
  TaxBranch,
  { coupaBp: number; billedBp: number; taxCode?: string; branch: 'a' | 'b' | 'c' | 'd' }
> = {
  tax_coupa_rate_wrong: { coupaBp: 625, billedBp: AUSTIN_BP, branch: 'a' },
  tax_billed_wrong: { coupaBp: 1000, billedBp: 1000, branch: 'b' },
  use_tax: { coupaBp: 600, billedBp: 600, branch: 'c' },
  tax_exemption: { coupaBp: 0, billedBp: AUSTIN_BP, taxCode: 'EXEMPT', branch: 'd' },
};

/** Where each registry mismatch's supplier is based. */
const MISMATCH_COUNTRY: Record<RegistryMismatch, 'DE' | 'NL' | 'FR' | 'US'> = {
  vat_id_invalid: 'DE',
  iban_invalid: 'NL',
  iban_country_differs: 'FR',
  tin_invalid: 'US',
};

const pct = (bp: number): string => String(bp / 100);

function taxEngineCase(ctx: GenContext, pools: SupplierPools, when: When, planted: TaxBranch): ScenarioResult {
  const plan = TAX_PLAN[planted];
  const supplier = pickSupplier(ctx, pools.establishedUs, (s) => s.kind === 'goods' && hasQuantityItems(s));
  // Small enough to resolve without a person when the branch allows it.
  const { po, lines } = buildOrder(ctx, supplier, when.createdMs, {
    target: dollars(ctx, 300, 2500),
    lineCount: 1,
    lineType: 'quantity',
  });
  receiveAll(ctx, po, when.createdMs);
  // Tax per line, stated the way Coupa carries it with line-level taxation.
  const bases = lines.map((l) => (l.amountLine ? l.price : times(l.price, l.quantity)));
  const billedPerLine = bases.map((b) => applyBp(b, plan.billedBp));
  const billed = billedPerLine.reduce((a, b) => a + b, 0);
  const expected = bases.reduce((a, b) => a + applyBp(b, plan.coupaBp), 0);
  const net = bases.reduce((a, b) => a + b, 0);
  const detail = `Line 1 tax ${fmt(billed)} differs from ${pct(plan.coupaBp)}% of ${fmt(net)} = ${fmt(expected)}`;
  const { draft, totals } = createInvoice(ctx, {
    supplier,
    number: nextInvoiceNumber(supplier),
    createdMs: when.createdMs,
    status: 'ap_hold',
    lines,
    taxAmount: billed,
    tolerances: [
      {
        code: 'line_tax_variance',
        lineIndex: 0,
        breachAmount: fmt(Math.abs(billed - expected)),
        breachLimit: ctx.controls.tax_tolerance_amount,
        detail,
      },
    ],
  });
  (draft.record['invoice-lines'] as Array<Record<string, unknown>>).forEach((line, i) => {
    Object.assign(line, {
      'tax-rate': pct(plan.coupaBp),
      'tax-amount': fmt(billedPerLine[i] ?? 0),
      'tax-code': plan.taxCode ? { code: plan.taxCode } : null,
    });
  });
  Object.assign(draft.record, { 'ship-to-address': { ...AUSTIN }, 'line-level-taxation': true, 'tax-rate': null });
  const findings: Finding[] = [{ kind: 'tax_engine', branch: plan.branch }];
  const code = plan.taxCode ? ` with tax code ${plan.taxCode}` : '';
  return {
    draft,
    supplier,
    totals,
    lines,
    seenAs: EXCEPTION_CODES.tax_variance,
    holdReason: detail,
    findings,
    tags: ['tax_engine', `tax_branch_${plan.branch}`, planted],
    extraInvoices: 0,
    facts: { billedTax: fmt(billed), engineRate: pct(AUSTIN_BP), coupaRate: pct(plan.coupaBp) },
    note: `Shipped to Austin, TX (engine ${pct(AUSTIN_BP)}%): billed ${pct(plan.billedBp)}% (${fmt(billed)}), Coupa expects ${pct(plan.coupaBp)}%${code} — branch (${plan.branch}).`,
  };
}

/** Plants the mismatch in the supplier's master data; says what Coupa now holds and why it is wrong. */
function plantMismatch(ctx: GenContext, s: SupplierProfile, planted: RegistryMismatch): string {
  const info = ctx.dataset['supplier-information'].find((r) => r['supplier-id'] === s.id);
  const bank = (info?.['supplier-information-addresses'] as Array<Record<string, unknown>> | undefined)?.[0];
  const setTaxId = (id: string): void => {
    s.record['tax-id'] = id;
    if (info) info['tax-id'] = id;
    if (s.eu) {
      s.remitTo['vat-number'] = id;
      (s.record['primary-address'] as Record<string, unknown>)['vat-number'] = id;
    }
  };
  switch (planted) {
    case 'vat_id_invalid': {
      const id = brokenVatId(String(s.record['tax-id']));
      setTaxId(id);
      return `VAT id ${id} fails its check digits`;
    }
    case 'tin_invalid': {
      const id = unassignedEin(String(s.record['tax-id']));
      setTaxId(id);
      return `EIN ${id} has a prefix the IRS never assigns`;
    }
    case 'iban_invalid':
      if (bank) bank['iban-number'] = brokenIban(String(bank['iban-number']));
      return 'the IBAN on file fails its checksum';
    case 'iban_country_differs':
      if (bank)
        bank['iban-number'] = ibanWithCheckDigits(ctx.rng.faker.finance.iban({ formatted: false, countryCode: 'DE' }));
      return `the bank account is in DE while the remit-to is in ${s.country}`;
  }
}

function registryCase(ctx: GenContext, when: When, planted: RegistryMismatch): ScenarioResult {
  const supplier = addEstablishedSupplier(ctx, MISMATCH_COUNTRY[planted]);
  const why = plantMismatch(ctx, supplier, planted);
  const { po, lines } = buildOrder(ctx, supplier, when.createdMs, {
    target: dollars(ctx, 400, 6000),
    lineCount: ctx.rng.int(1, 2),
    lineType: hasQuantityItems(supplier) ? 'quantity' : 'amount',
  });
  receiveAll(ctx, po, when.createdMs);
  const detail = 'Supplier master data could not be verified';
  const { draft, totals } = createInvoice(ctx, {
    supplier,
    number: nextInvoiceNumber(supplier),
    createdMs: when.createdMs,
    status: 'ap_hold',
    lines,
  });
  return {
    draft,
    supplier,
    totals,
    lines,
    seenAs: EXCEPTION_CODES.supplier_data_mismatch,
    holdReason: detail,
    findings: [{ kind: 'registry_mismatch', what: planted }],
    tags: ['registry', `registry_${planted}`],
    extraInvoices: 0,
    forbidden: ['resolve', 'dispute'],
    facts: { mismatch: planted },
    note: `Registry check: ${why}; hold and a change request to the supplier-master approver.`,
  };
}

/**
 * Builds the planted cases into `ctx`'s dataset, their invoices a minute apart after the latest
 * invoice so far (so they take the last invoice ids). Call after every other record exists and
 * before ids are given. Returns them with the context to draw anything else for them from.
 */
export function plantExternalCases(
  ctx: GenContext,
  pools: SupplierPools,
  seed: number,
): { ctx: GenContext; cases: Array<{ planted: Planted; result: ScenarioResult }> } {
  const own = forkContext(ctx, createRng(seed + STREAM_OFFSET));
  addTaxAndSupplierMasterPeople(own);
  let latest = ctx.invoices.reduce((max, d) => Math.max(max, d.createdMs), 0);
  const at = (): When => ({ createdMs: (latest += 60_000), historical: false });
  const hasTaxSupplier = pools.establishedUs.some((s) => s.kind === 'goods' && hasQuantityItems(s));
  const cases = [
    ...(hasTaxSupplier ? TAX_BRANCHES : []).map((planted) => ({
      planted,
      result: taxEngineCase(own, pools, at(), planted),
    })),
    ...REGISTRY_MISMATCHES.map((planted) => ({ planted, result: registryCase(own, at(), planted) })),
  ];
  if (latest > ctx.nowMs) throw new RangeError('no room before now for the planted cases');
  return { ctx: own, cases };
}
