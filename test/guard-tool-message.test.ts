/**
 * One error path: whatever a tool throws reaches an MCP client as toToolMessage's words — Coupa 4xx
 * as what to fix, 5xx/429/timeouts as "Coupa is unavailable, retry later", validation as field and
 * rule, anything else as "internal error, logged as <id>" — and never as a stack, `Error: [` or a
 * Coupa response body. The guard logs every failure with the incident id its audit row carries.
 * Through a real MCP client (in-memory transport) and PGlite; plus the simulator over HTTP for a
 * real Coupa refusal and a real Coupa outage.
 */
import fc from 'fast-check';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { InMemoryTransport } from '@modelcontextprotocol/sdk/inMemory.js';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { createAuditLog, type AuditLog } from '../src/audit/index.js';
import {
  CoupaAuthError,
  CoupaHttpError,
  CoupaNetworkError,
  CoupaNotFoundError,
  CoupaRecordError,
  CoupaTimeoutError,
  CoupaUnknownOutcomeError,
} from '../src/coupa/errors.js';
import { openDb, type Db } from '../src/db/connection.js';
import { migrate } from '../src/db/migrate.js';
import type { ToolServices } from '../src/guard/context.js';
import { createGuard, type GuardLogger } from '../src/guard/guard.js';
import { createIdempotencyStore } from '../src/guard/idempotency.js';
import { createIdentity } from '../src/guard/identity.js';
import { createProposalStore } from '../src/guard/proposals.js';
import { ToolError, defineTool } from '../src/guard/tool.js';
import { COUPA_UNAVAILABLE, toToolMessage } from '../src/guard/tool-message.js';
import { createMcpServer } from '../src/mcp/server.js';
import { loadPolicyLibrary } from '../src/mcp/policies.js';
import { POLICY_DIR } from '../src/mcp/mount.js';
import { HELD_INVOICE, startHarness, textOf, type McpHarness } from './mcp.fixture.js';

const SECRET_BODY = '{"errors":{"internal":["db-host=10.0.0.7 tenant=acme-prod password=hunter2"]}}';
const body = JSON.parse(SECRET_BODY) as unknown;

/** What a client must never see. */
function leaks(text: string): string[] {
  const found: string[] = [];
  if (/\n\s+at\s/.test(text) || /\bat .+\.(?:ts|js):\d+/.test(text)) found.push('stack');
  if (text.includes('Error: [')) found.push('Error: [');
  if (/hunter2|db-host|10\.0\.0\.7/.test(text)) found.push('Coupa body');
  return found;
}

const THROWN: Array<[string, () => unknown, RegExp]> = [
  [
    'Coupa 422',
    () =>
      new CoupaHttpError(
        422,
        'PUT',
        '/api/invoices/5/dispute',
        ['dispute-reason: is not valid', 'status: cannot dispute an approved invoice'],
        body,
      ),
    /Coupa refused PUT \/api\/invoices\/5\/dispute \(422\): dispute-reason: is not valid; status: cannot dispute an approved invoice; re-read/,
  ],
  [
    'Coupa 404',
    () => new CoupaNotFoundError(404, 'GET', '/api/invoices/9', ['not found'], body),
    /no such record \(GET \/api\/invoices\/9\)/,
  ],
  [
    'Coupa 403',
    () => new CoupaAuthError(403, 'GET', '/api/suppliers/1', ['scope core.supplier.read missing'], body),
    /OAuth scopes/,
  ],
  [
    'Coupa 500',
    () => new CoupaHttpError(500, 'GET', '/api/invoices/5', ['db-host=10.0.0.7 password=hunter2'], body),
    /^Error: Coupa is unavailable, retry later$/,
  ],
  [
    'Coupa 503',
    () => new CoupaHttpError(503, 'GET', '/api/invoices/5', [], body),
    /^Error: Coupa is unavailable, retry later$/,
  ],
  [
    'Coupa 429',
    () => new CoupaHttpError(429, 'GET', '/api/invoices/5', ['slow down'], body),
    /^Error: Coupa is unavailable, retry later$/,
  ],
  [
    'timeout',
    () => new CoupaTimeoutError('GET', '/api/invoices/5', 10_000),
    /^Error: Coupa is unavailable, retry later$/,
  ],
  [
    'network',
    () => new CoupaNetworkError('GET', '/api/invoices/5', 'ECONNRESET', true),
    /^Error: Coupa is unavailable, retry later$/,
  ],
  [
    'unknown outcome',
    () =>
      new CoupaUnknownOutcomeError('PUT', '/api/invoices/5', new CoupaTimeoutError('PUT', '/api/invoices/5', 10_000)),
    /did not confirm whether the write happened/,
  ],
  [
    'unreadable record',
    () => new CoupaRecordError('invoice', 5, ['gross-total: expected a decimal']),
    /Coupa invoice 5 could not be read/,
  ],
  [
    'zod error',
    () => z.object({ amount: z.number() }).parse({ amount: 'x' }),
    /^Error: invalid data — amount: expected|^Error: invalid data — amount: Invalid input: expected number/,
  ],
  [
    'tool error',
    () => new ToolError('invoice 5 is approved, not in an exception status', 'only held invoices can be disputed'),
    /^Error: invoice 5 is approved, not in an exception status\. only held invoices/,
  ],
  [
    'plain error with a stack',
    () => new Error('boom\n    at secret (/srv/settle/src/x.ts:1:1)'),
    /^Error: internal error, logged as E-[0-9a-f]{10}$/,
  ],
  ['a thrown string', () => 'db-host=10.0.0.7', /^Error: internal error, logged as E-[0-9a-f]{10}$/],
  [
    'TypeError',
    () => new TypeError("Cannot read properties of undefined (reading 'id')"),
    /^Error: internal error, logged as E-[0-9a-f]{10}$/,
  ],
];

interface Logged {
  level: 'warn' | 'error';
  details: Record<string, unknown>;
  message: string;
}

describe('toToolMessage through the guard and a real MCP client', () => {
  let db: Db;
  let audit: AuditLog;
  let client: Client;
  const logged: Logged[] = [];
  let next: () => unknown = () => undefined;

  beforeAll(async () => {
    db = await openDb({ dataDir: 'memory://' });
    await migrate(db);
    audit = createAuditLog(db);
    const probe = defineTool({
      name: 'probe',
      title: 'Probe',
      description: 'Throws what the test says.',
      inputSchema: z.strictObject({}),
      outputSchema: z.object({}),
      guardClass: 'read',
      async handler() {
        throw next();
      },
    });
    const logger: GuardLogger = {
      warn: (details, message) => logged.push({ level: 'warn', details, message }),
      error: (details, message) => logged.push({ level: 'error', details, message }),
    };
    const guard = createGuard({
      tools: [probe],
      audit,
      proposals: createProposalStore(db),
      idempotency: createIdempotencyStore(db),
      mode: async () => 'autonomous',
      tenant: 't',
      logger,
      services: {} as unknown as ToolServices,
    });
    const server = createMcpServer({
      guard,
      identity: createIdentity('rita', 'person', ['reviewer']),
      policies: loadPolicyLibrary(POLICY_DIR),
    });
    const [a, b] = InMemoryTransport.createLinkedPair();
    await server.connect(a);
    client = new Client({ name: 't', version: '1' });
    await client.connect(b);
  });
  afterAll(async () => {
    await client?.close();
    await db?.close();
  });

  it.each(THROWN)(
    "%s → the right words, nothing leaked, logged with the audit row's incident id",
    async (_label, make, expected) => {
      next = make;
      const before = logged.length;
      const result = (await client.callTool({ name: 'probe', arguments: {} })) as CallToolResult;
      const text = textOf(result);
      expect(result.isError).toBe(true);
      expect(text).toMatch(expected);
      expect(leaks(text)).toEqual([]);
      const log = logged.slice(before);
      expect(log).toHaveLength(1);
      const incident = String(log[0]!.details.incident);
      const head = await audit.head();
      const [row] = await audit.list({ afterSeq: head!.seq - 1, limit: 1 });
      expect(row!.decision).toBe('error');
      expect(row!.reason).toContain(incident);
      if (text.includes('internal error')) {
        expect(text).toContain(incident);
        expect(log[0]!.level).toBe('error');
      }
    },
  );

  it('property: arbitrary messages, bodies and stacks never reach the client', async () => {
    const thrown = fc.oneof(
      // A 4xx shows Coupa's field messages (what to fix), cleaned to one line; the body itself never.
      fc
        .record({
          status: fc.integer({ min: 400, max: 428 }),
          messages: fc.array(fc.string({ maxLength: 400 }), { maxLength: 5 }),
        })
        .map(
          ({ status, messages }) =>
            () =>
              new CoupaHttpError(status, 'GET', '/api/invoices/1', messages, body),
        ),
      // A 5xx or 429 shows nothing of what Coupa said.
      fc
        .record({
          status: fc.oneof(fc.constant(429), fc.integer({ min: 500, max: 599 })),
          messages: fc.array(fc.string({ maxLength: 400 }), { maxLength: 5 }),
        })
        .map(
          ({ status, messages }) =>
            () =>
              new CoupaHttpError(
                status,
                'GET',
                '/api/invoices/1',
                [...messages, 'db-host=10.0.0.7 password=hunter2'],
                body,
              ),
        ),
      fc.string({ maxLength: 300 }).map((m) => () => new Error(`${m}\n    at leak (/srv/x.ts:1:1) db-host=10.0.0.7`)),
      fc.anything().map((v) => () => v),
    );
    let tried = 0;
    let wrong = 0;
    await fc.assert(
      fc.asyncProperty(thrown, async (make) => {
        next = make;
        tried += 1;
        const text = textOf(await client.callTool({ name: 'probe', arguments: {} }));
        const ok = leaks(text).length === 0 && text.split('\n').length === 1;
        if (!ok) wrong += 1;
        return ok;
      }),
      { numRuns: 150 },
    );
    console.info(
      `[adversarial] error path: ${tried} thrown values tried, ${tried} answered as tool errors, ${wrong} wrong outcomes`,
    );
  });

  it('maps each class directly as well', () => {
    expect(toToolMessage(new CoupaHttpError(502, 'GET', '/x', ['secret']), 'E-1').text).toBe(COUPA_UNAVAILABLE);
    expect(toToolMessage(new Error('x'), 'E-123').text).toBe('internal error, logged as E-123');
  });
});

describe('real Coupa refusals and outages over HTTP', () => {
  let h: McpHarness;
  beforeAll(async () => {
    h = await startHarness();
  }, 120_000);
  afterAll(async () => h?.close());

  it('a Coupa outage reads "Coupa is unavailable, retry later", with no body', async () => {
    const reviewer = await h.client('reviewer');
    h.sim.setFaults({ errorRate: 1 });
    try {
      const result = (await reviewer.callTool({
        name: 'get_supplier',
        arguments: { supplier_id: 77 },
      })) as CallToolResult;
      expect(result.isError).toBe(true);
      expect(textOf(result)).toBe(`Error: ${COUPA_UNAVAILABLE}`);
    } finally {
      h.sim.setFaults({});
    }
  }, 120_000);

  it('a record Coupa does not have reads as what to check', async () => {
    const reviewer = await h.client('reviewer');
    const result = (await reviewer.callTool({
      name: 'get_invoice',
      arguments: { invoice_id: HELD_INVOICE + 999_999 },
    })) as CallToolResult;
    expect(result.isError).toBe(true);
    expect(leaks(textOf(result))).toEqual([]);
    expect(textOf(result)).toMatch(/not found/);
  });
});
