/**
 * Review-page sessions kept in Postgres (migration 050) rather than process memory, so several
 * `settle serve` processes share them and a restart signs nobody out. The cookie carries only the
 * signed session id; the signing key is generated once and stored next to the sessions.
 */
import { randomBytes } from 'node:crypto';
import type { Session } from 'fastify';
import type { Db } from '../db/connection.js';

type Callback = (err?: unknown) => void;
type SessionCallback = (err: unknown, result?: Session | null) => void;

/** The store interface @fastify/session calls. */
export interface PgSessionStore {
  set(sid: string, session: Session, callback: Callback): void;
  get(sid: string, callback: SessionCallback): void;
  destroy(sid: string, callback: Callback): void;
}

const DEFAULT_TTL_MS = 8 * 60 * 60 * 1000;

function expiryOf(session: Session): Date {
  const expires = session.cookie?.expires;
  const at = expires ? new Date(expires) : new Date(Date.now() + DEFAULT_TTL_MS);
  return Number.isNaN(at.getTime()) ? new Date(Date.now() + DEFAULT_TTL_MS) : at;
}

/** A session store over the `web_sessions` table; expired rows are never returned and are swept on write. */
export function createPgSessionStore(db: Db): PgSessionStore {
  let writes = 0;
  return {
    set(sid, session, callback) {
      const sweep =
        ++writes % 100 === 0 ? db.query('delete from web_sessions where expires_at < now()') : Promise.resolve();
      void sweep
        .then(() =>
          db.query(
            `insert into web_sessions (sid, data, expires_at) values ($1, $2, $3)
             on conflict (sid) do update set data = excluded.data, expires_at = excluded.expires_at`,
            [sid, JSON.stringify(session), expiryOf(session)],
          ),
        )
        .then(() => callback(), callback);
    },
    get(sid, callback) {
      void db
        .query<{ data: Session }>('select data from web_sessions where sid = $1 and expires_at > now()', [sid])
        .then(
          ({ rows }) => callback(null, rows[0]?.data ?? null),
          (err: unknown) => callback(err),
        );
    },
    destroy(sid, callback) {
      void db.query('delete from web_sessions where sid = $1', [sid]).then(() => callback(), callback);
    },
  };
}

/** The cookie-signing key shared by every process (created on first use). */
export async function sessionSecret(db: Db): Promise<string> {
  await db.query('insert into web_session_key (secret) values ($1) on conflict do nothing', [
    randomBytes(32).toString('hex'),
  ]);
  const { rows } = await db.query<{ secret: string }>('select secret from web_session_key');
  return rows[0]!.secret;
}
