/**
 * OAuth 2.0 client credentials as Coupa serves them (coupa-api.md §2.1): tokens carry the scopes
 * requested, within those granted to the client (all granted scopes when none are asked for), and
 * expire after `expires_in` seconds of wall-clock time. Tokens are opaque JWT-shaped strings known
 * only to the instance that minted them.
 */
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { SimClient } from './types.js';

export const DEFAULT_TOKEN_TTL_SECONDS = 86_399;

export interface TokenGrant {
  clientId: string;
  scopes: ReadonlySet<string>;
  expiresAtMs: number;
}

export interface TokenResponse {
  access_token: string;
  token_type: 'bearer';
  expires_in: number;
}

/** RFC 6749 §5.2 error, as token endpoints answer. */
export interface OAuthError {
  status: 400 | 401;
  body: { error: string; error_description: string };
}

export type VerifyResult = { ok: true; grant: TokenGrant } | { ok: false; reason: string };

export interface TokenService {
  issue(clientId: string, clientSecret: string, scope: string | undefined): TokenResponse | OAuthError;
  /** Check an `Authorization` header value. */
  verify(authorization: string | undefined): VerifyResult;
  client(clientId: string): SimClient | undefined;
}

function sameSecret(a: string, b: string): boolean {
  const digest = (s: string): Buffer => createHash('sha256').update(s).digest();
  return timingSafeEqual(digest(a), digest(b));
}

function base64url(value: unknown): string {
  return Buffer.from(JSON.stringify(value)).toString('base64url');
}

function oauthError(status: 400 | 401, error: string, description: string): OAuthError {
  return { status, body: { error, error_description: description } };
}

/** A token service for `clients`; tokens live `ttlSeconds` on the `now` clock (epoch ms, default the wall clock). */
export function createTokenService(
  clients: readonly SimClient[],
  ttlSeconds = DEFAULT_TOKEN_TTL_SECONDS,
  now: () => number = Date.now,
): TokenService {
  const grants = new Map<string, TokenGrant>();
  const byId = new Map(clients.map((c) => [c.clientId, c]));

  function issue(clientId: string, clientSecret: string, scope: string | undefined): TokenResponse | OAuthError {
    const client = byId.get(clientId);
    if (!client || !sameSecret(client.clientSecret, clientSecret)) {
      return oauthError(401, 'invalid_client', 'Client authentication failed');
    }
    const requested = (scope ?? '').split(/[\s+]+/).filter(Boolean);
    const refused = requested.filter((s) => !client.scopes.includes(s));
    if (refused.length > 0) return oauthError(400, 'invalid_scope', `Scope not granted: ${refused.join(' ')}`);
    const scopes = new Set(requested.length > 0 ? requested : client.scopes);
    const expiresAtMs = now() + ttlSeconds * 1000;
    const header = base64url({ alg: 'HS256', typ: 'JWT' });
    const payload = base64url({ sub: clientId, scope: [...scopes].join(' '), exp: Math.floor(expiresAtMs / 1000) });
    const token = `${header}.${payload}.${randomBytes(24).toString('base64url')}`;
    grants.set(token, { clientId, scopes, expiresAtMs });
    return { access_token: token, token_type: 'bearer', expires_in: ttlSeconds };
  }

  function verify(authorization: string | undefined): VerifyResult {
    const match = /^bearer\s+(\S+)\s*$/i.exec(authorization ?? '');
    if (!match) return { ok: false, reason: 'Missing bearer token' };
    const grant = grants.get(match[1] as string);
    if (!grant) return { ok: false, reason: 'Invalid access token' };
    if (grant.expiresAtMs <= now()) {
      grants.delete(match[1] as string);
      return { ok: false, reason: 'Access token expired' };
    }
    return { ok: true, grant };
  }

  return { issue, verify, client: (id) => byId.get(id) };
}

/** Credentials from `Authorization: Basic base64(id:secret)`, when present and well-formed. */
export function basicCredentials(authorization: string | undefined): { id: string; secret: string } | undefined {
  const match = /^basic\s+([A-Za-z0-9+/=_-]+)\s*$/i.exec(authorization ?? '');
  if (!match) return undefined;
  const decoded = Buffer.from(match[1] as string, 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon < 0) return undefined;
  // RFC 6749 §2.3.1: id and secret are form-urlencoded before base64.
  const unescape = (s: string): string => {
    try {
      return decodeURIComponent(s.replace(/\+/g, ' '));
    } catch {
      return s;
    }
  };
  return { id: unescape(decoded.slice(0, colon)), secret: unescape(decoded.slice(colon + 1)) };
}
