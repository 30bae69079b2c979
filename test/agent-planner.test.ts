/**
 * The offline playbook planner, one exception type and decision at a time, against the sample
 * company in the simulator over HTTP: the simulator's end state (status, approvers, dispute
 * reason, comments to the supplier vs internal) and the verdict (decision, outcome, route, policy
 * citations, a dossier with the numbers). Then the same path in monitor and assisted mode.
 */
import { Decimal } from 'decimal.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { settleInvoice } from '../src/agent/settle.js';
import { Verdict } from '../src/agent/verdict.js';
import type { Runtime } from '../src/app/runtime.js';
import { generateCompany, type ExceptionLabel, type SampleCompany } from '../src/sim/generator/index.js';
import {
  anyWrites,
  approversOf,
  commentsOn,
  disputeCodesOf,
  dossiersOn,
  invoiceOf,
  startAgentWorld,
  statusOf,
  writesTo,
  type AgentWorld,
} from './support/agent-harness.js';

type Wire = Record<string, unknown>;

const company: SampleCompany = generateCompany({ seed: 7, invoices: 1000 });
const used = new Set<number>();

/** The first unused labelled exception matching the type, decision and tags. */
function pick(
  type: string,
  decision: string,
  options: { tags?: string[]; without?: string[]; routeTo?: string } = {},
): ExceptionLabel {
  const label = company.exceptions.find(
    (l) =>
      !used.has(l.invoiceId) &&
      l.exceptionType === type &&
      l.expectedDecision === decision &&
      (options.tags ?? []).every((t) => l.tags.includes(t)) &&
      !(options.without ?? []).some((t) => l.tags.includes(t)) &&
      (options.routeTo === undefined || l.routeTo === options.routeTo),
  );
  if (!label) throw new Error(`sample company has no ${type}/${decision} ${JSON.stringify(options)}`);
  used.add(label.invoiceId);
  return label;
}

const wireInvoice = (id: number): Wire => company.dataset.invoices.find((i) => i.id === id)!;
const linesOf = (invoice: Wire): Wire[] => (invoice['invoice-lines'] ?? []) as Wire[];
function orderLine(id: unknown): Wire | undefined {
  for (const po of company.dataset['purchase-orders'])
    for (const line of (po['order-lines'] ?? []) as Wire[]) if (line.id === id) return line;
  return undefined;
}
/** A decimal string as the dossier prints quantities ("22.0" → "22"). */
const plain = (s: unknown): string => new Decimal(String(s)).toString();

/** Supplier-facing text must carry no internal data: logins, section ids, scores, dossier words. */
function expectSupplierSafe(text: string): void {
  expect(text).toMatch(/^Hello/);
  expect(text).toMatch(/Thank you/);
  expect(text).not.toMatch(/SETTLE|dossier|confidence|root cause|ap\.review|ap\.manager|AP-[A-Z]{3}-\d/i);
}

describe('playbook planner against the simulator', () => {
  let world: AgentWorld;

  /** Settle one label; returns the verdict and the writes it caused. */
  async function settle(
    label: ExceptionLabel,
    runtime: Runtime = world.runtime,
  ): Promise<{ verdict: Verdict; dossier: string }> {
    const verdict = Verdict.parse(await settleInvoice(runtime, { invoiceId: label.invoiceId, event: label.event }));
    return { verdict, dossier: dossiersOn(world.sim, label.invoiceId).join('\n') };
  }

  /** What every executed settlement shows: the label's decision, carried out, cited and explained. */
  function expectSettled(label: ExceptionLabel, verdict: Verdict, dossier: string): void {
    expect(verdict).toMatchObject({
      invoice_id: label.invoiceId,
      exception_type: label.exceptionType,
      decision: label.expectedDecision,
      outcome: 'executed',
      executed: true,
      brain: 'planner',
      fell_back: false,
      route_to: label.routeTo ?? null,
      mode: 'autonomous',
    });
    if (label.disputeReason) expect(verdict.dispute_reason).toBe(label.disputeReason);
    expect(verdict.policy_citations.length).toBeGreaterThan(0);
    expect(verdict.coupa_calls).toBeGreaterThan(0);
    expect(dossiersOn(world.sim, label.invoiceId)).toHaveLength(1);
    expect(dossier).toContain(String(wireInvoice(label.invoiceId)['total-with-taxes']));
    expect(dossier).toContain(`Policy:\n- ${verdict.policy_citations[0]!.section_id}`);
  }

  beforeAll(async () => {
    world = await startAgentWorld(company.dataset, company.now);
  });
  afterAll(async () => {
    await world?.close();
  });

  it('calls every tool through the guard as the agent: one audit row per call', async () => {
    const label = pick('price_variance', 'route', {
      routeTo: 'ap.review',
      tags: ['outside_tolerance'],
      without: ['contract_price', 'prompt_injection'],
    });
    const afterSeq = (await world.runtime.audit.head())?.seq ?? 0;
    const { verdict } = await settle(label);
    // Every row since: this settlement is the only work in the world meanwhile (the knowledge reads name no invoice).
    const rows = await world.runtime.audit.list({ afterSeq, limit: 100 });
    expect(rows.map((r) => r.tool).sort()).toEqual([
      'add_comment',
      'classify_exception',
      'find_similar_resolutions',
      'record_resolution',
      'route_to_approver',
      'search_policies',
    ]);
    expect(rows.every((r) => r.actor === 'settle-agent' && r.actorKind === 'agent')).toBe(true);
    expect(verdict.tool_calls).toBe(rows.length);
  });

  describe('price_variance', () => {
    it('resolves a variance within tolerance: tolerances cleared, invoice on to approvals', async () => {
      const label = pick('price_variance', 'resolve');
      const { verdict, dossier } = await settle(label);
      expectSettled(label, verdict, dossier);

      expect(statusOf(world.sim, label.invoiceId)).toBe('pending_approval');
      const failures = linesOf(invoiceOf(world.sim, label.invoiceId)!).flatMap(
        (l) => (l['failed-tolerances'] ?? []) as Wire[],
      );
      expect(failures.length).toBeGreaterThan(0);
      expect(failures.every((f) => f.resolved === true)).toBe(true);
      const line = linesOf(wireInvoice(label.invoiceId)).find((l) => orderLine(l['order-line-id'])?.price !== l.price)!;
      expect(dossier).toContain(String(line.price));
      expect(dossier).toContain(String(orderLine(line['order-line-id'])!.price));
      expect(dossier).toMatch(/Decision: Resolve .* — done/);
      expect(commentsOn(world.sim, label.invoiceId).filter((c) => c.toSupplier)).toEqual([]);
    });

    it('routes a variance outside tolerance to the AP reviewer', async () => {
      const label = pick('price_variance', 'route', {
        routeTo: 'ap.review',
        tags: ['outside_tolerance'],
        without: ['contract_price', 'prompt_injection'],
      });
      const { verdict, dossier } = await settle(label);
      expectSettled(label, verdict, dossier);

      expect(approversOf(world.sim, label.invoiceId)).toEqual(['ap.review']);
      expect(statusOf(world.sim, label.invoiceId)).toBe(wireInvoice(label.invoiceId).status);
      expect(dossier).toMatch(/price_tolerance_(pct|amount): [\d.]+ vs limit [\d.]+ — EXCEEDED/);
      expect(
        writesTo(world.sim, label.invoiceId)
          .filter((w) => w.method === 'PUT')
          .map((w) => w.path),
      ).toEqual([`/api/invoices/${label.invoiceId}/add_approver`]);
    });

    it('routes a within-tolerance variance over the amount limit to the escalation reviewer, never resolving it', async () => {
      const label = pick('price_variance', 'route', {
        routeTo: 'ap.manager',
        tags: ['within_tolerance', 'over_auto_resolve_limit'],
      });
      const { verdict, dossier } = await settle(label);
      expectSettled(label, verdict, dossier);

      expect(approversOf(world.sim, label.invoiceId)).toEqual(['ap.manager']);
      expect(writesTo(world.sim, label.invoiceId).some((w) => w.path.endsWith('/revalidate_tolerances'))).toBe(false);
      expect(dossier).toMatch(/auto_resolve_max_invoice_total: [\d.]+ vs limit 5000\.00 — EXCEEDED/);
    });

    it('disputes a price above the firm contract price with a polite supplier message', async () => {
      const label = pick('price_variance', 'dispute', { tags: ['contract_price'] });
      const { verdict, dossier } = await settle(label);
      expectSettled(label, verdict, dossier);

      expect(statusOf(world.sim, label.invoiceId)).toBe('disputed');
      expect(disputeCodesOf(world.sim, label.invoiceId)).toEqual(['INCORRECT-PRICE']);
      const toSupplier = commentsOn(world.sim, label.invoiceId).filter((c) => c.toSupplier);
      expect(toSupplier).toHaveLength(1);
      expectSupplierSafe(toSupplier[0]!.text);
      expect(toSupplier[0]!.text).toContain('contract price');
      expect(dossier).toMatch(/price over contract: invoicePrice [\d.]+ \| contractPrice [\d.]+/);
    });
  });

  it('quantity_variance: disputes billing beyond ordered (counting earlier invoices)', async () => {
    const label = pick('quantity_variance', 'dispute', { tags: ['cumulative_overbilling'] });
    const { verdict, dossier } = await settle(label);
    expectSettled(label, verdict, dossier);

    expect(statusOf(world.sim, label.invoiceId)).toBe('disputed');
    expect(disputeCodesOf(world.sim, label.invoiceId)).toEqual(['INCORRECT-QUANTITY']);
    const [toSupplier, ...more] = commentsOn(world.sim, label.invoiceId).filter((c) => c.toSupplier);
    expect(more).toEqual([]);
    expectSupplierSafe(toSupplier!.text);
    // The numbers side by side are the records' own: the billed line and its PO line's ordered quantity.
    const [, lineNum, billed, ordered] =
      /line (\d+) billed over ordered: billed ([\d.]+) .*\| ordered ([\d.]+)/.exec(dossier) ?? [];
    const line = linesOf(wireInvoice(label.invoiceId)).find((l) => String(l['line-num']) === lineNum)!;
    expect(plain(line.quantity)).toBe(billed);
    expect(plain(orderLine(line['order-line-id'])!.quantity)).toBe(ordered);
  });

  it('missing_receipt: routes to the PO requester to confirm receipt', async () => {
    const label = pick('missing_receipt', 'route', { without: ['prompt_injection'] });
    const { verdict, dossier } = await settle(label);
    expectSettled(label, verdict, dossier);

    const po = company.dataset['purchase-orders'].find((p) =>
      ((p['order-lines'] ?? []) as Wire[]).some((l) =>
        linesOf(wireInvoice(label.invoiceId)).some((il) => il['order-line-id'] === l.id),
      ),
    )!;
    expect(label.routeTo).toBe((po.requester as Wire).login);
    expect(approversOf(world.sim, label.invoiceId)).toEqual([label.routeTo]);
    expect(dossier).toMatch(/billed over received: billed \d+ .*\| received \d+/);
  });

  it('missing_po: routes to the GL account’s budget owner with the suggested coding in the dossier', async () => {
    const label = pick('missing_po', 'route', { tags: ['account_owner'] });
    const { verdict, dossier } = await settle(label);
    expectSettled(label, verdict, dossier);

    const account = String((linesOf(wireInvoice(label.invoiceId))[0]!.account as Wire).code);
    const owner = company.glAccounts.find((g) => g.code === account)!.ownerLogin;
    expect(verdict.route_to).toBe(owner);
    expect(verdict.suggested_coding).toMatchObject({ account, owner });
    expect(approversOf(world.sim, label.invoiceId)).toEqual([owner]);
    expect(dossier).toContain(`Suggested coding: GL ${account} (budget owner ${owner})`);
  });

  it('tax_variance: routes a tax difference beyond rounding to the AP reviewer', async () => {
    const label = pick('tax_variance', 'route', { routeTo: 'ap.review' });
    const { verdict, dossier } = await settle(label);
    expectSettled(label, verdict, dossier);

    expect(approversOf(world.sim, label.invoiceId)).toEqual(['ap.review']);
    expect(dossier).toContain(`billed ${String(wireInvoice(label.invoiceId)['tax-amount'])}`);
    expect(dossier).toMatch(/tax_tolerance_amount: [\d.]+ vs limit 1 — EXCEEDED/);
  });

  it('duplicate: holds with an evidence dossier naming the original, nothing advanced', async () => {
    const label = pick('duplicate', 'hold');
    const before = wireInvoice(label.invoiceId).status;
    const { verdict, dossier } = await settle(label);
    expectSettled(label, verdict, dossier);

    expect(statusOf(world.sim, label.invoiceId)).toBe(before);
    expect(approversOf(world.sim, label.invoiceId)).toEqual([]);
    expect(writesTo(world.sim, label.invoiceId).map((w) => w.method)).toEqual(['POST']);
    expect(commentsOn(world.sim, label.invoiceId).filter((c) => c.toSupplier)).toEqual([]);
    expect(dossier).toMatch(/Likely duplicate of invoice \S+ \(id \d+/);
    expect(dossier).toContain('Decision: Keep on hold for AP review');
  });

  it('supplier_data_mismatch: holds an invoice whose supplier text asks to change bank details', async () => {
    const label = pick('supplier_data_mismatch', 'hold', { tags: ['bank_change_request'] });
    const { verdict, dossier } = await settle(label);
    expectSettled(label, verdict, dossier);

    expect(approversOf(world.sim, label.invoiceId)).toEqual([]);
    expect(writesTo(world.sim, label.invoiceId).filter((w) => w.method === 'PUT')).toEqual([]);
    expect(commentsOn(world.sim, label.invoiceId).filter((c) => c.toSupplier)).toEqual([]);
    expect(dossier).toMatch(/bank change request/);
    expect(verdict.evidence.map((e) => e.source)).toContain('bank_change_request');
  });

  it('missing_information: asks the supplier for what is missing; the invoice stays held', async () => {
    const label = pick('missing_information', 'request_info', { tags: ['no_vat_id'] });
    const { verdict, dossier } = await settle(label);
    expectSettled(label, verdict, dossier);

    expect(statusOf(world.sim, label.invoiceId)).toBe(wireInvoice(label.invoiceId).status);
    const toSupplier = commentsOn(world.sim, label.invoiceId).filter((c) => c.toSupplier);
    expect(toSupplier).toHaveLength(1);
    expectSupplierSafe(toSupplier[0]!.text);
    expect(toSupplier[0]!.text).toContain('VAT registration number');
    expect(writesTo(world.sim, label.invoiceId).filter((w) => w.method === 'PUT')).toEqual([]);
    // The event's code names this type: the dossier must not claim the records disagree.
    expect(dossier).not.toContain('the records disagree');
  });

  it('other: routes unplanned freight to the AP reviewer', async () => {
    const label = pick('other', 'route', { tags: ['unexpected_freight'] });
    const { verdict, dossier } = await settle(label);
    expectSettled(label, verdict, dossier);

    expect(approversOf(world.sim, label.invoiceId)).toEqual(['ap.review']);
    expect(dossier).toMatch(/unplanned charges: charges [\d.]+/);
  });

  describe('modes', () => {
    it('monitor: writes nothing to Coupa; the decision is proposed', async () => {
      const runtime = await world.runtimeWith({ forceMode: 'monitor' });
      const label = pick('price_variance', 'route', { routeTo: 'ap.review', without: ['prompt_injection'] });
      const from = world.sim.callLog.length;
      const verdict = await settleInvoice(runtime, { invoiceId: label.invoiceId, event: label.event });

      expect(anyWrites(world.sim, from)).toEqual([]);
      expect(verdict).toMatchObject({
        decision: 'route',
        route_to: 'ap.review',
        outcome: 'proposed',
        executed: false,
        mode: 'monitor',
      });
      expect(verdict.proposal_ids.length).toBeGreaterThan(0);
      expect(approversOf(world.sim, label.invoiceId)).toEqual([]);
      expect(commentsOn(world.sim, label.invoiceId)).toEqual([]);
    });

    it('assisted: comments are written, the state change waits for a person', async () => {
      const runtime = await world.runtimeWith({ forceMode: 'assisted' });
      const label = pick('quantity_variance', 'dispute');
      const verdict = await settleInvoice(runtime, { invoiceId: label.invoiceId, event: label.event });

      expect(verdict).toMatchObject({
        decision: 'dispute',
        outcome: 'proposed',
        executed: false,
        mode: 'assisted',
        dispute_reason: 'INCORRECT-QUANTITY',
      });
      expect(verdict.proposal_ids).toHaveLength(1);
      expect(statusOf(world.sim, label.invoiceId)).toBe(wireInvoice(label.invoiceId).status);
      expect(disputeCodesOf(world.sim, label.invoiceId)).toEqual([]);
      const [dossier, ...more] = dossiersOn(world.sim, label.invoiceId);
      expect(more).toEqual([]);
      expect(dossier).toContain('proposed — waiting for an approver');
      expect(writesTo(world.sim, label.invoiceId).filter((w) => w.method === 'PUT')).toEqual([]);
    });
  });
});
