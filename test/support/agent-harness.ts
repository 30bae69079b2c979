/**
 * The agent tests' world: the real simulator over loopback HTTP, PGlite in memory (opened once
 * per test file — startup is the slow part), and runtimes from `createRuntime` over them, one per
 * mode or model configuration. Plus readers of the simulator's end state: writes in its call
 * log, comments (internal vs to the supplier), approvers, status and dispute reasons.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createRuntime, type Runtime } from '../../src/app/runtime.js';
import { loadConfig, type Config } from '../../src/config.js';
import { openDb, type Db } from '../../src/db/connection.js';
import type { ControlsOverrides, Mode } from '../../src/domain/controls.js';
import type { CoupaDataset } from '../../src/sim/dataset.js';
import { startSimulator } from '../../src/sim/server.js';
import type { CallLogEntry, SimulatorHandle } from '../../src/sim/types.js';

export interface AgentWorld {
  sim: SimulatorHandle;
  db: Db;
  /** The default runtime (autonomous unless the world was built with other controls). */
  runtime: Runtime;
  /** Another runtime over the same simulator and database (a mode, controls or model of its own). */
  runtimeWith(options: {
    forceMode?: Mode;
    controls?: ControlsOverrides;
    env?: Record<string, string>;
  }): Promise<Runtime>;
  close(): Promise<void>;
}

/** A minimal environment: never the developer's DATABASE_URL, Coupa or model settings. */
export function testConfig(env: Record<string, string> = {}): Config {
  return loadConfig({
    SETTLE_DATA_DIR: mkdtempSync(join(tmpdir(), 'settle-agent-')),
    SETTLE_LOG_LEVEL: 'silent',
    ...env,
  });
}

/** Simulator with `dataset` at `now`, PGlite, and an autonomous runtime. */
export async function startAgentWorld(
  dataset: CoupaDataset,
  now: string,
  controls: ControlsOverrides = {},
): Promise<AgentWorld> {
  const sim = await startSimulator({ dataset, now, rateLimit: false });
  const db = await openDb({ dataDir: 'memory://' });
  const runtimes: Runtime[] = [];
  const runtimeWith: AgentWorld['runtimeWith'] = async (options) => {
    const runtime = await createRuntime({
      config: testConfig(options.env),
      simulator: sim,
      db,
      now: () => new Date(sim.now()),
      coupaLimiter: false,
      controls: { mode: 'autonomous', ...controls, ...options.controls },
      ...(options.forceMode ? { forceMode: options.forceMode } : {}),
    });
    runtimes.push(runtime);
    return runtime;
  };
  const runtime = await runtimeWith({});
  return {
    sim,
    db,
    runtime,
    runtimeWith,
    async close() {
      for (const r of runtimes) await r.close();
      await db.close();
      await sim.close();
    },
  };
}

type Wire = Record<string, unknown>;

/** Simulator calls that changed something (PUT/POST under /api) on one invoice. */
export function writesTo(sim: SimulatorHandle, invoiceId: number, from = 0): CallLogEntry[] {
  return sim.callLog
    .slice(from)
    .filter((e) => (e.method === 'PUT' || e.method === 'POST') && e.path.startsWith(`/api/invoices/${invoiceId}`));
}

/** Any write anywhere under /api (a run that must not write at all). */
export function anyWrites(sim: SimulatorHandle, from = 0): CallLogEntry[] {
  return sim.callLog
    .slice(from)
    .filter((e) => (e.method === 'PUT' || e.method === 'POST' || e.method === 'DELETE') && e.path.startsWith('/api/'));
}

export function invoiceOf(sim: SimulatorHandle, id: number): Wire | undefined {
  return sim.records('invoices').find((i) => i.id === id);
}

export function statusOf(sim: SimulatorHandle, id: number): string | undefined {
  return invoiceOf(sim, id)?.status as string | undefined;
}

/** Logins of the pending approvers added to an invoice. */
export function approversOf(sim: SimulatorHandle, id: number): string[] {
  const approvals = (invoiceOf(sim, id)?.approvals ?? []) as Wire[];
  return approvals.map((a) => String((a.approver as Wire | undefined)?.login ?? ''));
}

export function disputeCodesOf(sim: SimulatorHandle, id: number): string[] {
  return ((invoiceOf(sim, id)?.['dispute-reasons'] ?? []) as Wire[]).map((r) => String(r.code));
}

export interface SimComment {
  text: string;
  toSupplier: boolean;
}

/** Comments on an invoice, oldest first, excluding those that existed before `existing`. */
export function commentsOn(sim: SimulatorHandle, id: number, existing = new Set<number>()): SimComment[] {
  return sim
    .records('comments')
    .filter(
      (c) => c['commentable-id'] === id && c['commentable-type'] === 'InvoiceHeader' && !existing.has(Number(c.id)),
    )
    .map((c) => ({ text: String(c.comments), toSupplier: c['to-supplier'] === true }));
}

/** The internal Settle dossier comments on an invoice. */
export function dossiersOn(sim: SimulatorHandle, id: number): string[] {
  return commentsOn(sim, id)
    .filter((c) => !c.toSupplier && c.text.startsWith('SETTLE DOSSIER'))
    .map((c) => c.text);
}
