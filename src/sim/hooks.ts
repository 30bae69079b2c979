/**
 * The request lifecycle every simulator request goes through, in order:
 * call-log entry → rate limit → injected faults (latency, drop, 429, 5xx) → bearer token + scope;
 * then the parsed body is logged, and on the way out the status is logged and a planned
 * drop-after-write destroys the connection instead of answering.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { applyDialect, serializeDialect } from './dialects.js';
import type { SimContext } from './context.js';
import { scopeFor } from './scopes.js';

function coupaError(reply: FastifyReply, status: number, object: string, message: string): FastifyReply {
  return reply.code(status).send({ errors: { [object]: [message] } });
}

/** Hide secrets (the token form carries the client secret) before a body enters the call log. */
function redact(body: unknown): unknown {
  if (body === null || typeof body !== 'object' || Array.isArray(body) || !('client_secret' in body)) return body;
  return { ...(body as Record<string, unknown>), client_secret: '[redacted]' };
}

function startEntry(ctx: SimContext, request: FastifyRequest): void {
  const [path = '', query = ''] = request.url.split('?', 2);
  const entry = {
    seq: ctx.nextSeq(),
    at: ctx.clock.now(),
    receivedMs: Date.now(),
    method: request.method,
    path,
    query: Object.fromEntries(new URLSearchParams(query)),
    body: undefined as unknown,
    status: 0,
  };
  ctx.callLog.push(entry);
  ctx.setState(request, { entry });
}

/** Returns true when the request was answered or dropped here. */
async function applyFaults(ctx: SimContext, request: FastifyRequest, reply: FastifyReply): Promise<boolean> {
  const state = ctx.state(request);
  if (!state || !state.entry.path.startsWith('/api/')) return false;
  const fault = ctx.faults.decide(request.method);
  state.fault = fault;
  if (fault.latencyMs > 0) await sleep(fault.latencyMs);
  if (fault.drop) {
    state.entry.dropped = true;
    reply.hijack();
    request.raw.socket.destroy();
    return true;
  }
  if (fault.throttleSeconds !== undefined) {
    reply.header('retry-after', String(fault.throttleSeconds));
    coupaError(reply, 429, 'request', 'Rate limit exceeded (injected)');
    return true;
  }
  if (fault.errorStatus !== undefined) {
    coupaError(reply, fault.errorStatus, 'request', 'Service temporarily unavailable (injected)');
    return true;
  }
  return false;
}

function checkAuth(ctx: SimContext, request: FastifyRequest, reply: FastifyReply): void {
  const state = ctx.state(request);
  if (!state || !state.entry.path.startsWith('/api/') || request.is404) return;
  const verdict = ctx.tokens.verify(request.headers.authorization);
  if (!verdict.ok) {
    reply.header('www-authenticate', 'Bearer error="invalid_token"');
    coupaError(reply, 401, 'authorization', verdict.reason);
    return;
  }
  state.grant = verdict.grant;
  state.entry.clientId = verdict.grant.clientId;
  const method = request.method === 'HEAD' ? 'GET' : request.method;
  const needed = scopeFor(method, request.routeOptions.url ?? '');
  if (!needed || !verdict.grant.scopes.has(needed)) {
    reply.header('www-authenticate', `Bearer error="insufficient_scope", scope="${needed ?? ''}"`);
    coupaError(reply, 403, 'authorization', needed ? `Missing scope ${needed}` : 'Endpoint not permitted');
  }
}

/** A successful JSON answer of the API, rewritten in the instance's dialect (the store is untouched). */
function inDialect(ctx: SimContext, request: FastifyRequest, reply: FastifyReply, payload: unknown): unknown {
  if (ctx.dialect === 'coupa' || typeof payload !== 'string' || reply.statusCode >= 300) return payload;
  if (!request.url.startsWith('/api/') || !String(reply.getHeader('content-type') ?? '').includes('json'))
    return payload;
  const users = ctx.store.collection('users');
  const body = applyDialect(ctx.dialect, JSON.parse(payload), {
    seed: ctx.dialectSeed,
    isUserLogin: (login) => (users.lookup('login', [`s:${login}`])?.size ?? 0) > 0,
  });
  return serializeDialect(body);
}

/** Register the lifecycle hooks on `app`. */
export function registerHooks(app: FastifyInstance, ctx: SimContext): void {
  app.addHook('onRequest', async (request, reply) => {
    startEntry(ctx, request);
    const retryAfter = ctx.limiter.take();
    if (retryAfter !== undefined) {
      reply.header('retry-after', String(retryAfter));
      return coupaError(reply, 429, 'request', 'Rate limit exceeded: 25 requests per second');
    }
    if (await applyFaults(ctx, request, reply)) return reply;
    checkAuth(ctx, request, reply);
    return reply.sent ? reply : undefined;
  });

  app.addHook('preHandler', async (request) => {
    const state = ctx.state(request);
    if (state) state.entry.body = redact(request.body);
  });

  app.addHook('onSend', async (request, reply, payload) => {
    const state = ctx.state(request);
    if (!state) return payload;
    payload = inDialect(ctx, request, reply, payload);
    state.entry.status = reply.statusCode;
    if (state.fault?.dropAfterWrite && reply.statusCode < 400) {
      // The write has been applied; the client never learns it (coupa-api.md: reconcile by re-reading).
      state.entry.dropped = true;
      request.raw.socket.destroy();
    }
    return payload;
  });
}
