/**
 * With the poller: every interval, look in Coupa at the invoices the agent shadowed for a person's
 * decision. The poller itself only sees invoices that are still held; a person's dispute, release
 * or void takes the invoice out of that view, so the shadow cases are re-read directly.
 */
import type { Logger } from 'pino';
import type { Runtime } from './runtime.js';
import { observeShadowCases } from './shadow-observer.js';

export interface ShadowWatch {
  stop(): Promise<void>;
}

export function startShadowWatch(
  runtime: Runtime,
  intervalMs: number,
  logger?: Pick<Logger, 'info' | 'warn'>,
): ShadowWatch {
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<unknown> | undefined;
  const tick = async (): Promise<void> => {
    running = observeShadowCases(runtime)
      .then((r) => {
        if (r.observed)
          logger?.info(
            { observed: r.observed, disagreed: r.disagreed, open: r.stillOpen },
            'shadow: people settled shadowed invoices',
          );
        for (const u of r.unreadable)
          logger?.warn({ invoice: u.invoiceId, error: u.error }, 'shadow: invoice unreadable; will retry');
      })
      .catch((error: unknown) => logger?.warn({ err: error }, 'shadow watch failed; will retry next interval'));
    await running;
    if (timer) timer = setTimeout(() => void tick(), intervalMs);
  };
  timer = setTimeout(() => void tick(), intervalMs);
  return {
    async stop() {
      const t = timer;
      timer = undefined;
      if (t) clearTimeout(t);
      await running;
    },
  };
}
