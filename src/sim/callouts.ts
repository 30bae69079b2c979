/**
 * Outbound exception events, delivered as a Coupa call-out would (coupa-api.md §7, C-CALLOUT):
 * when configured with a token URL, first fetch a token with HTTP Basic client credentials, then
 * POST the event JSON with `Authorization: Bearer …`. Fire-and-forget with a few retries; a failing
 * receiver never disturbs the simulator.
 */
import { randomUUID } from 'node:crypto';
import pRetry, { AbortError } from 'p-retry';
import type { WireObject } from './collection.js';
import { allFailedTolerances, EXCEPTION_STATUSES } from './state-machine.js';
import type { OutboundEventsConfig } from './types.js';

export interface EventNotifier {
  /** Call after any invoice change; fires only when the invoice has just entered an exception status. */
  invoiceChanged(previousStatus: string | undefined, invoice: WireObject): void;
  /** Stop retrying and wait for deliveries in flight. */
  close(): Promise<void>;
}

const REQUEST_TIMEOUT_MS = 5_000;
const RETRIES = 3;

/** The case-format event for an invoice that entered `invoice.status`. */
export function exceptionEvent(invoice: WireObject, occurredAt: string): Record<string, unknown> {
  const failed = allFailedTolerances(invoice).find((t) => t.resolved !== true);
  const summary = invoice['tolerance-failures'];
  const event: Record<string, unknown> = {
    event_type: 'invoice.exception.created',
    event_id: randomUUID(),
    occurred_at: occurredAt,
    resource_id: invoice.id,
    hold_reason: typeof summary === 'string' && summary !== '' ? summary : `Invoice entered ${String(invoice.status)}`,
  };
  if (typeof failed?.code === 'string') event.exception_code = failed.code;
  return event;
}

/** A notifier posting to `config.url`; a no-op without config. `now` stamps the events. */
export function createEventNotifier(config: OutboundEventsConfig | undefined, now: () => string): EventNotifier {
  if (!config) return { invoiceChanged: () => undefined, close: async () => undefined };
  const settings = config;
  const inFlight = new Set<Promise<void>>();
  const stop = new AbortController();
  let cached: { token: string; expiresAtMs: number } | undefined;

  async function bearer(): Promise<string | undefined> {
    if (!settings.tokenUrl) return undefined;
    if (cached && cached.expiresAtMs > Date.now()) return cached.token;
    const basic = Buffer.from(`${settings.clientId ?? ''}:${settings.clientSecret ?? ''}`).toString('base64');
    const response = await fetch(settings.tokenUrl, {
      method: 'POST',
      headers: {
        authorization: `Basic ${basic}`,
        'content-type': 'application/x-www-form-urlencoded',
        'cache-control': 'no-cache',
      },
      body: 'grant_type=client_credentials',
      signal: AbortSignal.any([stop.signal, AbortSignal.timeout(REQUEST_TIMEOUT_MS)]),
    });
    if (!response.ok) throw new Error(`token endpoint answered ${response.status}`);
    const body = (await response.json()) as { access_token?: unknown; expires_in?: unknown };
    if (typeof body.access_token !== 'string') throw new Error('token endpoint sent no access_token');
    const ttl = typeof body.expires_in === 'number' ? body.expires_in : 60;
    // Refresh a little early, like any careful client.
    cached = { token: body.access_token, expiresAtMs: Date.now() + Math.max(0, ttl - 30) * 1000 };
    return cached.token;
  }

  async function deliverOnce(event: Record<string, unknown>): Promise<void> {
    if (stop.signal.aborted) throw new AbortError('simulator closed');
    const token = await bearer();
    const response = await fetch(settings.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
      body: JSON.stringify(event),
      signal: AbortSignal.any([stop.signal, AbortSignal.timeout(REQUEST_TIMEOUT_MS)]),
    });
    await response.body?.cancel();
    if (response.status === 401) cached = undefined;
    if (response.status >= 300) throw new Error(`receiver answered ${response.status}`);
  }

  function send(event: Record<string, unknown>): void {
    const delivery = pRetry(() => deliverOnce(event), {
      retries: RETRIES,
      minTimeout: 100,
      factor: 3,
      signal: stop.signal,
    })
      .catch(() => undefined) // undeliverable events are dropped, as a failed call-out would be
      .finally(() => inFlight.delete(delivery));
    inFlight.add(delivery);
  }

  return {
    invoiceChanged(previousStatus, invoice) {
      const status = invoice.status;
      if (typeof status !== 'string' || status === previousStatus || !EXCEPTION_STATUSES.includes(status)) return;
      send(exceptionEvent(invoice, now()));
    },
    async close() {
      stop.abort();
      await Promise.allSettled([...inFlight]);
    },
  };
}
