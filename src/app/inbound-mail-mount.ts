/**
 * `settle serve` mounts `POST /inbound/mail` (supplier replies as raw MIME, signed with a
 * SETTLE_WEBHOOK_SECRETS secret) beside the Coupa webhook, on the runner's queue, and every
 * quarter hour reads Supplier Portal replies and sends the reminders and escalations due
 * (both idempotent: a second round finds nothing new).
 */
import type { FastifyInstance } from 'fastify';
import type { ServeMount } from '../cli/serve.js';
import { INBOUND_MAIL_PATH, registerInboundMailRoute } from '../requests/inbound-mail.js';
import { createWebhookVerifier } from '../runner/webhook-signature.js';
import type { RunnerRuntime } from './runner-runtime.js';
import { chaseRequests, replyDepsFor, scanPortal } from './supplier-loop.js';

const ROUND_MS = 15 * 60_000;

function startSupplierRounds(app: FastifyInstance, runner: RunnerRuntime): void {
  let running = false;
  const round = async (): Promise<void> => {
    if (running) return;
    running = true;
    try {
      const runtime = await runner.agent();
      await scanPortal(runtime, runner.queue);
      const chased = await chaseRequests(runtime);
      for (const problem of chased.problems) runner.logger.warn({ problem }, 'supplier request chase');
    } catch (error) {
      runner.logger.error({ err: error }, 'supplier request round failed');
    } finally {
      running = false;
    }
  };
  const timer = setInterval(() => void round(), ROUND_MS);
  timer.unref();
  app.addHook('onClose', async () => clearInterval(timer));
}

export const inboundMailServeMount: ServeMount = async (app: FastifyInstance, runner: RunnerRuntime): Promise<void> => {
  startSupplierRounds(app, runner);
  if (runner.config.webhookSecrets.length === 0) {
    process.stderr.write(
      `settle: ${INBOUND_MAIL_PATH} not mounted: supplier mail replies need SETTLE_WEBHOOK_SECRETS to sign the relay's POSTs\n`,
    );
    return;
  }
  const runtime = await runner.agent();
  await registerInboundMailRoute(app, {
    deps: replyDepsFor(runtime, runner.queue),
    verifier: createWebhookVerifier({ secrets: runner.config.webhookSecrets }),
    now: runtime.now,
  });
};
