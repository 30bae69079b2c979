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
import { observeCase } from './shadow-observer.js';

const EventPayload = z.looseObject({ exception_code: z.string().nullish(), hold_reason: z.string().nullish(), supplier_reply_id: z.number().int().positive().nullish() });

/** What a settlement was decided on; equal fingerprints mean nothing new to act on. */
function factsFingerprint(structured: Record<string, unknown> | undefined): string | undefined {
  if (!structured) return undefined;
  const { status, exception_type, suggested_decision, route_to, root_cause } = structured;
  return hashOf({ status, exception_type, suggested_decision, route_to, root_cause });
}

export function createAgentSettleFn(runtime: Runtime, options: { maxWallMs?: number; prefetch?: RunPrefetcher } = {}): SettleFn {
  return async (invoiceId, ctx) => {
    ctx.signal.throwIfAborted();
    // A run known in advance reads its invoices' records in batches ahead of them.
    await options.prefetch?.ahead(invoiceId);
    const { rows: events } = await runtime.db.query<{ payload: unknown; source: string }>('select payload, source from webhook_events where event_id = $1', [ctx.eventId]);
    const event = EventPayload.safeParse(events[0]?.payload ?? {}).data ?? {};

    // An invoice the agent shadowed: the change that queued it may be a person settling it.
    const shadowed = await runtime.shadow.byInvoice(runtime.tenant, invoiceId);
    if (shadowed && !shadowed.person) {
      const seen = await observeCase(runtime, shadowed);
      if (seen) return { decision: `observed:${seen.person!.decision}`, exceptionType: seen.exceptionType, executed: false };
    }

    const { rows: last } = await runtime.db.query<{ verdict: { facts?: string } ; decision: string; exception_type: string; executed: boolean }>(
      `select verdict, decision, exception_type, executed from settlements
       where invoice_id = $1 and verdict ->> 'tenant' = $2 order by id desc limit 1`,
      [invoiceId, runtime.tenant],
    );
    // A supplier's answer is a new fact even when Coupa does not show it yet (a value a person must apply).
    if (last[0]?.verdict?.facts && events[0]?.source !== 'supplier_reply') {
      const probe = await runtime.guard.call(AGENT_IDENTITY, 'classify_exception', { invoice_id: invoiceId });
      if (!probe.isError && factsFingerprint(probe.structured) === last[0].verdict.facts) {
        return { decision: 'unchanged', exceptionType: last[0].exception_type, executed: false };
      }
    }

    const verdict = await settleAndRecord(runtime, {
      invoiceId,
      event: { exception_code: event.exception_code ?? null, hold_reason: event.hold_reason ?? null },
      afterSupplierReply: events[0]?.source === 'supplier_reply' ? (event.supplier_reply_id ?? null) : null,
      budget: { maxWallMs: options.maxWallMs ?? 120_000 },
    });
    return {
      decision: verdict.decision, exceptionType: verdict.exception_type, executed: verdict.executed,
      cost: { coupaCalls: verdict.coupa_calls, tokensIn: verdict.tokens_in ?? 0, tokensOut: verdict.tokens_out ?? 0 },
    };
  };
}

export { factsFingerprint };
