/**
 * All configuration comes from the environment, parsed once with zod. Nothing reads
 * `process.env` elsewhere. Errors name the variable and what it accepts.
 */
import { join, resolve } from 'node:path';
import { z } from 'zod';
import { Mode } from './domain/controls.js';
import { parseExternalConfig, type ExternalConfig } from './external-config.js';
import { issueLines } from './issues.js';

const optionalString = z
  .string()
  .optional()
  .transform((v) => (v === undefined || v.trim() === '' ? undefined : v.trim()));

const positiveInt = (fallback: number) =>
  z
    .string()
    .optional()
    .transform((v, ctx) => {
      if (v === undefined || v === '') return fallback;
      const n = Number(v);
      if (!Number.isInteger(n) || n <= 0) {
        ctx.addIssue({ code: 'custom', message: `expected a positive integer, got "${v}"` });
        return z.NEVER;
      }
      return n;
    });

const EnvSchema = z.object({
  SETTLE_DATA_DIR: z.string().default('./.settle'),
  SETTLE_MODE: Mode.optional(),
  SETTLE_LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('warn'),
  DATABASE_URL: optionalString,
  COUPA_BASE_URL: optionalString,
  COUPA_CLIENT_ID: optionalString,
  COUPA_CLIENT_SECRET: optionalString,
  COUPA_SCOPES: optionalString,
  COUPA_API_LOGIN: optionalString,
  COUPA_RATE_PER_SECOND: positiveInt(25),
  COUPA_BURST: positiveInt(20),
  COUPA_TIMEOUT_MS: positiveInt(30_000),
  OPENAI_API_KEY: optionalString,
  OPENAI_BASE_URL: optionalString,
  SETTLE_MODEL: optionalString,
  SETTLE_EMBEDDING_MODEL: optionalString,
  /** Model prices per million tokens (input, output), decimal text in any currency unit: cost per settled exception. */
  SETTLE_MODEL_PRICE_IN: z
    .string()
    .trim()
    .regex(/^\d+(\.\d+)?$/, 'a decimal price per million input tokens, e.g. 2.50')
    .optional(),
  SETTLE_MODEL_PRICE_OUT: z
    .string()
    .trim()
    .regex(/^\d+(\.\d+)?$/, 'a decimal price per million output tokens, e.g. 10')
    .optional(),
  SETTLE_CONTROLS_FILE: optionalString,
  SETTLE_OWN_COMPANY_FILE: optionalString,
  SETTLE_TOKENS_FILE: optionalString,
  SETTLE_MCP_TOKENS: optionalString,
  SETTLE_MCP_IDENTITY: optionalString,
  SETTLE_WEBHOOK_SECRETS: optionalString,
  SETTLE_CALLOUT_CLIENTS: optionalString,
  SETTLE_SLACK_WEBHOOK_URL: optionalString,
  SETTLE_TEAMS_WEBHOOK_URL: optionalString,
  SETTLE_TRUST_PROXY: optionalString,
  SETTLE_AUDIT_KEY_FILE: optionalString,
  SETTLE_AUDIT_CHECKPOINTS: optionalString,
  SETTLE_AUDIT_CHECKPOINT_SECONDS: z
    .string()
    .optional()
    .transform((v, ctx) => {
      if (v === undefined || v.trim() === '') return 300;
      const n = Number(v);
      if (!Number.isInteger(n) || n < 0) {
        ctx.addIssue({ code: 'custom', message: `expected 0 (off) or a whole number of seconds, got "${v}"` });
        return z.NEVER;
      }
      return n;
    }),
  SETTLE_AUDIT_CHECKPOINT_URL: optionalString,
  /** Outbound supplier mail (issue 25): nodemailer's SMTP URL, the From and the base reply address. */
  SETTLE_SMTP_URL: optionalString,
  SETTLE_MAIL_FROM: optionalString,
  SETTLE_REPLY_ADDRESS: z
    .string()
    .trim()
    .regex(/^[^\s@+]+@[^\s@]+\.[^\s@]+$/, 'an e-mail address without a +tag, e.g. ap-replies@acme.example')
    .optional(),
  SETTLE_REMINDER_BUSINESS_DAYS: positiveInt(3),
  SETTLE_ESCALATE_AFTER_REMINDERS: positiveInt(2),
  PORT: positiveInt(8080),
});

/**
 * `SETTLE_TRUST_PROXY`: whom to believe about the client's address and protocol (X-Forwarded-*).
 * `true` (any hop), a number of hops, or comma-separated addresses / CIDRs of the proxies.
 */
export type TrustProxy = boolean | string[] | ((address: string, hop: number) => boolean);

function parseTrustProxy(value: string | undefined): TrustProxy {
  const v = value?.trim().toLowerCase();
  if (!v || v === 'false' || v === '0') return false;
  if (v === 'true') return true;
  if (/^\d+$/.test(v)) {
    const hops = Number(v);
    return (_address, hop) => hop < hops;
  }
  const hosts = v
    .split(',')
    .map((h) => h.trim())
    .filter(Boolean);
  const bad = hosts.find(
    (h) => !/^[0-9a-f:.]+(\/\d{1,3})?$/.test(h) && h !== 'loopback' && h !== 'linklocal' && h !== 'uniquelocal',
  );
  if (bad)
    throw new ConfigError(
      `invalid configuration — SETTLE_TRUST_PROXY: "${bad}" is not true, false, a hop count, an address or a CIDR`,
    );
  return hosts;
}

export interface Config {
  dataDir: string;
  mode: z.infer<typeof Mode> | undefined;
  logLevel: z.infer<typeof EnvSchema>['SETTLE_LOG_LEVEL'];
  databaseUrl: string | undefined;
  coupa:
    | {
        baseUrl: string;
        clientId: string;
        clientSecret: string;
        scopes: string | undefined;
        apiLogin: string | undefined;
      }
    | undefined;
  coupaRatePerSecond: number;
  coupaBurst: number;
  coupaTimeoutMs: number;
  openai: {
    apiKey: string | undefined;
    baseUrl: string | undefined;
    model: string | undefined;
    embeddingModel: string | undefined;
  };
  /** Model prices per million tokens (decimal text), when both SETTLE_MODEL_PRICE_IN and _OUT are set. */
  modelPrice: { in: string; out: string } | undefined;
  controlsFile: string | undefined;
  /** JSON naming the customer's own company (src/ingest/own-company.ts): never taken for a supplier. */
  ownCompanyFile: string | undefined;
  tokensFile: string | undefined;
  mcpTokens: string | undefined;
  /** Login `settle mcp` (stdio) acts as; default `claude-desktop`. */
  mcpIdentity: string | undefined;
  webhookSecrets: string[];
  /** Coupa call-out OAuth clients, `id:secret,...` (parsed by src/runner/callout-auth.ts). */
  calloutClients: string | undefined;
  slackWebhookUrl: string | undefined;
  teamsWebhookUrl: string | undefined;
  /** Fastify's `trustProxy` for the HTTP surfaces (secure cookies and client addresses behind TLS proxies). */
  trustProxy: TrustProxy;
  /** Signed checkpoints of the audit head (src/audit/checkpoints.ts). */
  auditCheckpoints: {
    /** Ed25519 signing key (PEM); its public half is `<keyFile>.pub`. */
    keyFile: string;
    /** The append-only checkpoint file (JSON lines). */
    file: string;
    /** Seconds between checkpoints in long-running commands; 0: only at shutdown. */
    intervalSeconds: number;
    /** Outside sink: each checkpoint is POSTed here as JSON. */
    sinkUrl: string | undefined;
  };
  /** Supplier e-mail: SMTP when `smtpUrl` is set, else the in-process outbox (embedded default). */
  mail: { smtpUrl: string | undefined; from: string; replyAddress: string };
  /** Chasing pending supplier requests: a reminder every `reminderBusinessDays`, escalation after `escalateAfterReminders`. */
  chase: { reminderBusinessDays: number; escalateAfterReminders: number };
  port: number;
  /** Tax engine and registries (src/external-config.ts). */
  external: ExternalConfig;
}

export class ConfigError extends Error {
  override name = 'ConfigError';
}

/** Parse the environment. Throws ConfigError with one line per bad variable. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const parsed = EnvSchema.safeParse(env);
  if (!parsed.success) {
    const lines = issueLines(parsed.error, 'environment');
    throw new ConfigError(`invalid configuration — ${lines.join('; ')}`);
  }
  const e = parsed.data;
  const external = parseExternalConfig(env);
  if ('errors' in external) throw new ConfigError(`invalid configuration — ${external.errors.join('; ')}`);
  const coupaParts = [e.COUPA_BASE_URL, e.COUPA_CLIENT_ID, e.COUPA_CLIENT_SECRET];
  if (coupaParts.some(Boolean) && !coupaParts.every(Boolean)) {
    throw new ConfigError(
      'invalid configuration — COUPA_BASE_URL, COUPA_CLIENT_ID and COUPA_CLIENT_SECRET must be set together (or none, to use the embedded simulator)',
    );
  }
  return {
    dataDir: resolve(e.SETTLE_DATA_DIR),
    mode: e.SETTLE_MODE,
    logLevel: e.SETTLE_LOG_LEVEL,
    databaseUrl: e.DATABASE_URL,
    coupa: e.COUPA_BASE_URL
      ? {
          baseUrl: e.COUPA_BASE_URL,
          clientId: e.COUPA_CLIENT_ID!,
          clientSecret: e.COUPA_CLIENT_SECRET!,
          scopes: e.COUPA_SCOPES,
          apiLogin: e.COUPA_API_LOGIN,
        }
      : undefined,
    coupaRatePerSecond: e.COUPA_RATE_PER_SECOND,
    coupaBurst: e.COUPA_BURST,
    coupaTimeoutMs: e.COUPA_TIMEOUT_MS,
    openai: {
      apiKey: e.OPENAI_API_KEY,
      baseUrl: e.OPENAI_BASE_URL,
      model: e.SETTLE_MODEL,
      embeddingModel: e.SETTLE_EMBEDDING_MODEL,
    },
    modelPrice:
      e.SETTLE_MODEL_PRICE_IN !== undefined || e.SETTLE_MODEL_PRICE_OUT !== undefined
        ? { in: e.SETTLE_MODEL_PRICE_IN ?? '0', out: e.SETTLE_MODEL_PRICE_OUT ?? '0' }
        : undefined,
    controlsFile: e.SETTLE_CONTROLS_FILE,
    ownCompanyFile: e.SETTLE_OWN_COMPANY_FILE,
    tokensFile: e.SETTLE_TOKENS_FILE,
    mcpTokens: e.SETTLE_MCP_TOKENS,
    mcpIdentity: e.SETTLE_MCP_IDENTITY,
    webhookSecrets: (e.SETTLE_WEBHOOK_SECRETS ?? '')
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean),
    calloutClients: e.SETTLE_CALLOUT_CLIENTS,
    slackWebhookUrl: e.SETTLE_SLACK_WEBHOOK_URL,
    teamsWebhookUrl: e.SETTLE_TEAMS_WEBHOOK_URL,
    trustProxy: parseTrustProxy(e.SETTLE_TRUST_PROXY),
    auditCheckpoints: {
      keyFile: resolve(e.SETTLE_AUDIT_KEY_FILE ?? join(e.SETTLE_DATA_DIR, 'audit-signing.key')),
      file: resolve(e.SETTLE_AUDIT_CHECKPOINTS ?? join(e.SETTLE_DATA_DIR, 'audit-checkpoints.jsonl')),
      intervalSeconds: e.SETTLE_AUDIT_CHECKPOINT_SECONDS,
      sinkUrl: e.SETTLE_AUDIT_CHECKPOINT_URL,
    },
    mail: {
      smtpUrl: e.SETTLE_SMTP_URL,
      from: e.SETTLE_MAIL_FROM ?? e.SETTLE_REPLY_ADDRESS ?? 'Accounts Payable <ap-replies@settle.invalid>',
      replyAddress: e.SETTLE_REPLY_ADDRESS ?? 'ap-replies@settle.invalid',
    },
    chase: {
      reminderBusinessDays: e.SETTLE_REMINDER_BUSINESS_DAYS,
      escalateAfterReminders: e.SETTLE_ESCALATE_AFTER_REMINDERS,
    },
    port: e.PORT,
    external: external.config,
  };
}
