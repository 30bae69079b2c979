/**
 * Properties through the real MCP client over HTTP against the simulator:
 * - random amounts, supplier ages, modes and roles never yield a resolve outside the controls
 *   (the expectation is derived here, independently, from the case-format controls);
 * - 50 concurrent calls with one idempotency key execute once (the simulator's call log decides);
 * - schema fuzzing of every tool: no crash, unknown fields rejected as tool errors, every call audited.
 */
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPError } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { ErrorCode, McpError } from '@modelcontextprotocol/sdk/types.js';
import type { Mode } from '../src/domain/controls.js';
import { createIdempotencyStore } from '../src/guard/idempotency.js';
import { TOOLS } from '../tools/index.js';
import {
  HELD_INVOICE,
  NOW,
  SUPPLIER,
  invoiceStatus,
  priceVarianceCase,
  startHarness,
  supplier,
  supplierInformation,
  textOf,
  VALID_TOOL_INPUTS,
  writesIn,
  type McpHarness,
} from './mcp.fixture.js';

let h: McpHarness;
beforeAll(async () => {
  h = await startHarness({ mount: { rateLimitPerMinute: 100_000 } });
});
afterAll(async () => h?.close());

const DAY_MS = 86_400_000;
const ROLES = ['reviewer', 'approver', 'reader', 'auditor', 'agentRole'] as const;
const WRITERS = new Set<string>(['reviewer', 'approver', 'agentRole']);

describe('resolve never escapes the controls', () => {
  let nextId = 20_000;

  it('holds for random amounts, supplier ages, modes and roles', async () => {
    const scenario = fc.record({
      quantity: fc.integer({ min: 1, max: 120 }),
      poCents: fc.integer({ min: 100, max: 20_000 }),
      // Price increase in basis points of the PO price: 0.01% to 10%.
      increaseBp: fc.integer({ min: 1, max: 1_000 }),
      ageDays: fc.oneof(fc.integer({ min: 0, max: 2_000 }), fc.integer({ min: 85, max: 95 })),
      // Weighted towards the combinations that may execute, so both outcomes are exercised.
      mode: fc.oneof(
        { arbitrary: fc.constant<Mode>('autonomous'), weight: 4 },
        fc.constantFrom<Mode>('monitor', 'assisted'),
      ),
      role: fc.oneof(
        { arbitrary: fc.constantFrom('reviewer', 'agentRole', 'approver'), weight: 4 },
        fc.constantFrom(...ROLES),
      ),
    });
    type Scenario = typeof scenario extends fc.Arbitrary<infer T> ? T : never;
    const at = (s: Partial<Scenario>): [Scenario] => [
      { quantity: 10, poCents: 10_000, increaseBp: 300, ageDays: 400, mode: 'autonomous', role: 'reviewer', ...s },
    ];
    // The boundaries, always run: exactly 5%, just over; exactly 90 days, one less; exactly 5000.00.
    const examples = [
      at({ increaseBp: 500 }),
      at({ increaseBp: 501 }),
      at({ ageDays: 90 }),
      at({ ageDays: 89 }),
      at({ quantity: 50, poCents: 9_804, increaseBp: 200 }),
      at({ quantity: 50, poCents: 9_804, increaseBp: 210 }),
    ];
    await fc.assert(
      fc.asyncProperty(scenario, async (s) => {
        const id = nextId++;
        const supplierId = id + 500_000;
        const invoiceCents = s.poCents + Math.max(1, Math.floor((s.poCents * s.increaseBp) / 10_000));
        const c = priceVarianceCase({
          invoiceId: id,
          supplierId,
          poPrice: dollars(s.poCents),
          invoicePrice: dollars(invoiceCents),
          quantity: String(s.quantity),
        });
        h.sim.upsert(
          'suppliers',
          supplier(supplierId, new Date(Date.parse(NOW) - s.ageDays * DAY_MS).toISOString(), `Vendor ${id}`),
        );
        h.sim.upsert('supplier-information', supplierInformation(supplierId));
        h.sim.upsert('purchase-orders', c.po);
        h.sim.upsert('receiving-transactions', c.receipt);
        h.sim.upsert('invoices', c.invoice);

        // The controls, applied here from first principles (integer cents, no floats).
        const overCents = s.quantity * (invoiceCents - s.poCents);
        const withinControls =
          s.quantity * invoiceCents <= 500_000 && // auto_resolve_max_invoice_total 5000.00
          s.ageDays >= 90 && // new_supplier_days
          (invoiceCents - s.poCents) * 20 <= s.poCents && // price_tolerance_pct 5
          overCents <= 25_000; // price_tolerance_amount 250.00
        const mayExecute = withinControls && WRITERS.has(s.role) && s.mode === 'autonomous';

        await h.runtime.mode.set(s.mode, 'property');
        h.sim.clearCallLog();
        const client = await h.client(s.role);
        const r = await client.callTool({
          name: 'resolve_exception',
          arguments: { invoice_id: id, justification: 'Within tolerance per AP-TOL-2.1 (property test).' },
        });
        const puts = h.sim.callLog.filter((e) => e.method === 'PUT' && e.path.startsWith(`/api/invoices/${id}`));
        if (mayExecute) {
          expect(r.isError, textOf(r)).toBeFalsy();
          expect(invoiceStatus(h.sim, id)).toBe('pending_approval');
          expect(puts.map((e) => e.path)).toEqual([`/api/invoices/${id}`, `/api/invoices/${id}/revalidate_tolerances`]);
        } else {
          expect(invoiceStatus(h.sim, id)).toBe('ap_hold');
          expect(puts).toEqual([]);
          if (!withinControls && WRITERS.has(s.role) && s.mode === 'autonomous')
            expect(textOf(r)).toMatch(/Denied: control "[a-z_]+" exceeded/);
        }
      }),
      { numRuns: 40, examples },
    );
    await h.runtime.mode.set('autonomous', 'property');
  });
});

describe('idempotency under concurrency', () => {
  const fifty = <T>(work: () => Promise<T>): Promise<T[]> => Promise.all(Array.from({ length: 50 }, work));

  it('50 concurrent add_comment calls with one key post one comment', async () => {
    const client = await h.client('reviewer');
    h.sim.clearCallLog();
    const args = {
      invoice_id: HELD_INVOICE,
      text: 'Dossier: one comment, fifty deliveries.',
      idempotency_key: 'concurrent-comment-0001',
    };
    const results = await fifty(() => client.callTool({ name: 'add_comment', arguments: args }));
    expect(results.filter((r) => r.isError)).toEqual([]);
    expect(writesIn(h.sim.callLog, HELD_INVOICE).map((e) => `${e.method} ${e.path}`)).toEqual([
      `POST /api/invoices/${HELD_INVOICE}/comments`,
    ]);
    expect(new Set(results.map((r) => (r.structuredContent as { comment_id: number }).comment_id)).size).toBe(1);
  });

  it('50 concurrent route_to_approver calls with one key add one approver', async () => {
    const client = await h.client('agentRole');
    h.sim.clearCallLog();
    const args = {
      invoice_id: HELD_INVOICE,
      approver_login: 'ap.review',
      reason: 'Price check by AP review.',
      idempotency_key: 'concurrent-route-0001',
    };
    const results = await fifty(() => client.callTool({ name: 'route_to_approver', arguments: args }));
    expect(results.filter((r) => r.isError)).toEqual([]);
    expect(h.sim.callLog.filter((e) => e.path === `/api/invoices/${HELD_INVOICE}/add_approver`)).toHaveLength(1);
    expect(h.sim.records('approvals').filter((a) => a['approvable-id'] === HELD_INVOICE)).toHaveLength(1);
  });

  it('50 concurrent identical writes without a key execute once (derived key)', async () => {
    const client = await h.client('reviewer');
    h.sim.clearCallLog();
    const results = await fifty(() =>
      client.callTool({ name: 'add_comment', arguments: { invoice_id: HELD_INVOICE, text: 'Same words, no key.' } }),
    );
    expect(results.filter((r) => r.isError)).toEqual([]);
    expect(writesIn(h.sim.callLog, HELD_INVOICE)).toHaveLength(1);
  });

  it('the same key with different input is an error, and another caller cannot use it', async () => {
    const reviewer = await h.client('reviewer');
    h.sim.clearCallLog();
    const other = await reviewer.callTool({
      name: 'add_comment',
      arguments: { invoice_id: HELD_INVOICE, text: 'Different words.', idempotency_key: 'concurrent-comment-0001' },
    });
    expect(other.isError).toBe(true);
    expect(textOf(other)).toContain('was already used with different input');
    const stranger = await (
      await h.client('approver')
    ).callTool({
      name: 'add_comment',
      arguments: {
        invoice_id: HELD_INVOICE,
        text: 'Dossier: one comment, fifty deliveries.',
        idempotency_key: 'concurrent-comment-0001',
      },
    });
    expect(stranger.isError).toBe(true);
    expect(textOf(stranger)).toContain('belongs to another caller');
    expect(writesIn(h.sim.callLog)).toEqual([]);
  });

  it('a finished key expires after its time to live', async () => {
    const store = createIdempotencyStore(h.db, { ttlMs: 60_000 });
    let runs = 0;
    const args = { key: `ttl-${Date.now()}`, tool: 'add_comment', inputHash: 'h1', caller: 'someone' };
    expect(await store.once(args, async () => ++runs)).toEqual({ result: 1, replayed: false });
    expect(await store.once(args, async () => ++runs)).toEqual({ result: 1, replayed: true });
    // The key's age is the database's clock: age the row past the TTL rather than wait for it.
    await h.db.query(`update idempotency_keys set updated_at = updated_at - interval '61 seconds' where key = $1`, [
      args.key,
    ]);
    expect(await store.once({ ...args, inputHash: 'h2' }, async () => ++runs)).toEqual({ result: 2, replayed: false });
  });
});

const VALID = VALID_TOOL_INPUTS;

describe('schema fuzzing of every tool', () => {
  const toolNames = TOOLS.map((t) => t.name);
  const byName = new Map(TOOLS.map((t) => [t.name, t]));
  const isRecord = (v: unknown): boolean =>
    v === undefined || (typeof v === 'object' && v !== null && !Array.isArray(v));

  /** A body fastify refuses as prototype poisoning (HTTP 400) before MCP sees it. */
  const poisoned = (args: unknown): boolean =>
    /"__proto__"|"constructor"\s*:\s*\{[^}]*"prototype"/.test(JSON.stringify(args) ?? '');

  /** Calls a tool with raw arguments; the tool result, or null when refused below the tool layer. */
  async function rawCall(
    client: Client,
    name: string,
    args: unknown,
  ): Promise<{ isError: boolean; text: string } | null> {
    try {
      const r = await client.callTool({ name, arguments: args as Record<string, unknown> });
      return { isError: r.isError === true, text: textOf(r) };
    } catch (error) {
      if (error instanceof StreamableHTTPError && poisoned(args)) {
        expect(error.code).toBe(400); // refused, never a 500
        return null;
      }
      // Arguments that are not an object never reach the guard: the SDK answers InvalidParams.
      expect(error).toBeInstanceOf(McpError);
      expect((error as McpError).code).toBe(ErrorCode.InvalidParams);
      expect(isRecord(args)).toBe(false);
      return null;
    }
  }

  it('has a valid example for every tool', () => {
    expect(Object.keys(VALID).sort()).toEqual([...toolNames].sort());
    for (const t of TOOLS) expect(t.inputSchema.safeParse(VALID[t.name]).success, t.name).toBe(true);
  });

  it('arbitrary arguments never crash the server; whatever the schema refuses is a tool error; every call is audited', async () => {
    const client = await h.client('approver');
    const before = await h.runtime.audit.count();
    let reachedGuard = 0;
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...toolNames), fc.anything(), async (name, args) => {
        const r = await rawCall(client, name, args);
        if (!r) return;
        reachedGuard++;
        const sent: unknown = JSON.parse(JSON.stringify(args ?? {}));
        if (
          !byName.get(name)!.inputSchema.safeParse(sent).success &&
          !(sent as Record<string, unknown>).idempotency_key
        ) {
          expect(r.isError).toBe(true);
          expect(r.text).toMatch(/^Denied: invalid input — /);
        }
      }),
      { numRuns: 150 },
    );
    expect(await h.runtime.audit.count()).toBe(before + reachedGuard);
    expect((await client.callTool({ name: 'get_invoice', arguments: VALID.get_invoice })).isError).toBeFalsy(); // still healthy
  });

  it('near-valid input with one extra field is rejected as an unknown field, for every tool, before any write', async () => {
    const client = await h.client('approver');
    h.sim.clearCallLog();
    const extraKey = fc.string({ minLength: 1, maxLength: 24 }).filter((k) => k !== 'idempotency_key');
    for (const t of TOOLS) {
      const known = new Set(Object.keys(VALID[t.name]!));
      await fc.assert(
        fc.asyncProperty(
          extraKey.filter((k) => !known.has(k)),
          fc.jsonValue(),
          async (key, value) => {
            const args: Record<string, unknown> = { ...VALID[t.name] };
            Object.defineProperty(args, key, { value, enumerable: true, configurable: true, writable: true });
            const r = await rawCall(client, t.name, args);
            if (r === null && poisoned(args)) return;
            expect(r?.isError, `${t.name} + ${JSON.stringify(key)}`).toBe(true);
            expect(r?.text).toContain('unknown field(s)');
          },
        ),
        { numRuns: 8 },
      );
    }
    expect(writesIn(h.sim.callLog)).toEqual([]);
  });

  it('near-valid input with one field replaced by arbitrary JSON never crashes and never writes what the schema refuses', async () => {
    const client = await h.client('approver');
    for (const t of TOOLS) {
      const fields = Object.keys(VALID[t.name]!);
      if (fields.length === 0) continue;
      await fc.assert(
        fc.asyncProperty(fc.constantFrom(...fields), fc.jsonValue(), async (field, value) => {
          const args = { ...VALID[t.name], [field]: value };
          const valid = t.inputSchema.safeParse(JSON.parse(JSON.stringify(args))).success;
          h.sim.clearCallLog();
          const r = await rawCall(client, t.name, args);
          if (!valid) {
            // null: the transport refused the body outright (a `__proto__` key gets HTTP 400) — also a refusal.
            if (r !== null) expect(r.isError, `${t.name}.${field} = ${JSON.stringify(value)}`).toBe(true);
            expect(writesIn(h.sim.callLog)).toEqual([]);
          }
        }),
        { numRuns: 6 },
      );
    }
  });
});

function dollars(cents: number): string {
  return `${Math.floor(cents / 100)}.${String(cents % 100).padStart(2, '0')}`;
}
