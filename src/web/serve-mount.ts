/**
 * `settle serve` mounts the review page through its `mounts` hook, on the same app runtime (guard,
 * proposals, knowledge, Coupa) the runner's workers settle with, so people review what they settle.
 */
import type { FastifyInstance } from 'fastify';
import type { ServeMount } from '../cli/serve.js';
import { loadTokenDirectory } from '../mcp/auth.js';
import type { RunnerRuntime } from '../app/runner-runtime.js';
import { mountReviewApp } from './index.js';
import { BASE } from './layout.js';

/** The review page on `settle serve`, signing people in with `SETTLE_TOKENS_FILE` / `SETTLE_MCP_TOKENS`. */
export const reviewServeMount: ServeMount = async (app: FastifyInstance, runner: RunnerRuntime): Promise<void> => {
  const tokens = loadTokenDirectory({ file: runner.config.tokensFile, inline: runner.config.mcpTokens });
  await mountReviewApp(app, { runtime: await runner.agent(), tokens });
  process.stderr.write(
    `settle: ${
      tokens.size === 0
        ? `review page at ${BASE}, but no one can sign in: set SETTLE_TOKENS_FILE or SETTLE_MCP_TOKENS (token=login:approver)`
        : `review page at ${BASE} (${tokens.size} ${tokens.size === 1 ? 'person' : 'people'} can sign in)`
    }\n`,
  );
};
