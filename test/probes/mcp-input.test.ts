/**
 * Probes through the real MCP SDK client and raw JSON-RPC over Streamable HTTP (fastify on a
 * loopback port, PGlite, the simulator):
 * - protocol-level errors (tools/call with non-object arguments, …) answer one line of words, not
 *   a zod issue dump;
 * - a denied call's caller-supplied input is stored capped in the audit log, its length and hash kept;
 * - a reviewer cannot squat the approval of a proposal with `idempotency_key: "approval:<id>"`.
 */
import { createHash } from 'node:crypto';
import type { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MAX_STORED_INPUT_CHARS } from '../../src/audit/entry.js';
import { RESERVED_KEY_PREFIXES } from '../../src/guard/reserved-keys.js';
import {
  HELD_INVOICE,
  SUPPLIER,
  priceVarianceCase,
  startHarness,
  structured,
  textOf,
  type McpHarness,
} from '../mcp.fixture.js';

let h: McpHarness;
let sessionId: string;
const PROTOCOL = '2025-06-18';

async function rpc(body: unknown, session = true): Promise<{ status: number; json: any }> {
  const response = await fetch(h.mcpUrl, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      accept: 'application/json, text/event-stream',
      authorization: `Bearer ${h.tokens.reader}`,
      ...(session ? { 'mcp-session-id': sessionId, 'mcp-protocol-version': PROTOCOL } : {}),
    },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
  const text = await response.text();
  // JSON, or one SSE event carrying it
  const data = text.startsWith('{') ? text : (/^data: (.*)$/m.exec(text)?.[1] ?? 'null');
  return { status: response.status, json: JSON.parse(data) };
}

beforeAll(async () => {
  h = await startHarness();
  const opened = await fetch(h.mcpUrl, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      accept: 'application/json, text/event-stream',
      authorization: `Bearer ${h.tokens.reader}`,
    },
    body: JSON.stringify({
      jsonrpc: '2.0',
      id: 1,
      method: 'initialize',
      params: { protocolVersion: PROTOCOL, capabilities: {}, clientInfo: { name: 'probe', version: '1' } },
    }),
  });
  sessionId = opened.headers.get('mcp-session-id')!;
  await opened.text();
  await rpc({ jsonrpc: '2.0', method: 'notifications/initialized' });
});
afterAll(async () => h?.close());

describe('MCP protocol-level errors', () => {
  const malformed: Array<[string, unknown]> = [
    ['tools/call with array arguments', { name: 'get_invoice', arguments: [1, 2] }],
    ['tools/call with string arguments', { name: 'get_invoice', arguments: 'invoice 5001' }],
    ['tools/call with numeric arguments', { name: 'get_invoice', arguments: 5001 }],
    ['tools/call without a name', { arguments: {} }],
    ['tools/call with a numeric name', { name: 42 }],
  ];
  for (const [label, params] of malformed) {
    it(`${label}: one line of words with InvalidParams`, async () => {
      const { json } = await rpc({ jsonrpc: '2.0', id: 7, method: 'tools/call', params });
      expect(json.error.code).toBe(-32602);
      expect(json.error.message).toMatch(/^MCP error -32602: invalid tools\/call request — params\.(arguments|name): /);
      expect(json.error.message).not.toMatch(/[\n{}[\]]/);
    });
  }

  it('other methods with malformed params answer one line too', async () => {
    for (const [method, params] of [
      ['prompts/get', { name: 'investigate_invoice', arguments: [1] }],
      ['resources/read', { uri: 42 }],
      ['tools/list', { cursor: 5 }],
    ] as const) {
      const { json } = await rpc({ jsonrpc: '2.0', id: 8, method, params });
      expect(json.error, method).toBeDefined();
      expect(json.error.message, method).not.toMatch(/\n/);
      expect(json.error.message, method).not.toMatch(/"code":|"path":/);
    }
  });
});

describe('audit of caller-supplied input', () => {
  it('stores a 1,000,000-character denied input capped, with its length and SHA-256', async () => {
    const reader = await h.client('reader');
    const huge = { invoice_id: HELD_INVOICE, text: 'A'.repeat(1_000_000) };
    const r = await reader.callTool({ name: 'add_comment', arguments: huge });
    expect(r.isError).toBe(true);
    const [row] = await h.runtime.audit.list({ tool: 'add_comment', actor: 'riley.reader', order: 'desc', limit: 1 });
    const json = JSON.stringify(huge);
    expect(row!.decision).toBe('denied');
    expect(row!.input).toMatchObject({
      truncated: true,
      length: json.length,
      sha256: createHash('sha256').update(json).digest('hex'),
    });
    expect(JSON.stringify(row!.input).length).toBeLessThan(MAX_STORED_INPUT_CHARS);
    expect((await h.runtime.audit.verify()).ok).toBe(true);
  });

  it('keeps an ordinary input verbatim', async () => {
    const reader = await h.client('reader');
    await reader.callTool({ name: 'get_invoice', arguments: { invoice_id: HELD_INVOICE } });
    const [row] = await h.runtime.audit.list({ tool: 'get_invoice', actor: 'riley.reader', order: 'desc', limit: 1 });
    expect(row!.input).toEqual({ invoice_id: HELD_INVOICE });
  });
});

describe('reserved idempotency namespaces', () => {
  async function call(
    client: Client,
    name: string,
    args: Record<string, unknown>,
  ): Promise<{ isError: boolean; text: string; data: any }> {
    const r = await client.callTool({ name, arguments: args });
    return { isError: r.isError === true, text: textOf(r), data: structured(r) };
  }

  it('a reviewer cannot squat an approval key; the approver then approves and it executes', async () => {
    const id = 6900;
    const c = priceVarianceCase({
      invoiceId: id,
      supplierId: SUPPLIER,
      poPrice: '100.00',
      invoicePrice: '103.00',
      quantity: '10',
    });
    h.sim.upsert('purchase-orders', c.po);
    h.sim.upsert('receiving-transactions', c.receipt);
    h.sim.upsert('invoices', c.invoice);
    const [reviewer, approver] = await Promise.all([h.client('reviewer'), h.client('approver')]);
    await h.runtime.mode.set('assisted', 'probe');
    try {
      const proposed = await call(reviewer, 'resolve_exception', {
        invoice_id: id,
        justification: 'Within the price tolerance of AP-TOL-2.1 (3% and 30.00 over PO).',
      });
      const proposalId = proposed.data.proposal_id as string;
      expect(proposalId).toBeTruthy();
      for (const key of [
        `approval:${proposalId}`,
        `APPROVAL:${proposalId}`,
        ...RESERVED_KEY_PREFIXES.map((p) => `${p}squat-${proposalId}`),
      ]) {
        const squat = await call(reviewer, 'add_comment', {
          invoice_id: id,
          text: 'Looks fine.',
          idempotency_key: key,
        });
        expect(squat.isError, key).toBe(true);
        expect(squat.text, key).toMatch(/may not start with ".*" \(a namespace Settle reserves/);
      }
      const approved = await call(approver, 'decide_proposal', {
        proposal_id: proposalId,
        decision: 'approve',
        reason: 'Checked the PO: fine.',
      });
      expect(approved.isError, approved.text).toBe(false);
      expect((await h.runtime.proposals.get(proposalId))?.status).toBe('executed');
    } finally {
      await h.runtime.mode.set('autonomous', 'probe');
    }
  });

  it('a key of the caller’s own is still accepted', async () => {
    const reviewer = await h.client('reviewer');
    const r = await call(reviewer, 'add_comment', {
      invoice_id: HELD_INVOICE,
      text: 'Checked.',
      idempotency_key: 'my-own-key-0001',
    });
    expect(r.isError, r.text).toBe(false);
  });
});
