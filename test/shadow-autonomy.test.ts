/**
 * Earned autonomy on the real simulator over HTTP and PGlite: shadow mode writes nothing to Coupa
 * and proposes nothing, the people's decisions are read back from Coupa beside the agent's, the
 * report's figures match a count made here from the ground truth; autonomy rules pick the mode
 * per slice at call time (price variance autonomous, the rest monitor); and a person's correction
 * is followed on the next case of the same pattern.
 */
import { randomBytes } from 'node:crypto';
import { Decimal } from 'decimal.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRuntime, type Runtime } from '../src/app/runtime.js';
import { settleAndRecord } from '../src/app/settle-and-record.js';
import { observeShadowCases } from '../src/app/shadow-observer.js';
import { personChoice, sampleCompanyPeopleSettle } from '../src/app/sample-people.js';
import type { Verdict } from '../src/agent/verdict.js';
import { openDb, type Db } from '../src/db/connection.js';
import type { ControlsOverrides } from '../src/domain/controls.js';
import { generateCompany, type ExceptionLabel, type SampleCompany } from '../src/sim/generator/index.js';
import { startSimulator } from '../src/sim/server.js';
import { ALL_SCOPES, type SimClient, type SimulatorHandle } from '../src/sim/types.js';
import { buildShadowReport } from '../src/shadow/report.js';
import { testConfig } from './support/agent-harness.js';

const SEED = 11;

interface World {
  sim: SimulatorHandle;
  db: Db;
  runtime: Runtime;
  settle: SimClient;
  people: SimClient;
  close(): Promise<void>;
}

async function world(company: SampleCompany, controls: ControlsOverrides): Promise<World> {
  const settle: SimClient = {
    clientId: 'settle-test',
    clientSecret: randomBytes(12).toString('hex'),
    scopes: [...ALL_SCOPES],
  };
  const people: SimClient = {
    clientId: 'ap-team',
    clientSecret: randomBytes(12).toString('hex'),
    scopes: [...ALL_SCOPES],
    userLogin: 'ap.review',
  };
  const sim = await startSimulator({
    dataset: company.dataset,
    now: company.now,
    rateLimit: false,
    clients: [settle, people],
  });
  const db = await openDb({ dataDir: 'memory://' });
  const runtime = await createRuntime({
    config: testConfig(),
    simulator: sim,
    db,
    now: () => new Date(sim.now()),
    coupaLimiter: false,
    controls,
  });
  return {
    sim,
    db,
    runtime,
    settle,
    people,
    close: async () => {
      await runtime.close();
      await db.close();
      await sim.close();
    },
  };
}

const settleWrites = (w: World, from = 0) =>
  w.sim.callLog
    .slice(from)
    .filter(
      (e) =>
        e.clientId === w.settle.clientId &&
        (e.method === 'PUT' || e.method === 'POST' || e.method === 'DELETE') &&
        e.path.startsWith('/api/'),
    );

/** A spread of exception types from the sample company, `perType` of each. */
function pick(company: SampleCompany, perType: number): ExceptionLabel[] {
  const byType = new Map<string, ExceptionLabel[]>();
  for (const l of company.exceptions) byType.set(l.exceptionType, [...(byType.get(l.exceptionType) ?? []), l]);
  return [...byType.values()].flatMap((ls) => ls.slice(0, perType));
}

async function settleAll(runtime: Runtime, labels: readonly ExceptionLabel[]): Promise<Map<number, Verdict>> {
  const out = new Map<number, Verdict>();
  for (const l of labels)
    out.set(l.invoiceId, await settleAndRecord(runtime, { invoiceId: l.invoiceId, event: l.event }));
  return out;
}

const company = generateCompany({ seed: SEED, invoices: 600 });

describe('shadow mode', () => {
  let w: World;
  let labels: ExceptionLabel[];
  let verdicts: Map<number, Verdict>;
  beforeAll(async () => {
    w = await world(company, { mode: 'shadow' });
    labels = pick(company, 2);
    verdicts = await settleAll(w.runtime, labels);
  }, 300_000);
  afterAll(async () => w?.close());

  it('decides every exception, writes nothing to Coupa and proposes nothing', async () => {
    expect(settleWrites(w)).toEqual([]);
    for (const l of labels) expect(verdicts.get(l.invoiceId)?.outcome, `invoice ${l.invoiceId}`).toBe('shadow');
    expect((await w.runtime.proposals.list({ status: 'pending' })).length).toBe(0);
    const { rows } = await w.db.query<{ n: number }>(
      `select count(*)::int as n from audit_log where guard_decision = 'shadow'`,
    );
    expect(rows[0]!.n).toBeGreaterThanOrEqual(labels.length);
    const cases = await w.runtime.shadow.list();
    expect(cases.map((c) => c.invoiceId).sort()).toEqual(labels.map((l) => l.invoiceId).sort());
    expect(cases.every((c) => c.person === null && c.coupaWrites === 0)).toBe(true);
  });

  it("records the people's decisions beside the agent's, and the report matches a hand count", async () => {
    const share = 0.5;
    const people = await sampleCompanyPeopleSettle({
      sim: w.sim,
      people: w.people,
      labels,
      invoiceIds: labels.map((l) => l.invoiceId),
      seed: SEED,
      share,
    });
    expect(people.failed).toEqual([]);
    const observed = await observeShadowCases(w.runtime);
    expect(observed).toMatchObject({ observed: labels.length, stillOpen: 0 });

    // The count, from the ground truth and the people's seeded choices.
    const expected = new Map<string, { cases: number; agreed: number; falseRelease: Decimal }>();
    for (const l of labels) {
      const v = verdicts.get(l.invoiceId)!;
      const p = personChoice(l, SEED, share);
      const agreed =
        v.decision === p.decision &&
        (v.decision !== 'route' || v.route_to === p.routeTo) &&
        (v.decision !== 'dispute' || v.dispute_reason === p.disputeReason);
      const e = expected.get(v.exception_type) ?? { cases: 0, agreed: 0, falseRelease: new Decimal(0) };
      e.cases += 1;
      if (agreed) e.agreed += 1;
      if (v.decision === 'resolve' && p.decision !== 'resolve') e.falseRelease = e.falseRelease.plus(v.invoice_total!);
      expected.set(v.exception_type, e);
    }
    const report = buildShadowReport(await w.runtime.shadow.list());
    expect(report.coupa_writes).toBe(0);
    expect(report.cases).toBe(labels.length);
    expect(Object.keys(report.by_exception_type).sort()).toEqual([...expected.keys()].sort());
    for (const [type, e] of expected) {
      const got = report.by_exception_type[type]!;
      expect({ type, cases: got.cases, agreed: got.agreed, frv: got.false_release_value }).toEqual({
        type,
        cases: e.cases,
        agreed: e.agreed,
        frv: e.falseRelease.toFixed(2),
      });
      expect(got.agreement).toBeCloseTo(e.agreed / e.cases, 10);
      expect(got.ci_low).toBeLessThanOrEqual(got.agreement!);
      expect(got.ci_high).toBeGreaterThanOrEqual(got.agreement!);
    }
    expect(report.disagreements.length).toBe(labels.length - [...expected.values()].reduce((n, e) => n + e.agreed, 0));
    expect(report.disagreements.length).toBeGreaterThan(0);
  });
});

describe('autonomy per slice', () => {
  it('with price_variance autonomous and everything else monitor, only price-variance invoices are written', async () => {
    const w = await world(company, {
      mode: 'monitor',
      autonomy: [{ name: 'price variances', exception_type: 'price_variance', mode: 'autonomous' }],
    });
    try {
      const labels = pick(company, 2);
      const verdicts = await settleAll(w.runtime, labels);
      const written = new Set(settleWrites(w).map((e) => Number(/^\/api\/invoices\/(\d+)/.exec(e.path)?.[1])));
      const price = labels
        .filter((l) => verdicts.get(l.invoiceId)!.exception_type === 'price_variance')
        .map((l) => l.invoiceId);
      expect(price.length).toBeGreaterThan(0);
      expect([...written].sort()).toEqual([...price].sort());
      for (const l of labels) {
        const v = verdicts.get(l.invoiceId)!;
        expect(v.outcome, `invoice ${l.invoiceId} (${v.exception_type})`).toBe(
          v.exception_type === 'price_variance' ? 'executed' : 'proposed',
        );
        if (v.exception_type === 'price_variance')
          expect(v.autonomy_rule).toMatch(/^price variances \(controls rule 1\)/);
      }
      // Every write's audit row says which rule gave it its mode.
      const { rows } = await w.db.query<{ reason: string; invoice_id: string; guard_decision: string }>(
        `select reason, invoice_id, guard_decision from audit_log where tool in ('resolve_exception', 'route_to_approver', 'dispute_invoice', 'hold_invoice', 'request_information', 'add_comment') and guard_decision in ('executed', 'proposed')`,
      );
      expect(rows.length).toBeGreaterThan(0);
      for (const r of rows) {
        if (price.includes(Number(r.invoice_id)))
          expect(r.reason).toContain('autonomy rule price variances (controls rule 1)');
        else expect(r.reason).toMatch(/^mode "monitor"/);
      }
    } finally {
      await w.close();
    }
  }, 300_000);
});

describe('learning from a correction', () => {
  it('the next case of the same pattern follows the person who corrected the agent', async () => {
    const big = generateCompany({ seed: SEED, invoices: 2000 });
    const supplierOf = new Map(big.dataset.invoices.map((i) => [i.id as number, (i.supplier as { id: number }).id]));
    const key = (l: ExceptionLabel): string =>
      `${supplierOf.get(l.invoiceId)}:${l.exceptionType}:${l.expectedDecision}`;
    const groups = new Map<string, ExceptionLabel[]>();
    for (const l of big.exceptions)
      if (l.expectedDecision === 'resolve' || l.expectedDecision === 'route')
        groups.set(key(l), [...(groups.get(key(l)) ?? []), l]);
    const pairs = [...groups.values()].filter((g) => g.length >= 2);
    const pair = pairs.find((g) => g[0]!.exceptionType === 'price_variance') ?? pairs[0];
    expect(pair, 'two exceptions of one supplier, type and decision').toBeDefined();
    const [first, next] = pair!;
    const w = await world(big, { mode: 'shadow' });
    try {
      const before = await settleAndRecord(w.runtime, { invoiceId: first!.invoiceId, event: first!.event });
      expect(before.decision).toBe(first!.expectedDecision);
      // The person decides differently (share 1: always the deliberately different choice).
      const choice = personChoice(first!, SEED, 1);
      await sampleCompanyPeopleSettle({
        sim: w.sim,
        people: w.people,
        labels: [first!],
        invoiceIds: [first!.invoiceId],
        seed: SEED,
        share: 1,
      });
      expect((await observeShadowCases(w.runtime)).disagreed).toBe(1);

      const after = await settleAndRecord(w.runtime, { invoiceId: next!.invoiceId, event: next!.event });
      expect(after.decision).toBe(choice.decision);
      if (choice.routeTo) expect(after.route_to).toBe(choice.routeTo);
      expect(after.rule).toContain(`correction on invoice ${first!.invoiceId}`);
      expect(settleWrites(w)).toEqual([]);
    } finally {
      await w.close();
    }
  }, 300_000);
});
