/**
 * The agent reaches Settle's tools the way every other client does: over MCP (an in-memory
 * transport) to a server bound to the agent's identity, so the same guard applies — and to the
 * case it settles, so that nothing a model reads can move it onto another invoice.
 */
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { InMemoryTransport } from '@modelcontextprotocol/sdk/inMemory.js';
import { loadMcpTools } from '@langchain/mcp-adapters';
import type { DynamicStructuredTool } from '@langchain/core/tools';
import type { Guard } from '../guard/guard.js';
import type { Identity } from '../guard/identity.js';
import type { CaseScope } from '../guard/scope.js';
import type { PolicyLibrary } from '../mcp/policies.js';
import { createMcpServer } from '../mcp/server.js';
import { sharedSchemaValidators } from './schema-validators.js';

export interface McpLink {
  tools: DynamicStructuredTool[];
  close(): Promise<void>;
}

export async function linkAgentToMcp(
  guard: Guard,
  identity: Identity,
  policies: PolicyLibrary,
  scope?: CaseScope,
): Promise<McpLink> {
  const server = createMcpServer({ guard, identity, policies, ...(scope ? { scope } : {}) });
  const [serverSide, clientSide] = InMemoryTransport.createLinkedPair();
  await server.connect(serverSide);
  const client = new Client(
    { name: 'settle-agent', version: '0.1.0' },
    { jsonSchemaValidator: sharedSchemaValidators },
  );
  await client.connect(clientSide);
  const tools = await loadMcpTools('settle', client, {
    throwOnLoadError: true,
    prefixToolNameWithServerName: false,
    additionalToolNamePrefix: '',
  });
  return {
    tools,
    close: async () => {
      await client.close().catch(() => undefined);
      await server.close().catch(() => undefined);
    },
  };
}
