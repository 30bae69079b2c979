/**
 * The runner's HTTP surface for `settle serve`: webhook intake, the call-out token endpoint and
 * the operational endpoints, on one fastify instance. Other surfaces (MCP over HTTP, the review
 * page) are mounted on the same instance by whoever composes `serve`.
 */
import Fastify, { type FastifyInstance } from 'fastify';
import type { Logger } from 'pino';
import { ConfigError, type Config } from '../config.js';
import type { Db } from '../db/connection.js';
import { createCalloutAuth, parseCalloutClients, type CalloutAuth } from './callout-auth.js';
import { registerIntake } from './intake.js';
import type { RunnerMetrics } from './metrics.js';
import { registerOps } from './ops.js';
import type { RunnerQueue } from './queue.js';
import { createWebhookVerifier, type WebhookVerifier } from './webhook-signature.js';

export interface RunnerServerOptions {
  db: Db;
  queue: RunnerQueue;
  config: Pick<Config, 'webhookSecrets' | 'calloutClients'> & Partial<Pick<Config, 'trustProxy'>>;
  metrics: RunnerMetrics;
  logger?: Logger | undefined;
  /** Overrides for tests (injected clock etc.); by default built from `config`. */
  verifier?: WebhookVerifier;
  calloutAuth?: CalloutAuth;
  bodyLimitBytes?: number;
}

/** Verifier and call-out auth from configuration; errors name the variable. */
export function intakeAuthFromConfig(config: Pick<Config, 'webhookSecrets' | 'calloutClients'>): {
  verifier: WebhookVerifier | undefined;
  calloutAuth: CalloutAuth | undefined;
} {
  let verifier: WebhookVerifier | undefined;
  let calloutAuth: CalloutAuth | undefined;
  try {
    verifier = config.webhookSecrets.length ? createWebhookVerifier({ secrets: config.webhookSecrets }) : undefined;
  } catch (error) {
    throw new ConfigError(`invalid configuration — SETTLE_WEBHOOK_SECRETS: ${(error as Error).message}`);
  }
  try {
    const clients = parseCalloutClients(config.calloutClients);
    calloutAuth = clients.length ? createCalloutAuth({ clients }) : undefined;
  } catch (error) {
    throw new ConfigError(`invalid configuration — SETTLE_CALLOUT_CLIENTS: ${(error as Error).message}`);
  }
  return { verifier, calloutAuth };
}

/** Build the server (not listening yet): `await app.listen({ port })` or `app.inject(...)`. */
export function createRunnerServer(options: RunnerServerOptions): FastifyInstance {
  const fromConfig = intakeAuthFromConfig(options.config);
  const verifier = options.verifier ?? fromConfig.verifier;
  const calloutAuth = options.calloutAuth ?? fromConfig.calloutAuth;
  if (!verifier && !calloutAuth) {
    options.logger?.warn(
      'no SETTLE_WEBHOOK_SECRETS or SETTLE_CALLOUT_CLIENTS: /webhooks/coupa will refuse every event (401)',
    );
  }
  const app = Fastify({
    ...(options.logger ? { loggerInstance: options.logger } : { logger: false }),
    return503OnClosing: true,
    trustProxy: options.config.trustProxy ?? false,
  }) as unknown as FastifyInstance;
  void app.register(async (scope) => {
    await registerIntake(scope, {
      db: options.db,
      queue: options.queue,
      verifier,
      calloutAuth,
      metrics: options.metrics,
      bodyLimitBytes: options.bodyLimitBytes,
    });
    await registerOps(scope, { db: options.db, metrics: options.metrics });
  });
  return app;
}
