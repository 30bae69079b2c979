/**
 * Separation of duties, attacked on every surface a person reaches: a proposal's author can never
 * approve it — over stdio (`settle mcp --role approver`, a real child process), over Streamable HTTP
 * (a second session, an explicit idempotency key, a replayed request) and on the review page (a
 * forged approve POST with a valid CSRF token). Another approver can; the agent never can.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AGENT_IDENTITY, createIdentity } from '../src/guard/identity.js';
import { generateCompany } from '../src/sim/generator/index.js';
import {
  HELD_INVOICE,
  connectHttp,
  startHarness,
  structured,
  textOf,
  writesIn,
  type McpHarness,
} from './mcp.fixture.js';
import { DUPLICATE_INVOICE, signIn, startWebHarness, type WebHarness } from './web.fixture.js';

const REPO = fileURLToPath(new URL('..', import.meta.url));
const OWN = 'the identity that proposed an action cannot approve it';
const COUNTS = { tried: 0, refused: 0, wrong: 0 };

function tally(refused: boolean): void {
  COUNTS.tried += 1;
  if (refused) COUNTS.refused += 1;
  else COUNTS.wrong += 1;
}

const routeArgs = (id: number): Record<string, unknown> => ({
  invoice_id: id,
  approver_login: 'ap.review',
  reason: 'Needs a reviewer: separation-of-duties test.',
});

afterAll(() => {
  console.info(
    `[adversarial] separation of duties: ${COUNTS.tried} self-approvals tried, ${COUNTS.refused} refused, ${COUNTS.wrong} wrong outcomes`,
  );
});

describe('over Streamable HTTP', () => {
  let h: McpHarness;
  beforeAll(async () => {
    h = await startHarness({ controls: { mode: 'assisted' } });
  }, 300_000);
  afterAll(async () => h?.close());

  it('the author cannot approve from the same session, a second session, with a key, or by replaying; another approver can', async () => {
    const author = await h.client('approver');
    const proposed = structured(
      await author.callTool({ name: 'route_to_approver', arguments: routeArgs(HELD_INVOICE) }),
    );
    const proposalId = String(proposed.proposal_id);
    expect(proposed.status).toBe('proposed');
    const second = await connectHttp(h.mcpUrl, h.tokens.approver!);
    const attempts: Array<[Client, Record<string, unknown>]> = [
      [author, { proposal_id: proposalId, decision: 'approve', reason: 'My own change, approved.' }],
      [second, { proposal_id: proposalId, decision: 'approve', reason: 'Approved from another tab.' }],
      [
        author,
        { proposal_id: proposalId, decision: 'approve', reason: 'With a key.', idempotency_key: 'self-approval-0001' },
      ],
      [
        second,
        { proposal_id: proposalId, decision: 'approve', reason: 'With a key.', idempotency_key: 'self-approval-0001' },
      ],
    ];
    const logStart = h.sim.callLog.length;
    for (const [client, args] of attempts) {
      const r = (await client.callTool({ name: 'decide_proposal', arguments: args })) as CallToolResult;
      const refused = r.isError === true && textOf(r).includes(OWN);
      tally(refused);
      expect(refused, textOf(r)).toBe(true);
    }
    await second.close();
    expect(writesIn(h.sim.callLog.slice(logStart))).toEqual([]);
    expect((await h.runtime.proposals.get(proposalId))?.status).toBe('pending');
    // The agent identity cannot decide at all, even through the guard directly.
    const agent = await h.runtime.guard.decideProposal(AGENT_IDENTITY, proposalId, 'approve', 'I am the agent.');
    tally(agent.isError);
    expect(agent.isError).toBe(true);
    // A different approver can.
    const other = (await (
      await h.client('approver2')
    ).callTool({
      name: 'decide_proposal',
      arguments: { proposal_id: proposalId, decision: 'approve', reason: 'Checked: fine.' },
    })) as CallToolResult;
    expect(other.isError, textOf(other)).toBeFalsy();
    expect((await h.runtime.proposals.get(proposalId))?.status).toBe('executed');
  }, 120_000);
});

describe('on the review page', () => {
  let h: WebHarness;
  beforeAll(async () => {
    h = await startWebHarness();
  }, 300_000);
  afterAll(async () => h?.close());

  it("a forged approve POST by the proposal's author is refused; the proposal stays pending", async () => {
    // ap.manager (the `approver` token) proposes a state change in assisted mode.
    const author = createIdentity('ap.manager', 'person', ['approver']);
    const proposed = await h.runtime.guard.call(author, 'route_to_approver', routeArgs(DUPLICATE_INVOICE));
    expect(proposed.outcome).toBe('proposed');
    const proposalId = proposed.proposalId!;
    const { c } = await signIn(h.baseUrl, h.tokens.approver!);
    const logStart = h.sim.callLog.length;
    for (let i = 0; i < 3; i++) {
      const csrf = await c.csrf(`/review/exceptions/${DUPLICATE_INVOICE}`);
      await c.post(`/review/proposals/${proposalId}/approve`, { _csrf: csrf });
      const status = (await h.runtime.proposals.get(proposalId))?.status;
      tally(status === 'pending');
      expect(status).toBe('pending');
    }
    expect(writesIn(h.sim.callLog.slice(logStart))).toEqual([]);
    const rows = await h.runtime.audit.list({ tool: 'decide_proposal', limit: 100 });
    expect(
      rows.filter((r) => r.actor === 'ap.manager' && r.decision === 'denied' && r.reason.includes(OWN)).length,
    ).toBeGreaterThanOrEqual(3);
  }, 120_000);
});

describe('over stdio (settle mcp --role approver)', () => {
  let client: Client;
  beforeAll(async () => {
    const env: Record<string, string> = {};
    for (const [k, v] of Object.entries(process.env))
      if (v !== undefined && !/^(COUPA_|DATABASE_URL$|SETTLE_)/.test(k)) env[k] = v;
    const transport = new StdioClientTransport({
      command: join(REPO, 'node_modules', '.bin', 'tsx'),
      args: ['src/cli.ts', 'mcp', '--role', 'approver', '--identity', 'dana.approver'],
      cwd: REPO,
      env: {
        ...env,
        SETTLE_DATA_DIR: mkdtempSync(join(tmpdir(), 'settle-sod-')),
        SETTLE_MODE: 'assisted',
        SETTLE_LOG_LEVEL: 'silent',
      },
      stderr: 'pipe',
    });
    client = new Client({ name: 'sod-test', version: '1' });
    // Start-up builds the sample company and the knowledge store: slow on a busy machine.
    await client.connect(transport, { timeout: 280_000 });
  }, 300_000);
  afterAll(async () => client?.close());

  it('the person the process acts as cannot approve what it proposed', async () => {
    const company = generateCompany({ seed: 7, invoices: 2000 });
    const held = company.exceptions[0]!.invoiceId;
    const proposed = structured(await client.callTool({ name: 'route_to_approver', arguments: routeArgs(held) }));
    expect(proposed?.status, JSON.stringify(proposed)).toBe('proposed');
    for (const args of [{}, { idempotency_key: 'stdio-self-0001' }]) {
      const r = (await client.callTool({
        name: 'decide_proposal',
        arguments: { proposal_id: proposed.proposal_id, decision: 'approve', reason: 'Mine.', ...args },
      })) as CallToolResult;
      const refused = r.isError === true && textOf(r).includes(OWN);
      tally(refused);
      expect(refused, textOf(r)).toBe(true);
    }
    const listed = structured(await client.callTool({ name: 'list_proposals', arguments: {} }));
    expect(listed.proposals.map((p: { id: string }) => p.id)).toContain(proposed.proposal_id);
  }, 120_000);
});
