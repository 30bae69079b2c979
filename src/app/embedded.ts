/**
 * The embedded default: without Coupa configuration every command runs against the simulator
 * loaded with the deterministic sample company, and says so on stderr.
 */
import type { Config } from '../config.js';
import type { SampleCompany } from '../sim/generator/index.js';
import { loadSampleCompany } from './company-cache.js';
import { withSampleGrirBook } from './grir-runtime.js';
import { ALL_SCOPES, type SimClient, type SimulatorHandle } from '../sim/types.js';
import { createClock } from '../sim/clock.js';
import { DEFAULT_NOW } from '../sim/generator/types.js';
import { randomBytes } from 'node:crypto';
import { createRuntime, type Runtime, type RuntimeOptions } from './runtime.js';

export interface OpenedRuntime {
  runtime: Runtime;
  /** Present on the embedded default. */
  sim?: SimulatorHandle;
  company?: SampleCompany;
  /** The sample company's AP team as a Coupa client of its own (they settle what the agent shadows). */
  people?: SimClient;
  close(): Promise<void>;
}

export interface EmbeddedOptions {
  seed?: number;
  invoices?: number;
  simPort?: number;
  /** Where to say what is happening (default stderr). */
  say?: (line: string) => void;
  /**
   * Start the simulator (and load the sample company) on the first Coupa request rather than now:
   * a stdio MCP server whose tools may never reach Coupa (searching policies, reading the audit
   * log) opens only its store. `sim`, `company` and `people` are then absent from the result.
   */
  lazySimulator?: boolean;
}

/**
 * The sample company's controls: its synthetic VAT ids, IBANs and EINs pass the registries'
 * offline checks, so registry verification is on and flags only the mismatches planted in it.
 */
export const SAMPLE_COMPANY_CONTROLS = { verify_supplier_registries: true } as const;

const stderrSay = (line: string): void => void process.stderr.write(`settle: ${line}\n`);

/** The configured Coupa tenant, or the embedded simulator with the sample company. */
export async function openRuntime(
  config: Config,
  options: Omit<RuntimeOptions, 'config' | 'simulator'> = {},
  embedded: EmbeddedOptions = {},
): Promise<OpenedRuntime> {
  // Every command that opens a runtime here is the CLI's: it anchors the audit head it extends.
  options = { auditCheckpoints: true, ...options };
  if (config.coupa) {
    const runtime = await createRuntime({ config, ...options });
    return { runtime, close: () => runtime.close() };
  }
  options = { ...options, controlDefaults: { ...SAMPLE_COMPANY_CONTROLS, ...options.controlDefaults } };
  const settleClient: SimClient = {
    clientId: 'settle-sample',
    clientSecret: randomBytes(18).toString('base64url'),
    scopes: [...ALL_SCOPES],
  };
  if (embedded.lazySimulator) return openWithLazySimulator(config, options, embedded, settleClient);
  const { company, people, sim } = await startEmbedded(config, embedded, settleClient);
  try {
    const runtime = await createRuntime({ config, simulator: sim, now: () => new Date(sim.now()), ...options });
    return {
      runtime,
      sim,
      company,
      people,
      close: async () => {
        await runtime.close();
        await sim.close();
      },
    };
  } catch (error) {
    await sim.close();
    throw error;
  }
}

/** Load the sample company and serve it on the simulator for `settleClient` and the company's AP team. */
async function startEmbedded(config: Config, embedded: EmbeddedOptions, settleClient: SimClient, now?: string) {
  const company = await loadSampleCompany({
    seed: embedded.seed ?? 7,
    invoices: embedded.invoices ?? 2000,
    dataDir: config.dataDir,
  });
  const people: SimClient = {
    clientId: 'sample-ap-team',
    clientSecret: randomBytes(18).toString('base64url'),
    scopes: [...ALL_SCOPES],
    userLogin: company.dataset.users?.some((u) => u.login === 'ap.review') ? 'ap.review' : undefined,
  };
  const { startSimulator } = await import('../sim/server.js');
  // The GR/IR book is always seed 7's: the stored book (SAMPLE_GRIR_SOURCE) is shared by every command.
  const { dataset } = await withSampleGrirBook(company.dataset, company.now);
  const sim = await startSimulator({
    dataset,
    now: now ?? company.now,
    rateLimit: false,
    port: embedded.simPort ?? 0,
    clients: [settleClient, people],
  });
  (embedded.say ?? stderrSay)(
    `no Coupa configured (COUPA_BASE_URL): using the embedded simulator with the sample company (seed ${embedded.seed ?? 7}, ${company.summary.invoices} invoices, ${company.exceptions.length} exceptions) at ${sim.url}`,
  );
  return { company, people, sim };
}

/**
 * The runtime on a simulator that starts on the first Coupa request. Its clock runs from the
 * sample company's "now" from the start, and the simulator starts at that clock's time, so
 * records read later agree with what was audited before.
 */
async function openWithLazySimulator(
  config: Config,
  options: Omit<RuntimeOptions, 'config' | 'simulator'>,
  embedded: EmbeddedOptions,
  settleClient: SimClient,
): Promise<OpenedRuntime> {
  const clock = createClock(DEFAULT_NOW);
  let starting: Promise<SimulatorHandle> | undefined;
  const simulator = (): Promise<SimulatorHandle> =>
    (starting ??= startEmbedded(config, embedded, settleClient, clock.now()).then(
      ({ sim }) => sim,
      (error: unknown) => {
        starting = undefined; // the next request tries again
        throw error;
      },
    ));
  const forward: typeof fetch = async (input, init) => {
    const sim = await simulator();
    const asked = new URL(input instanceof Request ? input.url : input);
    return fetch(new URL(`${asked.pathname}${asked.search}`, sim.url), init);
  };
  (embedded.say ?? stderrSay)(
    'no Coupa configured (COUPA_BASE_URL): the embedded simulator with the sample company starts on the first Coupa request',
  );
  const runtime = await createRuntime({
    config,
    lazySimulator: { credentials: settleClient, fetch: forward },
    now: () => new Date(clock.now()),
    ...options,
  });
  return {
    runtime,
    close: async () => {
      await runtime.close();
      if (starting) await (await starting.catch(() => undefined))?.close();
    },
  };
}
