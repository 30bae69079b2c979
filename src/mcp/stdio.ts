/**
 * stdio transport (Claude Desktop and other local clients). Per the MCP spec, stdio servers take
 * credentials from the environment, not from a token: the process runs as one configured identity.
 * stdout carries only protocol messages, so all logging goes to stderr.
 */
import { StdioServerTransport } from '@modelcontextprotocol/sdk/server/stdio.js';
import type { Server } from '@modelcontextprotocol/sdk/server/index.js';
import type { Readable, Writable } from 'node:stream';

/**
 * Serve `server` until the client closes stdin (or the transport closes). `io` replaces the
 * process's stdin and stdout — the early `initialize` answerer's streams (src/mcp/stdio-early.ts).
 */
export async function serveStdio(
  server: Server,
  io: { input: Readable; output: Writable } = { input: process.stdin, output: process.stdout },
): Promise<void> {
  const transport = new StdioServerTransport(io.input, io.output);
  await server.connect(transport);
  await new Promise<void>((resolve) => {
    transport.onclose = () => resolve();
    io.input.once('end', () => resolve());
  });
}
