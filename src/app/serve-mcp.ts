/**
 * `settle serve` also serves MCP over Streamable HTTP at /mcp, next to the webhook intake, on the
 * same runtime the workers settle with — one guard for people, assistants and the runner.
 */
import type { FastifyInstance } from 'fastify';
import type { ServeMount } from '../cli/serve.js';
import { loadTokenDirectory } from '../mcp/auth.js';
import { mountMcp } from '../mcp/mount.js';
import type { RunnerRuntime } from './runner-runtime.js';

export const mcpServeMount: ServeMount = async (app: FastifyInstance, runner: RunnerRuntime): Promise<void> => {
  const tokens = loadTokenDirectory({ file: runner.config.tokensFile, inline: runner.config.mcpTokens });
  if (tokens.size === 0) {
    process.stderr.write('settle: MCP over HTTP is off: set SETTLE_TOKENS_FILE or SETTLE_MCP_TOKENS to serve /mcp\n');
    return;
  }
  await mountMcp(app, await runner.agent(), tokens);
  process.stderr.write(`settle: MCP (Streamable HTTP) at /mcp for ${tokens.size} token(s)\n`);
};
