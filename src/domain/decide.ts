/**
 * The decision precedence of case-format "When several findings apply": the riskiest finding is
 * judged first and the first rule that fires decides. The amount limit gates `resolve` only;
 * `hold`, `dispute` and `request_info` keep money where it is and are allowed at any amount.
 */
import type { InvoiceContext } from './context.js';
import type { Controls } from './controls.js';
import { exceptionTypeOf } from './classify.js';
import type { Finding, FindingKind } from './findings.js';
import type { HintReading } from './hint.js';
import { checkTolerance, type ControlApplied, type ToleranceVerdict } from './tolerance.js';
import type { Decision, ExceptionType } from './vocabulary.js';

export type DisputeReason = 'INCORRECT-QUANTITY' | 'INCORRECT-PRICE' | 'TAX-ERROR';

export interface DecideInput {
  ctx: InvoiceContext;
  controls: Controls;
  /** All findings (any order). */
  findings: readonly Finding[];
  /** `checkAmountLimit` for the invoice. */
  amountGate: ControlApplied;
  /** `checkSupplierAge` for the supplier. */
  ageGate: ControlApplied;
  hint: HintReading;
}

export interface DecisionOutcome {
  exceptionType: ExceptionType;
  decision: Decision;
  /** Login to add as approver; set when decision is `route`. */
  routeTo?: string;
  /** Coupa dispute reason code; set when decision is `dispute`. */
  disputeReason?: DisputeReason;
  /** Who should read the dossier of a `hold` (escalation for risk, AP reviewer for duplicates). */
  notify?: string;
  /** The precedence rule that fired, e.g. "2 duplicate → hold". */
  rule: string;
  /** The findings that decided. */
  deciding: Finding[];
  rootCause: string;
  controlsApplied: ControlApplied[];
  confidence: number;
}

const SUPPLIER_RISK = new Set<FindingKind>([
  'supplier_not_found',
  'supplier_on_hold',
  'supplier_inactive',
  'remit_to_not_on_file',
  'tax_id_mismatch',
  'bank_change_request',
  'bank_details_not_on_file',
]);
/** Supplier master data a registry contradicts: held, and the change goes to the supplier-master approver. */
const REGISTRY_MISMATCH = new Set<FindingKind>([
  'vat_id_invalid',
  'registered_name_differs',
  'iban_invalid',
  'iban_country_differs',
  'tin_invalid',
]);
const MISSING_INFO = new Set<FindingKind>([
  'missing_vat_id',
  'missing_invoice_date',
  'missing_payment_term',
  'missing_backup_documents',
]);
/** Tax findings the tax team, not AP, settles. */
const TAX_TEAM = new Set<FindingKind>(['tax_engine_unavailable', 'tax_needs_specialist', 'use_tax_due']);
const ROUTINE_VARIANCE = new Set<FindingKind>([
  'amount_over_po',
  'price_over_po',
  'tax_amount_mismatch',
  'tax_rate_unexpected',
  'unplanned_charges',
  'currency_mismatch',
]);

function sentence(parts: string[]): string {
  return `${parts
    .map((p) => p.replace(/\.$/, ''))
    .filter(Boolean)
    .join('; ')}.`;
}

/** Budget owner of a non-PO invoice: its requested-by, else the GL account owner, else AP review. */
export function budgetOwner(
  ctx: InvoiceContext,
  controls: Controls,
): { login: string; source: string; fallback: boolean } {
  const requester = ctx.invoice.requestedBy?.login;
  if (requester) return { login: requester, source: 'invoice requested-by', fallback: false };
  for (const line of ctx.invoice.invoiceLines) {
    const code = line.account?.code;
    const owner = code ? ctx.glOwner?.(code) : undefined;
    if (code && owner) return { login: owner, source: `owner of GL account ${code}`, fallback: false };
  }
  return { login: controls.ap_reviewer, source: 'no requester or GL account owner found; AP reviewer', fallback: true };
}

/** Requester of the PO a finding's line belongs to, else AP review. */
export function poRequester(
  ctx: InvoiceContext,
  f: Finding,
  controls: Controls,
): { login: string; source: string; fallback: boolean } {
  const po = (ctx.purchaseOrders ?? []).find((p) => p.orderLines.some((l) => l.id === f.orderLineId));
  const login = po?.requester?.login;
  if (po && login) return { login, source: `requester of PO ${po.poNumber}`, fallback: false };
  return { login: controls.ap_reviewer, source: 'PO requester unknown; AP reviewer', fallback: true };
}

/** Applies the precedence to the findings. */
export function decide(input: DecideInput): DecisionOutcome {
  const { ctx, controls, findings, amountGate, ageGate, hint } = input;
  const verdicts = new Map<Finding, ToleranceVerdict>(findings.map((f) => [f, checkTolerance(f, controls)]));
  const controlsApplied = [...[...verdicts.values()].flatMap((v) => v.checks), amountGate, ageGate];
  const outside = (f: Finding): boolean => !(verdicts.get(f)?.within ?? false);
  const of = (kinds: ReadonlySet<FindingKind>, onlyOutside = false): Finding[] =>
    findings.filter((f) => kinds.has(f.kind) && (!onlyOutside || outside(f)));
  const why = (f: Finding): string => {
    const v = verdicts.get(f);
    return v?.governed ? v.reason : '';
  };
  const base = { controlsApplied };
  const done = (
    o: Omit<DecisionOutcome, 'controlsApplied' | 'exceptionType' | 'confidence'> & {
      exceptionType?: ExceptionType;
      confidence?: number;
    },
  ): DecisionOutcome => ({
    ...base,
    ...o,
    exceptionType: o.exceptionType ?? o.deciding[0]?.exceptionType ?? exceptionTypeOf(findings, hint),
    confidence: o.confidence ?? 0.9,
  });

  const risk = of(SUPPLIER_RISK);
  if (risk.length)
    return done({
      decision: 'hold',
      notify: controls.escalation_reviewer,
      rule: '1 supplier record or payment data → hold',
      deciding: risk,
      rootCause: sentence(risk.map((f) => f.summary)),
    });
  const mismatch = of(REGISTRY_MISMATCH);
  if (mismatch.length) {
    return done({
      decision: 'hold',
      notify: controls.supplier_master_approver,
      rule: '1 supplier master data contradicted by a registry → hold; change request to the supplier-master approver',
      deciding: mismatch,
      rootCause: sentence(mismatch.map((f) => f.summary)),
    });
  }
  const registryDown = findings.filter((f) => f.kind === 'registry_unavailable');
  if (registryDown[0]) {
    return done({
      decision: 'route',
      routeTo: controls.supplier_master_approver,
      rule: '1 registry unavailable → route to the supplier-master approver (never assumed valid)',
      deciding: registryDown,
      rootCause: sentence([registryDown[0].summary, ...registryDown[0].evidence]),
      confidence: 0.7,
    });
  }

  const dup = findings.filter((f) => f.kind === 'duplicate');
  if (dup[0]) {
    const score = Number(dup[0].figures.score ?? '0.9');
    return done({
      decision: 'hold',
      notify: controls.ap_reviewer,
      rule: '2 duplicate → hold',
      deciding: dup,
      rootCause: sentence([dup[0].summary]),
      confidence: Math.min(0.97, Math.max(0.75, score)),
    });
  }

  // Settle's addition: a field the decision rests on could not be read from Coupa. Every rule
  // below could be misled by it (an unreadable payment term looks missing, an unreadable price
  // looks within tolerance), so a person checks it; the dossier names record, field and value.
  const unreadable = findings.filter((f) => f.kind === 'unreadable_field');
  if (unreadable[0]) {
    return done({
      decision: 'route',
      routeTo: controls.ap_reviewer,
      rule: '2½ a field the decision rests on could not be read → route to the AP reviewer',
      deciding: unreadable,
      exceptionType: exceptionTypeOf(findings, hint),
      confidence: 0.6,
      rootCause: sentence([unreadable[0].summary, ...unreadable[0].evidence.slice(0, 3)]),
    });
  }

  const missing = of(MISSING_INFO);
  if (missing.length)
    return done({
      decision: 'request_info',
      rule: '3 missing information → request_info',
      deciding: missing,
      rootCause: sentence(missing.map((f) => f.summary)),
    });

  const noPo = findings.filter((f) => f.kind === 'missing_po');
  if (noPo.length) {
    const owner = budgetOwner(ctx, controls);
    return done({
      decision: 'route',
      routeTo: owner.login,
      rule: '4 missing PO → route to the budget owner',
      deciding: noPo,
      rootCause: sentence([noPo[0]?.summary ?? '', `routed to ${owner.login} (${owner.source})`]),
      confidence: owner.fallback ? 0.7 : 0.9,
    });
  }

  const overOrdered = findings.filter((f) => f.kind === 'billed_over_ordered' && outside(f));
  if (overOrdered[0])
    return done({
      decision: 'dispute',
      disputeReason: 'INCORRECT-QUANTITY',
      rule: '5 billed beyond ordered → dispute',
      deciding: overOrdered,
      rootCause: sentence([overOrdered[0].summary, why(overOrdered[0])]),
    });

  const overReceived = findings.filter((f) => f.kind === 'billed_over_received' && outside(f));
  if (overReceived[0]) {
    const who = poRequester(ctx, overReceived[0], controls);
    return done({
      decision: 'route',
      routeTo: who.login,
      rule: '5 billed beyond received on a 3-way line → route to the PO requester',
      deciding: overReceived,
      rootCause: sentence([overReceived[0].summary, `routed to ${who.login} (${who.source}) to confirm receipt`]),
      confidence: who.fallback ? 0.7 : 0.9,
    });
  }

  const contract = findings.filter((f) => f.kind === 'price_over_contract');
  if (contract[0])
    return done({
      decision: 'dispute',
      disputeReason: 'INCORRECT-PRICE',
      rule: '5 price above a firm contract price → dispute',
      deciding: contract,
      rootCause: sentence([contract[0].summary]),
    });

  const taxRoute = findings.filter((f) => TAX_TEAM.has(f.kind));
  if (taxRoute[0]) {
    const rule =
      taxRoute[0].kind === 'tax_engine_unavailable'
        ? '5 tax engine unavailable → route to the tax team (no rate is guessed)'
        : taxRoute[0].kind === 'use_tax_due'
          ? '5 sales tax under-billed on taxable goods → route a use-tax self-assessment to the tax team'
          : '5 exemption, reverse charge, cross-border or nexus question → route to the tax team';
    return done({
      decision: 'route',
      routeTo: controls.tax_team,
      rule,
      deciding: taxRoute,
      rootCause: sentence([taxRoute[0].summary, ...taxRoute[0].evidence.slice(0, 2)]),
      confidence: taxRoute[0].kind === 'tax_engine_unavailable' ? 0.7 : 0.85,
    });
  }
  const taxWrong = findings.filter((f) => f.kind === 'tax_billed_wrong');
  if (taxWrong[0])
    return done({
      decision: 'dispute',
      disputeReason: 'TAX-ERROR',
      rule: '5 supplier billed the wrong tax (tax engine) → dispute',
      deciding: taxWrong,
      rootCause: sentence([taxWrong[0].summary, ...taxWrong[0].evidence.slice(0, 2)]),
    });

  const variances = of(ROUTINE_VARIANCE, true);
  if (variances[0])
    return done({
      decision: 'route',
      routeTo: controls.ap_reviewer,
      rule: '5 variance outside tolerance → route to the AP reviewer',
      deciding: variances,
      rootCause: sentence([variances[0].summary, why(variances[0])]),
    });

  return withinTolerance(
    input,
    findings.filter((f) => verdicts.get(f)?.within),
    done,
    why,
  );
}

type Done = (
  o: Omit<DecisionOutcome, 'controlsApplied' | 'exceptionType' | 'confidence'> & {
    exceptionType?: ExceptionType;
    confidence?: number;
  },
) => DecisionOutcome;

/** Step 6: everything is within tolerance; only the gates on `resolve` remain. */
function withinTolerance(
  input: DecideInput,
  tolerated: Finding[],
  done: Done,
  why: (f: Finding) => string,
): DecisionOutcome {
  const { controls, findings, amountGate, hint } = input;
  const exceptionType = exceptionTypeOf(tolerated, hint);
  const lead = tolerated[0] ? [tolerated[0].summary, why(tolerated[0])] : ['No check fails on the records'];
  if (!amountGate.within) {
    return done({
      exceptionType,
      decision: 'route',
      routeTo: controls.escalation_reviewer,
      rule: '6 within tolerance, over the amount limit → route to the escalation reviewer',
      deciding: tolerated,
      rootCause: sentence([...lead, amountGate.reason]),
    });
  }
  const instruction = findings.filter((f) => f.kind === 'supplier_text_instruction');
  if (instruction[0]) {
    // Settle's addition: text that tries to steer the decision never earns an automatic release.
    return done({
      exceptionType,
      decision: 'route',
      routeTo: controls.escalation_reviewer,
      rule: '6 within tolerance, supplier text tries to direct the decision → route to the escalation reviewer',
      deciding: instruction,
      rootCause: sentence([...lead, instruction[0].summary]),
    });
  }
  const newSupplier = findings.filter((f) => f.kind === 'new_supplier');
  if (newSupplier[0]) {
    return done({
      exceptionType,
      decision: 'route',
      routeTo: controls.ap_reviewer,
      rule: '6 within tolerance, new supplier → route to the AP reviewer',
      deciding: newSupplier,
      rootCause: sentence([...lead, newSupplier[0].summary]),
    });
  }
  const confidence = tolerated.length ? 0.9 : hint.type ? 0.6 : 0.75;
  return done({
    exceptionType,
    decision: 'resolve',
    rule: '6 within tolerance → resolve',
    deciding: tolerated,
    rootCause: sentence([...lead, amountGate.reason]),
    confidence,
  });
}
