/**
 * Mounts Settle's MCP server over Streamable HTTP on any fastify app: `settle mcp --http` uses it,
 * and so can `settle serve` (next to the webhook intake) or the review page. One MCP server per
 * session, each bound to the identity whose bearer token opened it; every call goes to the guard.
 */
import type { FastifyInstance } from 'fastify';
import type { Guard } from '../guard/guard.js';
import type { TokenDirectory } from './auth.js';
import { registerMcpHttp, type McpHttpOptions } from './http.js';
import { loadPolicyLibrary, POLICY_DIR, type PolicyLibrary } from './policies.js';
import { createMcpServer } from './server.js';

export { POLICY_DIR } from './policies.js';

export type MountMcpOptions = Omit<McpHttpOptions, 'tokens' | 'serverFor'> & {
  /** Policy documents to serve as resources; default: the project's policy pack. */
  policies?: PolicyLibrary;
};

export interface McpMount {
  /** Open MCP sessions. */
  sessions(): number;
  /** Close every session (call before `app.close()` for a quick shutdown). */
  closeAll(): Promise<void>;
}

/**
 * Serve MCP at `/mcp` (or `options.path`) on `app` for the callers in `tokens`. Call before
 * `app.listen`. Closing the app also closes every open session.
 */
export async function mountMcp(
  app: FastifyInstance,
  runtime: { guard: Guard },
  tokens: TokenDirectory,
  options: MountMcpOptions = {},
): Promise<McpMount> {
  const { policies = loadPolicyLibrary(POLICY_DIR), ...http } = options;
  const mount = await registerMcpHttp(app, {
    ...http,
    tokens,
    serverFor: (identity) => createMcpServer({ guard: runtime.guard, identity, policies }),
  });
  app.addHook('onClose', async () => mount.closeAll());
  return mount;
}
