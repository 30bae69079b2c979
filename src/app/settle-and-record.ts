/**
 * Settle one exception and store its verdict in the settlement log (the digest, the dashboard and
 * the review page read it). Every entry point — CLI, `npm start`, workers, evals — goes through here.
 */
import type { SettleOptions } from '../agent/settle.js';
import type { Verdict } from '../agent/verdict.js';
import { recordSettlement } from '../runner/settlements.js';
import type { Runtime } from './runtime.js';
import type { AgentSide } from '../shadow/store.js';
import { createQaStore } from '../shadow/qa-store.js';

/** Coupa writes a verdict reports as done (the memory write is Settle's own store, not Coupa). */
export function coupaWritesOf(verdict: Verdict): number {
  return verdict.actions.filter(
    (a) => (a.outcome === 'executed' || a.outcome === 'replayed') && a.tool !== 'record_resolution',
  ).length;
}

/** The agent's side of a shadow case, from its verdict (with the raw confidence: later calibrations learn from it). */
export function shadowSideOf(verdict: Verdict, tenant: string, settlementId: number | null): AgentSide {
  return {
    tenant,
    invoiceId: verdict.invoice_id,
    settlementId,
    exceptionType: verdict.exception_type,
    supplierId: verdict.supplier.id,
    supplierName: verdict.supplier.name,
    amount: verdict.invoice_total ?? null,
    currency: verdict.currency ?? null,
    decision: verdict.decision,
    routeTo: verdict.route_to,
    disputeReason: verdict.dispute_reason,
    confidence: verdict.confidence_raw ?? verdict.confidence,
    coupaWrites: coupaWritesOf(verdict),
    decidedAt: new Date(verdict.settled_at),
  };
}

export async function settleAndRecord(runtime: Runtime, options: SettleOptions): Promise<Verdict> {
  // Loaded on first use: LangChain takes seconds to import, and most commands never settle.
  const { settleInvoice } = await import('../agent/settle.js');
  const verdict = await settleInvoice(runtime, options);
  const settlementId = await recordSettlement(runtime.db, {
    invoiceId: verdict.invoice_id,
    supplierId: verdict.supplier.id,
    supplierName: verdict.supplier.name,
    exceptionType: verdict.exception_type,
    decision: verdict.decision,
    executed: verdict.executed,
    rootCause: verdict.root_cause,
    routeTo: verdict.route_to,
    settledAt: new Date(verdict.settled_at),
    // The tenant is kept with the verdict: an earlier settlement only counts against the same Coupa.
    verdict: { ...verdict, tenant: runtime.tenant } as unknown as Record<string, unknown>,
  });
  if (verdict.outcome === 'shadow')
    await runtime.shadow.recordAgent(shadowSideOf(verdict, runtime.tenant, settlementId));
  // Every settlement the agent carried out by itself enters the QA draw.
  if (verdict.outcome === 'executed') {
    await createQaStore(runtime.db).consider({
      settlementId,
      tenant: runtime.tenant,
      invoiceId: verdict.invoice_id,
      exceptionType: verdict.exception_type,
      supplierId: verdict.supplier.id,
      supplierName: verdict.supplier.name,
      amount: verdict.invoice_total ?? null,
      decision: verdict.decision,
      confidence: verdict.confidence_raw ?? verdict.confidence,
      autonomyRule: verdict.autonomy_rule ?? null,
      settledAt: new Date(verdict.settled_at),
    });
  }
  return verdict;
}
