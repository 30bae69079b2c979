/**
 * The runner's SettleFn, wired to the agent: look up the event that queued the job (its
 * exception_code hint), skip a re-run whose facts have not changed since the last settlement
 * (Settle's own dossier comment bumps `updated-at`, which must not loop), else settle and record.
 */
import type { RunPrefetcher } from './run-prefetch.js';
import { z } from 'zod';
import { AGENT_IDENTITY } from '../guard/identity.js';
import type { SettleFn } from '../runner/types.js';
import { hashOf } from '../guard/canonical.js';
import type { Runtime } from './runtime.js';
import { settleAndRecord } from './settle-and-record.js';
import { latestSettlementRow } from '../runner/settlement-log.js';
import { inboxEvent } from '../runner/inbox.js';
import { observeCase } from './shadow-observer.js';

const EventPayload = z.looseObject({
  exception_code: z.string().nullish(),
  hold_reason: z.string().nullish(),
  supplier_reply_id: z.number().int().positive().nullish(),
});

/** What a settlement was decided on; equal fingerprints mean nothing new to act on. */
function factsFingerprint(structured: Record<string, unknown> | undefined): string | undefined {
  if (!structured) return undefined;
  const { status, exception_type, suggested_decision, route_to, root_cause } = structured;
  return hashOf({ status, exception_type, suggested_decision, route_to, root_cause });
}

export function createAgentSettleFn(
  runtime: Runtime,
  options: { maxWallMs?: number; prefetch?: RunPrefetcher } = {},
): SettleFn {
  return async (invoiceId, ctx) => {
    ctx.signal.throwIfAborted();
    // A run known in advance reads its invoices' records in batches ahead of them.
    await options.prefetch?.ahead(invoiceId);
    const inbox = await inboxEvent(runtime.db, ctx.eventId);
    const event = EventPayload.safeParse(inbox?.payload ?? {}).data ?? {};
    const afterReply = inbox?.source === 'supplier_reply';

    // An invoice the agent shadowed: the change that queued it may be a person settling it.
    const shadowed = await runtime.shadow.byInvoice(runtime.tenant, invoiceId);
    if (shadowed && !shadowed.person) {
      const seen = await observeCase(runtime, shadowed);
      if (seen)
        return { decision: `observed:${seen.person!.decision}`, exceptionType: seen.exceptionType, executed: false };
    }

    const last = await latestSettlementRow<{ verdict: { facts?: string } | null; exception_type: string }>(
      runtime.db,
      invoiceId,
      { tenant: runtime.tenant },
    );
    // A supplier's answer is a new fact even when Coupa does not show it yet (a value a person must apply).
    if (last?.verdict?.facts && !afterReply) {
      const probe = await runtime.guard.call(AGENT_IDENTITY, 'classify_exception', { invoice_id: invoiceId });
      if (!probe.isError && factsFingerprint(probe.structured) === last.verdict.facts) {
        return { decision: 'unchanged', exceptionType: last.exception_type, executed: false };
      }
    }

    const verdict = await settleAndRecord(runtime, {
      invoiceId,
      event: { exception_code: event.exception_code ?? null, hold_reason: event.hold_reason ?? null },
      afterSupplierReply: afterReply ? (event.supplier_reply_id ?? null) : null,
      budget: { maxWallMs: options.maxWallMs ?? 120_000 },
    });
    return {
      decision: verdict.decision,
      exceptionType: verdict.exception_type,
      executed: verdict.executed,
      cost: { coupaCalls: verdict.coupa_calls, tokensIn: verdict.tokens_in ?? 0, tokensOut: verdict.tokens_out ?? 0 },
    };
  };
}

export { factsFingerprint };
