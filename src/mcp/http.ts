/**
 * Streamable HTTP transport for MCP, mounted on a fastify app at `/mcp`.
 * Each request is authenticated by bearer token (sessions are never authentication); each MCP
 * session is bound to the identity that opened it; a foreign Origin gets 403 (DNS rebinding);
 * bodies and request rates are limited. A session unused for `sessionIdleMs` is closed, and past
 * `maxSessions` the least recently used one is: a client that vanished holds no memory for ever
 * (the spec has a client that gets 404 for its session start a new one).
 */
import { randomUUID } from 'node:crypto';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import rateLimit from '@fastify/rate-limit';
import { LRUCache } from 'lru-cache';
import { StreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/streamableHttp.js';
import type { Identity } from '../guard/identity.js';
import { bearerToken, type TokenDirectory } from './auth.js';
import type { Server } from '@modelcontextprotocol/sdk/server/index.js';

export interface McpHttpOptions {
  tokens: TokenDirectory;
  /** Builds the MCP server for one identity (one per session). */
  serverFor: (identity: Identity) => Server;
  /** Origins allowed besides localhost / 127.0.0.1 (any port). */
  allowedOrigins?: readonly string[];
  /** Requests per minute per identity (default 600). */
  rateLimitPerMinute?: number;
  /** Max body bytes (default 1 MiB). */
  bodyLimit?: number;
  path?: string;
  /** Close a session no request has used for this long (default 30 minutes). */
  sessionIdleMs?: number;
  /** Open sessions at most; the least recently used one is closed to make room (default 1,000). */
  maxSessions?: number;
  /** Milliseconds for session idleness (default `performance`); tests inject one they advance. */
  clock?: { now(): number };
}

interface Session {
  identityId: string;
  transport: StreamableHTTPServerTransport;
}

const LOCAL_ORIGIN = /^https?:\/\/(localhost|127\.0\.0\.1|\[::1\])(:\d+)?$/i;

export function originAllowed(origin: string | undefined, allowed: readonly string[] = []): boolean {
  if (!origin) return true; // non-browser clients send none; browsers always do
  return LOCAL_ORIGIN.test(origin) || allowed.includes(origin);
}

function jsonRpcError(
  reply: FastifyReply,
  status: number,
  message: string,
  headers: Record<string, string> = {},
): FastifyReply {
  for (const [k, v] of Object.entries(headers)) void reply.header(k, v);
  return reply.code(status).send({ jsonrpc: '2.0', error: { code: -32000, message }, id: null });
}

export async function registerMcpHttp(
  app: FastifyInstance,
  options: McpHttpOptions,
): Promise<{ sessions: () => number; closeAll: () => Promise<void> }> {
  const path = options.path ?? '/mcp';
  const sessions = new LRUCache<string, Session>({
    max: options.maxSessions ?? 1_000,
    ttl: options.sessionIdleMs ?? 30 * 60_000,
    updateAgeOnGet: true,
    ttlAutopurge: true,
    // An injected clock is read on every check: the cache's 1 ms read-debounce runs on real time.
    ...(options.clock ? { perf: options.clock, ttlResolution: 0 } : {}),
    // Expired or evicted: close the transport once the entry is gone (`disposeAfter`, not `dispose`:
    // the transport's onclose deletes its id, which must not touch a slot the cache is reusing).
    disposeAfter: (session, _id, reason) => {
      if (reason === 'expire' || reason === 'evict') void session.transport.close().catch(() => undefined);
    },
  });

  await app.register(async (scope) => {
    await scope.register(rateLimit, {
      max: options.rateLimitPerMinute ?? 600,
      timeWindow: '1 minute',
      // Per known identity; unknown tokens share their address's bucket, so inventing tokens buys no quota.
      keyGenerator: (req) => {
        const token = bearerToken(req.headers.authorization);
        const identity = token ? options.tokens.resolve(token) : undefined;
        return identity ? `id:${identity.id}` : `ip:${req.ip}`;
      },
    });

    const authenticate = (req: FastifyRequest, reply: FastifyReply): Identity | undefined => {
      if (!originAllowed(req.headers.origin, options.allowedOrigins)) {
        void jsonRpcError(reply, 403, `origin ${req.headers.origin} is not allowed`);
        return undefined;
      }
      const token = bearerToken(req.headers.authorization);
      const identity = token ? options.tokens.resolve(token) : undefined;
      if (!identity) {
        void jsonRpcError(reply, 401, 'missing or invalid bearer token', {
          'WWW-Authenticate': 'Bearer realm="settle"',
        });
        return undefined;
      }
      return identity;
    };

    const handle = async (req: FastifyRequest, reply: FastifyReply): Promise<void> => {
      const identity = authenticate(req, reply);
      if (!identity) return;
      const sessionId = req.headers['mcp-session-id'];
      let session = typeof sessionId === 'string' ? sessions.get(sessionId) : undefined;
      if (typeof sessionId === 'string') {
        // Session ids are bound to the identity that created them.
        if (!session || session.identityId !== identity.id) return void jsonRpcError(reply, 404, 'unknown session');
      } else if (req.method === 'POST') {
        const transport = new StreamableHTTPServerTransport({
          sessionIdGenerator: () => randomUUID(),
          onsessioninitialized: (id) => {
            sessions.set(id, { identityId: identity.id, transport });
          },
        });
        transport.onclose = () => {
          if (transport.sessionId) sessions.delete(transport.sessionId);
        };
        await options.serverFor(identity).connect(transport);
        session = { identityId: identity.id, transport };
      } else {
        return void jsonRpcError(reply, 400, 'mcp-session-id header required');
      }
      reply.hijack();
      await session.transport.handleRequest(req.raw, reply.raw, req.body);
    };

    scope.post(path, { bodyLimit: options.bodyLimit ?? 1_048_576 }, handle);
    scope.get(path, handle);
    scope.delete(path, handle);
  });

  return {
    sessions: () => {
      sessions.purgeStale(); // sessions idle past the limit are closed now, not at the next timer
      return sessions.size;
    },
    closeAll: async () => {
      const open = [...sessions.values()];
      sessions.clear();
      await Promise.all(open.map((s) => s.transport.close().catch(() => undefined)));
    },
  };
}
