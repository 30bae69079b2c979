/**
 * Composition root: builds Settle from configuration — database, knowledge store, audit log,
 * Coupa client (a real tenant, or the embedded simulator), guard and tool context. `start`,
 * `mcp`, `serve`, `worker`, `settle` and the eval harness all build the same runtime.
 */
import type { TaxEngine } from '../tax/engine.js';
import { supplierVerifierFor } from '../registry/verify.js';
import { taxEvidenceFor } from './tax-evidence.js';
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Config } from '../config.js';
import { createAuditLog, createCheckpointer, type AuditLog, type Checkpointer } from '../audit/index.js';
import { createCoupaClient, type CallEvent, type CoupaClient, type RequestLimiter } from '../coupa/index.js';
import { openDb, type Db } from '../db/connection.js';
import { migrate } from '../db/migrate.js';
import { grirSourceOf } from '../grir/source.js';
import { resolveControls, type Controls, type ControlsOverrides, type Mode } from '../domain/controls.js';
import { describeError, UserError } from '../errors.js';
import type { ContextFactory } from '../guard/context.js';
import { createDriftTally, type DriftTally } from '../coupa/drift.js';
import type { ReadProblem } from '../coupa/read-problems.js';
import { createGuard, type Guard, type GuardLogger } from '../guard/guard.js';
import { createCoupaCallCounter } from '../guard/call-counter.js';
import { createIdempotencyStore } from '../guard/idempotency.js';
import { createProposalStore, type ProposalStore } from '../guard/proposals.js';
import { createEmbedder, createKnowledgeStore, type DocumentInput, type KnowledgeStore } from '../knowledge/index.js';
import { loadPolicyLibrary, type PolicyLibrary } from '../mcp/policies.js';
import { supplierTextPolicyFor } from './supplier-text-policy.js';
import pino from 'pino';
import { createRecordSource, type RecordSource } from '../coupa/record-source.js';
import type { SimulatorHandle } from '../sim/types.js';
import { SYSTEM_TOOLS, TOOLS } from '../../tools/index.js';
import { createGlOwnerLookup } from './gl-owners.js';
import { createModeSetting, type ModeSetting } from './settings.js';
import { seedFromPreparedStore } from './prepared-store.js';
import { formatIssues, hasIssues } from '../issues.js';
import { controlsRules, createAutonomyResolver } from '../guard/autonomy.js';
import { createAutonomyStore, type AutonomyStore } from '../shadow/autonomy-store.js';
import { createCalibrationStore, gateReader } from '../shadow/calibration-store.js';
import type { ConfidenceGate } from '../domain/calibration-artifact.js';
import { createShadowStore, type ShadowStore } from '../shadow/store.js';
import { readSlice } from './slice-reader.js';
import { dataPath } from '../paths.js';

import { createOutboxMailer, createSmtpMailer, type Mailer } from '../requests/mailer.js';
import { createSupplierRequests, type SupplierRequests } from '../requests/service.js';

export const PROJECT_KNOWLEDGE_DIR = dataPath('knowledge');

export interface RuntimeOptions {
  config: Config;
  /** Every field of a Coupa record that could not be read (for metrics); the runtime also tallies them in `drift`. */
  onReadProblem?: (problem: ReadProblem) => void;
  /** Talk to this simulator instead of `config.coupa` (the embedded default and evals). */
  simulator?: SimulatorHandle;
  /** Talk to a simulator that starts on the first Coupa request (app/embedded.ts). */
  lazySimulator?: LazySimulator;
  /** An open database to use (and not close); default: open from config. */
  db?: Db;
  /** PGlite's shared_buffers when the runtime opens the embedded store (db/connection.ts). */
  pgliteSharedBuffers?: string;
  /** Control overrides on top of `SETTLE_CONTROLS_FILE` and the defaults. */
  controls?: ControlsOverrides;
  /** Defaults for this tenant, under `SETTLE_CONTROLS_FILE` (the sample company's, e.g.). */
  controlDefaults?: ControlsOverrides;
  /** The clock (evals pin it to the case's `now`). */
  now?: () => Date;
  readOnly?: boolean;
  /** Knowledge to ingest at start (idempotent). Default: the project's `knowledge/`. */
  knowledgeDirs?: string[];
  extraDocuments?: DocumentInput[];
  /** A limiter shared with other runtimes (workers respecting one Coupa budget). */
  coupaLimiter?: RequestLimiter | false;
  /** Also told of every Coupa HTTP call (runner metrics). */
  onCoupaCall?: (event: CallEvent) => void;
  /** Pin the mode regardless of settings (`--dry-run` pins `monitor`). */
  forceMode?: Mode;
  /**
   * Sign the audit head into the checkpoint file at start, every SETTLE_AUDIT_CHECKPOINT_SECONDS and
   * at close (the CLI's commands; tests and eval slots leave it off).
   */
  auditCheckpoints?: boolean;
  /** Outbound supplier mail; default: SMTP from `SETTLE_SMTP_URL`, else an in-process outbox. */
  mailer?: Mailer;
  /** Where the guard logs failed tool calls; default: pino on stderr at `SETTLE_LOG_LEVEL` (stdout may carry MCP). */
  logger?: GuardLogger;
  /** The tax engine (default: from `SETTLE_TAX_ENGINE`, the offline table unless configured). */
  taxEngine?: TaxEngine;
  /** fetch for the registries (tests point VIES at a stub through VIES_BASE_URL instead). */
  registryFetch?: typeof fetch;
}

/**
 * An embedded simulator not started yet: the client sends to `LAZY_SIMULATOR_URL` through
 * `fetch`, which starts the simulator on the first request and forwards there.
 */
export interface LazySimulator {
  credentials: SimulatorHandle['credentials'];
  fetch: typeof fetch;
}

/** Where a client of a lazily started simulator sends its requests (`LazySimulator.fetch` rewrites them). */
export const LAZY_SIMULATOR_URL = 'http://embedded-simulator.invalid';

export interface Runtime {
  config: Config;
  db: Db;
  coupa: CoupaClient;
  records: RecordSource;
  knowledge: KnowledgeStore;
  audit: AuditLog;
  proposals: ProposalStore;
  mode: ModeSetting;
  controls: Controls;
  /** Runtime promotions and demotions of autonomy slices. */
  autonomy: AutonomyStore;
  /** The confidence calibration in force (none before the first `settle calibrate fit`). */
  calibration: { gate(): Promise<ConfidenceGate | null> };
  /** The agent's shadow decisions beside people's. */
  shadow: ShadowStore;
  guard: Guard;
  policies: PolicyLibrary;
  /** Which Coupa tenant this runtime acts on (a fresh simulator is a new tenant). */
  tenant: string;
  /** Settle's own Coupa logins (its comments are never supplier text). */
  ownLogins: ReadonlySet<string>;
  /** The simulator this runtime talks to, when it is not a real Coupa tenant. */
  simulator: SimulatorHandle | undefined;
  now: () => Date;
  contextFor: ContextFactory;
  /** Pending supplier requests and the mail they go out by. */
  supplierRequests: SupplierRequests;
  /** Fields of Coupa records this runtime could not read (per field, never per invoice). */
  drift: DriftTally;
  close(): Promise<void>;
}

/** Defaults, `SETTLE_CONTROLS_FILE`, `SETTLE_MODE` and overrides, validated; one clear error otherwise. */
export function loadControls(
  config: Config,
  overrides: ControlsOverrides | undefined,
  defaults: ControlsOverrides = {},
): Controls {
  let fromFile: Record<string, unknown> = {};
  if (config.controlsFile) {
    try {
      // `$schema` names the JSON Schema for editors (docs/controls.md); it is not a control.
      const { $schema: _forEditors, ...controls } = JSON.parse(readFileSync(config.controlsFile, 'utf8')) as Record<
        string,
        unknown
      >;
      fromFile = controls;
    } catch (error) {
      throw new UserError(`SETTLE_CONTROLS_FILE ${config.controlsFile}: ${(error as Error).message}`);
    }
  }
  const merged = { ...defaults, ...fromFile, ...(config.mode ? { mode: config.mode } : {}), ...(overrides ?? {}) };
  const parsed = resolveControlsSafe(merged);
  return parsed;
}

function resolveControlsSafe(input: Record<string, unknown>): Controls {
  try {
    return resolveControls(input);
  } catch (error) {
    throw new UserError(
      `invalid controls: ${hasIssues(error) ? formatIssues(error, { root: 'controls' }) : describeError(error)}`,
    );
  }
}

/**
 * The Coupa client a runtime would use (also for commands that need Coupa but no database). Every
 * field of a Coupa record it cannot read is tallied in `drift` (when given) and reported to `onReadProblem`.
 */
export function coupaClientFor(
  options: Pick<
    RuntimeOptions,
    'config' | 'simulator' | 'lazySimulator' | 'coupaLimiter' | 'onCoupaCall' | 'onReadProblem'
  >,
  drift: DriftTally = createDriftTally(),
  /** Told of every call too: the guard's per-tool-call counter. */
  countCall: () => void = () => undefined,
): CoupaClient {
  const { config, simulator, lazySimulator } = options;
  const common = {
    timeoutMs: config.coupaTimeoutMs,
    onReadProblem: (problem: ReadProblem) => {
      drift.record(problem);
      options.onReadProblem?.(problem);
    },
    onCall: (event: CallEvent) => {
      countCall();
      options.onCoupaCall?.(event);
    },
    ...(options.coupaLimiter !== undefined
      ? { limiter: options.coupaLimiter }
      : { ratePerSecond: config.coupaRatePerSecond, burst: config.coupaBurst }),
  };
  if (lazySimulator) {
    const { clientId, clientSecret } = lazySimulator.credentials;
    return createCoupaClient({
      baseUrl: LAZY_SIMULATOR_URL,
      clientId,
      clientSecret,
      fetch: lazySimulator.fetch,
      ...common,
    });
  }
  if (simulator) {
    return createCoupaClient({
      baseUrl: simulator.url,
      clientId: simulator.credentials.clientId,
      clientSecret: simulator.credentials.clientSecret,
      ...common,
    });
  }
  if (!config.coupa)
    throw new UserError(
      'no Coupa configured: set COUPA_BASE_URL, COUPA_CLIENT_ID and COUPA_CLIENT_SECRET, or run against the embedded simulator',
    );
  return createCoupaClient({
    baseUrl: config.coupa.baseUrl,
    clientId: config.coupa.clientId,
    clientSecret: config.coupa.clientSecret,
    ...(config.coupa.scopes ? { scopes: config.coupa.scopes.split(/\s+/) } : {}),
    ...common,
  });
}

export async function createRuntime(options: RuntimeOptions): Promise<Runtime> {
  const { config } = options;
  const controls = loadControls(config, options.controls, options.controlDefaults);
  const now = options.now ?? (() => new Date());
  const embedder = await createEmbedder(config);
  const db =
    options.db ??
    (await openDb({
      databaseUrl: config.databaseUrl,
      dataDir: config.dataDir,
      seed: (location) => seedFromPreparedStore(location, embedder.model),
      sharedBuffers: options.pgliteSharedBuffers,
    }));
  try {
    await migrate(db);
    const knowledge = await createKnowledgeStore({ db, embedder, now });
    for (const dir of options.knowledgeDirs ?? [PROJECT_KNOWLEDGE_DIR]) await knowledge.ingestDirectory(dir);
    for (const doc of options.extraDocuments ?? []) await knowledge.ingestDocument(doc);

    const drift = createDriftTally();
    const coupaCalls = createCoupaCallCounter();
    const coupa = coupaClientFor(options, drift, coupaCalls.count);
    const records = createRecordSource(coupa);
    const audit = createAuditLog(db);
    const proposals = createProposalStore(db);
    const stored = createModeSetting(db, controls.mode);
    const mode = options.forceMode ? { get: async () => options.forceMode!, set: stored.set } : stored;
    const glOwners = createGlOwnerLookup(db);
    const autonomy = createAutonomyStore(db);
    const shadow = createShadowStore(db);
    const calibrationStore = createCalibrationStore(db);
    const calibration = { gate: gateReader(calibrationStore) };

    const simulated = options.simulator?.credentials ?? options.lazySimulator?.credentials;
    const ownLogins = new Set(
      simulated ? [simulated.userLogin ?? simulated.clientId] : config.coupa?.apiLogin ? [config.coupa.apiLogin] : [],
    );
    // A simulator is a new tenant every time it starts, even on the same port.
    const tenant = options.simulator
      ? `${options.simulator.url}#${randomUUID()}`
      : options.lazySimulator
        ? `${LAZY_SIMULATOR_URL}#${randomUUID()}`
        : config.coupa!.baseUrl;
    const mailer =
      options.mailer ??
      (config.mail.smtpUrl
        ? createSmtpMailer(config.mail.smtpUrl, config.mail.from)
        : createOutboxMailer(config.mail.from));
    const supplierRequests = createSupplierRequests({
      db,
      tenant,
      now,
      mail: { mailer, replyAddress: config.mail.replyAddress },
    });
    const taxEvidence = taxEvidenceFor(config, options.taxEngine);
    const verifySupplier = supplierVerifierFor(config.external.registries, {
      ...(options.registryFetch ? { fetch: options.registryFetch } : {}),
      now,
    });
    const guard = createGuard({
      tools: [...TOOLS, ...SYSTEM_TOOLS],
      services: {
        controls,
        now,
        records,
        ownLogins,
        knowledge,
        proposals,
        glOwners,
        grir: { db, source: grirSourceOf(config) },
        taxEvidence,
        verifySupplier,
        supplierRequests,
      },
      coupaCalls,
      audit,
      proposals,
      idempotency: createIdempotencyStore(db),
      mode: () => mode.get(),
      readOnly: options.readOnly ?? false,
      tenant,
      logger: options.logger ?? pino({ level: config.logLevel, name: 'settle-guard' }, pino.destination(2)),
      supplierTextPolicy: supplierTextPolicyFor,
      // A pinned mode (a dry run, `start --mode`) is the mode for every slice: no rule may lift it.
      ...(options.forceMode
        ? {}
        : {
            autonomy: createAutonomyResolver({
              rules: async () => [...(await autonomy.rules()), ...controlsRules(controls)],
              sliceOf: readSlice,
              confidenceGate: calibration.gate,
            }),
          }),
    });
    const policies = loadPolicyLibrary(join(PROJECT_KNOWLEDGE_DIR, 'policies'));
    const checkpointer = options.auditCheckpoints ? startCheckpoints(config, audit) : undefined;
    return {
      config,
      db,
      coupa,
      records,
      knowledge,
      audit,
      proposals,
      mode,
      controls,
      autonomy,
      shadow,
      calibration,
      guard,
      policies,
      tenant,
      ownLogins,
      simulator: options.simulator,
      now,
      contextFor: guard.contextFor,
      drift,
      supplierRequests,
      close: async () => {
        mailer.close();
        await checkpointer?.stop().catch((error: unknown) => reportCheckpointError(error as Error));
        if (!options.db) await db.close();
      },
    };
  } catch (error) {
    if (!options.db) await db.close().catch(() => undefined);
    throw error;
  }
}

function reportCheckpointError(error: Error): void {
  process.stderr.write(`settle: audit checkpoint failed: ${error.message}\n`);
}

/** The periodic signer of the audit head (src/audit/checkpointer.ts), configured from the environment. */
function startCheckpoints(config: Config, audit: AuditLog): Checkpointer {
  const c = config.auditCheckpoints;
  const checkpointer = createCheckpointer({
    audit,
    keyFile: c.keyFile,
    checkpointFile: c.file,
    intervalMs: c.intervalSeconds * 1000,
    sinkUrl: c.sinkUrl,
    onError: reportCheckpointError,
  });
  checkpointer.start();
  return checkpointer;
}
