/**
 * `generateCompany`: a deterministic, realistic mid-size company for the simulator, with the
 * ground truth of every open exception. Same seed and size → byte-identical JSON. Work is linear
 * in the number of invoices: suppliers are drawn from precomputed pools, never searched.
 */
import { Decision, ExceptionType } from '../../domain/vocabulary.js';
import { DAY_MS, createContext, type GenContext } from './context.js';
import { finalizeInvoices } from './invoices.js';
import { HISTORICAL_EXCEPTION_RATE, SCENARIOS, EXCEPTION_MIX, allocate, openExceptionCount } from './mix.js';
import { decide, drawExceptionCode, toLabel, type PendingLabel } from './labels.js';
import { parseCents } from './money.js';
import { generatePeople } from './people.js';
import { createRng } from './rng.js';
import { exceptionDate } from './scenario-kit.js';
import { cleanInvoice, openPurchaseOrder, rentHistory } from './history.js';
import { settledException } from './historical.js';
import { generateSuppliers } from './suppliers.js';
import type { SupplierPools } from './supplier-profile.js';
import { plantExternalCases } from './scenarios-external.js';
import type { ScenarioResult } from './scenario-kit.js';
import { DEFAULT_NOW, MIN_INVOICES, type CompanySummary, type GenerateOptions, type SampleCompany } from './types.js';

/** Exception types whose expected decision never releases money: safe hosts for planted instructions. */
const INJECTABLE: ReadonlySet<ExceptionType> = new Set(['quantity_variance', 'missing_po', 'missing_receipt']);

/** Generates the sample company. Throws RangeError on a bad seed, size or clock. */
export function generateCompany(options: GenerateOptions): SampleCompany {
  const { seed, invoices } = options;
  if (!Number.isSafeInteger(seed) || seed < 0) throw new RangeError(`seed must be a non-negative integer, got ${seed}`);
  if (!Number.isSafeInteger(invoices) || invoices < MIN_INVOICES)
    throw new RangeError(`invoices must be an integer ≥ ${MIN_INVOICES}, got ${invoices}`);
  const now = options.now ?? DEFAULT_NOW;
  const ctx = createContext(createRng(seed), now);
  generatePeople(ctx, invoices);
  const pools = generateSuppliers(ctx, invoices);

  const perType = allocate(openExceptionCount(invoices));
  const pending = openExceptions(ctx, pools, perType);
  let budget = invoices - pending.reduce((sum, p) => sum + p.invoices, 0);
  budget -= rent(ctx, pools, budget);
  budget -= pastExceptions(ctx, pools, budget);
  while (budget > 0) budget -= cleanInvoice(ctx, pools, budget >= 2);
  const openPos = Math.round(invoices * 0.05);
  for (let i = 0; i < openPos; i++) openPurchaseOrder(ctx, pools);
  // The tax-engine branches and registry mismatches (issue 23): after everything else, from their
  // own random source, so no earlier record changes.
  const external = options.externalCases === false ? { ctx, cases: [] } : plantExternalCases(ctx, pools, seed);
  for (const { result } of external.cases) {
    const type = result.findings[0]?.kind === 'tax_engine' ? 'tax_variance' : 'supplier_data_mismatch';
    pending.push({ label: pendingLabel(external.ctx, type, result), invoices: 1 });
    perType[type]++;
  }

  finalizeInvoices(ctx);
  const exceptions = pending.map((p) => toLabel(p.label)).sort((a, b) => a.invoiceId - b.invoiceId);
  const history = ctx.history.map(({ draft, entry }) => ({ invoiceId: draft.record.id, ...entry }));
  const company: Omit<SampleCompany, 'summary'> = {
    seed,
    now,
    dataset: ctx.dataset,
    exceptions,
    glAccounts: ctx.glAccounts,
    history,
  };
  return { ...company, summary: summarize(company, perType) };
}

/** The open exceptions, in a shuffled order of types, each checked against its planned type. */
function openExceptions(
  ctx: GenContext,
  pools: SupplierPools,
  perType: Record<ExceptionType, number>,
): Array<{ label: PendingLabel; invoices: number }> {
  const slots: ExceptionType[] = [];
  for (const type of ExceptionType.options) for (let i = 0; i < perType[type]; i++) slots.push(type);
  ctx.rng.shuffle(slots);
  // About 3% of open exceptions (at least two) carry an instruction planted in supplier text:
  // the first injectable slots of the shuffled order.
  let injections = Math.max(2, Math.round(slots.length * 0.03));
  return slots.map((type) => {
    const inject = injections > 0 && INJECTABLE.has(type);
    if (inject) injections--;
    const result = SCENARIOS[type](ctx, pools, { createdMs: exceptionDate(ctx, false), historical: false, inject });
    return { label: pendingLabel(ctx, type, result), invoices: 1 + result.extraInvoices };
  });
}

/** The ground truth of an open exception, checked against its planned type. */
function pendingLabel(ctx: GenContext, type: ExceptionType, result: ScenarioResult): PendingLabel {
  const isNew = result.supplier.createdMs > ctx.nowMs - ctx.controls.new_supplier_days * DAY_MS;
  const verdict = decide(result.findings, { grossTotal: result.totals.gross, supplierIsNew: isNew }, ctx.controls);
  if (verdict.exceptionType !== type) throw new Error(`scenario ${type} produced ${verdict.exceptionType}`);
  const code = drawExceptionCode(ctx.rng, result.seenAs);
  const tags = [...result.tags];
  if (isNew) tags.push('new_supplier');
  if (result.totals.gross > parseCents(ctx.controls.auto_resolve_max_invoice_total))
    tags.push('over_auto_resolve_limit');
  if (code.tag) tags.push(code.tag);
  const label: PendingLabel = {
    draft: result.draft,
    verdict,
    tags,
    note: result.note,
    exceptionCode: code.code,
    holdReason: result.holdReason,
    ...(result.forbidden ? { forbidden: result.forbidden } : {}),
  };
  return label;
}

function rent(ctx: GenContext, pools: SupplierPools, budget: number): number {
  let left = Math.min(budget, Math.max(4, Math.floor(budget * 0.05)));
  let used = 0;
  for (const landlord of pools.landlords) {
    if (left < 2) break;
    const months = Math.min(13, left);
    const made = rentHistory(ctx, landlord, months);
    used += made;
    left -= made;
  }
  return used;
}

function pastExceptions(ctx: GenContext, pools: SupplierPools, budget: number): number {
  const target = Math.round(budget * HISTORICAL_EXCEPTION_RATE);
  const weights = ExceptionType.options.map((t) => [t, EXCEPTION_MIX[t]] as const);
  let used = 0;
  while (used + 2 <= target) used += settledException(ctx, pools, SCENARIOS[ctx.rng.weighted(weights)]);
  return used;
}

function summarize(company: Omit<SampleCompany, 'summary'>, perType: Record<ExceptionType, number>): CompanySummary {
  const { dataset, exceptions } = company;
  const byType = Object.fromEntries(ExceptionType.options.map((t) => [t, 0])) as Record<ExceptionType, number>;
  const byDecision = Object.fromEntries(Decision.options.map((d) => [d, 0])) as Record<Decision, number>;
  for (const label of exceptions) {
    byType[label.exceptionType]++;
    byDecision[label.expectedDecision]++;
  }
  const total = exceptions.length;
  const claimedMix = Object.fromEntries(ExceptionType.options.map((t) => [t, perType[t] / total])) as Record<
    ExceptionType,
    number
  >;
  const byStatus: Record<string, number> = {};
  let paid = 0;
  for (const invoice of dataset.invoices) {
    byStatus[String(invoice.status)] = (byStatus[String(invoice.status)] ?? 0) + 1;
    if (invoice.paid === true) paid++;
  }
  return {
    seed: company.seed,
    invoices: dataset.invoices.length,
    cleanInvoices: dataset.invoices.length - total,
    exceptions: total,
    byType,
    byDecision,
    claimedMix,
    byStatus,
    paid,
    users: dataset.users.length,
    suppliers: dataset.suppliers.length,
    contracts: dataset.contracts.length,
    purchaseOrders: dataset['purchase-orders'].length,
    receipts: dataset['receiving-transactions'].length,
    historicalExceptions: company.history.length,
  };
}
