/**
 * The settlement log: one row per settle run, written by the agent side and read by the digest.
 * Money and evidence stay in the verdict (jsonb); the columns are what the digest counts.
 */
import { z } from 'zod';
import type { Queryable } from './sql.js';

export const SettlementInput = z.object({
  invoiceId: z.number().int().positive(),
  supplierId: z.number().int().positive().nullish(),
  supplierName: z.string().nullish(),
  exceptionType: z.string().min(1),
  decision: z.string().min(1),
  /** True when the decision was carried out in Coupa; false when proposed, routed or monitor-only. */
  executed: z.boolean(),
  rootCause: z.string().nullish(),
  /** Login of the person the invoice waits for, if any. */
  routeTo: z.string().nullish(),
  settledAt: z.date().optional(),
  /** The full verdict, for the review page and audits. */
  verdict: z.record(z.string(), z.unknown()).default({}),
});
export type SettlementInput = z.input<typeof SettlementInput>;

/** Record one settlement; returns its row id. Validates the input (a bad verdict is a bug upstream). */
export async function recordSettlement(db: Queryable, input: SettlementInput): Promise<number> {
  const s = SettlementInput.parse(input);
  const { rows } = await db.query<{ id: string }>(
    `insert into settlements
       (invoice_id, supplier_id, supplier_name, exception_type, decision, executed, root_cause, route_to, settled_at, verdict)
     values ($1, $2, $3, $4, $5, $6, $7, $8, coalesce($9, now()), $10)
     returning id`,
    [
      s.invoiceId,
      s.supplierId ?? null,
      s.supplierName ?? null,
      s.exceptionType,
      s.decision,
      s.executed,
      s.rootCause ?? null,
      s.routeTo ?? null,
      s.settledAt ?? null,
      JSON.stringify(s.verdict),
    ],
  );
  return Number(rows[0]?.id);
}
