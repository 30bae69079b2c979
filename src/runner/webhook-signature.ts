/**
 * Standard Webhooks (v1, symmetric): `webhook-signature` carries space-separated `v1,<base64>`
 * HMAC-SHA256 signatures of `{webhook-id}.{webhook-timestamp}.{raw body}`. We verify the exact
 * bytes received (re-serialised JSON would not match), compare in constant time, reject
 * timestamps outside a window (replays), and accept several secrets so keys can rotate.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';

const SECRET_PREFIX = 'whsec_';
/** The spec asks for secrets of 24–64 bytes. */
const MIN_SECRET_BYTES = 24;
export const DEFAULT_TOLERANCE_SECONDS = 300;

export type WebhookFailure =
  'missing_headers' | 'invalid_timestamp' | 'timestamp_too_old' | 'timestamp_too_new' | 'no_matching_signature';

/** Verification failed; `reason` is safe to log, the message safe to return to the sender. */
export class WebhookVerificationError extends Error {
  override name = 'WebhookVerificationError';
  constructor(
    readonly reason: WebhookFailure,
    message: string,
  ) {
    super(message);
  }
}

/** Decode a `whsec_<base64>` secret (the prefix is optional); throws on short or empty keys. */
export function decodeWebhookSecret(secret: string): Buffer {
  const encoded = secret.startsWith(SECRET_PREFIX) ? secret.slice(SECRET_PREFIX.length) : secret;
  const key = Buffer.from(encoded, 'base64');
  if (key.length < MIN_SECRET_BYTES) {
    throw new RangeError(
      `webhook secret must decode to at least ${MIN_SECRET_BYTES} bytes (got ${key.length}); use whsec_<base64>`,
    );
  }
  return key;
}

function hmac(key: Buffer, id: string, timestamp: string, body: Buffer | string): Buffer {
  return createHmac('sha256', key).update(`${id}.${timestamp}.`).update(body).digest();
}

export interface SignInput {
  id: string;
  /** Unix seconds. */
  timestamp: number;
  body: Buffer | string;
  secret: string;
}

/** `v1,<base64>` for one secret: for tests, the simulator and anyone sending to Settle. */
export function signWebhook(input: SignInput): string {
  const key = decodeWebhookSecret(input.secret);
  return `v1,${hmac(key, input.id, String(input.timestamp), input.body).toString('base64')}`;
}

/** The three headers of a signed delivery; several secrets give several signatures. */
export function webhookHeaders(input: Omit<SignInput, 'secret'> & { secrets: string[] }): Record<string, string> {
  return {
    'webhook-id': input.id,
    'webhook-timestamp': String(input.timestamp),
    'webhook-signature': input.secrets.map((secret) => signWebhook({ ...input, secret })).join(' '),
  };
}

export interface VerifierOptions {
  /** Every secret currently accepted (old and new during a rotation). */
  secrets: string[];
  toleranceSeconds?: number;
  /** Clock in milliseconds; injectable for tests. */
  now?: () => number;
}

/** Header values as Node/fastify present them. */
export type HeaderBag = Record<string, string | string[] | undefined>;

export interface VerifiedDelivery {
  id: string;
  timestamp: number;
}

export interface WebhookVerifier {
  /** Throws WebhookVerificationError unless some signature matches a secret within the window. */
  verify(headers: HeaderBag, rawBody: Buffer | string): VerifiedDelivery;
}

function header(headers: HeaderBag, name: string): string | undefined {
  const value = headers[name];
  return Array.isArray(value) ? value[0] : value;
}

/** Build a verifier; secrets are decoded once, so a bad one fails at start-up, not per request. */
export function createWebhookVerifier(options: VerifierOptions): WebhookVerifier {
  const keys = options.secrets.map(decodeWebhookSecret);
  const tolerance = options.toleranceSeconds ?? DEFAULT_TOLERANCE_SECONDS;
  const now = options.now ?? Date.now;
  return {
    verify(headers, rawBody) {
      const id = header(headers, 'webhook-id');
      const stamp = header(headers, 'webhook-timestamp');
      const signatures = header(headers, 'webhook-signature');
      if (!id || !stamp || !signatures) {
        throw new WebhookVerificationError(
          'missing_headers',
          'missing webhook-id, webhook-timestamp or webhook-signature header',
        );
      }
      if (!/^\d{1,12}$/.test(stamp))
        throw new WebhookVerificationError('invalid_timestamp', 'webhook-timestamp must be Unix seconds');
      const timestamp = Number(stamp);
      const skew = Math.floor(now() / 1000) - timestamp;
      if (skew > tolerance) throw new WebhookVerificationError('timestamp_too_old', 'webhook-timestamp is too old');
      if (skew < -tolerance)
        throw new WebhookVerificationError('timestamp_too_new', 'webhook-timestamp is in the future');
      const offered = signatures
        .split(' ')
        .map((s) => s.split(','))
        .filter((parts): parts is [string, string] => parts.length === 2 && parts[0] === 'v1')
        .map(([, sig]) => Buffer.from(sig, 'base64'));
      // Every key is checked against every signature (no early exit on the first key) so
      // timing does not reveal which secret matched.
      let matched = false;
      for (const key of keys) {
        const expected = hmac(key, id, stamp, rawBody);
        for (const candidate of offered) {
          if (candidate.length === expected.length && timingSafeEqual(candidate, expected)) matched = true;
        }
      }
      if (!matched) throw new WebhookVerificationError('no_matching_signature', 'no webhook signature matches');
      return { id, timestamp };
    },
  };
}
