/**
 * Reading audit rows back from Postgres. Every column is selected as text in a fixed format, so
 * what we hash does not depend on the session time zone or on type parsers other modules may
 * install on `pg` (bigint as string, timestamptz as Date, jsonb parsing).
 */
import type pg from 'pg';
import type { Db } from '../db/connection.js';
import type { AuditActorKind, AuditRow, GuardDecision, JsonValue } from './entry.js';

/**
 * Select list producing {@link DbAuditRow}; also used in `returning`. Its `seq` is text, so
 * ORDER BY must name `audit_log.seq` — a bare `seq` would sort the text alias ("10" < "9").
 */
export const AUDIT_COLUMNS = `seq::text as seq,
  to_char(at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') as at,
  actor, actor_kind, tool, input::text as input, guard_decision, reason, coupa_calls,
  result_summary, idempotency_key, invoice_id::text as invoice_id, prev_hash, hash`;

/** A row as {@link AUDIT_COLUMNS} selects it: everything in its text form. */
export interface DbAuditRow {
  seq: string;
  at: string;
  actor: string;
  actor_kind: string;
  tool: string;
  input: string;
  guard_decision: string;
  reason: string;
  coupa_calls: number;
  result_summary: string;
  idempotency_key: string | null;
  invoice_id: string | null;
  prev_hash: string;
  hash: string;
}

/** The chain head (last seq and hash). */
export const HEAD_SQL = 'select seq::text as seq, hash from audit_log order by audit_log.seq desc limit 1';

/** Map a selected row to the API shape (the CHECK constraints guarantee the enum values). */
export function fromDb(r: DbAuditRow): AuditRow {
  return {
    seq: Number(r.seq),
    at: r.at,
    actor: r.actor,
    actorKind: r.actor_kind as AuditActorKind,
    tool: r.tool,
    input: JSON.parse(r.input) as JsonValue,
    decision: r.guard_decision as GuardDecision,
    reason: r.reason,
    coupaCalls: Number(r.coupa_calls),
    resultSummary: r.result_summary,
    idempotencyKey: r.idempotency_key,
    invoiceId: r.invoice_id === null ? null : Number(r.invoice_id),
    prevHash: r.prev_hash,
    hash: r.hash,
  };
}

/** Every row in seq order, fetched in keyset-paged batches so memory stays flat on big logs. */
export async function* streamRows(db: Pick<Db, 'query'>, batchSize = 1000): AsyncGenerator<AuditRow> {
  let after = 0;
  for (;;) {
    const { rows } = await db.query<DbAuditRow & pg.QueryResultRow>(
      `select ${AUDIT_COLUMNS} from audit_log where seq > $1 order by audit_log.seq limit $2`,
      [after, batchSize],
    );
    for (const r of rows) yield fromDb(r);
    const last = rows.at(-1);
    if (!last || rows.length < batchSize) return;
    after = Number(last.seq);
  }
}
