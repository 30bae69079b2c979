/**
 * Closes the shadow loop: for every invoice the agent shadowed, re-read Coupa and, once a person
 * has settled it (status change, approver added, dispute and reason, tolerances resolved, a
 * comment on a held invoice), record the person's decision beside the agent's. A person who
 * decided differently becomes a correction in the resolution memory, so the next case of the
 * same pattern follows them. Runs from the poller loop, from a call-out's job for the invoice,
 * and at the end of `settle start`.
 */
import { describeError } from '../errors.js';
import { observePerson } from '../shadow/observe.js';
import type { ShadowCase } from '../shadow/store.js';
import type { Runtime } from './runtime.js';

export interface ObserveResult {
  observed: number;
  disagreed: number;
  stillOpen: number;
  /** Invoices Coupa could not be read for (tried again next time). */
  unreadable: Array<{ invoiceId: number; error: string }>;
}

type ObserverRuntime = Pick<
  Runtime,
  'shadow' | 'records' | 'coupa' | 'knowledge' | 'audit' | 'tenant' | 'now' | 'simulator' | 'config'
>;

function ownLoginsOf(runtime: ObserverRuntime): Set<string> {
  const sim = runtime.simulator?.credentials;
  return new Set([sim?.userLogin ?? sim?.clientId, runtime.config.coupa?.apiLogin].filter((l): l is string => !!l));
}

/** Look at one shadow case in Coupa; returns the case with the person's side when they acted. */
export async function observeCase(runtime: ObserverRuntime, open: ShadowCase): Promise<ShadowCase | undefined> {
  const invoice = await runtime.records.invoice(open.invoiceId, { fresh: true });
  if (!invoice) return undefined;
  const comments = await runtime.coupa.listComments(open.invoiceId);
  const authors = [...new Set(comments.map((c) => c.createdBy?.login).filter((l): l is string => !!l))];
  const internal = new Set<string>();
  for (const login of authors) if (await runtime.records.userByLogin(login).catch(() => null)) internal.add(login);
  const seen = observePerson({
    invoice,
    comments,
    since: open.decidedAt,
    ownLogins: ownLoginsOf(runtime),
    internalLogins: internal,
  });
  if (!seen) return undefined;
  const recorded = await runtime.shadow.recordPerson(open.id, { ...seen, observedAt: runtime.now() });
  if (!recorded) return undefined;
  await runtime.audit.record({
    actor: 'settle',
    actorKind: 'system',
    tool: 'shadow_observe',
    input: { invoice_id: open.invoiceId, evidence: seen.evidence },
    decision: 'allowed',
    reason: `person ${seen.login ?? '(unknown)'} decided ${seen.decision}; agent would have ${open.agent.decision}`,
    coupaCalls: 0,
    resultSummary: recorded.agreed ? 'agreed' : `disagreed: ${recorded.disagreement}`,
    idempotencyKey: null,
    invoiceId: open.invoiceId,
  });
  if (!recorded.agreed) await rememberCorrection(runtime, recorded);
  return recorded;
}

/** The person's decision as a past resolution that corrects the agent on this pattern. */
async function rememberCorrection(runtime: ObserverRuntime, c: ShadowCase): Promise<void> {
  const person = c.person!;
  const decision = person.decision as 'resolve' | 'route' | 'dispute' | 'hold' | 'request_info';
  await runtime.knowledge.recordResolution({
    invoiceId: c.invoiceId,
    exceptionType: c.exceptionType as never,
    decision,
    decidedBy: person.login ?? 'unknown person',
    summary: `${person.login ?? 'A person'} decided ${decision}${person.routeTo ? ` to ${person.routeTo}` : ''}${person.disputeReason ? ` (${person.disputeReason})` : ''} where Settle would have decided ${c.agent.decision}. Seen in Coupa: ${person.evidence.join('; ')}.`,
    source: 'human',
    ...(c.supplierId ? { supplierId: c.supplierId } : {}),
    ...(c.supplierName ? { supplierName: c.supplierName } : {}),
    decidedAt: person.observedAt.toISOString(),
    correction: {
      agentDecision: c.agent.decision as never,
      ...(person.routeTo ? { routeTo: person.routeTo } : {}),
      ...(person.disputeReason ? { disputeReason: person.disputeReason } : {}),
    },
  });
}

/** Look at every open shadow case of this tenant once. */
export async function observeShadowCases(
  runtime: ObserverRuntime,
  options: { limit?: number } = {},
): Promise<ObserveResult> {
  const open = await runtime.shadow.open(runtime.tenant, options.limit ?? 500);
  const result: ObserveResult = { observed: 0, disagreed: 0, stillOpen: 0, unreadable: [] };
  for (const c of open) {
    try {
      const seen = await observeCase(runtime, c);
      if (!seen) result.stillOpen += 1;
      else {
        result.observed += 1;
        if (!seen.agreed) result.disagreed += 1;
      }
    } catch (error) {
      result.stillOpen += 1;
      result.unreadable.push({ invoiceId: c.invoiceId, error: describeError(error) });
    }
  }
  return result;
}
