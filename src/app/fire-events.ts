/**
 * Fires exception events through the same path a Coupa call-out takes: a signed Standard Webhooks
 * POST to the runner's `/webhooks/coupa` intake (verify, dedupe, enqueue).
 */
import { randomBytes, randomUUID } from 'node:crypto';
import type { ExceptionEvent } from '../coupa/events.js';
import { webhookHeaders } from '../runner/webhook-signature.js';

export function newWebhookSecret(): string {
  return `whsec_${randomBytes(24).toString('base64')}`;
}

export async function postSignedEvent(intakeUrl: string, secret: string, event: ExceptionEvent): Promise<number> {
  const body = JSON.stringify(event);
  const headers = webhookHeaders({
    id: `evt_${randomUUID()}`,
    timestamp: Math.floor(Date.now() / 1000),
    body,
    secrets: [secret],
  });
  const response = await fetch(intakeUrl, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body,
  });
  await response.arrayBuffer();
  return response.status;
}
