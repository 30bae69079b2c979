/**
 * Bearer tokens for the MCP HTTP transport (and the review page sign-in) map to Settle identities.
 * Tokens come from a JSON file (`SETTLE_TOKENS_FILE`) or `SETTLE_MCP_TOKENS`
 * ("token=login:role+role;token2=login2:role"). Tokens are compared by SHA-256 digest in constant
 * time; a caller's token is never sent upstream — Settle uses its own Coupa credentials.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { UserError } from '../errors.js';
import { Role, createIdentity, type Identity } from '../guard/identity.js';
import { formatIssues } from '../issues.js';

const TokenEntry = z.strictObject({
  token: z.string().min(16, 'tokens must be at least 16 characters'),
  login: z.string().min(1),
  roles: z.array(Role).min(1),
  name: z.string().optional(),
});
export type TokenEntry = z.infer<typeof TokenEntry>;

export interface TokenDirectory {
  /** The identity for a bearer token, or undefined when it is unknown. */
  resolve(token: string): Identity | undefined;
  /** The identity configured for a login (a CLI acting as a named person checks their roles). */
  byLogin(login: string): Identity | undefined;
  size: number;
}

const digest = (token: string): Buffer => createHash('sha256').update(token).digest();

export function createTokenDirectory(entries: readonly TokenEntry[]): TokenDirectory {
  const table = entries.map((e) => ({ digest: digest(e.token), identity: createIdentity(e.login, 'person', e.roles) }));
  return {
    size: table.length,
    byLogin: (login) => table.find((e) => e.identity.id === login)?.identity,
    resolve(token) {
      const d = digest(token);
      let found: Identity | undefined;
      // Scan every entry so timing does not reveal which one matched.
      for (const entry of table) if (timingSafeEqual(entry.digest, d)) found = entry.identity;
      return found;
    },
  };
}

/** Parse `token=login:role+role;…`. */
function parseInline(spec: string): TokenEntry[] {
  return spec
    .split(';')
    .map((s) => s.trim())
    .filter(Boolean)
    .map((part) => {
      const m = /^([^=]+)=([^:]+):(.+)$/.exec(part);
      if (!m) throw new UserError(`SETTLE_MCP_TOKENS: expected "token=login:role+role", got "${part.slice(0, 12)}…"`);
      const parsed = TokenEntry.safeParse({
        token: m[1]!.trim(),
        login: m[2]!.trim(),
        roles: m[3]!.split('+').map((r) => r.trim()),
      });
      if (!parsed.success)
        throw new UserError(`SETTLE_MCP_TOKENS: ${formatIssues(parsed.error, { root: 'tokens', limit: 1 })}`);
      return parsed.data;
    });
}

export function loadTokenDirectory(opts: { file?: string | undefined; inline?: string | undefined }): TokenDirectory {
  const entries: TokenEntry[] = [];
  if (opts.file) {
    let raw: unknown;
    try {
      raw = JSON.parse(readFileSync(opts.file, 'utf8'));
    } catch (error) {
      throw new UserError(`SETTLE_TOKENS_FILE ${opts.file}: ${(error as Error).message}`);
    }
    const parsed = z.array(TokenEntry).safeParse(raw);
    if (!parsed.success)
      throw new UserError(
        `SETTLE_TOKENS_FILE ${opts.file}: ${formatIssues(parsed.error, { root: 'tokens', limit: 1 })}`,
      );
    entries.push(...parsed.data);
  }
  if (opts.inline) entries.push(...parseInline(opts.inline));
  return createTokenDirectory(entries);
}

/** Extract the bearer token from an Authorization header value. */
export function bearerToken(header: string | undefined): string | undefined {
  const m = /^Bearer\s+(\S+)$/i.exec(header ?? '');
  return m?.[1];
}
