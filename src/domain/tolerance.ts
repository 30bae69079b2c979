/**
 * Tolerances: is a finding acceptable under the customer's controls, and why. Also the two gates
 * that apply to `resolve` only (it releases money): the invoice amount limit and supplier age.
 * Every answer names the control, its limit and the actual figure, so the dossier can cite it.
 */
import type { Invoice, Supplier } from '../coupa/schemas.js';
import { DAY_MS, timeOf } from './context.js';
import type { Controls } from './controls.js';
import type { Finding, FindingKind } from './findings.js';
import { Dec, decimalOr, formatPct, Money } from './money.js';

/** One control as applied to one figure. */
export interface ControlApplied {
  control: keyof Controls | 'firm_contract_price';
  limit: string;
  actual: string;
  within: boolean;
  reason: string;
  findingKind?: FindingKind;
  lineNum?: string;
}

export interface ToleranceVerdict {
  /** False when no tolerance governs this kind of finding (a person or the precedence decides). */
  governed: boolean;
  /** Governed and every check passes. */
  within: boolean;
  checks: ControlApplied[];
  reason: string;
}

function check(
  control: ControlApplied['control'],
  limit: Dec | string,
  actual: Dec | string,
  within: boolean,
  reason: string,
  f?: Finding,
): ControlApplied {
  return {
    control,
    limit: limit.toString(),
    actual: actual.toString(),
    within,
    reason,
    findingKind: f?.kind,
    lineNum: f?.lineNum,
  };
}

function verdict(checks: ControlApplied[]): ToleranceVerdict {
  const within = checks.every((c) => c.within);
  const failed = checks.filter((c) => !c.within);
  return { governed: true, within, checks, reason: (within ? checks : failed).map((c) => c.reason).join('; ') };
}

function priceVerdict(f: Finding, controls: Controls): ToleranceVerdict {
  const invoicePrice = decimalOr(f.figures.invoicePrice);
  const poPrice = decimalOr(f.figures.poPrice);
  const pct = poPrice.isZero() ? new Dec(Infinity) : invoicePrice.minus(poPrice).dividedBy(poPrice).times(100);
  const pctLimit = decimalOr(controls.price_tolerance_pct);
  const over = decimalOr(f.figures.invoiceOverPo ?? f.figures.lineOverPo);
  const amountLimit = decimalOr(controls.price_tolerance_amount);
  const pctShown = pct.isFinite() ? `${formatPct(pct)}%` : 'unbounded (PO price 0)';
  return verdict([
    check(
      'price_tolerance_pct',
      pctLimit,
      pct.isFinite() ? pct.toDecimalPlaces(4) : 'Infinity',
      pct.lte(pctLimit),
      `price ${pctShown} over PO ${pct.lte(pctLimit) ? 'within' : 'exceeds'} the ${pctLimit.toString()}% price tolerance`,
      f,
    ),
    check(
      'price_tolerance_amount',
      amountLimit,
      over.toDecimalPlaces(2),
      over.lte(amountLimit),
      `${over.toFixed(2)} over PO on this invoice ${over.lte(amountLimit) ? 'within' : 'exceeds'} the ${amountLimit.toFixed(2)} price tolerance amount`,
      f,
    ),
  ]);
}

function quantityVerdict(f: Finding, controls: Controls, reference: 'ordered' | 'received'): ToleranceVerdict {
  const cumulative = decimalOr(f.figures.cumulative);
  const ref = decimalOr(f.figures[reference]);
  const limit = decimalOr(controls.quantity_tolerance_pct);
  if (ref.isZero()) {
    return verdict([
      check(
        'quantity_tolerance_pct',
        limit,
        'n/a',
        false,
        `nothing ${reference} yet, so no quantity tolerance can apply`,
        f,
      ),
    ]);
  }
  const pct = cumulative.minus(ref).dividedBy(ref).times(100);
  const within = pct.lte(limit);
  return verdict([
    check(
      'quantity_tolerance_pct',
      limit,
      pct.toDecimalPlaces(4),
      within,
      `billed ${formatPct(pct)}% beyond ${reference} ${within ? 'within' : 'exceeds'} the ${limit.toString()}% quantity tolerance`,
      f,
    ),
  ]);
}

function taxVerdict(f: Finding, controls: Controls): ToleranceVerdict {
  const diff = decimalOr(f.figures.difference).abs();
  const limit = decimalOr(controls.tax_tolerance_amount);
  const within = diff.lte(limit);
  return verdict([
    check(
      'tax_tolerance_amount',
      limit,
      diff.toFixed(2),
      within,
      `tax differs by ${diff.toFixed(2)}, ${within ? 'within' : 'beyond'} the ${limit.toFixed(2)} rounding tolerance`,
      f,
    ),
  ]);
}

/** Whether a finding is within tolerance under `controls`, and why (control, limit, actual). */
export function checkTolerance(f: Finding, controls: Controls): ToleranceVerdict {
  switch (f.kind) {
    case 'price_over_po':
    case 'amount_over_po':
      // Coupa judges an amount-based line billed beyond its PO line amount by the "Amount-Based
      // Line Price" tolerances (% and amount): the line amount plays the part of the unit price.
      return priceVerdict(f, controls);
    case 'billed_over_ordered':
      return quantityVerdict(f, controls, 'ordered');
    case 'billed_over_received':
      return quantityVerdict(f, controls, 'received');
    case 'tax_amount_mismatch':
    case 'tax_coupa_rate_wrong':
      return taxVerdict(f, controls);
    case 'price_over_contract':
      return verdict([
        check(
          'firm_contract_price',
          f.figures.contractPrice ?? '',
          f.figures.invoicePrice ?? '',
          false,
          `a firm contract price allows no variance (${f.figures.invoicePrice} billed vs ${f.figures.contractPrice})`,
          f,
        ),
      ]);
    default:
      return {
        governed: false,
        within: false,
        checks: [],
        reason: `${f.kind.replace(/_/g, ' ')} is not a tolerance matter`,
      };
  }
}

/** The invoice total the amount limit applies to: total with taxes, else gross, else computed. */
export function invoiceTotal(invoice: Invoice, currency: string): Money {
  const stated = invoice.totalWithTaxes ?? invoice.grossTotal;
  if (stated != null) return Money.of(stated, currency);
  const lines = invoice.invoiceLines.map((l) => Money.of(l.total ?? '0', currency));
  const lineTax = invoice.lineLevelTaxation
    ? invoice.invoiceLines.map((l) => Money.of(l.taxAmount ?? '0', currency))
    : [];
  const extras = [
    invoice.lineLevelTaxation ? null : invoice.taxAmount,
    invoice.shippingAmount,
    invoice.handlingAmount,
    invoice.miscAmount,
  ].map((v) => Money.of(v ?? '0', currency));
  return Money.sum([...lines, ...lineTax, ...extras], currency);
}

/**
 * Gate on `resolve`: never above `auto_resolve_max_invoice_total`. There is no FX in the domain;
 * an invoice in another currency than the controls' is compared at face value, and says so.
 */
export function checkAmountLimit(invoice: Invoice, currency: string, controls: Controls): ControlApplied {
  const total = invoiceTotal(invoice, currency);
  const limit = decimalOr(controls.auto_resolve_max_invoice_total);
  const within = total.amount.lte(limit);
  const fx =
    currency === controls.currency ? '' : ` (${currency} compared at face value with the ${controls.currency} limit)`;
  return check(
    'auto_resolve_max_invoice_total',
    limit.toFixed(2),
    total.toFixed(),
    within,
    `invoice total ${total.format()} is ${within ? 'within' : 'over'} the ${controls.currency} ${limit.toFixed(2)} auto-resolve limit${fx}`,
  );
}

/**
 * Gate on `resolve`: suppliers created less than `new_supplier_days` before `now`. A supplier
 * without a creation date cannot be shown to be new and passes, with that said in the reason.
 */
export function checkSupplierAge(supplier: Supplier | null | undefined, controls: Controls, now: Date): ControlApplied {
  const created = timeOf(supplier?.createdAt);
  const limit = String(controls.new_supplier_days);
  if (created === undefined) {
    return check('new_supplier_days', limit, 'unknown', true, 'supplier creation date unknown; not treated as new');
  }
  const ageDays = Math.floor((now.getTime() - created) / DAY_MS);
  const within = ageDays >= controls.new_supplier_days;
  return check(
    'new_supplier_days',
    limit,
    String(ageDays),
    within,
    `supplier created ${ageDays} days ago, ${within ? 'not new' : `newer than the ${limit}-day new-supplier window`}`,
  );
}
