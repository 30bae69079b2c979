/**
 * Shared by `settle sim` and (for now) `settle start`: generate the sample company, serve it on
 * the Coupa simulator, print how to reach it, and stay up until Ctrl-C. Also the flag parsers and
 * the `--dump` writer, so both commands validate the same way.
 */
import { InvalidArgumentError } from 'commander';
import { createWriteStream } from 'node:fs';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { UserError } from '../errors.js';
import { generateCompany, serializeDataset, MIN_INVOICES, type SampleCompany } from '../sim/generator/index.js';
import { DIALECTS, isDialect, type Dialect } from '../sim/dialects.js';
import { startSimulator } from '../sim/server.js';
import type { SimulatorHandle } from '../sim/types.js';
import { untilSignal } from './args.js';

export interface ServeOptions {
  seed: number;
  invoices: number;
  port: number;
  host: string;
  rateLimit: boolean;
  eventsUrl?: string;
  /** Serve API answers in this shape (src/sim/dialects.ts); default `coupa`. */
  dialect?: Dialect;
  /** Stay up until a signal; otherwise print and close (smoke checks). */
  keepRunning: boolean;
}

const MAX_INVOICES = 1_000_000;

function integer(flag: string, value: string, min: number, max: number): number {
  const n = Number(value);
  if (value.trim() === '' || !Number.isInteger(n) || n < min || n > max) {
    throw new UserError(`${flag} takes an integer from ${min} to ${max}, got "${value}"`);
  }
  return n;
}

export const parseSeed = (value: string): number => integer('--seed', value, 0, 2 ** 31 - 1);
export const parseInvoices = (value: string): number => integer('--invoices', value, MIN_INVOICES, MAX_INVOICES);
export const parsePort = (value: string): number => integer('--port', value, 0, 65_535);

/** `--dialect`: one of the simulator's dialects, or a one-line error listing them. */
export function parseDialect(value: string): Dialect {
  if (!isDialect(value)) throw new InvalidArgumentError(`expected one of ${DIALECTS.join(', ')}`);
  return value;
}

export function parseEventsUrl(value: string): string {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new UserError(`--events-url takes an http(s) URL, got "${value}"`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:')
    throw new UserError(`--events-url takes an http(s) URL, got "${value}"`);
  return url.toString();
}

/** Writes the dataset (the `coupa` object of a replay case) as JSON, streamed record by record. */
export async function dumpDataset(company: SampleCompany, file: string): Promise<void> {
  try {
    await pipeline(Readable.from(serializeDataset(company.dataset)), createWriteStream(file));
  } catch (error) {
    throw new UserError(`cannot write ${file}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
  }
}

/** The lines printed once the simulator is up: where it is, how to log in, what it holds. */
export function describeServing(company: Pick<SampleCompany, 'summary' | 'now'>, sim: SimulatorHandle): string {
  const { summary } = company;
  const width = Math.max(...Object.keys(summary.byType).map((t) => t.length));
  const byType = Object.entries(summary.byType).map(([type, n]) => `  ${type.padEnd(width)}  ${String(n).padStart(5)}`);
  return [
    `Coupa simulator serving the sample company (seed ${summary.seed}, ${summary.invoices} invoices, clock ${company.now})`,
    `  base_url       ${sim.url}`,
    `  token_url      ${sim.url}/oauth2/token`,
    `  client_id      ${sim.credentials.clientId}`,
    `  client_secret  ${sim.credentials.clientSecret}`,
    `Open exceptions by type (${summary.exceptions}):`,
    ...byType,
    '',
  ].join('\n');
}

/**
 * Generates the company and starts the simulator on it. Only the summary comes back: the simulator
 * keeps its own copy of the records, so ours can be collected (hundreds of MB at 100k invoices).
 */
async function startOnSampleCompany(
  opts: ServeOptions,
): Promise<{ sim: SimulatorHandle; company: Pick<SampleCompany, 'summary' | 'now'> }> {
  const { dataset, summary, now } = generateCompany({ seed: opts.seed, invoices: opts.invoices });
  try {
    const sim = await startSimulator({
      dataset,
      now,
      host: opts.host,
      port: opts.port,
      ...(opts.rateLimit ? {} : { rateLimit: false as const }),
      ...(opts.eventsUrl ? { events: { url: opts.eventsUrl } } : {}),
      ...(opts.dialect ? { dialect: opts.dialect, dialectSeed: opts.seed } : {}),
    });
    return { sim, company: { summary, now } };
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'EADDRINUSE') throw new UserError(`port ${opts.port} is already in use; pick another with --port`);
    if (code === 'EADDRNOTAVAIL' || code === 'ENOTFOUND') throw new UserError(`cannot listen on host ${opts.host}`);
    throw error;
  }
}

/** Generates the company, serves it, prints the access details; resolves when closed. */
export async function serveSampleCompany(
  opts: ServeOptions,
  out: NodeJS.WritableStream = process.stdout,
): Promise<void> {
  const { sim, company } = await startOnSampleCompany(opts);
  out.write(describeServing(company, sim));
  if (!opts.keepRunning) {
    await sim.close();
    return;
  }
  out.write('Ctrl-C to stop.\n');
  const signal = await untilSignal();
  process.stderr.write(`settle: ${signal} — closing the simulator\n`);
  await sim.close();
}
