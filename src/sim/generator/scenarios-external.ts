/**
 * Exceptions only a source outside Coupa settles (issue 23), planted once each on top of the
 * exception mix: the four tax-engine branches on invoices shipped to the Austin office, which
 * state a ship-to address and tax per line, and the four registry mismatches on suppliers set
 * aside for them (a bad identifier on a supplier other scenarios use would change their labels).
 */
import type { GenContext } from './context.js';
import { EXCEPTION_CODES, type Finding } from './labels.js';
import { applyBp, fmt, times } from './money.js';
import { createInvoice } from './invoices.js';
import { brokenIban, brokenVatId, invalidEin, validIban } from './identifiers.js';
import { nextInvoiceNumber, type SupplierPools, type SupplierProfile } from './supplier-profile.js';
import {
  buildOrder,
  dollars,
  hasQuantityItems,
  pickSupplier,
  receiveAll,
  type Scenario,
  type ScenarioResult,
  type When,
} from './scenario-kit.js';

export const TAX_BRANCHES = ['tax_coupa_rate_wrong', 'tax_billed_wrong', 'use_tax', 'tax_exemption'] as const;
export const REGISTRY_MISMATCHES = ['vat_id_invalid', 'iban_country_differs', 'iban_invalid', 'tin_invalid'] as const;
export type Planted = (typeof TAX_BRANCHES)[number] | (typeof REGISTRY_MISMATCHES)[number];

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
  (typeof TAX_BRANCHES)[number],
  { coupaBp: number; billedBp: number; taxCode?: string; branch: 'a' | 'b' | 'c' | 'd' }
> = {
  tax_coupa_rate_wrong: { coupaBp: 625, billedBp: AUSTIN_BP, branch: 'a' },
  tax_billed_wrong: { coupaBp: 1000, billedBp: 1000, branch: 'b' },
  use_tax: { coupaBp: 600, billedBp: 600, branch: 'c' },
  tax_exemption: { coupaBp: 0, billedBp: AUSTIN_BP, taxCode: 'EXEMPT', branch: 'd' },
};

const pct = (bp: number): string => String(bp / 100);

function taxEngineCase(
  ctx: GenContext,
  pools: SupplierPools,
  when: When,
  planted: (typeof TAX_BRANCHES)[number],
): ScenarioResult {
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
    facts: {
      billedTax: fmt(billed),
      engineRate: pct(AUSTIN_BP),
      coupaRate: pct(plan.coupaBp),
      total: fmt(totals.gross),
      currency: supplier.currency,
    },
    note: `Shipped to Austin, TX (engine ${pct(AUSTIN_BP)}%): billed ${pct(plan.billedBp)}% (${fmt(billed)}), Coupa expects ${pct(plan.coupaBp)}%${plan.taxCode ? ` with tax code ${plan.taxCode}` : ''} — branch (${plan.branch}).`,
  };
}

/** Plants the mismatch in the supplier's master data; returns what Coupa now holds and why it is wrong. */
function plantMismatch(ctx: GenContext, s: SupplierProfile, planted: (typeof REGISTRY_MISMATCHES)[number]): string {
  const info = ctx.dataset['supplier-information'].find((r) => r['supplier-id'] === s.id);
  const bank = (info?.['supplier-information-addresses'] as Array<Record<string, unknown>> | undefined)?.[0];
  const setTaxId = (id: string): void => {
    s.record['tax-id'] = id;
    if (info) info['tax-id'] = id;
    if (s.eu) s.remitTo['vat-number'] = id;
  };
  switch (planted) {
    case 'vat_id_invalid': {
      const id = brokenVatId(String(s.record['tax-id']));
      setTaxId(id);
      return `VAT id ${id} fails its check digits`;
    }
    case 'tin_invalid': {
      const id = invalidEin(String(s.record['tax-id']));
      setTaxId(id);
      return `EIN ${id} has a prefix the IRS never assigns`;
    }
    case 'iban_invalid': {
      const iban = brokenIban(String(bank?.['iban-number']));
      if (bank) bank['iban-number'] = iban;
      return 'the IBAN on file fails its checksum';
    }
    case 'iban_country_differs': {
      const other = s.country === 'DE' ? 'NL' : 'DE';
      if (bank) bank['iban-number'] = validIban(ctx.rng, other);
      return `the bank account is in ${other} while the remit-to is in ${s.country}`;
    }
  }
}

function registryCase(
  ctx: GenContext,
  pools: SupplierPools,
  when: When,
  planted: (typeof REGISTRY_MISMATCHES)[number],
): ScenarioResult {
  const supplier = pools.registryCases.find((r) => r.planted === planted)?.supplier;
  if (!supplier) throw new RangeError(`no supplier set aside for ${planted}`);
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
    facts: { mismatch: planted, total: fmt(totals.gross), currency: supplier.currency },
    note: `Registry check: ${why}; hold and a change request to the supplier-master approver.`,
  };
}

/** The scenario that plants `planted`. */
export function plantedScenario(planted: Planted): Scenario {
  return (ctx, pools, when) =>
    (TAX_BRANCHES as readonly string[]).includes(planted)
      ? taxEngineCase(ctx, pools, when, planted as (typeof TAX_BRANCHES)[number])
      : registryCase(ctx, pools, when, planted as (typeof REGISTRY_MISMATCHES)[number]);
}

/** The planted cases this company carries: every tax branch, and each registry mismatch a set-aside supplier exists for. */
export function plantedCases(pools: SupplierPools): Planted[] {
  const tax = pools.establishedUs.some((s) => s.kind === 'goods' && hasQuantityItems(s)) ? [...TAX_BRANCHES] : [];
  return [...tax, ...pools.registryCases.map((r) => r.planted)];
}
