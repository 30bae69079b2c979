/**
 * Prometheus metrics of the runner, in a registry per process (factory, no global registry), so
 * the agent, the guard and the Coupa client can count into the same place: pass `metrics` down.
 */
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import { fieldPattern } from '../coupa/drift.js';
import type { ReadProblem } from '../coupa/read-problems.js';
import { isMaterial } from '../domain/read-problems.js';
import type { QueueStats, RunnerQueue } from './queue.js';

export interface RunnerMetrics {
  readonly registry: Registry;
  /** Intake outcomes: queued, folded, duplicate, unauthorized, invalid. */
  readonly webhookEvents: Counter<'outcome'>;
  /** Settled invoices by decision and whether the decision was executed in Coupa. */
  readonly settled: Counter<'decision' | 'executed'>;
  /** Settle attempts that threw (the job is retried or dead-lettered). */
  readonly settleFailures: Counter<'kind'>;
  /** For the guard: a write it refused (increment with the tool and the reason). */
  readonly guardDenials: Counter<'tool' | 'reason'>;
  /** For the Coupa client's `onCall` hook: every HTTP exchange; status 0 = no response. */
  readonly coupaCalls: Counter<'method' | 'status'>;
  readonly coupaErrors: Counter<'method' | 'status'>;
  /** Coupa calls by endpoint (`GET /api/invoices/:id`), token requests included: where the budget goes. */
  readonly coupaEndpointCalls: Counter<'endpoint'>;
  /** 429 answers received from Coupa (the shared budget should keep this at zero). */
  readonly coupaThrottled: Counter;
  /** Cost of settled exceptions: Coupa calls, model tokens (in/out) and money (when model prices are set). */
  readonly settlementCoupaCalls: Counter;
  readonly settlementTokens: Counter<'direction'>;
  readonly settlementCost: Counter;
  /** Fields of Coupa records that could not be read, by resource, field pattern and whether a decision rests on it. */
  readonly coupaReadProblems: Counter<'resource' | 'field' | 'decisive'>;
  /** Duration of one SettleFn call. */
  readonly agentLatency: Histogram<'outcome'>;
  readonly queueDepth: Gauge<'state'>;
  readonly oldestJobAge: Gauge;
}

export interface RunnerMetricsOptions {
  registry?: Registry;
  /** When given, queue depth and oldest job age are read from it at each scrape. */
  queue?: Pick<RunnerQueue, 'stats'>;
  /** Process metrics (CPU, memory, event loop); default true. */
  defaultMetrics?: boolean;
}

/** Create the runner's metrics in a fresh (or the given) registry. */
export function createRunnerMetrics(options: RunnerMetricsOptions = {}): RunnerMetrics {
  const registry = options.registry ?? new Registry();
  if (options.defaultMetrics ?? true) collectDefaultMetrics({ register: registry, prefix: 'settle_' });
  const registers = [registry];
  const { queue } = options;
  // One stats query per scrape, shared by both queue gauges.
  let pending: { at: number; stats: Promise<QueueStats> } | undefined;
  const readStats = (): Promise<QueueStats> => {
    if (!queue) return Promise.reject(new Error('no queue'));
    if (!pending || Date.now() - pending.at > 1000) pending = { at: Date.now(), stats: queue.stats() };
    return pending.stats;
  };
  return {
    registry,
    webhookEvents: new Counter({
      name: 'settle_webhook_events_total',
      help: 'Events at the intake by outcome',
      labelNames: ['outcome'],
      registers,
    }),
    settled: new Counter({
      name: 'settle_settled_total',
      help: 'Invoices settled, by decision and executed',
      labelNames: ['decision', 'executed'],
      registers,
    }),
    settleFailures: new Counter({
      name: 'settle_settle_failures_total',
      help: 'Settle attempts that failed',
      labelNames: ['kind'],
      registers,
    }),
    guardDenials: new Counter({
      name: 'settle_guard_denials_total',
      help: 'Writes refused by the guard',
      labelNames: ['tool', 'reason'],
      registers,
    }),
    coupaCalls: new Counter({
      name: 'settle_coupa_calls_total',
      help: 'HTTP exchanges with Coupa',
      labelNames: ['method', 'status'],
      registers,
    }),
    coupaErrors: new Counter({
      name: 'settle_coupa_errors_total',
      help: 'Coupa exchanges that failed (no response, 429 or >= 500)',
      labelNames: ['method', 'status'],
      registers,
    }),
    coupaEndpointCalls: new Counter({
      name: 'settle_coupa_endpoint_calls_total',
      help: 'HTTP exchanges with Coupa by endpoint (ids replaced by :id)',
      labelNames: ['endpoint'],
      registers,
    }),
    coupaThrottled: new Counter({
      name: 'settle_coupa_throttled_total',
      help: 'HTTP 429 answers received from Coupa',
      registers,
    }),
    settlementCoupaCalls: new Counter({
      name: 'settle_settlement_coupa_calls_total',
      help: 'Coupa calls made by settled exceptions (divide by settle_settled_total for calls per exception)',
      registers,
    }),
    settlementTokens: new Counter({
      name: 'settle_settlement_tokens_total',
      help: 'Model tokens used by settled exceptions, by direction (in|out)',
      labelNames: ['direction'],
      registers,
    }),
    settlementCost: new Counter({
      name: 'settle_settlement_model_cost_total',
      help: 'Model cost of settled exceptions in SETTLE_MODEL_PRICE_IN/OUT units (0 without prices)',
      registers,
    }),
    coupaReadProblems: new Counter({
      name: 'settle_coupa_read_problems_total',
      help: 'Fields of Coupa records that could not be read and were set aside (tenant drift)',
      labelNames: ['resource', 'field', 'decisive'],
      registers,
    }),
    agentLatency: new Histogram({
      name: 'settle_agent_latency_seconds',
      help: 'Time to settle one invoice',
      labelNames: ['outcome'],
      registers,
      buckets: [0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300],
    }),
    queueDepth: new Gauge({
      name: 'settle_queue_depth',
      help: 'Settle jobs by state (dead_letter: waiting for a person)',
      labelNames: ['state'],
      registers,
      async collect() {
        const s = await readStats().catch(() => undefined); // db down: keep last values, /readyz says why
        if (!s) return;
        this.set({ state: 'queued' }, s.queued);
        this.set({ state: 'retry' }, s.retrying);
        this.set({ state: 'active' }, s.active);
        this.set({ state: 'dead_letter' }, s.deadLetters);
      },
    }),
    oldestJobAge: new Gauge({
      name: 'settle_queue_oldest_job_age_seconds',
      help: 'Age of the oldest unfinished settle job (alert well before retention)',
      registers,
      async collect() {
        const s = await readStats().catch(() => undefined);
        if (s) this.set(s.oldestJobAgeSeconds);
      },
    }),
  };
}

/** What a Coupa HTTP exchange reports (matches the Coupa client's `onCall` event). */
export interface CoupaCallEvent {
  method: string;
  /** Path without the query string. */
  path: string;
  status: number;
  ms: number;
}

/** `GET /api/invoices/5/comments?x` → `GET /api/invoices/:id/comments` (bounded label values). */
export function coupaEndpoint(method: string, path: string): string {
  return `${method} ${path.replace(/\?.*$/, '').replace(/\/\d+(?=\/|$)/g, '/:id')}`;
}

/** An `onCall` hook for the Coupa client that counts calls (by status and endpoint), 429s and errors. */
export function coupaCallObserver(metrics: RunnerMetrics): (event: CoupaCallEvent) => void {
  return (event) => {
    const labels = { method: event.method, status: String(event.status) };
    metrics.coupaCalls.inc(labels);
    metrics.coupaEndpointCalls.inc({ endpoint: coupaEndpoint(event.method, event.path) });
    if (event.status === 429) metrics.coupaThrottled.inc();
    if (event.status === 0 || event.status === 429 || event.status >= 500) metrics.coupaErrors.inc(labels);
  };
}

/** For the Coupa client's `onReadProblem` hook: one count per field that could not be read. */
export function readProblemObserver(metrics: RunnerMetrics): (problem: ReadProblem) => void {
  return (problem) =>
    metrics.coupaReadProblems.inc({
      resource: problem.resource,
      field: fieldPattern(problem.field),
      decisive: String(isMaterial(problem)),
    });
}
