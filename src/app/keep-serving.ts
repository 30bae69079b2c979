/**
 * `settle start --keep-running`: after the run, keep the MCP Streamable HTTP endpoint (and the
 * review page, when built) up on one port until Ctrl-C. Without configured tokens a one-time
 * approver token is generated and printed, so the sample can be explored at once.
 */
import { randomBytes } from 'node:crypto';
import Fastify from 'fastify';
import { loadTokenDirectory, createTokenDirectory, type TokenDirectory } from '../mcp/auth.js';
import { mountMcp } from '../mcp/mount.js';
import { mountReviewApp } from '../web/index.js';
import type { OpenedRuntime } from './embedded.js';

function tokensFor(opened: OpenedRuntime): { tokens: TokenDirectory; generated?: string } {
  const configured = loadTokenDirectory({
    file: opened.runtime.config.tokensFile,
    inline: opened.runtime.config.mcpTokens,
  });
  if (configured.size > 0) return { tokens: configured };
  const token = randomBytes(24).toString('base64url');
  return { tokens: createTokenDirectory([{ token, login: 'local.approver', roles: ['approver'] }]), generated: token };
}

export async function keepServing(opened: OpenedRuntime, options: { port: number; host?: string }): Promise<void> {
  const app = Fastify({ logger: false, trustProxy: opened.runtime.config.trustProxy });
  const { tokens, generated } = tokensFor(opened);
  await mountMcp(app, opened.runtime, tokens);
  await mountReviewApp(app, { runtime: opened.runtime, tokens });
  await app.listen({ port: options.port, host: options.host ?? '127.0.0.1' });
  const base = `http://${options.host ?? '127.0.0.1'}:${options.port}`;
  console.log(`MCP (Streamable HTTP): ${base}/mcp`);
  console.log(`Review page: ${base}/review`);
  if (generated)
    console.log(`Bearer token for local.approver (approver role), valid until this process stops: ${generated}`);
  if (opened.sim)
    console.log(
      `Coupa simulator: ${opened.sim.url}  client_id ${opened.sim.credentials.clientId}  client_secret ${opened.sim.credentials.clientSecret}`,
    );
  console.log('Ctrl-C to stop.');
  await new Promise<void>((resolve) => {
    process.once('SIGINT', () => resolve());
    process.once('SIGTERM', () => resolve());
  });
  await app.close();
}
