/**
 * OAuth 2.0 client credentials for Coupa: `POST /oauth2/token` with a form body and a
 * space-separated scope list. The token is cached and replaced ahead of expiry; concurrent
 * callers share one in-flight refresh, so a burst of requests never mints a burst of tokens.
 */
import { z } from 'zod';
import { CoupaAuthError, CoupaHttpError } from './errors.js';
import type { TokenSource, Transport } from './http.js';

const TokenResponse = z.object({
  access_token: z.string().min(1),
  token_type: z.string().optional(),
  // Coupa issues ~24 h tokens (86399 s); assume that if the field is missing.
  expires_in: z.coerce.number().positive().default(86_399),
});

export interface ClientCredentials {
  clientId: string;
  clientSecret: string;
  /** Scopes to request, e.g. `core.invoice.read`; omitted means the client's full grant. */
  scopes?: readonly string[];
}

export interface MintedToken {
  accessToken: string;
  expiresInSeconds: number;
}

/** Mint one token; token-endpoint refusals become `CoupaAuthError`. */
export async function mintToken(transport: Transport, credentials: ClientCredentials): Promise<MintedToken> {
  const form: Record<string, string> = {
    grant_type: 'client_credentials',
    client_id: credentials.clientId,
    client_secret: credentials.clientSecret,
  };
  if (credentials.scopes && credentials.scopes.length > 0) form.scope = credentials.scopes.join(' ');
  let body: unknown;
  try {
    // Minting is harmless to repeat: a lost answer just means an unused token.
    body = await transport.request({ method: 'POST', path: '/oauth2/token', form, auth: false, idempotent: true });
  } catch (error) {
    // 400 invalid_scope / 401 invalid_client: wrong credentials or grant, not a transient fault.
    if (
      error instanceof CoupaHttpError &&
      error.status >= 400 &&
      error.status < 500 &&
      !(error instanceof CoupaAuthError)
    ) {
      throw new CoupaAuthError(error.status, error.method, error.path, error.messages, error.body);
    }
    throw error;
  }
  const parsed = TokenResponse.safeParse(body);
  if (!parsed.success) {
    throw new CoupaAuthError(200, 'POST', '/oauth2/token', ['token response has no usable access_token']);
  }
  return { accessToken: parsed.data.access_token, expiresInSeconds: parsed.data.expires_in };
}

export interface TokenCacheOptions {
  mint: () => Promise<MintedToken>;
  /** Share of the lifetime after which the token is replaced (default 0.8, ~19 h of Coupa's 24 h). */
  refreshAt?: number;
  /** Monotonic clock in ms (injectable for tests). */
  now?: () => number;
}

/** A token cache with ahead-of-expiry refresh and single-flight minting. */
export function createTokenCache(options: TokenCacheOptions): TokenSource {
  const refreshAt = options.refreshAt ?? 0.8;
  const now = options.now ?? (() => performance.now());
  let current: { token: string; refreshAfter: number } | undefined;
  let inFlight: Promise<string> | undefined;

  function refresh(): Promise<string> {
    inFlight ??= (async () => {
      try {
        const issuedAt = now();
        const minted = await options.mint();
        current = { token: minted.accessToken, refreshAfter: issuedAt + minted.expiresInSeconds * 1000 * refreshAt };
        return minted.accessToken;
      } finally {
        inFlight = undefined;
      }
    })();
    return inFlight;
  }

  return {
    async get(): Promise<string> {
      if (current && now() < current.refreshAfter) return current.token;
      return refresh();
    },
    invalidate(token: string): void {
      // Only the holder of the rejected token clears it; a token minted meanwhile stays.
      if (current?.token === token) current = undefined;
    },
  };
}
