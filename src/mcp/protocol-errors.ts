/**
 * Every MCP protocol-level error in one line of words. The SDK validates each request against its
 * zod schema before our handlers run and answers a failure with the zod error's message — a
 * pretty-printed JSON dump of the issues (e.g. `tools/call` with `arguments: [1]`). This wraps
 * every registered request handler so such an error leaves as `invalid <method> request —
 * field: rule` through the one formatter (src/issues.ts), with its JSON-RPC code kept.
 */
import type { Server } from '@modelcontextprotocol/sdk/server/index.js';
import { ErrorCode, McpError } from '@modelcontextprotocol/sdk/types.js';
import { formatIssues, hasIssues, type IssueLike } from '../issues.js';

type RequestHandler = (request: unknown, extra: unknown) => Promise<unknown>;

/** The issues inside a message that embeds a zod dump (`Invalid tools/call request: [ {...} ]`). */
function issuesInMessage(message: string): IssueLike[] | null {
  const start = message.indexOf('[');
  if (start < 0) return null;
  try {
    const parsed: unknown = JSON.parse(message.slice(start));
    const candidate = { issues: parsed };
    return hasIssues(candidate) ? candidate.issues : null;
  } catch {
    return null;
  }
}

/** The SDK prefixes McpError messages with "MCP error <code>: "; the code travels separately. */
function withoutCodePrefix(message: string): string {
  return message.replace(/^MCP error -?\d+:\s*/, '');
}

/** One line of words for any error a request handler (or the SDK's validation around it) threw. */
export function oneLineProtocolError(method: string, error: unknown): McpError {
  const invalid = (issues: readonly IssueLike[]): McpError =>
    new McpError(
      ErrorCode.InvalidParams,
      `invalid ${method} request — ${formatIssues({ issues }, { root: 'request' })}`,
    );
  if (hasIssues(error)) return invalid(error.issues);
  if (error instanceof McpError) {
    const message = withoutCodePrefix(error.message);
    const issues = issuesInMessage(message);
    if (issues) return invalid(issues);
    return new McpError(error.code, message.replace(/\s+/g, ' ').trim(), error.data);
  }
  const message = error instanceof Error ? error.message : String(error);
  return new McpError(ErrorCode.InternalError, `${method} failed: ${message.replace(/\s+/g, ' ').trim()}`);
}

/** Wrap every request handler registered on `server` so far (call after the last registration). */
export function withOneLineErrors(server: Server): void {
  const handlers = (server as unknown as { _requestHandlers?: unknown })._requestHandlers;
  if (!(handlers instanceof Map))
    throw new Error('@modelcontextprotocol/sdk changed: request handlers are no longer reachable');
  const table = handlers as Map<string, RequestHandler>;
  for (const [method, handler] of table) {
    table.set(method, async (request, extra) => {
      try {
        return await handler(request, extra);
      } catch (error) {
        throw oneLineProtocolError(method, error);
      }
    });
  }
}
