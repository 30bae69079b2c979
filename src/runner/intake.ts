/**
 * `POST /webhooks/coupa` and the call-out token endpoint `POST /oauth2/token`.
 *
 * A request is accepted when it carries a valid Standard Webhooks signature or a bearer token we
 * issued to a configured call-out client. The raw bytes are verified before anything parses
 * them; the body is then validated with zod; the event is recorded and queued in one transaction
 * (inbox.ts) and answered 202 at once — settling happens in the workers.
 */
import { createHash } from 'node:crypto';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Db } from '../db/connection.js';
import { ExceptionEventSchema } from '../coupa/events.js';
import { readClientCredentials, type CalloutAuth } from './callout-auth.js';
import { eventKindOf } from './event-kind.js';
import { acceptEvent, recordIgnoredEvent } from './inbox.js';
import { jsonDepthProblem } from '../json-depth.js';
import type { RunnerMetrics } from './metrics.js';
import type { RunnerQueue } from './queue.js';
import { WebhookVerificationError, type WebhookVerifier } from './webhook-signature.js';
import { formatIssues } from '../issues.js';

export interface IntakeOptions {
  db: Db;
  queue: RunnerQueue;
  /** Standard Webhooks verifier; absent when no secrets are configured. */
  verifier?: WebhookVerifier | undefined;
  /** Call-out OAuth; absent when no call-out clients are configured. */
  calloutAuth?: CalloutAuth | undefined;
  metrics?: RunnerMetrics | undefined;
  /** Largest accepted body (default 256 KiB): events are thin pokes, not documents. */
  bodyLimitBytes?: number;
}

const MAX_EVENT_ID_LENGTH = 255;

type Rejection = { status: 400 | 401; message: string; outcome: 'invalid' | 'unauthorized' };

function reject(reply: FastifyReply, metrics: RunnerMetrics | undefined, r: Rejection): FastifyReply {
  metrics?.webhookEvents.inc({ outcome: r.outcome });
  if (r.status === 401) void reply.header('www-authenticate', 'Bearer');
  return reply.code(r.status).send({ error: r.outcome, message: r.message });
}

/** Who sent this: null when authenticated, else the reason for a 401. */
function authenticate(request: FastifyRequest, raw: Buffer, options: IntakeOptions): Rejection | null {
  const authorization = request.headers.authorization;
  if (authorization?.toLowerCase().startsWith('bearer ')) {
    const clientId = options.calloutAuth?.verify(authorization.slice(7).trim());
    return clientId ? null : { status: 401, outcome: 'unauthorized', message: 'bearer token is invalid or expired' };
  }
  if (!options.verifier) {
    return {
      status: 401,
      outcome: 'unauthorized',
      message: 'no webhook secret is configured; send a call-out bearer token',
    };
  }
  try {
    options.verifier.verify(request.headers, raw);
    return null;
  } catch (error) {
    if (error instanceof WebhookVerificationError)
      return { status: 401, outcome: 'unauthorized', message: error.message };
    throw error;
  }
}

/** The event id: `webhook-id`, else the body's `id`/`event_id`, else a hash of the exact body. */
export function eventIdOf(headerId: string | undefined, body: Record<string, unknown>, raw: Buffer): string {
  if (headerId) return headerId;
  for (const key of ['id', 'event_id'] as const) {
    const value = body[key];
    if ((typeof value === 'string' && value !== '') || typeof value === 'number') return String(value);
  }
  return `sha256:${createHash('sha256').update(raw).digest('hex')}`;
}

function parseBody(raw: Buffer): { body: Record<string, unknown> } | { error: string } {
  const text = raw.toString('utf8');
  // Before parsing: a poison body is the sender's fault (400), never "retry later".
  const tooDeep = jsonDepthProblem(text);
  if (tooDeep) return { error: `body refused: ${tooDeep}` };
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    return { error: 'body must be a JSON object' };
  }
  if (typeof json !== 'object' || json === null || Array.isArray(json)) return { error: 'body must be a JSON object' };
  return { body: json as Record<string, unknown> };
}

/** 202 for an event Settle does not act on: recorded as ignored, never queued, not retried. */
async function acknowledgeIgnored(
  request: FastifyRequest,
  reply: FastifyReply,
  options: IntakeOptions,
  event: { eventId: string; eventType: string; reason: string; payload: unknown },
): Promise<FastifyReply> {
  try {
    const { status } = await recordIgnoredEvent(options.db, { ...event, source: 'webhook' });
    options.metrics?.webhookEvents.inc({ outcome: status === 'duplicate' ? 'duplicate' : 'ignored' });
    return reply.code(202).send({ status, event_id: event.eventId, reason: event.reason });
  } catch (error) {
    request.log.error({ err: error, eventId: event.eventId }, 'could not record ignored webhook event');
    options.metrics?.webhookEvents.inc({ outcome: 'unavailable' });
    return reply
      .code(503)
      .header('retry-after', '5')
      .send({ error: 'unavailable', message: 'event not recorded; retry later' });
  }
}

/** Fastify's own refusals (body too large, bad content) as one line with the reason, not a code dump. */
function bodyErrorHandler(limit: number) {
  return (
    error: { statusCode?: number; code?: string; message: string },
    _request: FastifyRequest,
    reply: FastifyReply,
  ): FastifyReply => {
    const status = error.statusCode && error.statusCode >= 400 && error.statusCode < 500 ? error.statusCode : 500;
    if (status === 500) throw error;
    const message = error.code === 'FST_ERR_CTP_BODY_TOO_LARGE' ? `body larger than ${limit} bytes` : error.message;
    return reply.code(status).send({ error: 'invalid', message });
  };
}

/** Mount the webhook route (its own scope: raw-body parsing does not leak to other routes). */
export async function registerWebhookRoute(app: FastifyInstance, options: IntakeOptions): Promise<void> {
  const { metrics } = options;
  await app.register(async (scope) => {
    scope.removeAllContentTypeParsers();
    scope.addContentTypeParser('*', { parseAs: 'buffer' }, (_req, body, done) => done(null, body));
    const bodyLimit = options.bodyLimitBytes ?? 256 * 1024;
    scope.setErrorHandler(bodyErrorHandler(bodyLimit));
    scope.post('/webhooks/coupa', { bodyLimit }, async (request, reply) => {
      const raw = Buffer.isBuffer(request.body) ? request.body : Buffer.alloc(0);
      const denied = authenticate(request, raw, options);
      if (denied) return reject(reply, metrics, denied);
      const parsed = parseBody(raw);
      if ('error' in parsed) return reject(reply, metrics, { status: 400, outcome: 'invalid', message: parsed.error });
      const headerId = request.headers['webhook-id'];
      const eventId = eventIdOf(typeof headerId === 'string' ? headerId : undefined, parsed.body, raw);
      if (eventId.length > MAX_EVENT_ID_LENGTH) {
        return reject(reply, metrics, {
          status: 400,
          outcome: 'invalid',
          message: `event id longer than ${MAX_EVENT_ID_LENGTH} characters`,
        });
      }
      const kind = eventKindOf(parsed.body);
      if (kind.kind === 'invalid')
        return reject(reply, metrics, { status: 400, outcome: 'invalid', message: `invalid event — ${kind.reason}` });
      if (kind.kind === 'ignored')
        return acknowledgeIgnored(request, reply, options, {
          eventId,
          eventType: kind.eventType,
          reason: kind.reason,
          payload: parsed.body,
        });
      const event = ExceptionEventSchema.safeParse(parsed.body);
      if (!event.success) {
        const message = formatIssues(event.error, { root: 'body' });
        return reject(reply, metrics, { status: 400, outcome: 'invalid', message: `invalid event — ${message}` });
      }
      let result;
      try {
        result = await acceptEvent(options.db, options.queue, {
          eventId,
          invoiceId: event.data.resource_id,
          source: 'webhook',
          eventType: kind.eventType,
          payload: event.data,
        });
      } catch (error) {
        // Our fault, not the sender's: 503 asks it to redeliver, and nothing was half-recorded.
        request.log.error({ err: error, eventId }, 'could not record webhook event');
        metrics?.webhookEvents.inc({ outcome: 'unavailable' });
        return reply
          .code(503)
          .header('retry-after', '5')
          .send({ error: 'unavailable', message: 'event not recorded; retry later' });
      }
      metrics?.webhookEvents.inc({ outcome: result.status });
      return reply.code(202).send({ status: result.status, event_id: eventId });
    });
  });
}

/** Mount `POST /oauth2/token` for Coupa call-outs (client credentials, Basic or form fields). */
export async function registerCalloutTokenRoute(app: FastifyInstance, auth: CalloutAuth): Promise<void> {
  await app.register(async (scope) => {
    scope.addContentTypeParser(
      'application/x-www-form-urlencoded',
      { parseAs: 'string', bodyLimit: 8 * 1024 },
      (_req, body, done) => {
        done(null, Object.fromEntries(new URLSearchParams(String(body))));
      },
    );
    scope.post('/oauth2/token', { bodyLimit: 8 * 1024 }, async (request, reply) => {
      void reply.header('cache-control', 'no-store');
      const fields = (typeof request.body === 'object' && request.body !== null ? request.body : {}) as Record<
        string,
        unknown
      >;
      if (fields.grant_type !== 'client_credentials') {
        return reply.code(400).send({
          error: 'unsupported_grant_type',
          error_description: 'only grant_type=client_credentials is supported',
        });
      }
      const credentials = readClientCredentials(request.headers.authorization, fields);
      const token = credentials && auth.issue(credentials.clientId, credentials.clientSecret);
      if (!token) {
        void reply.header('www-authenticate', 'Basic realm="settle"');
        return reply.code(401).send({ error: 'invalid_client', error_description: 'unknown client or wrong secret' });
      }
      return reply.code(200).send(token);
    });
  });
}

/** Mount both intake routes. */
export async function registerIntake(app: FastifyInstance, options: IntakeOptions): Promise<void> {
  await registerWebhookRoute(app, options);
  if (options.calloutAuth) await registerCalloutTokenRoute(app, options.calloutAuth);
}
