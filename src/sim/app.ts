/**
 * Assembles one simulator's fastify instance: body parsers (JSON, form, multipart), Coupa-shaped
 * error and not-found handlers, the lifecycle hooks and every route. Bad input of any kind ends
 * in a 4xx JSON body; a 500 would mean a simulator bug.
 */
import Fastify, { type FastifyError, type FastifyInstance } from 'fastify';
import type { SimContext } from './context.js';
import { SimHttpError } from './errors.js';
import { registerHooks } from './hooks.js';
import { MULTIPART_BODY_LIMIT, parseMultipart } from './multipart.js';
import { registerAttachmentRoutes } from './routes/attachments.js';
import { registerAvaTaxRoutes } from './routes/avatax.js';
import { registerCommentRoutes } from './routes/comments.js';
import { registerInvoiceActionRoutes } from './routes/invoice-actions.js';
import { registerInvoiceWriteRoutes } from './routes/invoices.js';
import { registerOAuthRoutes } from './routes/oauth.js';
import { registerReadRoutes } from './routes/read.js';
import { scopeFor } from './scopes.js';

const JSON_BODY_LIMIT = 1024 * 1024;

function registerParsers(app: FastifyInstance): void {
  // Fastify's own JSON parser (prototype-poisoning safe), but an empty body means "no body":
  // clients send `PUT …/submit` with a JSON content type and nothing else.
  const strictJson = app.getDefaultJsonParser('error', 'error');
  app.removeContentTypeParser('application/json');
  app.addContentTypeParser(
    'application/json',
    { parseAs: 'string', bodyLimit: JSON_BODY_LIMIT },
    (request, body, done) => {
      const text = typeof body === 'string' ? body : body.toString('utf8');
      if (text.trim() === '') return done(null, undefined);
      strictJson(request, text, done);
    },
  );
  app.addContentTypeParser(
    'application/x-www-form-urlencoded',
    { parseAs: 'string', bodyLimit: JSON_BODY_LIMIT },
    (_request, body, done) => {
      const params = new URLSearchParams(typeof body === 'string' ? body : body.toString('utf8'));
      done(null, Object.fromEntries(params));
    },
  );
  app.addContentTypeParser(
    'multipart/form-data',
    { parseAs: 'buffer', bodyLimit: MULTIPART_BODY_LIMIT },
    (request, body, done) => {
      const buffer = typeof body === 'string' ? Buffer.from(body) : body;
      parseMultipart(buffer, String(request.headers['content-type'])).then(
        (parsed) => done(null, parsed),
        (error: Error) => done(error),
      );
    },
  );
}

function registerErrorHandlers(app: FastifyInstance): void {
  app.setErrorHandler((error: FastifyError | SimHttpError, _request, reply) => {
    if (error instanceof SimHttpError) {
      return reply.code(error.statusCode).headers(error.headers).send(error.body());
    }
    const status =
      typeof error.statusCode === 'number' && error.statusCode >= 400 && error.statusCode < 500
        ? error.statusCode
        : 500;
    const message = status === 500 ? 'Internal server error' : error.message.slice(0, 300);
    // A 500 is a simulator bug, never a client mistake: make it loud.
    if (status === 500) console.error('[sim] internal error', error);
    return reply.code(status).send({ errors: { request: [message] } });
  });
  app.setNotFoundHandler((request, reply) => {
    const path = request.url.split('?')[0]?.slice(0, 200) ?? '';
    return reply.code(404).send({ errors: { request: [`No route matches ${request.method} ${path}`] } });
  });
}

/** A fastify app serving the simulator over `ctx`; not yet listening. */
export function buildSimApp(ctx: SimContext): FastifyInstance {
  const app = Fastify({ logger: false, bodyLimit: JSON_BODY_LIMIT, forceCloseConnections: true });
  registerParsers(app);
  registerErrorHandlers(app);
  registerHooks(app, ctx);
  app.addHook('onRoute', (route) => {
    // Deny by default is enforced per request; this makes a forgotten scope fail at startup instead.
    const methods = Array.isArray(route.method) ? route.method : [route.method];
    for (const method of methods) {
      if (route.url.startsWith('/api/') && method !== 'HEAD' && !scopeFor(method, route.url)) {
        throw new Error(`simulator route ${method} ${route.url} has no scope in scopes.ts`);
      }
    }
  });
  registerOAuthRoutes(app, ctx);
  registerReadRoutes(app, ctx);
  registerInvoiceWriteRoutes(app, ctx);
  registerInvoiceActionRoutes(app, ctx);
  registerCommentRoutes(app, ctx);
  registerAttachmentRoutes(app, ctx);
  registerAvaTaxRoutes(app, ctx.avatax);
  return app;
}
