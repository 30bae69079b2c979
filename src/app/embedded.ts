/**
 * The embedded default: without Coupa configuration every command runs against the simulator
 * loaded with the deterministic sample company, and says so on stderr.
 */
import type { Config } from '../config.js';
import type { SampleCompany } from '../sim/generator/index.js';
import { loadSampleCompany } from './company-cache.js';
import { startSimulator } from '../sim/server.js';
import type { SimulatorHandle } from '../sim/types.js';
import { createRuntime, type Runtime, type RuntimeOptions } from './runtime.js';

export interface OpenedRuntime {
  runtime: Runtime;
  /** Present on the embedded default. */
  sim?: SimulatorHandle;
  company?: SampleCompany;
  close(): Promise<void>;
}

export interface EmbeddedOptions {
  seed?: number;
  invoices?: number;
  simPort?: number;
  /** Where to say what is happening (default stderr). */
  say?: (line: string) => void;
}

const stderrSay = (line: string): void => void process.stderr.write(`settle: ${line}\n`);

/** The configured Coupa tenant, or the embedded simulator with the sample company. */
export async function openRuntime(config: Config, options: Omit<RuntimeOptions, 'config' | 'simulator'> = {}, embedded: EmbeddedOptions = {}): Promise<OpenedRuntime> {
  const say = embedded.say ?? stderrSay;
  // Every command that opens a runtime here is the CLI's: it anchors the audit head it extends.
  options = { auditCheckpoints: true, ...options };
  if (config.coupa) {
    const runtime = await createRuntime({ config, ...options });
    return { runtime, close: () => runtime.close() };
  }
  const company = await loadSampleCompany({ seed: embedded.seed ?? 7, invoices: embedded.invoices ?? 2000, dataDir: config.dataDir });
  const sim = await startSimulator({ dataset: company.dataset, now: company.now, rateLimit: false, port: embedded.simPort ?? 0 });
  say(`no Coupa configured (COUPA_BASE_URL): using the embedded simulator with the sample company (seed ${embedded.seed ?? 7}, ${company.summary.invoices} invoices, ${company.exceptions.length} exceptions) at ${sim.url}`);
  try {
    const runtime = await createRuntime({ config, simulator: sim, now: () => new Date(sim.now()), ...options });
    return {
      runtime, sim, company,
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
