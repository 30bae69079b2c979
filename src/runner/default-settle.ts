/**
 * PLACEHOLDER — the one place where the runner is wired to the agent. Until the agent is
 * wired here, the default SettleFn only reads the invoice (proving the Coupa connection and the
 * shared rate limit work) and reports that nothing was decided: it never writes to Coupa.
 * Replace the body of `createDefaultSettleFn` with the agent's `settle(invoiceId, ctx)`.
 */
import type { Logger } from 'pino';
import type { Config } from '../config.js';
import type { CoupaClient } from '../coupa/client.js';
import type { SettleFn } from './types.js';

export interface DefaultSettleDeps {
  coupa: Pick<CoupaClient, 'getInvoice'>;
  logger?: Pick<Logger, 'warn'> | undefined;
}

/** The SettleFn `settle worker` and `settle serve` use. */
export function createDefaultSettleFn(_config: Config, deps: DefaultSettleDeps): SettleFn {
  return async (invoiceId, ctx) => {
    ctx.signal.throwIfAborted();
    const invoice = await deps.coupa.getInvoice(invoiceId);
    deps.logger?.warn(
      { invoiceId, status: invoice.status, eventId: ctx.eventId },
      'no agent wired into the runner (src/runner/default-settle.ts): invoice read, nothing decided',
    );
    return { decision: 'none', exceptionType: 'unknown', executed: false };
  };
}
