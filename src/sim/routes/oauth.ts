/**
 * The token endpoint, at both paths Coupa documents (`/oauth2/token` in prose, `/oauth2/access_tokens`
 * in the Swagger specs). Client credentials come from the form body or from HTTP Basic auth.
 */
import type { FastifyInstance } from 'fastify';
import { basicCredentials } from '../auth.js';
import type { SimContext } from '../context.js';

function field(body: unknown, name: string): string | undefined {
  if (body === null || typeof body !== 'object') return undefined;
  const value = (body as Record<string, unknown>)[name];
  return typeof value === 'string' ? value : undefined;
}

export function registerOAuthRoutes(app: FastifyInstance, ctx: SimContext): void {
  for (const path of ['/oauth2/token', '/oauth2/access_tokens']) {
    app.post(path, async (request, reply) => {
      const body = request.body;
      const grantType = field(body, 'grant_type');
      if (grantType !== 'client_credentials') {
        return reply.code(400).send({
          error: grantType ? 'unsupported_grant_type' : 'invalid_request',
          error_description: 'grant_type must be client_credentials',
        });
      }
      const basic = basicCredentials(request.headers.authorization);
      const clientId = basic?.id ?? field(body, 'client_id');
      const clientSecret = basic?.secret ?? field(body, 'client_secret');
      if (!clientId || clientSecret === undefined) {
        return reply.code(401).send({ error: 'invalid_client', error_description: 'Client credentials are required' });
      }
      const state = ctx.state(request);
      if (state) state.entry.clientId = clientId;
      const result = ctx.tokens.issue(clientId, clientSecret, field(body, 'scope'));
      if ('status' in result) return reply.code(result.status).send(result.body);
      return reply.header('cache-control', 'no-store').send(result);
    });
  }
}
