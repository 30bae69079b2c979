/**
 * MCP server assembly. Built on the SDK's low-level `Server` so that every `tools/call` whose
 * arguments are an object — unknown fields, wrong types and all — reaches the guard and leaves an
 * audit row; the guard, not the SDK, validates tool input. (Arguments that are not an object at all
 * are a malformed request: the SDK answers InvalidParams before any tool is involved.)
 * One server instance serves one identity (a stdio process, an HTTP session, or the agent's
 * in-memory link).
 */
import { Server } from '@modelcontextprotocol/sdk/server/index.js';
import {
  CallToolRequestSchema,
  GetPromptRequestSchema,
  ListPromptsRequestSchema,
  ListResourcesRequestSchema,
  ListToolsRequestSchema,
  ReadResourceRequestSchema,
  McpError,
  ErrorCode,
  type Tool,
} from '@modelcontextprotocol/sdk/types.js';
import { z } from 'zod';
import { IdempotencyKey, type Guard } from '../guard/guard.js';
import type { Identity } from '../guard/identity.js';
import type { CaseScope } from '../guard/scope.js';
import { isWriteClass, type ToolDefinition } from '../guard/tool.js';
import type { PolicyLibrary } from './policies.js';
import { caseScopedTool } from './case-view.js';
import { withOneLineErrors } from './protocol-errors.js';
import { investigatePrompt } from './prompts.js';
import { SERVER_NAME, SERVER_VERSION, serverCapabilities, serverInstructions } from './server-info.js';

export { SERVER_NAME, SERVER_VERSION };

export interface McpServerDeps {
  /**
   * The guard, or a promise of it while it is being prepared, or a function that prepares it when
   * a request first needs it (a stdio start answers `initialize` before loading any tool).
   */
  guard: Guard | Promise<Guard> | (() => Promise<Guard>);
  identity: Identity;
  policies: PolicyLibrary;
  /** The case an agent session is bound to; people's sessions have none. */
  scope?: CaseScope;
}

/**
 * `tools/call` as the protocol layer parses it before our handler: any `arguments`. With the SDK's
 * own schema a non-object there fails inside the protocol layer and comes back as InternalError;
 * this way the Server's tools/call wrapper answers it as InvalidParams, which it is.
 */
const AnyArgumentsCallToolRequestSchema = CallToolRequestSchema.extend({
  params: CallToolRequestSchema.shape.params.extend({ arguments: z.unknown().optional() }),
});

type JsonSchemaObject = {
  type: 'object';
  properties?: Record<string, object>;
  required?: string[];
  [k: string]: unknown;
};

function jsonSchemaOf(schema: z.ZodType, io: 'input' | 'output'): JsonSchemaObject {
  const json = z.toJSONSchema(schema, { io, unrepresentable: 'any' }) as JsonSchemaObject;
  delete json.$schema;
  return json;
}

/**
 * The tool as MCP lists it: write tools also accept an optional idempotency key. Tool definitions
 * never change in a process, and converting their zod schemas is a tenth of a settlement's CPU (the
 * agent opens a server per exception), so each description is built once and handed out as a copy.
 */
const described = new WeakMap<ToolDefinition, Tool>();
export function describeTool(tool: ToolDefinition): Tool {
  let description = described.get(tool);
  if (!description) {
    description = buildDescription(tool);
    described.set(tool, description);
  }
  return structuredClone(description);
}

function buildDescription(tool: ToolDefinition): Tool {
  const input = jsonSchemaOf(tool.inputSchema, 'input');
  if (isWriteClass(tool.guardClass)) {
    input.properties = {
      ...(input.properties ?? {}),
      // Listed with the constraints the guard enforces, so a client can validate before calling.
      idempotency_key: {
        ...jsonSchemaOf(IdempotencyKey, 'input'),
        description: 'Optional. Repeat a write safely: the same key with the same input returns the stored result.',
      },
    };
  }
  return {
    name: tool.name,
    title: tool.title,
    description: tool.description,
    inputSchema: input,
    outputSchema: jsonSchemaOf(tool.outputSchema, 'output'),
    annotations: { title: tool.title, ...tool.annotations },
  };
}

export function createMcpServer(deps: McpServerDeps): Server {
  const server = new Server(
    { name: SERVER_NAME, version: SERVER_VERSION },
    // What initialize answers lives in server-info.ts: a stdio start answers it before this loads.
    { capabilities: serverCapabilities(), instructions: serverInstructions(deps.scope?.invoiceId) },
  );

  const { scope } = deps;
  const guard = async (): Promise<Guard> => (typeof deps.guard === 'function' ? deps.guard() : deps.guard);
  server.setRequestHandler(ListToolsRequestSchema, async () => ({
    tools: (await guard())
      .listTools(deps.identity, scope)
      .map((tool) => (scope ? caseScopedTool(tool, describeTool(tool)) : describeTool(tool))),
  }));

  server.setRequestHandler(AnyArgumentsCallToolRequestSchema, async (request) => {
    const result = await (
      await guard()
    ).call(deps.identity, request.params.name, request.params.arguments ?? {}, scope ? { scope } : {});
    return {
      content: [{ type: 'text', text: result.text }],
      ...(result.structured && !result.isError ? { structuredContent: result.structured } : {}),
      isError: result.isError,
    };
  });

  server.setRequestHandler(ListResourcesRequestSchema, async () => ({
    resources: deps.policies.list().map((doc) => ({
      uri: doc.uri,
      name: doc.id,
      title: doc.title,
      mimeType: 'text/markdown',
      description: `AP policy: ${doc.title}`,
    })),
  }));

  server.setRequestHandler(ReadResourceRequestSchema, async (request) => {
    const doc = deps.policies.get(request.params.uri);
    if (!doc) throw new McpError(ErrorCode.InvalidParams, `no resource ${request.params.uri}`);
    return { contents: [{ uri: doc.uri, mimeType: 'text/markdown', text: doc.text }] };
  });

  server.setRequestHandler(ListPromptsRequestSchema, async () => ({ prompts: [investigatePrompt.descriptor] }));

  server.setRequestHandler(GetPromptRequestSchema, async (request) => {
    if (request.params.name !== investigatePrompt.descriptor.name) {
      throw new McpError(ErrorCode.InvalidParams, `no prompt named ${request.params.name}`);
    }
    return investigatePrompt.render(request.params.arguments ?? {});
  });

  withOneLineErrors(server);
  return server;
}
