/**
 * Stripe-style idempotency for every write: the same key with the same input returns the stored
 * result; the same key with different input is an error; concurrent duplicates execute once (the
 * first caller claims the key with an insert, the others wait for its result). Keys expire after a
 * day, as Stripe's do: a derived key (tool + input) must not answer a legitimate repeat of the
 * same write weeks later — e.g. the same invoice back on hold — with a stale "done". A key belongs
 * to the caller that first used it; another caller presenting it gets an error, never a replay.
 */
import type { Db } from '../db/connection.js';
import { ToolError } from './tool.js';

export interface IdempotencyStore {
  /**
   * Run `execute` at most once for `key`. Returns the stored result on a repeat.
   * Throws ToolError when the key was used with different input.
   */
  once<T>(
    args: { key: string; tool: string; inputHash: string; caller: string },
    execute: () => Promise<T>,
  ): Promise<{ result: T; replayed: boolean }>;
}

const WAIT_STEP_MS = 25;
const WAIT_LIMIT_MS = 60_000;
export const DEFAULT_KEY_TTL_MS = 24 * 3_600_000;

export interface IdempotencyOptions {
  /** How long a finished key answers repeats (default 24 h); after that the key is reclaimed. */
  ttlMs?: number;
}

export function createIdempotencyStore(db: Db, options: IdempotencyOptions = {}): IdempotencyStore {
  const ttlSeconds = (options.ttlMs ?? DEFAULT_KEY_TTL_MS) / 1000;
  async function readRow(
    key: string,
  ): Promise<{ input_hash: string; caller: string; state: string; result: unknown } | undefined> {
    const { rows } = await db.query<{ input_hash: string; caller: string; state: string; result: unknown }>(
      'select input_hash, caller, state, result from idempotency_keys where key = $1',
      [key],
    );
    return rows[0];
  }

  return {
    async once(args, execute) {
      // Claim a new key, or reclaim one whose result has expired (atomically: one claimant wins).
      const claimed = await db.query(
        `insert into idempotency_keys (key, tool, input_hash, caller, state) values ($1, $2, $3, $4, 'in_progress')
         on conflict (key) do update set tool = excluded.tool, input_hash = excluded.input_hash, caller = excluded.caller,
           state = 'in_progress', result = null, created_at = now(), updated_at = now()
         where idempotency_keys.state = 'done' and idempotency_keys.updated_at < now() - make_interval(secs => $5)`,
        [args.key, args.tool, args.inputHash, args.caller, ttlSeconds],
      );
      if (claimed.rowCount === 1) {
        try {
          const result = await execute();
          await db.query(`update idempotency_keys set state = 'done', result = $2, updated_at = now() where key = $1`, [
            args.key,
            JSON.stringify(result ?? null),
          ]);
          return { result, replayed: false };
        } catch (error) {
          // A failed write releases its key so a corrected retry can run.
          await db.query('delete from idempotency_keys where key = $1', [args.key]);
          throw error;
        }
      }
      const started = Date.now();
      for (;;) {
        const row = await readRow(args.key);
        if (!row) return this.once(args, execute); // the first attempt failed and released the key
        if (row.caller !== args.caller) {
          throw new ToolError(`idempotency key "${args.key}" belongs to another caller`, 'use a key of your own');
        }
        if (row.input_hash !== args.inputHash) {
          throw new ToolError(
            `idempotency key "${args.key}" was already used with different input`,
            'use a new idempotency_key for a different request, or repeat the original input exactly',
          );
        }
        if (row.state === 'done') return { result: row.result as never, replayed: true };
        if (Date.now() - started > WAIT_LIMIT_MS) {
          throw new ToolError(
            `the write with idempotency key "${args.key}" is still in progress`,
            'retry later with the same key',
          );
        }
        await new Promise((r) => setTimeout(r, WAIT_STEP_MS));
      }
    },
  };
}
