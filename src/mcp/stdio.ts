/**
 * stdio transport (Claude Desktop and other local clients). Per the MCP spec, stdio servers take
 * credentials from the environment, not from a token: the process runs as one configured identity.
 * stdout carries only protocol messages, so all logging goes to stderr.
 */
import { StdioServerTransport } from '@modelcontextprotocol/sdk/server/stdio.js';
import type { Server } from '@modelcontextprotocol/sdk/server/index.js';

export async function serveStdio(server: Server): Promise<void> {
  const transport = new StdioServerTransport();
  await server.connect(transport);
  await new Promise<void>((resolve) => {
    transport.onclose = () => resolve();
    process.stdin.once('end', () => resolve());
  });
}
