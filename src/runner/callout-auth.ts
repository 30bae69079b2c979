/**
 * OAuth 2.0 client credentials for Coupa call-outs. Coupa authenticates a call-out by first
 * POSTing to the receiver's token URL (`Authorization: Basic id:secret`, form body
 * `grant_type=client_credentials`) and expects `{access_token, token_type: "bearer", expires_in}`;
 * it then sends the event with that bearer token.
 *
 * Tokens are stateless: `st1.<payload>.<mac>`, MACed with a key derived from the client's secret,
 * so any runner process behind a load balancer can check them and rotating a client's secret
 * revokes its tokens.
 */
import { createHash, createHmac, timingSafeEqual } from 'node:crypto';

/** A configured call-out client (SETTLE_CALLOUT_CLIENTS=id:secret,...). */
export interface CalloutClient {
  clientId: string;
  clientSecret: string;
}

export interface TokenResponse {
  access_token: string;
  token_type: 'bearer';
  expires_in: number;
}

export interface CalloutAuthOptions {
  clients: CalloutClient[];
  /** Coupa's own tokens last 86 399 s; ours default to one hour. */
  ttlSeconds?: number;
  now?: () => number;
}

export interface CalloutAuth {
  /** A token for valid credentials, else null. */
  issue(clientId: string, clientSecret: string): TokenResponse | null;
  /** The client id a valid, unexpired token was issued to, else null. */
  verify(token: string): string | null;
}

const PREFIX = 'st1';

function digest(value: string): Buffer {
  return createHash('sha256').update(value).digest();
}

function sameSecret(a: string, b: string): boolean {
  // Hash first so the comparison is constant-time whatever the lengths.
  return timingSafeEqual(digest(a), digest(b));
}

function mac(client: CalloutClient, payload: string): Buffer {
  const key = createHmac('sha256', client.clientSecret).update('settle-callout-token-v1').digest();
  return createHmac('sha256', key).update(payload).digest();
}

/** Build the issuer/verifier for the configured clients. */
export function createCalloutAuth(options: CalloutAuthOptions): CalloutAuth {
  const ttl = options.ttlSeconds ?? 3600;
  const now = options.now ?? Date.now;
  const find = (id: string): CalloutClient | undefined => options.clients.find((c) => c.clientId === id);
  return {
    issue(clientId, clientSecret) {
      const client = find(clientId);
      if (!client || !sameSecret(client.clientSecret, clientSecret)) return null;
      const exp = Math.floor(now() / 1000) + ttl;
      const payload = Buffer.from(JSON.stringify({ sub: clientId, exp })).toString('base64url');
      return {
        access_token: `${PREFIX}.${payload}.${mac(client, payload).toString('base64url')}`,
        token_type: 'bearer',
        expires_in: ttl,
      };
    },
    verify(token) {
      const [prefix, payload, signature, ...rest] = token.split('.');
      if (prefix !== PREFIX || !payload || !signature || rest.length > 0) return null;
      let claims: { sub?: unknown; exp?: unknown };
      try {
        claims = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as typeof claims;
      } catch {
        return null;
      }
      if (typeof claims.sub !== 'string' || typeof claims.exp !== 'number') return null;
      const client = find(claims.sub);
      if (!client) return null;
      const expected = mac(client, payload);
      const offered = Buffer.from(signature, 'base64url');
      if (offered.length !== expected.length || !timingSafeEqual(offered, expected)) return null;
      return claims.exp > Math.floor(now() / 1000) ? client.clientId : null;
    },
  };
}

/** Parse `id:secret,id2:secret2` (SETTLE_CALLOUT_CLIENTS). Secrets may contain ':'. */
export function parseCalloutClients(value: string | undefined): CalloutClient[] {
  return (value ?? '')
    .split(',')
    .map((pair) => pair.trim())
    .filter(Boolean)
    .map((pair) => {
      const at = pair.indexOf(':');
      if (at <= 0 || at === pair.length - 1)
        throw new RangeError('call-out clients must be written id:secret, separated by commas');
      return { clientId: pair.slice(0, at), clientSecret: pair.slice(at + 1) };
    });
}

/** Credentials from `Authorization: Basic` or, failing that, `client_id`/`client_secret` fields. */
export function readClientCredentials(
  authorization: string | undefined,
  fields: Record<string, unknown>,
): CalloutClient | null {
  if (authorization?.toLowerCase().startsWith('basic ')) {
    // Coupa sends base64url(id:secret); Node's base64 decoder reads both alphabets. The id ends
    // at the first ':' (secrets may contain one).
    const decoded = Buffer.from(authorization.slice(6).trim(), 'base64').toString('utf8');
    const at = decoded.indexOf(':');
    return at > 0 ? { clientId: decoded.slice(0, at), clientSecret: decoded.slice(at + 1) } : null;
  }
  const { client_id: id, client_secret: secret } = fields;
  return typeof id === 'string' && typeof secret === 'string' ? { clientId: id, clientSecret: secret } : null;
}
