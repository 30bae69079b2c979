/**
 * A queue process's lease: proof of life that other processes can check at once, without waiting
 * for a timeout. On Postgres it is a session advisory lock held on a dedicated connection; a
 * process killed with SIGKILL loses its connection and so its lock the moment the server notices
 * the closed socket. PGlite can only be open in one process, so there the live workers are exactly
 * the ones registered in this process.
 */
import { randomInt, randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import type { Db } from '../db/connection.js';
import type { Queryable } from '../db/transaction.js';

/** The advisory-lock class of worker leases (two-key form: class, worker's lock key). */
export const LEASE_LOCK_CLASS = 6_190_867;

export interface WorkerLease {
  readonly workerId: string;
  /** Which of `workerIds` belong to a live process. */
  liveOwners(workerIds: readonly string[]): Promise<Set<string>>;
  release(): Promise<void>;
}

/** Workers alive in this process (the whole truth for PGlite, which one process holds). */
const inProcess = new Set<string>();

export async function acquireWorkerLease(db: Db, onLost?: (error: Error) => void): Promise<WorkerLease> {
  const workerId = randomUUID();
  if (db.kind === 'pglite') {
    inProcess.add(workerId);
    await register(db, workerId, 0);
    return {
      workerId,
      liveOwners: async (ids) => new Set(ids.filter((id) => inProcess.has(id))),
      release: async () => {
        inProcess.delete(workerId);
        await db.query('delete from settle_workers where worker_id = $1', [workerId]).catch(() => undefined);
      },
    };
  }
  const client = await db.pool.connect();
  let lockKey = 0;
  try {
    for (;;) {
      lockKey = randomInt(1, 2 ** 31 - 1);
      const { rows } = await client.query<{ ok: boolean }>('select pg_try_advisory_lock($1::int, $2::int) as ok', [
        LEASE_LOCK_CLASS,
        lockKey,
      ]);
      if (rows[0]?.ok) break;
    }
    await register(client, workerId, lockKey);
  } catch (error) {
    client.release(true);
    throw error;
  }
  const lost = (error: Error): void => onLost?.(new Error(`worker lease connection lost: ${error.message}`));
  client.on('error', lost);
  return {
    workerId,
    liveOwners: async (ids) => {
      if (ids.length === 0) return new Set();
      const { rows } = await db.query<{ worker_id: string }>(
        `select w.worker_id from settle_workers w
          where w.worker_id = any($2::text[])
            and exists (select 1 from pg_locks l
                         where l.locktype = 'advisory' and l.granted and l.objsubid = 2
                           and l.classid::bigint = $1 and l.objid::bigint = w.lock_key)`,
        [LEASE_LOCK_CLASS, ids],
      );
      return new Set(rows.map((r) => r.worker_id));
    },
    release: async () => {
      client.off('error', lost);
      try {
        await client.query('delete from settle_workers where worker_id = $1', [workerId]);
        await client.query('select pg_advisory_unlock($1::int, $2::int)', [LEASE_LOCK_CLASS, lockKey]);
        client.release();
      } catch {
        client.release(true); // closing the connection drops the lock anyway
      }
    },
  };
}

async function register(target: Queryable, workerId: string, lockKey: number): Promise<void> {
  await target.query('insert into settle_workers (worker_id, lock_key, pid, host) values ($1, $2, $3, $4)', [
    workerId,
    lockKey,
    process.pid,
    hostname(),
  ]);
}
