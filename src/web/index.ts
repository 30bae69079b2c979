/**
 * The review page and dashboard for the AP team, served under `/review` on any fastify instance:
 * `settle serve` mounts it next to the webhook intake, `settle start --keep-running` next to the
 * agent, and `createReviewServer` runs it alone (tests, screenshots).
 */
import { join } from 'node:path';
import Fastify, { type FastifyInstance } from 'fastify';
import type { Runtime } from '../app/runtime.js';
import type { TrustProxy } from '../config.js';
import type { TokenDirectory } from '../mcp/auth.js';
import { registerActions } from './actions.js';
import { registerAssets } from './assets.js';
import { registerAuth } from './auth.js';
import { registerDocumentRoutes } from './documents.js';
import { registerGrirRoutes } from './grir-routes.js';
import { BASE } from './layout.js';
import { registerPages } from './pages.js';

export { BASE as REVIEW_BASE_PATH } from './layout.js';

export interface ReviewAppDeps {
  runtime: Runtime;
  /** The same bearer tokens (identities and roles) as the MCP HTTP transport. */
  tokens: TokenDirectory;
  /** The eval report of the current build; default `<SETTLE_DATA_DIR>/eval-report.json`. */
  evalReportPath?: string;
  /** Sign-in attempts per minute per address (default 10): guessing tokens stays slow. */
  signInPerMinute?: number;
}

// Scripts only from this origin, no inline code, no framing: escaped text stays inert even if
// something were ever rendered unescaped.
const CSP =
  "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'";

/** Mount the review app under `/review` on `app` (call before `listen`). */
export async function mountReviewApp(app: FastifyInstance, deps: ReviewAppDeps): Promise<void> {
  await app.register(async (scope) => {
    scope.addHook('onSend', async (_request, reply, payload) => {
      void reply.header('content-security-policy', CSP);
      void reply.header('x-content-type-options', 'nosniff');
      void reply.header('referrer-policy', 'same-origin');
      void reply.header('x-frame-options', 'DENY');
      return payload;
    });
    await registerAuth(scope, {
      db: deps.runtime.db,
      tokens: deps.tokens,
      ...(deps.signInPerMinute ? { signInPerMinute: deps.signInPerMinute } : {}),
    });
    registerAssets(scope);
    registerPages(scope, {
      runtime: deps.runtime,
      evalReportPath: deps.evalReportPath ?? join(deps.runtime.config.dataDir, 'eval-report.json'),
    });
    registerActions(scope, deps.runtime);
    registerDocumentRoutes(scope, deps.runtime);
    registerGrirRoutes(scope, deps.runtime);
  });
  // The site root leads to the review page, unless another surface already serves it.
  if (!app.hasRoute({ method: 'GET', url: '/' })) app.get('/', async (_request, reply) => reply.redirect(BASE, 302));
}

/** A fastify instance serving only the review app (and `/` → `/review`); not listening yet. */
export async function createReviewServer(
  deps: ReviewAppDeps & { logger?: boolean; trustProxy?: TrustProxy },
): Promise<FastifyInstance> {
  const app = Fastify({ logger: deps.logger ?? false, trustProxy: deps.trustProxy ?? deps.runtime.config.trustProxy });
  await mountReviewApp(app, deps);
  return app;
}
