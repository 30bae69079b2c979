/**
 * The LLM brain over real HTTP: ChatOpenAI talks to a local OpenAI-compatible server that answers
 * with scripted tool calls — a good run, malformed arguments, an unknown tool, a refusal, a model
 * outage, a blown token budget, and an attempt to release money over the amount limit. The agent
 * recovers or the playbook planner takes over, and the guard holds whatever the model says.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Runtime } from '../src/app/runtime.js';
import { settleInvoice } from '../src/agent/settle.js';
import { Verdict } from '../src/agent/verdict.js';
import { mcpDataset, NOW, priceVarianceCase, SUPPLIER } from './mcp.fixture.js';
import {
  approversOf,
  commentsOn,
  dossiersOn,
  startAgentWorld,
  statusOf,
  writesTo,
  type AgentWorld,
} from './support/agent-harness.js';
import {
  contentText,
  startFakeOpenAi,
  toolResultsIn,
  type FakeOpenAi,
  type ScriptedTurn,
} from './support/fake-openai.js';

/** Held invoices, one per test: 1% over PO (within tolerance), 10 units → 1,010.00 total. */
const GOOD = 5101;
const BAD_JSON = 5102;
const BAD_SCHEMA = 5103;
const UNKNOWN_TOOL = 5104;
const REFUSAL = 5105;
const MODEL_DOWN = 5106;
const TOKENS = 5107;
const INSIST = 5108;
/** 100 units at 101.00 against 100.00: within tolerance but 10,100.00 is over the 5,000.00 limit. */
const OVER_LIMIT = 5120;
const OVER_LIMIT_INSIST = 5121;
/** Settled three times with the same model script: a supplier's reply in between makes the second a new run. */
const RERUN = 5130;

function dataset(): ReturnType<typeof mcpDataset> {
  const d = mcpDataset();
  const add = (invoiceId: number, quantity: string): void => {
    const c = priceVarianceCase({
      invoiceId,
      supplierId: SUPPLIER,
      poPrice: '100.00',
      invoicePrice: '101.00',
      quantity,
    });
    d['purchase-orders'].push(c.po);
    d['receiving-transactions'].push(c.receipt);
    d.invoices.push(c.invoice);
  };
  for (const id of [GOOD, BAD_JSON, BAD_SCHEMA, UNKNOWN_TOOL, REFUSAL, MODEL_DOWN, TOKENS, INSIST, RERUN])
    add(id, '10');
  for (const id of [OVER_LIMIT, OVER_LIMIT_INSIST]) add(id, '100');
  return d;
}

const classify = (id: number): ScriptedTurn => ({
  toolCalls: [{ name: 'classify_exception', arguments: { invoice_id: id } }],
});
const policies: ScriptedTurn = {
  toolCalls: [{ name: 'search_policies', arguments: { query: 'price variance tolerance', limit: 2 } }],
};
const route = (id: number, login: string): ScriptedTurn => ({
  toolCalls: [
    {
      name: 'route_to_approver',
      arguments: {
        invoice_id: id,
        approver_login: login,
        reason: 'Unit price 1% over the PO price; a reviewer should confirm the new price.',
      },
    },
  ],
});
const resolve = (id: number): ScriptedTurn => ({
  toolCalls: [
    {
      name: 'resolve_exception',
      arguments: { invoice_id: id, justification: 'Price variance of 1% is within the 5% tolerance per AP-2.1.' },
    },
  ],
});
const done: ScriptedTurn = { content: 'Done: decision recorded.' };

/** Resolve writes: marking tolerances resolved (PUT on the invoice) or revalidating them. */
function resolveWrites(world: AgentWorld, id: number): number {
  return writesTo(world.sim, id).filter(
    (w) => w.path === `/api/invoices/${id}` || w.path.endsWith('/revalidate_tolerances'),
  ).length;
}

describe('agent with an OpenAI-compatible model over HTTP', () => {
  let world: AgentWorld;
  let fake: FakeOpenAi;
  let llmRuntime: Runtime;

  beforeAll(async () => {
    fake = await startFakeOpenAi();
    world = await startAgentWorld(dataset(), NOW);
    llmRuntime = await world.runtimeWith({
      env: { OPENAI_BASE_URL: `${fake.url}/v1`, OPENAI_API_KEY: 'test', SETTLE_MODEL: 'fake-model' },
    });
  });
  afterAll(async () => {
    await world?.close();
    await fake?.close();
  });

  it('carries out the model’s decision: classify → search_policies → route_to_approver', async () => {
    fake.script([
      { ...classify(GOOD), usage: { prompt: 900, completion: 31 } },
      { ...policies, usage: { prompt: 1400, completion: 22 } },
      { ...route(GOOD, 'ap.review'), usage: { prompt: 1800, completion: 48 } },
      { ...done, usage: { prompt: 2100, completion: 15 } },
    ]);
    const verdict = Verdict.parse(
      await settleInvoice(llmRuntime, { invoiceId: GOOD, event: { exception_code: 'PRICE_MISMATCH' } }),
    );

    expect(verdict).toMatchObject({
      brain: 'llm',
      model: 'fake-model',
      fell_back: false,
      decision: 'route',
      route_to: 'ap.review',
      outcome: 'executed',
      exception_type: 'price_variance',
    });
    expect(verdict.policy_citations.length).toBeGreaterThan(0);
    expect(approversOf(world.sim, GOOD)).toEqual(['ap.review']);
    expect(statusOf(world.sim, GOOD)).toBe('ap_hold');
    // Token counting is the usage the server reported, not an estimate.
    expect(fake.tokensReported()).toBe(931 + 1422 + 1848 + 2115);
    expect(verdict.tokens).toBe(fake.tokensReported());
    expect(fake.overruns()).toBe(0);

    // The model was given the system prompt, Settle's tools, and the guard's answers.
    const first = fake.requests[0]!;
    expect(first.model).toBe('fake-model');
    expect(first.messages[0]).toMatchObject({ role: 'system' });
    expect(contentText(first.messages[0]!.content)).toContain('Text inside <untrusted-data');
    expect(first.tools?.map((t) => t.function.name)).toEqual(
      expect.arrayContaining(['classify_exception', 'resolve_exception', 'route_to_approver']),
    );
    expect(toolResultsIn(fake.requests[1]).join('\n')).toContain('price_variance');

    const [dossier] = dossiersOn(world.sim, GOOD);
    expect(dossier).toContain('Route to ap.review');
    expect(dossier).toContain('Settle agent (fake-model)');
  });

  it('falls back to the planner, saying why, when the tool arguments are not valid JSON', async () => {
    fake.script([{ toolCalls: [{ name: 'classify_exception', arguments: '{"invoice_id": 5102,' }] }]);
    const verdict = await settleInvoice(llmRuntime, { invoiceId: BAD_JSON });

    // A turn with only unparseable calls leaves nothing to run: the planner takes over and settles it once.
    expect(fake.requests).toHaveLength(1);
    expect(verdict).toMatchObject({ brain: 'llm', fell_back: true, decision: 'resolve', outcome: 'executed' });
    expect(verdict.flags.join(' ')).toContain('malformed tool arguments (classify_exception)');
    expect(statusOf(world.sim, BAD_JSON)).not.toBe('ap_hold');
    expect(writesTo(world.sim, BAD_JSON).filter((w) => w.path.endsWith('/revalidate_tolerances'))).toHaveLength(1);
  });

  it('recovers from arguments that fail the tool schema: the guard’s error goes back to the model', async () => {
    fake.script([
      classify(BAD_SCHEMA),
      {
        toolCalls: [
          {
            name: 'route_to_approver',
            arguments: { invoice_id: BAD_SCHEMA, approver_login: 'ap.review', reason: 'ok' },
          },
        ],
      },
      route(BAD_SCHEMA, 'ap.review'),
      done,
    ]);
    const verdict = await settleInvoice(llmRuntime, { invoiceId: BAD_SCHEMA });

    const afterBadCall = toolResultsIn(fake.requests[2]).at(-1) ?? '';
    expect(afterBadCall).toMatch(/reason/i);
    expect(verdict).toMatchObject({
      brain: 'llm',
      fell_back: false,
      decision: 'route',
      route_to: 'ap.review',
      outcome: 'executed',
    });
    expect(approversOf(world.sim, BAD_SCHEMA)).toEqual(['ap.review']);
    expect(writesTo(world.sim, BAD_SCHEMA).filter((w) => w.path.endsWith('/add_approver'))).toHaveLength(1);
  });

  it('answers a call to a tool that does not exist with an error, and goes on', async () => {
    fake.script([
      classify(UNKNOWN_TOOL),
      { toolCalls: [{ name: 'approve_payment', arguments: { invoice_id: UNKNOWN_TOOL, amount: '1010.00' } }] },
      route(UNKNOWN_TOOL, 'ap.review'),
      done,
    ]);
    const verdict = await settleInvoice(llmRuntime, { invoiceId: UNKNOWN_TOOL });

    expect(toolResultsIn(fake.requests[2]).at(-1)).toMatch(/approve_payment/);
    expect(verdict).toMatchObject({ brain: 'llm', fell_back: false, decision: 'route', route_to: 'ap.review' });
    expect(statusOf(world.sim, UNKNOWN_TOOL)).toBe('ap_hold');
    expect(approversOf(world.sim, UNKNOWN_TOOL)).toEqual(['ap.review']);
  });

  it('falls back to the playbook planner when the model refuses', async () => {
    fake.script([{ content: "I can't help with that." }]);
    const verdict = await settleInvoice(llmRuntime, {
      invoiceId: REFUSAL,
      event: { exception_code: 'PRICE_MISMATCH' },
    });

    expect(verdict).toMatchObject({
      brain: 'llm',
      fell_back: true,
      decision: 'resolve',
      outcome: 'executed',
      exception_type: 'price_variance',
    });
    expect(verdict.flags.join(' ')).toMatch(/planner took over/);
    expect(statusOf(world.sim, REFUSAL)).not.toBe('ap_hold');
    expect(verdict.tokens).toBe(fake.tokensReported());
    expect(dossiersOn(world.sim, REFUSAL).join('\n')).toContain('planner fallback');
  });

  it('falls back to the planner when the model server fails', async () => {
    fake.script([{ httpStatus: 500 }, { httpStatus: 500 }, { httpStatus: 500 }]);
    const verdict = await settleInvoice(llmRuntime, { invoiceId: MODEL_DOWN });

    expect(fake.requests.length).toBeGreaterThanOrEqual(1);
    expect(verdict).toMatchObject({ fell_back: true, decision: 'resolve', outcome: 'executed', tokens: 0 });
    expect(statusOf(world.sim, MODEL_DOWN)).not.toBe('ap_hold');
  });

  it('stops the model at the token budget and lets the planner finish safely', async () => {
    fake.script([
      { ...classify(TOKENS), usage: { prompt: 4_000, completion: 100 } },
      { ...policies, usage: { prompt: 4_000, completion: 100 } },
      resolve(TOKENS),
      done,
    ]);
    const verdict = await settleInvoice(llmRuntime, { invoiceId: TOKENS, budget: { maxTokens: 3_000 } });

    expect(verdict.fell_back).toBe(true);
    expect(verdict.flags.join(' ')).toMatch(/token budget 3000/);
    // The model never got its resolve in: the planner carried the decision out, exactly once.
    expect(fake.requests.length).toBe(1);
    expect(verdict).toMatchObject({ decision: 'resolve', outcome: 'executed', tokens: 4_100 });
    expect(writesTo(world.sim, TOKENS).filter((w) => w.path.endsWith('/revalidate_tolerances'))).toHaveLength(1);
  });

  it('refuses a second decision from a model that keeps acting', async () => {
    fake.script([classify(INSIST), route(INSIST, 'ap.review'), route(INSIST, 'jlee'), done]);
    const verdict = await settleInvoice(llmRuntime, { invoiceId: INSIST });

    expect(toolResultsIn(fake.requests[3]).at(-1)).toMatch(/already carried out/);
    expect(approversOf(world.sim, INSIST)).toEqual(['ap.review']);
    expect(writesTo(world.sim, INSIST).filter((w) => w.path.endsWith('/add_approver'))).toHaveLength(1);
    expect(verdict).toMatchObject({ fell_back: false, decision: 'route', route_to: 'ap.review', outcome: 'executed' });
  });

  describe('the guard holds whatever the model asks', () => {
    it('denies resolving over the amount limit; the model follows "Instead"', async () => {
      fake.script([
        classify(OVER_LIMIT),
        resolve(OVER_LIMIT),
        (request) => {
          // Follow the guard's advice from the denial, as a well-behaved model would.
          const denial = toolResultsIn(request).at(-1) ?? '';
          const login = /route_to_approver to "([^"]+)"/.exec(denial)?.[1] ?? 'nobody';
          return route(OVER_LIMIT, login);
        },
        done,
      ]);
      const verdict = await settleInvoice(llmRuntime, { invoiceId: OVER_LIMIT });

      expect(toolResultsIn(fake.requests[2]).at(-1)).toMatch(/denied|amount/i);
      expect(resolveWrites(world, OVER_LIMIT)).toBe(0);
      expect(statusOf(world.sim, OVER_LIMIT)).toBe('ap_hold');
      expect(approversOf(world.sim, OVER_LIMIT)).toEqual(['ap.manager']);
      expect(verdict).toMatchObject({
        brain: 'llm',
        fell_back: false,
        decision: 'route',
        route_to: 'ap.manager',
        outcome: 'executed',
      });
      expect(verdict.actions).toEqual(
        expect.arrayContaining([expect.objectContaining({ tool: 'resolve_exception', outcome: 'denied' })]),
      );
    });

    it('denies every resolve from a model that insists; the planner routes to the escalation reviewer', async () => {
      fake.script([
        classify(OVER_LIMIT_INSIST),
        resolve(OVER_LIMIT_INSIST),
        resolve(OVER_LIMIT_INSIST),
        { content: 'I have resolved the invoice.' },
      ]);
      const verdict = await settleInvoice(llmRuntime, { invoiceId: OVER_LIMIT_INSIST });

      expect(resolveWrites(world, OVER_LIMIT_INSIST)).toBe(0);
      expect(statusOf(world.sim, OVER_LIMIT_INSIST)).toBe('ap_hold');
      // The model's claim counts for nothing: the verdict is what the guard did.
      expect(verdict.decision).not.toBe('resolve');
      expect(verdict).toMatchObject({ fell_back: true, decision: 'route', route_to: 'ap.manager' });
      expect(approversOf(world.sim, OVER_LIMIT_INSIST)).toEqual(['ap.manager']);
    });
  });
  it('a re-run after a supplier reply writes anew even when the model repeats its arguments word for word', async () => {
    const text = 'Timesheet for February received; checking it against the PO.';
    const comment: ScriptedTurn = { toolCalls: [{ name: 'add_comment', arguments: { invoice_id: RERUN, text } }] };
    const script = (): ScriptedTurn[] => [classify(RERUN), comment, done];
    const notes = (): number => commentsOn(world.sim, RERUN).filter((c) => c.text === text).length;

    fake.script(script());
    await settleInvoice(llmRuntime, { invoiceId: RERUN });
    expect(notes()).toBe(1);
    // The same arguments in the same context are the same write: replayed, not written twice.
    fake.script(script());
    await settleInvoice(llmRuntime, { invoiceId: RERUN });
    expect(notes()).toBe(1);
    // Re-triggered by a supplier's reply: the reply is part of the idempotency scope, so it writes.
    fake.script(script());
    await settleInvoice(llmRuntime, { invoiceId: RERUN, afterSupplierReply: 41 });
    expect(notes()).toBe(2);
    const keys = (await llmRuntime.audit.list({ tool: 'add_comment', invoiceId: RERUN })).filter(
      (r) => (r.input as { text?: string }).text === text,
    );
    expect(keys.map((r) => r.reason)).toEqual([
      expect.stringMatching(/within controls/),
      'replayed stored result for idempotency key',
      expect.stringMatching(/within controls/),
    ]);
    expect(keys[2]!.idempotencyKey).not.toBe(keys[0]!.idempotencyKey);
  });
});
