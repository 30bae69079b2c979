import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import {
  WebhookVerificationError,
  createWebhookVerifier,
  decodeWebhookSecret,
  signWebhook,
  webhookHeaders,
} from '../../src/runner/webhook-signature.js';

const secret = (): string => `whsec_${randomBytes(32).toString('base64')}`;
const NOW_S = 1_767_225_600; // fixed clock: 2026-01-01T00:00:00Z
const body = JSON.stringify({ event_type: 'invoice.exception.created', resource_id: 5001 });

function failure(fn: () => unknown): string {
  try {
    fn();
  } catch (error) {
    if (error instanceof WebhookVerificationError) return error.reason;
    throw error;
  }
  return 'verified';
}

describe('Standard Webhooks signatures', () => {
  const key = secret();
  const verifier = createWebhookVerifier({ secrets: [key], now: () => NOW_S * 1000 });
  const headers = webhookHeaders({ id: 'msg_1', timestamp: NOW_S, body, secrets: [key] });

  it('accepts the exact signed bytes and returns the id and timestamp', () => {
    expect(verifier.verify(headers, Buffer.from(body))).toEqual({ id: 'msg_1', timestamp: NOW_S });
  });

  it('matches the spec example (id, timestamp, body, secret → signature)', () => {
    // Example from the Standard Webhooks specification.
    const example = signWebhook({
      id: 'msg_p5jXN8AQM9LWM0D4loKWxJek',
      timestamp: 1614265330,
      body: '{"test": 2432232314}',
      secret: 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw',
    });
    expect(example).toBe('v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=');
  });

  it('rejects a tampered body', () => {
    expect(failure(() => verifier.verify(headers, Buffer.from(body.replace('5001', '5002'))))).toBe(
      'no_matching_signature',
    );
  });

  it('rejects a re-serialised body (whitespace differs)', () => {
    expect(failure(() => verifier.verify(headers, JSON.stringify(JSON.parse(body), null, 1)))).toBe(
      'no_matching_signature',
    );
  });

  it('rejects a signature made with the wrong secret', () => {
    const forged = webhookHeaders({ id: 'msg_1', timestamp: NOW_S, body, secrets: [secret()] });
    expect(failure(() => verifier.verify(forged, body))).toBe('no_matching_signature');
  });

  it('rejects a changed id or timestamp (both are signed)', () => {
    expect(failure(() => verifier.verify({ ...headers, 'webhook-id': 'msg_2' }, body))).toBe('no_matching_signature');
    expect(failure(() => verifier.verify({ ...headers, 'webhook-timestamp': String(NOW_S - 1) }, body))).toBe(
      'no_matching_signature',
    );
  });

  it.each(['webhook-id', 'webhook-timestamp', 'webhook-signature'])('rejects a delivery without %s', (name) => {
    const partial = { ...headers, [name]: undefined };
    expect(failure(() => verifier.verify(partial, body))).toBe('missing_headers');
  });

  it('rejects stale and future timestamps beyond 300 s, accepts the edges', () => {
    const at = (t: number): Record<string, string> =>
      webhookHeaders({ id: 'msg_1', timestamp: t, body, secrets: [key] });
    expect(failure(() => verifier.verify(at(NOW_S - 301), body))).toBe('timestamp_too_old');
    expect(failure(() => verifier.verify(at(NOW_S + 301), body))).toBe('timestamp_too_new');
    expect(failure(() => verifier.verify(at(NOW_S - 300), body))).toBe('verified');
    expect(failure(() => verifier.verify(at(NOW_S + 300), body))).toBe('verified');
    expect(failure(() => verifier.verify({ ...headers, 'webhook-timestamp': '1e9' }, body))).toBe('invalid_timestamp');
  });

  it('rotation: accepts either configured secret, and a header carrying several signatures', () => {
    const oldKey = secret();
    const newKey = secret();
    const rotating = createWebhookVerifier({ secrets: [oldKey, newKey], now: () => NOW_S * 1000 });
    for (const k of [oldKey, newKey]) {
      expect(
        failure(() => rotating.verify(webhookHeaders({ id: 'm', timestamp: NOW_S, body, secrets: [k] }), body)),
      ).toBe('verified');
    }
    // The sender signs with an unknown new key and the old one: the old one still matches.
    const both = webhookHeaders({ id: 'm', timestamp: NOW_S, body, secrets: [secret(), oldKey] });
    expect(failure(() => rotating.verify(both, body))).toBe('verified');
    // After the rotation completes the old key no longer works.
    const retired = createWebhookVerifier({ secrets: [newKey], now: () => NOW_S * 1000 });
    expect(
      failure(() => retired.verify(webhookHeaders({ id: 'm', timestamp: NOW_S, body, secrets: [oldKey] }), body)),
    ).toBe('no_matching_signature');
  });

  it('ignores signatures of other schemes and malformed entries', () => {
    const v1 = headers['webhook-signature']!;
    expect(
      failure(() => verifier.verify({ ...headers, 'webhook-signature': `v1a,${v1.slice(3)} garbage` }, body)),
    ).toBe('no_matching_signature');
    expect(failure(() => verifier.verify({ ...headers, 'webhook-signature': `v2,abc ${v1}` }, body))).toBe('verified');
  });

  it('refuses secrets shorter than 24 bytes', () => {
    expect(() => decodeWebhookSecret(`whsec_${randomBytes(16).toString('base64')}`)).toThrow(/at least 24 bytes/);
    expect(() => createWebhookVerifier({ secrets: ['whsec_c2hvcnQ='] })).toThrow(RangeError);
  });
});
