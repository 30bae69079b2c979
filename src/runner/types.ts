/**
 * Contracts between the runner and the rest of Settle. The runner only moves work: it receives
 * events, queues one job per invoice and calls an injected `SettleFn`; what settling means is the
 * agent's business.
 */
import { z } from 'zod';

/** What the worker hands to the agent for one job. */
export interface SettleContext {
  /** The event that queued this job (webhook id, body id, or a poller-derived id). */
  eventId: string;
  /** 1 for the first run; higher after a failure, a crash (job expiry) or a shutdown release. */
  attempt: number;
  /** Aborted when the worker shuts down or the job's time is up: stop and leave no half-write. */
  signal: AbortSignal;
}

/** What the agent reports back; the worker counts it in metrics and the job's output. */
export interface SettleOutcome {
  decision: string;
  exceptionType: string;
  executed: boolean;
  /** What settling it cost: the Coupa calls it made and the model tokens it used. */
  cost?: { coupaCalls: number; tokensIn: number; tokensOut: number };
}

/**
 * Settle one invoice. Must be idempotent: a job runs at least once (a crashed worker's job is
 * retried), so the agent re-reads Coupa and its own records before writing anything.
 */
export type SettleFn = (invoiceId: number, ctx: SettleContext) => Promise<SettleOutcome>;

/** Where a job came from. */
export const JobSource = z.enum(['webhook', 'poller', 'manual', 'supplier_reply']);
export type JobSource = z.infer<typeof JobSource>;

/** The payload of one settle job in the queue (validated again when fetched). */
export const SettleJobData = z.object({
  invoiceId: z.number().int().positive(),
  eventId: z.string().min(1).max(255),
  source: JobSource,
});
export type SettleJobData = z.infer<typeof SettleJobData>;
