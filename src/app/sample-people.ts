/**
 * The sample company's AP team, for shadow mode on the embedded default: after the agent has
 * shadowed the open exceptions, "people" settle the same invoices in the simulator through their
 * own Coupa client — the generator's ground truth, except for a seeded share of deliberately
 * different choices (a stricter reviewer, a dispute instead of a route …). Settle then reads their
 * decisions back from Coupa like any other tenant's.
 */
import { createCoupaClient, type CoupaClient } from '../coupa/index.js';
import { describeError } from '../errors.js';
import { createRng } from '../sim/generator/rng.js';
import type { ExceptionLabel } from '../sim/generator/types.js';
import type { SimClient, SimulatorHandle } from '../sim/types.js';

export interface PersonChoice {
  decision: 'resolve' | 'route' | 'dispute' | 'hold' | 'request_info';
  routeTo?: string;
  disputeReason?: string;
  /** True when this is one of the deliberately different choices. */
  different: boolean;
}

export interface PeopleResult {
  acted: number;
  different: number;
  failed: Array<{ invoiceId: number; error: string }>;
}

const DISPUTE_FOR: Record<string, string> = {
  price_variance: 'INCORRECT-PRICE',
  quantity_variance: 'INCORRECT-QUANTITY',
  missing_receipt: 'NOT-RECEIVED',
  missing_po: 'MISSING-PO',
  tax_variance: 'TAX-ERROR',
  duplicate: 'DUPLICATE',
};

/** What the person decides on one invoice: the ground truth, or with `share` probability something else. */
export function personChoice(label: ExceptionLabel, seed: number, share: number): PersonChoice {
  // Seeded per invoice, so the choice does not depend on the order people work in.
  const rng = createRng(seed * 1_000_003 + label.invoiceId);
  const truth: PersonChoice = {
    decision: label.expectedDecision,
    ...(label.routeTo ? { routeTo: label.routeTo } : {}),
    ...(label.disputeReason ? { disputeReason: label.disputeReason } : {}),
    different: false,
  };
  if (!rng.chance(share)) return truth;
  switch (label.expectedDecision) {
    case 'resolve':
      return rng.chance(0.5)
        ? { decision: 'route', routeTo: 'ap.manager', different: true }
        : { decision: 'hold', different: true };
    case 'route':
      return { decision: 'dispute', disputeReason: DISPUTE_FOR[label.exceptionType] ?? 'OTHER', different: true };
    case 'dispute':
      return { decision: 'route', routeTo: 'ap.review', different: true };
    case 'hold':
      return { decision: 'route', routeTo: 'ap.manager', different: true };
    case 'request_info':
      return { decision: 'route', routeTo: 'ap.review', different: true };
  }
}

async function carryOut(coupa: CoupaClient, invoiceId: number, choice: PersonChoice): Promise<void> {
  switch (choice.decision) {
    case 'resolve':
      await coupa.resolveFailedTolerances(invoiceId, 'Reviewed by AP: within policy, released to approvals.');
      return;
    case 'route': {
      const user = await coupa.findUserByLogin(choice.routeTo ?? 'ap.review');
      if (!user) throw new Error(`no Coupa user ${choice.routeTo}`);
      await coupa.addApprover(invoiceId, user.id);
      return;
    }
    case 'dispute':
      await coupa.dispute(invoiceId, {
        reasonCode: choice.disputeReason ?? 'OTHER',
        comment: 'Please correct and resubmit this invoice.',
      });
      return;
    case 'hold':
      await coupa.addComment(invoiceId, {
        text: 'AP: keeping this invoice on hold pending our review.',
        toSupplier: false,
      });
      return;
    case 'request_info':
      await coupa.addComment(invoiceId, {
        text: 'Please send the missing information so we can process this invoice.',
        toSupplier: true,
      });
  }
}

/** The people settle each shadowed invoice in the simulator. */
export async function sampleCompanyPeopleSettle(options: {
  sim: SimulatorHandle;
  people: SimClient;
  labels: readonly ExceptionLabel[];
  invoiceIds: readonly number[];
  seed: number;
  /** Share of deliberately different human choices (default 0.1). */
  share?: number;
}): Promise<PeopleResult> {
  const coupa = createCoupaClient({
    baseUrl: options.sim.url,
    clientId: options.people.clientId,
    clientSecret: options.people.clientSecret,
    limiter: false,
  });
  const byId = new Map(options.labels.map((l) => [l.invoiceId, l]));
  const result: PeopleResult = { acted: 0, different: 0, failed: [] };
  for (const invoiceId of options.invoiceIds) {
    const label = byId.get(invoiceId);
    if (!label) continue;
    const choice = personChoice(label, options.seed, options.share ?? 0.1);
    try {
      await carryOut(coupa, invoiceId, choice);
      result.acted += 1;
      if (choice.different) result.different += 1;
    } catch (error) {
      result.failed.push({ invoiceId, error: describeError(error) });
    }
  }
  return result;
}
