/**
 * `settle serve` mounts `POST /inbound/mail` (supplier replies as raw MIME, signed with a
 * SETTLE_WEBHOOK_SECRETS secret) beside the Coupa webhook, on the runner's queue.
 */
import type { FastifyInstance } from 'fastify';
import type { ServeMount } from '../cli/serve.js';
import { INBOUND_MAIL_PATH, registerInboundMailRoute } from '../requests/inbound-mail.js';
import { createWebhookVerifier } from '../runner/webhook-signature.js';
import type { RunnerRuntime } from './runner-runtime.js';
import { replyDepsFor } from './supplier-loop.js';

export const inboundMailServeMount: ServeMount = async (app: FastifyInstance, runner: RunnerRuntime): Promise<void> => {
  if (runner.config.webhookSecrets.length === 0) {
    process.stderr.write(`settle: ${INBOUND_MAIL_PATH} not mounted: supplier mail replies need SETTLE_WEBHOOK_SECRETS to sign the relay's POSTs\n`);
    return;
  }
  const runtime = await runner.agent();
  await registerInboundMailRoute(app, { deps: replyDepsFor(runtime, runner.queue), verifier: createWebhookVerifier({ secrets: runner.config.webhookSecrets }), now: runtime.now });
};
