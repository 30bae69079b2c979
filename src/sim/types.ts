/**
 * The simulator's public surface. `startSimulator` (src/sim/server.ts) returns a handle; tests,
 * the eval harness and `npm start` use only what is declared here.
 */
import type { CoupaDataset } from './dataset.js';
import type { Dialect } from './dialects.js';

export interface SimClient {
  clientId: string;
  clientSecret: string;
  /** Scopes this client may request; a token carries the requested subset (all when none asked). */
  scopes: string[];
  /** Login of the user this client acts as (`created-by` of its comments, approvals, drafts); default: the client id. */
  userLogin?: string;
}

/** Per-instance fault injection. Rates are probabilities 0–1, drawn from a seeded RNG. */
export interface FaultConfig {
  latencyMs?: number;
  /** Share of API requests answered 500/502/503. */
  errorRate?: number;
  /** Share of API requests answered 429 with Retry-After. */
  throttleRate?: number;
  /** Share of requests whose connection is destroyed before any response. */
  dropRate?: number;
  /** Share of writes (PUT/POST) applied and THEN dropped: the client cannot know it succeeded. */
  dropAfterWriteRate?: number;
  /** Retry-After seconds sent with injected 429s (default 1). */
  retryAfterSeconds?: number;
  seed?: number;
}

export interface CallLogEntry {
  seq: number;
  /** The simulated clock (the company's "now"). */
  at: string;
  /** Wall-clock ms (Date.now()) when the request arrived: requests per second as Coupa would count them. */
  receivedMs?: number;
  method: string;
  /** Path without the query string, e.g. `/api/invoices/5001/dispute`. */
  path: string;
  query: Record<string, string>;
  /** Parsed JSON (or form) body, if any. */
  body: unknown;
  status: number;
  clientId?: string;
  /** True when the connection was dropped (with or without the write applied). */
  dropped?: boolean;
}

export interface OutboundEventsConfig {
  /** URL to POST exception events to, as a Coupa call-out would. */
  url: string;
  /** Optional OAuth client-credentials endpoint of the receiver (Coupa call-out auth). */
  tokenUrl?: string;
  clientId?: string;
  clientSecret?: string;
}

export interface SimulatorOptions {
  dataset?: CoupaDataset;
  /** The simulated clock (ISO time); defaults to the real clock. */
  now?: string;
  host?: string;
  /** 0 (default) picks a free port. */
  port?: number;
  /** OAuth clients; default: one client `settle-sample` with every scope. */
  clients?: SimClient[];
  faults?: FaultConfig;
  /** Coupa's 25 req/s with burst 20 by default; `false` disables (bulk tests, benchmarks). */
  rateLimit?: { perSecond: number; burst: number } | false;
  tokenTtlSeconds?: number;
  /** The clock token expiry runs on, in epoch ms (default the wall clock; tests advance their own). */
  tokenClock?: () => number;
  events?: OutboundEventsConfig;
  /** Serve API answers in a variant shape (dialects.ts): `strings`, `numbers`, `xml`, `mixed`, …; default `coupa`. */
  dialect?: Dialect;
  /** Seed of the `mixed` dialect (default 1). */
  dialectSeed?: number;
}

/** What the simulator's AvaTax-format tax engine does with the next requests (routes/avatax.ts). */
export type TaxEngineFault = 'none' | 'timeout' | 'rate_limited' | 'error';

export interface SimulatorHandle {
  /** Base URL, e.g. `http://127.0.0.1:4010` (API under `/api`, tokens under `/oauth2`). */
  readonly url: string;
  /** The first configured client, for convenience. */
  readonly credentials: SimClient;
  /** Every request received, in order. */
  readonly callLog: CallLogEntry[];
  clearCallLog(): void;
  setFaults(faults: FaultConfig): void;
  setNow(iso: string): void;
  /** Serve from now on in this dialect (dialects.ts). */
  setDialect(dialect: Dialect, seed?: number): void;
  /** Base URL of the AvaTax-format tax engine (`…/avatax`; credentials `AVATAX_SIM_CREDENTIALS`). */
  readonly avataxUrl: string;
  /** Make the tax engine time out, answer 429 or 503 from now on; `none` restores it. */
  setTaxEngineFault(fault: TaxEngineFault, hangMs?: number): void;
  now(): string;
  /** Live wire records of one collection (same keys as CoupaDataset), for assertions. */
  records<K extends keyof CoupaDataset>(collection: K): CoupaDataset[K];
  /** Replace or insert a record as if Coupa changed it (e.g. a new receipt arrives). Bumps `updated-at`. */
  upsert<K extends keyof CoupaDataset>(collection: K, record: CoupaDataset[K][number]): void;
  /** Delete a record (e.g. an invoice removed between event and run). */
  remove<K extends keyof CoupaDataset>(collection: K, id: number): boolean;
  close(): Promise<void>;
}

/** All scopes the simulator knows; the default client holds them all. */
export const ALL_SCOPES = [
  'core.invoice.read',
  'core.invoice.write',
  'core.invoice.create',
  'core.invoice.approval.write',
  'core.purchase_order.read',
  'core.inventory.receiving.read',
  'core.supplier.read',
  'core.approval.read',
  'core.approval.write',
  'core.comment.read',
  'core.comment.write',
  'core.contract.read',
  'core.user.read',
  'core.common.read',
  'core.attachment.write',
] as const;
