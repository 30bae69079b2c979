/**
 * Writes whose outcome is unknown. When a PUT/POST was sent and the connection dropped (or timed
 * out) before the answer, repeating it could comment twice, add an approver twice or dispute an
 * invoice that already moved on. Instead the write is reconciled: re-read the resource, and send
 * again only when the read proves the first attempt did not apply.
 */
import { CoupaTimeoutError, CoupaUnknownOutcomeError } from './errors.js';

/**
 * Confirms a write from Coupa's current state: the result when the write is visible there,
 * `undefined` when it provably did not apply.
 */
export type Confirm<T> = () => Promise<T | undefined>;

/**
 * Prepares reconciliation before the write is sent. Most writes need nothing beforehand (a status
 * change is visible in the status); some need a baseline (which comment ids existed already), so
 * the probe may read first and return the check that compares against it.
 */
export type OutcomeProbe<T> = () => Promise<Confirm<T>>;

export interface ReconcileOptions {
  /** Re-sends allowed after a read proved a write absent (default 2). */
  maxResends?: number;
  /**
   * Wait before re-reading after a timeout (default 2000 ms). A timed-out request may still be
   * running on Coupa's side; reading at once could miss a write that lands a moment later.
   */
  settleAfterTimeoutMs?: number;
  /** Told about each reconciliation (for logs/metrics). */
  onReconcile?: (event: { path: string; applied: boolean }) => void;
}

/** Send a write; on an unknown outcome, confirm by re-reading and re-send only if absent. */
export async function writeReconciled<T>(
  send: () => Promise<T>,
  probe: OutcomeProbe<T>,
  options: ReconcileOptions = {},
): Promise<T> {
  const maxResends = options.maxResends ?? 2;
  const confirm = await probe();
  for (let resends = 0; ; resends++) {
    try {
      return await send();
    } catch (error) {
      if (!(error instanceof CoupaUnknownOutcomeError)) throw error;
      if (error.cause instanceof CoupaTimeoutError) await sleep(options.settleAfterTimeoutMs ?? 2000);
      let applied: T | undefined;
      try {
        applied = await confirm();
      } catch (readError) {
        // Could not look: the honest answer is still "unknown", with the reason attached.
        error.reconcileError = readError;
        throw error;
      }
      options.onReconcile?.({ path: error.path, applied: applied !== undefined });
      if (applied !== undefined) return applied;
      if (resends >= maxResends) throw error;
    }
  }
}

/**
 * For writes that are idempotent by nature (re-running a tolerance check): nothing to confirm,
 * sending again is harmless.
 */
export function resendIsHarmless<T>(): OutcomeProbe<T> {
  return async () => async () => undefined;
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
