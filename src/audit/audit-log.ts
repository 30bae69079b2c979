/**
 * The audit log: one append-only, hash-chained row per tool call. Appends hold a transaction-level
 * advisory lock, so concurrent writers — many pooled connections, several processes — extend one
 * chain and never fork it (appender.ts). The database refuses UPDATE, DELETE and TRUNCATE
 * (migration 020); `verify` exposes anything changed behind the triggers' back.
 */
import type { Writable } from 'node:stream';
import { z } from 'zod';
import type { Db } from '../db/connection.js';
import { createAppender } from './appender.js';
import type { AuditEntry, AuditRow } from './entry.js';
import { writeJsonLines } from './export.js';
import { AUDIT_COLUMNS, HEAD_SQL, fromDb, streamRows, type DbAuditRow } from './rows.js';
import { verifyChain, type VerifyResult } from './verify.js';

export { AUDIT_LOCK_KEY } from './appender.js';

/** Filters for `list`; all optional, combined with AND. */
export const AuditListOptions = z.strictObject({
  tool: z.string().optional(),
  actor: z.string().optional(),
  invoiceId: z.number().int().positive().optional(),
  /** Only rows after this seq (paging forward). */
  afterSeq: z.number().int().nonnegative().optional(),
  limit: z.number().int().min(1).max(1000).default(100),
  /** `desc` returns the newest rows first (for a tail). */
  order: z.enum(['asc', 'desc']).default('asc'),
});
export type AuditListOptions = z.input<typeof AuditListOptions>;

/** The audit trail's API; the MCP server's guard writes through `record` on every tool call. */
export interface AuditLog {
  /** Validate, chain and store one entry; resolves to the stored row. */
  append(entry: AuditEntry): Promise<AuditRow>;
  /** `append` without the result — the shape the guard's audit sink expects. */
  record(entry: AuditEntry): Promise<void>;
  list(options?: AuditListOptions): Promise<AuditRow[]>;
  /**
   * Recompute every hash and link, in batches; names the first broken row. `tap` sees the rows on
   * their way (the checkpoint check notes hashes at checkpointed seqs in the same pass).
   */
  verify(tap?: (rows: AsyncIterable<AuditRow>) => AsyncIterable<AuditRow>): Promise<VerifyResult>;
  /** Write every row as JSON lines to a stream (left open) or a file path; returns rows written. */
  export(target: Writable | string): Promise<number>;
  count(): Promise<number>;
  /** The last row's seq and hash — publish it elsewhere to anchor the chain outside the database. */
  head(): Promise<{ seq: number; hash: string } | null>;
}

export interface AuditLogOptions {
  /** Clock for `at` (tests); defaults to the system clock. */
  now?: () => Date;
  /** Rows per query when verifying or exporting. */
  batchSize?: number;
}

/** Create the audit log over an open database (migration 020 applied). */
export function createAuditLog(db: Db, options: AuditLogOptions = {}): AuditLog {
  const now = options.now ?? (() => new Date());
  const rows = (): AsyncGenerator<AuditRow> => streamRows(db, options.batchSize);

  const { append } = createAppender(db, now);

  return {
    append,
    record: async (entry) => {
      await append(entry);
    },
    list: async (opts = {}) => {
      const { sql, params } = listQuery(AuditListOptions.parse(opts));
      return (await db.query<DbAuditRow>(sql, params)).rows.map(fromDb);
    },
    verify: (tap) => verifyChain(tap ? tap(rows()) : rows()),
    export: (target) => writeJsonLines(rows(), target),
    count: async () =>
      Number((await db.query<{ n: string }>('select count(*)::text as n from audit_log')).rows[0]?.n ?? 0),
    head: async () => {
      const { rows: last } = await db.query<{ seq: string; hash: string }>(HEAD_SQL);
      return last[0] ? { seq: Number(last[0].seq), hash: last[0].hash } : null;
    },
  };
}

function listQuery(o: z.infer<typeof AuditListOptions>): { sql: string; params: unknown[] } {
  const where: string[] = [];
  const params: unknown[] = [];
  const add = (clause: string, value: unknown): void => {
    params.push(value);
    where.push(clause.replace('?', `$${params.length}`));
  };
  if (o.tool !== undefined) add('tool = ?', o.tool);
  if (o.actor !== undefined) add('actor = ?', o.actor);
  if (o.invoiceId !== undefined) add('invoice_id = ?', o.invoiceId);
  if (o.afterSeq !== undefined) add('seq > ?', o.afterSeq);
  params.push(o.limit);
  const filter = where.length > 0 ? `where ${where.join(' and ')}` : '';
  return {
    sql: `select ${AUDIT_COLUMNS} from audit_log ${filter} order by audit_log.seq ${o.order} limit $${params.length}`,
    params,
  };
}
