/**
 * The queries that read the settlement log (`settlements`, written by ./settlements.ts): which row is
 * an invoice's latest settlement is decided here once — newest `settled_at`, then newest id — for
 * the runner, the review page, the dashboard and `settle start`.
 */
import type { QueryResultRow } from 'pg';
import type { Queryable } from '../db/transaction.js';

/** Newest first: the order that makes a settlement an invoice's latest. */
export const NEWEST_FIRST = 'settled_at desc, id desc';

/**
 * SQL for the latest settlement of every invoice among the rows matching `where` (SQL without the
 * word `where`; its parameters are the caller's). Use it as a subquery or a CTE.
 */
export function latestPerInvoiceSql(where?: string): string {
  return `select distinct on (invoice_id) * from settlements${where ? ` where ${where}` : ''} order by invoice_id, ${NEWEST_FIRST}`;
}

/** The latest settlement row of one invoice (on one tenant, when given), or undefined. */
export async function latestSettlementRow<Row extends QueryResultRow>(
  db: Queryable,
  invoiceId: number,
  options: { tenant?: string } = {},
): Promise<Row | undefined> {
  const { rows } =
    options.tenant === undefined
      ? await db.query<Row>(`select * from settlements where invoice_id = $1 order by ${NEWEST_FIRST} limit 1`, [
          invoiceId,
        ])
      : await db.query<Row>(
          `select * from settlements where invoice_id = $1 and verdict ->> 'tenant' = $2 order by ${NEWEST_FIRST} limit 1`,
          [invoiceId, options.tenant],
        );
  return rows[0];
}

/** The id of the newest row in the log (0 when empty): a mark to read what a run adds after it. */
export async function lastSettlementId(db: Queryable): Promise<number> {
  const {
    rows: [mark],
  } = await db.query<{ max: string | null }>('select max(id) as max from settlements');
  return Number(mark?.max ?? 0);
}

/** The verdicts recorded after `afterId`, in the order they were recorded. */
export async function verdictsAfter(db: Queryable, afterId: number): Promise<unknown[]> {
  const { rows } = await db.query<{ verdict: unknown }>('select verdict from settlements where id > $1 order by id', [
    afterId,
  ]);
  return rows.map((r) => r.verdict);
}
