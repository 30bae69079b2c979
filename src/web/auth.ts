/**
 * Sign-in for the review page with the same bearer tokens, identities and roles as the MCP HTTP
 * transport: a person enters their token once and gets a session cookie (HttpOnly, SameSite=Lax,
 * Secure over https). Every POST carries a CSRF token bound to the session. Roles are checked on
 * the server for every action; hiding a button is only a courtesy.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import fastifyCookie from '@fastify/cookie';
import fastifyCsrf from '@fastify/csrf-protection';
import fastifyFormbody from '@fastify/formbody';
import fastifySession from '@fastify/session';
import rateLimit from '@fastify/rate-limit';
import { z } from 'zod';
import type { Db } from '../db/connection.js';
import { Role, createIdentity, type Identity, type Scope } from '../guard/identity.js';
import type { TokenDirectory } from '../mcp/auth.js';
import { html } from './html.js';
import { BASE, page, type Flash } from './layout.js';
import { createPgSessionStore, sessionSecret } from './session-store.js';

declare module 'fastify' {
  interface Session {
    user?: { login: string; roles: Role[] };
    flash?: Flash;
    _csrf?: string;
  }
}

const SESSION_TTL_MS = 8 * 60 * 60 * 1000;
const SignInBody = z.object({ token: z.string().trim().min(1).max(500), next: z.string().optional() });

/** The signed-in person as a guard identity (kind `person`), or undefined. */
export function identityOf(request: FastifyRequest): Identity | undefined {
  const user = request.session.get('user');
  return user ? createIdentity(user.login, 'person', user.roles) : undefined;
}

/** Leave a one-line message for the next page this person sees. */
export function setFlash(request: FastifyRequest, flash: Flash): void {
  request.session.set('flash', flash);
}

/** Read and clear the pending message. */
export function takeFlash(request: FastifyRequest): Flash | undefined {
  const flash = request.session.get('flash');
  if (flash) request.session.set('flash', undefined);
  return flash;
}

/** Only same-app paths are followed after sign-in (no open redirect). */
function safeNext(next: string | undefined): string {
  return next && next.startsWith(`${BASE}`) && !next.startsWith('//') && !/[\\\r\n]/.test(next) ? next : BASE;
}

/** The identity of the signed-in person, or a redirect to sign-in (GET) / 401 (other methods). */
export function requireIdentity(request: FastifyRequest, reply: FastifyReply): Identity | undefined {
  const identity = identityOf(request);
  if (identity) return identity;
  if (request.method === 'GET') void reply.redirect(`${BASE}/sign-in?next=${encodeURIComponent(request.url)}`, 303);
  else void reply.code(401).type('text/plain').send('Sign in first.');
  return undefined;
}

/** 403 unless the identity holds `scope`; returns whether the request may go on. */
export function requireScope(identity: Identity, scope: Scope, reply: FastifyReply, action: string): boolean {
  if (identity.scopes.has(scope)) return true;
  void reply
    .code(403)
    .type('text/plain')
    .send(`Forbidden: your role (${identity.roles.join(', ')}) may not ${action}.`);
  return false;
}

function signInPage(csrf: string, next: string, flash?: Flash): string {
  const body = html`<section class="narrow">
    <h1>Sign in</h1>
    <p>Use the access token your administrator issued (the same token as for Settle's MCP server).</p>
    <form method="post" action="${BASE}/sign-in" class="stack">
      <input type="hidden" name="_csrf" value="${csrf}" />
      <input type="hidden" name="next" value="${next}" />
      <label for="token">Access token</label>
      <input id="token" name="token" type="password" autocomplete="current-password" required />
      <button type="submit">Sign in</button>
    </form>
  </section>`;
  return page({ title: 'Sign in', current: 'sign-in', csrf, flash, body });
}

/** Cookie, session (Postgres-backed), form bodies, CSRF, and the sign-in / sign-out routes. */
export async function registerAuth(
  app: FastifyInstance,
  deps: { db: Db; tokens: TokenDirectory; signInPerMinute?: number },
): Promise<void> {
  await app.register(fastifyCookie);
  await app.register(fastifyFormbody, { bodyLimit: 64 * 1024 });
  await app.register(fastifySession, {
    secret: await sessionSecret(deps.db),
    cookieName: 'settle_review',
    store: createPgSessionStore(deps.db),
    saveUninitialized: false,
    cookie: { path: BASE, httpOnly: true, sameSite: 'lax', secure: 'auto', maxAge: SESSION_TTL_MS },
  });
  await app.register(fastifyCsrf, { sessionPlugin: '@fastify/session' });
  await app.register(rateLimit, { global: false });

  app.get(`${BASE}/sign-in`, async (request, reply) => {
    const next = safeNext(z.object({ next: z.string().optional() }).safeParse(request.query).data?.next);
    return reply.type('text/html').send(signInPage(reply.generateCsrf(), next, takeFlash(request)));
  });

  app.post(
    `${BASE}/sign-in`,
    {
      preHandler: app.csrfProtection,
      // Tokens are long and random; the limit keeps guessing pointless and the logs quiet.
      config: { rateLimit: { max: deps.signInPerMinute ?? 10, timeWindow: '1 minute' } },
    },
    async (request, reply) => {
      const parsed = SignInBody.safeParse(request.body);
      const identity = parsed.success ? deps.tokens.resolve(parsed.data.token) : undefined;
      if (!identity) {
        return reply
          .code(401)
          .type('text/html')
          .send(
            signInPage(reply.generateCsrf(), safeNext(parsed.data?.next), {
              kind: 'error',
              text: 'That token is not valid.',
            }),
          );
      }
      // A new session id on sign-in: a session fixed before sign-in never gains the identity.
      await request.session.regenerate();
      request.session.set('user', { login: identity.id, roles: [...identity.roles] });
      return reply.redirect(safeNext(parsed.data?.next), 303);
    },
  );

  app.post(`${BASE}/sign-out`, { preHandler: app.csrfProtection }, async (request, reply) => {
    await request.session.destroy();
    return reply.redirect(`${BASE}/sign-in`, 303);
  });
}
