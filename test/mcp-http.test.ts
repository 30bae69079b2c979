/**
 * Every tool through the real MCP SDK client over Streamable HTTP (bearer tokens, fastify on a
 * loopback port) against the simulator: structured output shapes, and the effects in the
 * simulator's records and call log. Transport security: 401, 403, session binding.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Client } from '@modelcontextprotocol/sdk/client/index.js';
import type { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { isFenced } from '../src/guard/untrusted.js';
import PDFDocument from 'pdfkit';
import { TOOLS } from '../tools/index.js';
import { runGrir } from '../src/grir/run.js';
import { SAMPLE_GRIR_SOURCE } from '../src/grir/source.js';
import type { CoupaDataset } from '../src/sim/dataset.js';
import { taxEngineCases } from '../evals/hard/cases-tax-engine.js';
import { registryCases } from '../evals/hard/cases-registry.js';
import {
  HELD_INVOICE,
  ORDER_LINE,
  SUPPLIER,
  connectHttp,
  invoiceStatus,
  priceVarianceCase,
  startHarness,
  structured,
  textOf,
  writesIn,
  type McpHarness,
} from './mcp.fixture.js';

let h: McpHarness;
let reviewer: Client;
let approver: Client;
const DISPUTED = 5002;

beforeAll(async () => {
  h = await startHarness();
  const second = priceVarianceCase({
    invoiceId: DISPUTED,
    supplierId: SUPPLIER,
    poPrice: '40.00',
    invoicePrice: '48.00',
    quantity: '5',
  });
  h.sim.upsert('purchase-orders', second.po);
  h.sim.upsert('receiving-transactions', second.receipt);
  h.sim.upsert('invoices', second.invoice);
  reviewer = await h.client('reviewer');
  approver = await h.client('approver');
});
afterAll(async () => h?.close());

const called = new Set<string>();

async function call(
  client: Client,
  name: string,
  args: Record<string, unknown>,
): Promise<{ isError: boolean; text: string; data: any }> {
  const r = await client.callTool({ name, arguments: args });
  if (r.isError !== true) called.add(name);
  return { isError: r.isError === true, text: textOf(r), data: structured(r) };
}

describe('tools over Streamable HTTP', () => {
  it('lists every tool with schemas and annotations for an approver, and hides review tools from a reviewer', async () => {
    const all = (await approver.listTools()).tools;
    expect(all.map((t) => t.name)).toEqual(TOOLS.map((t) => t.name));
    for (const t of all) {
      expect(t.inputSchema.type).toBe('object');
      expect(t.outputSchema?.type).toBe('object');
      expect(typeof t.annotations?.readOnlyHint).toBe('boolean');
    }
    const names = (await reviewer.listTools()).tools.map((t) => t.name);
    expect(names).toContain('resolve_exception');
    expect(names).not.toContain('decide_proposal');
    expect(names).not.toContain('list_proposals');
  });

  it('reads: invoice, PO, receipts, supplier, contract, history', async () => {
    const inv = await call(reviewer, 'get_invoice', { invoice_id: HELD_INVOICE });
    expect(inv.isError).toBe(false);
    expect(inv.data.invoice).toMatchObject({
      id: HELD_INVOICE,
      status: 'ap_hold',
      gross_total: '1030.00',
      supplier: { id: SUPPLIER },
    });
    expect(inv.data.invoice.lines[0]).toMatchObject({
      price: '103.00',
      quantity: '10',
      order_line_id: ORDER_LINE,
      failed_tolerances: [{ code: 'line_price_percent', resolved: false }],
    });
    expect(isFenced(inv.data.invoice.lines[0].description)).toBe(true);
    expect(inv.text).toContain('1 unresolved tolerance failure');

    const po = await call(reviewer, 'get_purchase_order', { po_number: 'PO-300' });
    expect(po.data.purchase_order).toMatchObject({
      id: 300,
      requester: 'jlee',
      lines: [{ id: ORDER_LINE, price: '100.00', received: '10', match_type: '3-way' }],
    });

    const receipts = await call(reviewer, 'list_receipts', { invoice_id: HELD_INVOICE });
    expect(receipts.data).toMatchObject({
      order_line_ids: [ORDER_LINE],
      receipts: [{ order_line_id: ORDER_LINE, quantity: '10' }],
    });

    const sup = await call(reviewer, 'get_supplier', { supplier_id: SUPPLIER });
    expect(sup.data.supplier).toMatchObject({
      name: 'Northwind Office Supply',
      on_hold: false,
      bank_accounts: [{ account: '****4321' }],
    });
    expect(JSON.stringify(sup.data)).not.toContain('99000104321'); // the full account number never leaves

    const contract = await call(reviewer, 'get_contract', { supplier_id: SUPPLIER });
    expect(contract.data.contracts[0].firm_prices).toEqual([
      { part: 'TONER-9', description: 'Toner', price: '80.00', uom: 'EA' },
    ]);

    const history = await call(reviewer, 'search_invoices', { supplier_id: SUPPLIER, date_from: '2025-11-01' });
    expect(history.data.invoices.map((i: { id: number }) => i.id).sort()).toEqual(
      [4001, 4002, HELD_INVOICE, DISPUTED].sort(),
    );
    expect(history.data.truncated).toBe(false);
  });

  it('knowledge: policies and past resolutions, precedent fenced', async () => {
    const pol = await call(reviewer, 'search_policies', { query: 'price variance tolerance percent' });
    expect(pol.data.results.length).toBeGreaterThan(0);
    expect(pol.data.results.some((r: { section_id: string | null }) => /^AP-/.test(r.section_id ?? ''))).toBe(true);
    const sim = await call(reviewer, 'find_similar_resolutions', {
      query: 'unit price above PO within tolerance',
      limit: 3,
    });
    expect(sim.data.results.length).toBeGreaterThan(0);
    for (const r of sim.data.results) expect(isFenced(r.summary)).toBe(true);
  });

  it('analysis: match, duplicates, tax, supplier, classification', async () => {
    const match = await call(reviewer, 'analyze_match', { invoice_id: HELD_INVOICE });
    const price = match.data.findings.find((f: { kind: string }) => f.kind === 'price_over_po');
    expect(price).toMatchObject({ exception_type: 'price_variance', within_tolerance: true });
    expect(price.controls.map((c: { control: string }) => c.control)).toEqual([
      'price_tolerance_pct',
      'price_tolerance_amount',
    ]);

    const dup = await call(reviewer, 'check_duplicates', { invoice_id: HELD_INVOICE });
    expect(dup.data.findings).toEqual([]);
    expect(dup.data.candidates.every((c: { is_duplicate: boolean }) => !c.is_duplicate)).toBe(true);

    expect((await call(reviewer, 'check_tax', { invoice_id: HELD_INVOICE })).data).toEqual({
      invoice_id: HELD_INVOICE,
      findings: [],
    });
    expect((await call(reviewer, 'check_supplier', { invoice_id: HELD_INVOICE })).data).toEqual({
      invoice_id: HELD_INVOICE,
      findings: [],
    });

    const cls = await call(reviewer, 'classify_exception', {
      invoice_id: HELD_INVOICE,
      exception_code: 'PRICE_MISMATCH',
    });
    expect(cls.data).toMatchObject({
      exception_type: 'price_variance',
      suggested_decision: 'resolve',
      invoice_total: '1030.00',
      currency: 'USD',
    });
    expect(
      cls.data.controls_applied.find((c: { control: string }) => c.control === 'auto_resolve_max_invoice_total'),
    ).toMatchObject({ within: true });

    // A supplier document read over MCP: fields come back with confidences; nothing is posted.
    const pdf = await new Promise<Buffer>((resolvePdf) => {
      const doc = new PDFDocument();
      const chunks: Buffer[] = [];
      doc.on('data', (c: Buffer) => chunks.push(c));
      doc.on('end', () => resolvePdf(Buffer.concat(chunks)));
      doc.text('INVOICE\nInvoice number: INV-77\nInvoice date: 2026-03-01\nPO number: 300\nTotal: USD 1,030.00');
      doc.end();
    });
    h.sim.clearCallLog();
    const extracted = await call(reviewer, 'extract_invoice', {
      document_base64: pdf.toString('base64'),
      file_name: 'inv-77.pdf',
    });
    expect(extracted.data.documents).toHaveLength(1);
    expect(extracted.data.documents[0].reader).toMatch(/pdf/i);
    expect(h.sim.callLog.filter((c) => c.method !== 'GET' && c.path.startsWith('/api'))).toEqual([]);
  });

  it('comment writes: add_comment, hold_invoice, request_information reach Coupa once each', async () => {
    h.sim.clearCallLog();
    const comment = await call(reviewer, 'add_comment', {
      invoice_id: HELD_INVOICE,
      text: 'Checked against PO-300: 3% over, within AP-TOL.',
    });
    expect(comment.data).toMatchObject({ status: 'executed', invoice_status: 'ap_hold' });
    const hold = await call(reviewer, 'hold_invoice', {
      invoice_id: HELD_INVOICE,
      dossier: 'Dossier: price 103.00 vs PO 100.00; awaiting AP review.',
    });
    expect(hold.data).toMatchObject({ status: 'executed', invoice_status: 'ap_hold' });
    // A supplier-visible message carrying a bank number is refused, naming the rule, and writes nothing.
    const leaky = await call(reviewer, 'request_information', {
      invoice_id: HELD_INVOICE,
      missing: ['price confirmation'],
      supplier_message: 'Please confirm the unit price; our account 99000104321 is not relevant here.',
    });
    expect(leaky.isError).toBe(true);
    expect(leaky.text).toContain('rule "bank-details"');
    const ask = await call(reviewer, 'request_information', {
      invoice_id: HELD_INVOICE,
      missing: ['price confirmation'],
      supplier_message: 'Please confirm the unit price of 103.00 on line 1.',
    });
    expect(ask.data).toMatchObject({ status: 'executed' });

    const posts = writesIn(h.sim.callLog, HELD_INVOICE);
    expect(posts.map((e) => `${e.method} ${e.path}`)).toEqual(
      Array(3).fill(`POST /api/invoices/${HELD_INVOICE}/comments`),
    );
    const stored = h.sim.records('comments').filter((c) => c['commentable-id'] === HELD_INVOICE);
    const toSupplier = stored.filter((c) => c['to-supplier'] === true);
    expect(toSupplier).toHaveLength(1);
    expect(String(toSupplier[0]!.comments)).not.toContain('99000104321');
  });

  it('state writes: route, dispute, resolve change the invoice in Coupa', async () => {
    const route = await call(reviewer, 'route_to_approver', {
      invoice_id: HELD_INVOICE,
      approver_login: 'ap.review',
      reason: 'Second pair of eyes on the price.',
    });
    expect(route.data).toMatchObject({ status: 'executed', approver: 'ap.review', invoice_status: 'ap_hold' });
    const approvals = h.sim.records('approvals').filter((a) => a['approvable-id'] === HELD_INVOICE);
    expect(approvals.map((a) => (a.approver as { login: string }).login)).toEqual(['ap.review']);

    const dispute = await call(reviewer, 'dispute_invoice', {
      invoice_id: DISPUTED,
      reason_code: 'INCORRECT-PRICE',
      supplier_message: 'The unit price is 20% above the PO price of 40.00; please reissue.',
    });
    expect(dispute.data).toMatchObject({
      status: 'executed',
      reason_code: 'INCORRECT-PRICE',
      invoice_status: 'disputed',
    });
    expect(invoiceStatus(h.sim, DISPUTED)).toBe('disputed');

    h.sim.clearCallLog();
    const resolve = await call(reviewer, 'resolve_exception', {
      invoice_id: HELD_INVOICE,
      justification: '3% over PO, 30.00 total: within AP-TOL-2.1 price tolerance.',
    });
    expect(resolve).toMatchObject({ isError: false, data: { status: 'executed', invoice_status: 'pending_approval' } });
    expect(invoiceStatus(h.sim, HELD_INVOICE)).toBe('pending_approval');
    expect(writesIn(h.sim.callLog, HELD_INVOICE).map((e) => `${e.method} ${e.path}`)).toEqual([
      `PUT /api/invoices/${HELD_INVOICE}`,
      `PUT /api/invoices/${HELD_INVOICE}/revalidate_tolerances`,
    ]);
  });

  it('memory write: record_resolution becomes searchable precedent', async () => {
    const rec = await call(reviewer, 'record_resolution', {
      invoice_id: HELD_INVOICE,
      exception_type: 'price_variance',
      decision: 'resolve',
      summary: 'Paper price 3% over PO-300, resolved within tolerance (AP-TOL-2.1).',
      supplier_id: SUPPLIER,
    });
    expect(rec.data).toMatchObject({ status: 'executed', superseded: false });
    const found = await call(reviewer, 'find_similar_resolutions', {
      query: 'paper price over PO-300',
      supplier_id: SUPPLIER,
    });
    expect(found.data.results.map((r: { document: string }) => r.document)).toContain(rec.data.document_id);
  });

  it('review tools: a proposal made in assisted mode is listed and rejected by an approver', async () => {
    await h.runtime.mode.set('assisted', 'test');
    try {
      const proposed = await call(reviewer, 'route_to_approver', {
        invoice_id: DISPUTED,
        approver_login: 'jlee',
        reason: 'Requester should confirm the price.',
      });
      expect(proposed.data).toMatchObject({ status: 'proposed' });
      const listed = await call(approver, 'list_proposals', { invoice_id: DISPUTED });
      expect(listed.data.proposals).toHaveLength(1);
      expect(listed.data.proposals[0]).toMatchObject({
        id: proposed.data.proposal_id,
        tool: 'route_to_approver',
        proposer: 'rita.reviewer',
        status: 'pending',
        input: { approver_login: 'jlee' },
      });
      const decided = await call(approver, 'decide_proposal', {
        proposal_id: proposed.data.proposal_id,
        decision: 'reject',
        reason: 'Already disputed.',
      });
      expect(decided.data).toMatchObject({ status: 'rejected', proposal_id: proposed.data.proposal_id });
      expect((await h.runtime.proposals.get(proposed.data.proposal_id))?.status).toBe('rejected');
    } finally {
      await h.runtime.mode.set('autonomous', 'test');
    }
  });

  it('GR/IR tools: open items, a proposed clearing and a proposed adjustment (approval is not an MCP tool)', async () => {
    // A PO line received and billed two cents a unit over its price, long ago: an unexplained difference to write off.
    h.sim.upsert('purchase-orders', {
      id: 900,
      'po-number': 'PO-900',
      status: 'issued',
      currency: { code: 'USD' },
      supplier: { id: SUPPLIER, name: 'Supplier' },
      'order-lines': [
        { id: 9001, 'line-num': 1, quantity: '10', price: '5.00', 'receipt-required': true, 'match-type': '3-way' },
      ],
    });
    h.sim.upsert('receiving-transactions', {
      id: 9101,
      type: 'InventoryReceipt',
      quantity: '10',
      'transaction-date': '2025-12-01T10:00:00Z',
      'order-line': { id: 9001 },
    });
    h.sim.upsert('invoices', {
      id: 9201,
      'invoice-number': 'G-1',
      'invoice-date': '2025-12-05',
      status: 'approved',
      paid: true,
      currency: { code: 'USD' },
      supplier: { id: SUPPLIER },
      'invoice-lines': [{ id: 92011, 'order-line-id': 9001, quantity: '10', price: '5.02', total: '50.20' }],
    });
    await runGrir({ db: h.db, records: h.runtime.records, source: SAMPLE_GRIR_SOURCE, now: new Date(h.sim.now()) });
    const items = await call(reviewer, 'grir_open_items', { po_line_id: 9001 });
    expect(items.data.items[0]).toMatchObject({
      cause: 'no_explanation',
      proposed_action: { kind: 'write_off', amount: '0.20' },
    });
    const clearing = await call(reviewer, 'propose_grir_clearing', { po_line_id: 9001 });
    expect(clearing.data).toMatchObject({ status: 'proposed', action: 'write_off', approvals_needed: 1 });
    const adjustment = await call(reviewer, 'propose_adjustment', { invoice_id: HELD_INVOICE });
    expect(adjustment.data).toMatchObject({ status: 'proposed' });
  });

  it("tax and registry writes: correct_tax_rate to the engine's rate, request_supplier_change waits for its approver", async () => {
    // The hard cases' records: Coupa's rate wrong on a Texas invoice (offline engine), a VAT id failing its check digits.
    const picked = [
      ...taxEngineCases().filter((c) => String(c.id).endsWith('a-coupa-rate-wrong')),
      ...registryCases().filter((c) => String(c.id).endsWith('vat-invalid')),
    ];
    const dataset: Record<string, Array<Record<string, unknown>>> = {};
    for (const c of picked)
      for (const [name, records] of Object.entries(c.coupa as Record<string, Array<Record<string, unknown>>>))
        (dataset[name] ??= []).push(...records);
    const h2 = await startHarness({
      dataset: dataset as unknown as CoupaDataset,
      controls: { verify_supplier_registries: true },
    });
    try {
      const client = await h2.client('reviewer');
      const taxId = (picked[0]!.event as { resource_id: number }).resource_id;
      const taxFindings = (await call(client, 'classify_exception', { invoice_id: taxId })).data.findings as Array<{
        kind: string;
        line_num?: string;
        figures: Record<string, string>;
      }>;
      const wrong = taxFindings.find((f) => f.kind === 'tax_coupa_rate_wrong')!;
      expect(wrong).toBeDefined();
      const corrected = await call(client, 'correct_tax_rate', {
        invoice_id: taxId,
        corrections: [{ line_num: wrong.line_num ?? '1', tax_rate: wrong.figures.correctRate! }],
        justification: 'The offline rate table gives the ship-to jurisdiction this rate.',
      });
      expect(corrected.data).toMatchObject({ status: 'executed' });

      const vatId = (picked[1]!.event as { resource_id: number }).resource_id;
      const vatFindings = (await call(client, 'classify_exception', { invoice_id: vatId })).data.findings as Array<{
        kind: string;
        figures: Record<string, string>;
        evidence: string[];
        summary: string;
      }>;
      const vat = vatFindings.find((f) => f.kind === 'vat_id_invalid')!;
      expect(vat).toBeDefined();
      const change = await call(client, 'request_supplier_change', {
        invoice_id: vatId,
        changes: [
          {
            field: vat.figures.field ?? vat.kind,
            coupa_value: vat.figures.coupa ?? '',
            registry_value: vat.figures.registry ?? '',
            evidence: (vat.evidence[0] ?? vat.summary).slice(0, 500),
          },
        ],
      });
      expect(change.data).toMatchObject({ status: 'proposed' });
    } finally {
      await h2.close();
    }
  });

  it('has called every tool in the registry successfully', () => {
    expect([...called].sort()).toEqual(TOOLS.map((t) => t.name).sort());
  });

  it('guard denials are tool errors that name the control and what to do instead', async () => {
    const gone = await call(reviewer, 'route_to_approver', {
      invoice_id: DISPUTED,
      approver_login: 'gone.user',
      reason: 'Try a deactivated user.',
    });
    expect(gone.isError).toBe(true);
    expect(gone.text).toMatch(/control "approver_exists" exceeded.*Instead: route to the AP reviewer "ap.review"/);
    const noScope = await call(await h.client('reader'), 'add_comment', { invoice_id: DISPUTED, text: 'hello' });
    expect(noScope).toMatchObject({ isError: true });
    expect(noScope.text).toContain('lacks the "invoices:comment" scope');
    const unknown = await call(reviewer, 'get_invoice', { invoice_id: HELD_INVOICE, verbose: true });
    expect(unknown.isError).toBe(true);
    expect(unknown.text).toContain('unknown field(s) "verbose"');
  });
});

describe('HTTP transport security', () => {
  const initialize = {
    jsonrpc: '2.0',
    id: 1,
    method: 'initialize',
    params: { protocolVersion: '2025-06-18', capabilities: {}, clientInfo: { name: 'raw', version: '1' } },
  };
  const post = (headers: Record<string, string>, body: unknown = initialize): Promise<Response> =>
    fetch(h.mcpUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/json, text/event-stream', ...headers },
      body: JSON.stringify(body),
    });

  it('answers 401 with WWW-Authenticate for a missing or unknown token', async () => {
    const none = await post({});
    expect(none.status).toBe(401);
    expect(none.headers.get('www-authenticate')).toMatch(/^Bearer/);
    expect((await post({ authorization: 'Bearer not-a-real-token-at-all' })).status).toBe(401);
    await expect(connectHttp(h.mcpUrl, 'wrong-token-0123456789')).rejects.toThrow();
  });

  it('answers 403 to a foreign Origin even with a valid token, and accepts localhost', async () => {
    const foreign = await post({ authorization: `Bearer ${h.tokens.reviewer}`, origin: 'https://evil.example' });
    expect(foreign.status).toBe(403);
    const local = await post({ authorization: `Bearer ${h.tokens.reviewer}`, origin: 'http://localhost:3000' });
    expect(local.status).toBe(200);
  });

  it('forgets a session the client ends', async () => {
    const client = await connectHttp(h.mcpUrl, h.tokens.auditor!);
    const transport = client.transport as StreamableHTTPClientTransport;
    const before = h.mount.sessions();
    await transport.terminateSession();
    expect(h.mount.sessions()).toBe(before - 1);
    await client.close();
  });

  it('rejects a session id presented by a different identity', async () => {
    const opened = await post({ authorization: `Bearer ${h.tokens.reviewer}` });
    const sessionId = opened.headers.get('mcp-session-id');
    expect(sessionId).toMatch(/^[0-9a-f-]{36}$/);
    const list = { jsonrpc: '2.0', id: 2, method: 'tools/list', params: {} };
    const stolen = await post(
      {
        authorization: `Bearer ${h.tokens.approver}`,
        'mcp-session-id': sessionId!,
        'mcp-protocol-version': '2025-06-18',
      },
      list,
    );
    expect(stolen.status).toBe(404);
    const noToken = await post({ 'mcp-session-id': sessionId!, 'mcp-protocol-version': '2025-06-18' }, list);
    expect(noToken.status).toBe(401); // a session id is never authentication
  });
});

describe('HTTP session lifetime', () => {
  let short: McpHarness;
  /** Session idleness runs on this clock, advanced by the test: no wall-clock waits. */
  const clock = { ms: 0, now: () => clock.ms };
  beforeAll(async () => {
    short = await startHarness({ mount: { sessionIdleMs: 1_000, maxSessions: 2, clock } });
  });
  afterAll(async () => short?.close());

  const listTools = (sessionId: string, token: string): Promise<Response> =>
    fetch(short.mcpUrl, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        accept: 'application/json, text/event-stream',
        authorization: `Bearer ${token}`,
        'mcp-session-id': sessionId,
        'mcp-protocol-version': '2025-06-18',
      },
      body: JSON.stringify({ jsonrpc: '2.0', id: 9, method: 'tools/list', params: {} }),
    });
  const sessionOf = (client: Client): string => (client.transport as StreamableHTTPClientTransport).sessionId!;

  it('keeps a session in use, and closes one left idle: its id then answers 404', async () => {
    const client = await connectHttp(short.mcpUrl, short.tokens.reviewer!);
    const id = sessionOf(client);
    for (let i = 0; i < 3; i++) {
      clock.ms += 600; // used within the limit each time: 1.8 s in all, never idle for 1 s
      expect((await client.listTools()).tools.length).toBeGreaterThan(0);
    }
    expect(short.mount.sessions()).toBe(1);
    clock.ms += 999;
    expect(short.mount.sessions()).toBe(1);
    clock.ms += 2;
    expect(short.mount.sessions()).toBe(0);
    expect((await listTools(id, short.tokens.reviewer!)).status).toBe(404);
    await client.close().catch(() => undefined);
  });

  it('closes the least recently used session when the cap is reached', async () => {
    const first = await connectHttp(short.mcpUrl, short.tokens.reviewer!);
    const second = await connectHttp(short.mcpUrl, short.tokens.approver!);
    const third = await connectHttp(short.mcpUrl, short.tokens.auditor!);
    expect(short.mount.sessions()).toBe(2);
    expect((await listTools(sessionOf(first), short.tokens.reviewer!)).status).toBe(404);
    expect((await third.listTools()).tools.length).toBeGreaterThan(0);
    for (const c of [first, second, third]) await c.close().catch(() => undefined);
  });
});
