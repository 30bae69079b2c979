/**
 * Operational endpoints: `/healthz` (the process answers), `/readyz` (the database answers, so
 * this instance can accept events) and `/metrics` (Prometheus text format).
 */
import type { FastifyInstance } from 'fastify';
import type { Db } from '../db/connection.js';
import type { RunnerMetrics } from './metrics.js';

export interface OpsOptions {
  db: Db;
  metrics: RunnerMetrics;
  /** How long `/readyz` waits for the database (default 2 s). */
  readyTimeoutMs?: number;
}

async function databaseAnswers(db: Db, timeoutMs: number): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<false>((resolve) => {
    timer = setTimeout(() => resolve(false), timeoutMs);
  });
  try {
    const probe = db.query('select 1').then(
      () => true,
      () => false,
    );
    return await Promise.race([probe, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/** Mount `/healthz`, `/readyz` and `/metrics`. */
export async function registerOps(app: FastifyInstance, options: OpsOptions): Promise<void> {
  app.get('/healthz', async () => ({ status: 'ok' }));
  app.get('/readyz', async (_request, reply) => {
    const ok = await databaseAnswers(options.db, options.readyTimeoutMs ?? 2000);
    return reply
      .code(ok ? 200 : 503)
      .send({ status: ok ? 'ready' : 'unavailable', database: ok ? 'ok' : 'unreachable' });
  });
  app.get('/metrics', async (_request, reply) => {
    const body = await options.metrics.registry.metrics();
    return reply.header('content-type', options.metrics.registry.contentType).send(body);
  });
}
