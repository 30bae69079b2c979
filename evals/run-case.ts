/**
 * Run one case in a slot, the way production runs an exception: a fresh simulator with the case's
 * records and clock, the case's controls and knowledge, the event signed and POSTed to the runner's
 * `/webhooks/coupa`, the job taken from the queue and settled by the agent. Then everything needed
 * for scoring is read from the simulator and the database.
 */
import { performance } from 'node:perf_hooks';
import { settleAndRecord } from '../src/app/settle-and-record.js';
import { createRuntime, type Runtime } from '../src/app/runtime.js';
import type { Config } from '../src/config.js';
import { resolveControls, type Mode } from '../src/domain/controls.js';
import { describeError } from '../src/errors.js';
import { resolutionDocument } from '../src/knowledge/resolution-docs.js';
import { webhookHeaders } from '../src/runner/webhook-signature.js';
import { SettleJobData } from '../src/runner/types.js';
import { ExceptionEventSchema, type CoupaDataset } from '../src/sim/dataset.js';
import type { Dialect } from '../src/sim/dialects.js';
import { startSimulator } from '../src/sim/server.js';
import type { SimulatorHandle } from '../src/sim/types.js';
import type { ReplayCase } from './case-schema.js';
import { countApiCalls, observeWrites } from './observe.js';
import type { RunRecord } from './run-record.js';
import type { EvalSlot } from './slot.js';

export interface RunOptions {
  brain: 'planner' | 'llm';
  /** Overrides every case's `controls.mode`. */
  mode?: Mode | undefined;
  /** Distinguishes repeated runs of one case (event ids stay unique). */
  trial: number;
  /** The simulator serves the case's records in this shape (src/sim/dialects.ts); default `coupa`. */
  dialect?: Dialect | undefined;
}

const CASE_ORIGIN = 'eval-case';

/** The case's documents and past resolutions, into this slot's store only. */
async function ingestCaseKnowledge(slot: EvalSlot, kase: ReplayCase): Promise<void> {
  for (const doc of kase.knowledge?.documents ?? []) {
    await slot.knowledge.ingestDocument({
      id: doc.id,
      title: doc.title,
      text: doc.text,
      kind: 'policy',
      origin: CASE_ORIGIN,
    });
  }
  const resolutions = (kase.knowledge?.resolutions ?? []).map((r, i) => {
    const invoiceId = (r['invoice-id'] ?? r.invoice_id) as number;
    return resolutionDocument(
      {
        id: `${kase.id}/resolution-${i + 1}`,
        invoice_id: invoiceId,
        exception_type: r.exception_type,
        decision: r.decision,
        summary: r.summary,
        decided_by: r['decided-by'] ?? 'ap.review',
        decided_at: r['decided-at'] ?? kase.now,
        ...(r['supplier-id'] ? { supplier_id: r['supplier-id'] } : {}),
        ...(r['supplier-name'] ? { supplier_name: r['supplier-name'] } : {}),
      },
      CASE_ORIGIN,
      'history',
    );
  });
  if (resolutions.length) await slot.knowledge.writePrepared(resolutions);
}

/** Sign the event and POST it to the intake, as a Coupa call-out would. Returns the event id. */
async function deliverEvent(slot: EvalSlot, kase: ReplayCase, trial: number): Promise<string> {
  const eventId = `eval-${kase.id}-${trial}-${Date.now().toString(36)}`;
  const body = JSON.stringify(kase.event);
  const headers = webhookHeaders({
    id: eventId,
    timestamp: Math.floor(Date.now() / 1000),
    body,
    secrets: [slot.webhookSecret],
  });
  const response = await fetch(`${slot.intakeUrl}/webhooks/coupa`, {
    method: 'POST',
    headers: { ...headers, 'content-type': 'application/json' },
    body,
  });
  const answer = await response.text();
  if (response.status !== 202) throw new Error(`the webhook intake answered ${response.status}: ${answer}`);
  return eventId;
}

/** Take the queued job and settle it; the event is read back from the inbox, as a worker would. */
async function settleQueued(
  slot: EvalSlot,
  runtime: Runtime,
  brain: RunOptions['brain'],
): Promise<RunRecord['verdict']> {
  const job = await slot.queue.fetch();
  if (!job) throw new Error('the intake accepted the event but queued no job');
  try {
    const data = SettleJobData.parse(job.data);
    const { rows } = await slot.db.query<{ payload: unknown }>(
      'select payload from webhook_events where event_id = $1',
      [data.eventId],
    );
    const event = ExceptionEventSchema.parse(rows[0]?.payload);
    const verdict = await settleAndRecord(runtime, { invoiceId: data.invoiceId, event, brain });
    await slot.queue.complete(job.id, { decision: verdict.decision, executed: verdict.executed });
    return verdict;
  } catch (error) {
    await slot.queue.fail(job.id, error).catch(() => undefined);
    throw error;
  }
}

function statusOf(sim: SimulatorHandle | undefined, kase: ReplayCase, invoiceId: number): string | null {
  const invoices = sim ? sim.records('invoices') : kase.coupa.invoices;
  const status = invoices.find((i) => i.id === invoiceId)?.status;
  return typeof status === 'string' ? status : null;
}

/** The run's audit rows (after `startSeq`) and the proposals it stored (the slot was reset before it). */
async function readStore(runtime: Runtime, startSeq: number, record: RunRecord): Promise<void> {
  record.audit = (await runtime.audit.list({ afterSeq: startSeq, limit: 1000 })).map((r) => ({
    seq: r.seq,
    tool: r.tool,
    decision: r.decision,
    coupaCalls: r.coupaCalls,
    invoiceId: r.invoiceId,
  }));
  record.proposals = (await runtime.proposals.list({ limit: 1000 })).map((p) => ({
    tool: p.tool,
    input: p.input,
    status: p.status,
  }));
}

/** Run one case once in `slot` (which must not be running another case). */
export async function runCase(
  slot: EvalSlot,
  kase: ReplayCase,
  config: Config,
  options: RunOptions,
): Promise<RunRecord> {
  const caseMode = resolveControls(kase.controls ?? {}).mode;
  const mode = options.mode ?? caseMode;
  const invoiceId = kase.event.resource_id;
  const record: RunRecord = {
    caseMode,
    mode,
    verdict: null,
    writes: [],
    initialStatus: statusOf(undefined, kase, invoiceId) ?? 'unknown',
    finalStatus: null,
    proposals: [],
    audit: [],
    apiCalls: 0,
    ms: 0,
  };
  let sim: SimulatorHandle | undefined;
  let runtime: Runtime | undefined;
  let startSeq = 0;
  const started = performance.now();
  // The deployment's controls file and mode never leak into a case: defaults + the case's own.
  const caseConfig: Config = { ...config, controlsFile: undefined, mode: undefined };
  try {
    await slot.reset();
    await ingestCaseKnowledge(slot, kase);
    sim = await startSimulator({
      dataset: structuredClone(kase.coupa) as CoupaDataset,
      now: kase.now,
      rateLimit: false,
      dialect: options.dialect ?? 'coupa',
      dialectSeed: options.trial + 1,
    });
    const simulator = sim;
    runtime = await createRuntime({
      config: caseConfig,
      simulator,
      db: slot.db,
      knowledgeDirs: [],
      coupaLimiter: false,
      controls: { ...(kase.controls ?? {}), mode },
      now: () => new Date(simulator.now()),
    });
    startSeq = (await runtime.audit.head())?.seq ?? 0;
    const clock = performance.now();
    await deliverEvent(slot, kase, options.trial);
    record.verdict = await settleQueued(slot, runtime, options.brain);
    record.ms = Math.round(performance.now() - clock);
  } catch (error) {
    record.error = describeError(error);
    record.ms = Math.round(performance.now() - started);
  } finally {
    if (sim) {
      record.writes = observeWrites(sim.callLog, kase.coupa.users);
      record.apiCalls = countApiCalls(sim.callLog);
      record.finalStatus = statusOf(sim, kase, invoiceId);
    }
    if (runtime)
      await readStore(runtime, startSeq, record).catch(
        (error: unknown) => (record.error ??= `reading the audit log: ${describeError(error)}`),
      );
    await runtime?.close().catch(() => undefined);
    await sim?.close().catch(() => undefined);
  }
  return record;
}
