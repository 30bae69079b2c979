/**
 * Appending to the hash chain. Every append holds the transaction-level advisory lock while it
 * inserts, so concurrent writers — many pooled connections, several processes — extend one chain
 * and never fork it; `seq` is the primary key and `prev_hash` is unique, so a writer that links
 * to a row that is no longer the head is refused by the database, whatever it believed.
 *
 * Fast path (issue 16): the appender remembers the head it last wrote and links the next row to
 * it, taking the lock inside the insert itself — begin, one insert, commit. When another writer
 * has appended since, the insert hits the unique `seq` / `prev_hash` and rolls back, and the
 * append is redone the careful way: lock, read the head, insert. Either way the row is checked to
 * read back as hashed before commit, so a row that would not verify is never stored.
 * The remembered head is tried only when none of this appender's appends is under way: appends
 * that overlap (many connections of one process) take the careful path at once, waiting on the
 * lock in the database as they always did, instead of racing for one seq.
 */
import type pg from 'pg';
import type { Db } from '../db/connection.js';
import { AuditEntry, storableText, storedInput, type AuditRow } from './entry.js';
import { GENESIS_HASH, hashRow, type HashedFields } from './hash.js';
import { AUDIT_COLUMNS, HEAD_SQL, fromDb, type DbAuditRow } from './rows.js';

/** Advisory-lock key owned by the audit appender (any constant works; it must not be reused). */
export const AUDIT_LOCK_KEY = 0x5e771e_a0d17;

type Head = { seq: number; hash: string };

const COLUMNS = `(seq, at, actor, actor_kind, tool, input, guard_decision, reason, coupa_calls, result_summary,
  idempotency_key, invoice_id, prev_hash, hash)`;
const VALUES = `$1::bigint, $2::timestamptz, $3::text, $4::text, $5::text, $6::jsonb, $7::text, $8::text, $9::integer,
  $10::text, $11::text, $12::bigint, $13::text, $14::text`;

/** Insert after the lock is already held (the careful path). */
const INSERT_SQL = `insert into audit_log ${COLUMNS} values (${VALUES}) returning ${AUDIT_COLUMNS}`;

/** Take the lock and insert in one statement (the fast path): the row is inserted only once the lock is held. */
const LOCK_AND_INSERT_SQL = `insert into audit_log ${COLUMNS}
  select ${VALUES} from (select pg_advisory_xact_lock($15)) as held returning ${AUDIT_COLUMNS}`;

const UNIQUE_VIOLATION = '23505';
const isUniqueViolation = (error: unknown): boolean => (error as { code?: unknown } | null)?.code === UNIQUE_VIOLATION;

/** The new row's fields, linked to `head` (null: the chain is empty). */
function fieldsAfter(head: Head | null, e: AuditEntry, at: Date): HashedFields {
  return {
    seq: head ? head.seq + 1 : 1,
    at: at.toISOString(),
    actor: storableText(e.actor),
    actorKind: e.actorKind,
    tool: storableText(e.tool),
    input: storedInput(e.input),
    decision: e.decision,
    reason: storableText(e.reason),
    coupaCalls: e.coupaCalls,
    resultSummary: storableText(e.resultSummary),
    idempotencyKey: e.idempotencyKey === null ? null : storableText(e.idempotencyKey),
    invoiceId: e.invoiceId,
    prevHash: head?.hash ?? GENESIS_HASH,
  };
}

const paramsOf = (f: HashedFields, hash: string): unknown[] => [
  f.seq,
  f.at,
  f.actor,
  f.actorKind,
  f.tool,
  JSON.stringify(f.input),
  f.decision,
  f.reason,
  f.coupaCalls,
  f.resultSummary,
  f.idempotencyKey,
  f.invoiceId,
  f.prevHash,
  hash,
];

/** The inserted row, refused (thrown, so the caller rolls back) unless it reads back exactly as hashed. */
function readBack(inserted: DbAuditRow | undefined, hash: string): AuditRow {
  const row = fromDb(inserted!);
  if (hashRow(row) !== hash) throw new Error(`audit row #${row.seq} does not read back as written; not stored`);
  return row;
}

/** Run `work` in one transaction on `client`; rolls back on error, and when `work` resolves to undefined. */
async function transaction<T>(
  client: pg.PoolClient,
  connection: { broken: boolean },
  work: () => Promise<T | undefined>,
): Promise<T | undefined> {
  await client.query('begin');
  try {
    const result = await work();
    await client.query(result === undefined ? 'rollback' : 'commit');
    return result;
  } catch (error) {
    // A connection that cannot even roll back goes back to the pool as broken.
    connection.broken = await client.query('rollback').then(
      () => false,
      () => true,
    );
    throw error;
  }
}

export interface Appender {
  append(entry: AuditEntry): Promise<AuditRow>;
}

export function createAppender(db: Db, now: () => Date): Appender {
  /** The last row this appender wrote: where its next row links, unless another writer came between. */
  let known: Head | null = null;
  let inFlight = 0;

  /** Link to the remembered head, locking inside the insert; undefined when that is no longer the head. */
  const fast = (
    client: pg.PoolClient,
    connection: { broken: boolean },
    e: AuditEntry,
    head: Head,
  ): Promise<AuditRow | undefined> =>
    transaction(client, connection, async () => {
      const fields = fieldsAfter(head, e, now());
      const hash = hashRow(fields);
      try {
        const { rows } = await client.query<DbAuditRow>(LOCK_AND_INSERT_SQL, [
          ...paramsOf(fields, hash),
          AUDIT_LOCK_KEY,
        ]);
        return readBack(rows[0], hash);
      } catch (error) {
        if (isUniqueViolation(error)) return undefined; // another writer appended since: take the careful path
        throw error;
      }
    });

  /** Lock, read the head, link to it. */
  const careful = (
    client: pg.PoolClient,
    connection: { broken: boolean },
    e: AuditEntry,
  ): Promise<AuditRow | undefined> =>
    transaction(client, connection, async () => {
      await client.query('select pg_advisory_xact_lock($1)', [AUDIT_LOCK_KEY]);
      const { rows: last } = await client.query<{ seq: string; hash: string }>(HEAD_SQL);
      const head = last[0] ? { seq: Number(last[0].seq), hash: last[0].hash } : null;
      // `at` is taken under the lock, so it never decreases along the chain.
      const fields = fieldsAfter(head, e, now());
      const hash = hashRow(fields);
      const { rows } = await client.query<DbAuditRow>(INSERT_SQL, paramsOf(fields, hash));
      return readBack(rows[0], hash);
    });

  async function appendNow(e: AuditEntry): Promise<AuditRow> {
    // Alone, our last row is the likely head; `at` is then taken after that row was written.
    const head = inFlight === 0 ? known : null;
    inFlight += 1;
    const connection = { broken: false };
    let client: pg.PoolClient | undefined;
    try {
      client = await db.pool.connect();
      const row =
        (head ? await fast(client, connection, e, head) : undefined) ?? (await careful(client, connection, e));
      if (!row) throw new Error('audit append stored nothing');
      if (!known || row.seq > known.seq) known = { seq: row.seq, hash: row.hash };
      return row;
    } catch (error) {
      known = null;
      throw error;
    } finally {
      inFlight -= 1;
      client?.release(connection.broken);
    }
  }

  return { append: async (entry) => appendNow(AuditEntry.parse(entry)) };
}
