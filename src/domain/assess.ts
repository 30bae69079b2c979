/**
 * One call from records to a settlement proposal: every check, the exception type, the decision
 * by the case-format precedence, the controls applied and the evidence. The offline planner and
 * the guard both call this; it is pure (the clock is an argument).
 */
import { collectFindings } from './classify.js';
import { invoiceCurrency, type InvoiceContext } from './context.js';
import type { Controls } from './controls.js';
import { decide, type DisputeReason } from './decide.js';
import type { DuplicateCandidate } from './duplicates.js';
import type { Finding } from './findings.js';
import { readHint } from './hint.js';
import { checkAmountLimit, checkSupplierAge, invoiceTotal, type ControlApplied } from './tolerance.js';
import type { Decision, ExceptionType } from './vocabulary.js';

export interface Assessment {
  invoiceId: number;
  invoiceNumber: string;
  exceptionType: ExceptionType;
  decision: Decision;
  /** Login to add as approver; set when `decision` is `route`. */
  routeTo?: string;
  /** Coupa dispute reason code; set when `decision` is `dispute`. */
  disputeReason?: DisputeReason;
  /** Who should read the dossier of a `hold`. */
  notify?: string;
  /** One sentence: what is wrong, with the numbers, and what settles it. */
  rootCause: string;
  /** The precedence rule that fired, e.g. "5 billed beyond ordered → dispute". */
  rule: string;
  /** Every finding, riskiest first. */
  findings: Finding[];
  /** The findings that decided. */
  deciding: Finding[];
  /** Each control as applied: control name, limit, actual figure, within or not, and why. */
  controlsApplied: ControlApplied[];
  /** Earlier invoices scored as possible duplicates, best first. */
  duplicates: DuplicateCandidate[];
  /** The event hint and whether the records agree with it (null when there was no usable hint). */
  hint: { text: string; type?: ExceptionType; agrees: boolean | null };
  /** 0–1, a heuristic: lower for fallback routing, a hint the records contradict, or nothing found. */
  confidence: number;
  invoiceTotal: string;
  currency: string;
}

/** Assesses one invoice against its records under `controls` at time `now`. */
export function assessInvoice(ctx: InvoiceContext, controls: Controls, now: Date): Assessment {
  const currency = invoiceCurrency(ctx);
  const { findings, duplicates } = collectFindings(ctx, controls, now);
  const hintReading = readHint(ctx.event);
  const amountGate = checkAmountLimit(ctx.invoice, currency, controls);
  const ageGate = checkSupplierAge(ctx.supplier, controls, now);
  const outcome = decide({ ctx, controls, findings, amountGate, ageGate, hint: hintReading });
  const agrees =
    hintReading.type === undefined
      ? null
      : hintReading.type === outcome.exceptionType || findings.some((f) => f.exceptionType === hintReading.type);
  const confidence =
    Math.round(Math.max(0.3, Math.min(0.99, outcome.confidence - (agrees === false ? 0.1 : 0))) * 100) / 100;
  return {
    invoiceId: ctx.invoice.id,
    invoiceNumber: ctx.invoice.invoiceNumber,
    exceptionType: outcome.exceptionType,
    decision: outcome.decision,
    ...(outcome.routeTo ? { routeTo: outcome.routeTo } : {}),
    ...(outcome.disputeReason ? { disputeReason: outcome.disputeReason } : {}),
    ...(outcome.notify ? { notify: outcome.notify } : {}),
    rootCause: outcome.rootCause,
    rule: outcome.rule,
    findings,
    deciding: outcome.deciding,
    controlsApplied: outcome.controlsApplied,
    duplicates,
    hint: { ...hintReading, agrees },
    confidence,
    invoiceTotal: invoiceTotal(ctx.invoice, currency).toFixed(),
    currency,
  };
}
