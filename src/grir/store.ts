/**
 * The GR/IR book in Postgres: facts upserted in batches (one statement per thousand rows, the
 * batch sent as one JSON array: no per-element array escaping in the driver nor parsing in Postgres), cursors per resource, the open items of the latest run, and run history. Facts are jsonb:
 * the book reads them whole, and a new field needs no migration.
 */
import type { Db } from '../db/connection.js';
import { inTransaction, type Queryable } from '../db/transaction.js';
import type {
  ContractPriceFact,
  InvestigatedItem,
  InvoiceLineFact,
  PoLineFact,
  ReceiptFact,
} from '../domain/grir/types.js';
import type { BookFacts, BookSummary } from '../domain/grir/book.js';

const BATCH = 1000;

export type GrirResource = 'purchase_orders' | 'receiving_transactions' | 'invoices' | 'contracts';

async function inBatches<T>(rows: readonly T[], write: (batch: readonly T[]) => Promise<unknown>): Promise<void> {
  for (let i = 0; i < rows.length; i += BATCH) await write(rows.slice(i, i + BATCH));
}

const json = (v: unknown): string => JSON.stringify(v);

export interface GrirStore {
  cursor(source: string, resource: GrirResource): Promise<string | null>;
  setCursor(source: string, resource: GrirResource, cursor: string | null, at: Date): Promise<void>;
  /** Replace the lines of these POs (a line no longer on its PO is dropped). */
  putPurchaseOrderLines(source: string, poIds: readonly number[], lines: readonly PoLineFact[]): Promise<void>;
  putReceipts(source: string, receipts: readonly ReceiptFact[]): Promise<void>;
  /** Replace the PO-linked lines of these invoices. */
  putInvoiceLines(source: string, invoiceIds: readonly number[], lines: readonly InvoiceLineFact[]): Promise<void>;
  putContractPrices(
    source: string,
    contracts: ReadonlyArray<{ contractId: number; supplierId: number | null; facts: ContractPriceFact[] }>,
  ): Promise<void>;
  /** Every fact of the book. */
  facts(source: string): Promise<BookFacts>;
  /** Store a run's open items (replacing the previous run's) and its summary. */
  saveRun(
    source: string,
    run: {
      asOf: string;
      startedAt: Date;
      finishedAt: Date;
      coupaCalls: number;
      recordsRead: Record<string, number>;
      summary: BookSummary;
    },
    items: readonly InvestigatedItem[],
  ): Promise<number>;
  openItems(source: string, options?: { limit?: number; poLineId?: number }): Promise<InvestigatedItem[]>;
}

export function createGrirStore(db: Db): GrirStore {
  return {
    async cursor(source, resource) {
      const { rows } = await db.query<{ cursor: string | null }>(
        'select cursor from grir_sync_state where source = $1 and resource = $2',
        [source, resource],
      );
      return rows[0]?.cursor ?? null;
    },
    async setCursor(source, resource, cursor, at) {
      await db.query(
        `insert into grir_sync_state (source, resource, cursor, synced_at) values ($1, $2, $3, $4)
         on conflict (source, resource) do update set cursor = coalesce(excluded.cursor, grir_sync_state.cursor), synced_at = excluded.synced_at`,
        [source, resource, cursor, at],
      );
    },
    putPurchaseOrderLines: (source, poIds, lines) =>
      inTransaction(db, async (c) => {
        await c.query('delete from grir_po_lines where source = $1 and po_id = any($2::bigint[])', [source, poIds]);
        await inBatches(lines, (b) =>
          c.query(
            `insert into grir_po_lines (source, po_line_id, po_id, fact)
         select $1, (f->>'poLineId')::bigint, (f->>'poId')::bigint, f from jsonb_array_elements($2::jsonb) f
         on conflict (source, po_line_id) do update set po_id = excluded.po_id, fact = excluded.fact`,
            [source, json(b)],
          ),
        );
      }),
    putReceipts: (source, receipts) =>
      inBatches(receipts, (b) =>
        db.query(
          `insert into grir_receipts (source, receipt_id, po_line_id, fact)
       select $1, (f->>'id')::bigint, (f->>'poLineId')::bigint, f from jsonb_array_elements($2::jsonb) f
       on conflict (source, receipt_id) do update set po_line_id = excluded.po_line_id, fact = excluded.fact`,
          [source, json(b)],
        ),
      ),
    putInvoiceLines: (source, invoiceIds, lines) =>
      inTransaction(db, async (c) => {
        await c.query('delete from grir_invoice_lines where source = $1 and invoice_id = any($2::bigint[])', [
          source,
          invoiceIds,
        ]);
        await inBatches(lines, (b) =>
          c.query(
            `insert into grir_invoice_lines (source, invoice_line_id, invoice_id, po_line_id, fact)
         select $1, (f->>'invoiceLineId')::bigint, (f->>'invoiceId')::bigint, (f->>'poLineId')::bigint, f
         from jsonb_array_elements($2::jsonb) f
         on conflict (source, invoice_line_id) do update set invoice_id = excluded.invoice_id, po_line_id = excluded.po_line_id, fact = excluded.fact`,
            [source, json(b)],
          ),
        );
      }),
    putContractPrices: (source, contracts) =>
      inBatches(contracts, (b) =>
        db.query(
          `insert into grir_contract_prices (source, contract_id, supplier_id, facts)
       select $1, * from unnest($2::bigint[], $3::bigint[], $4::jsonb[])
       on conflict (source, contract_id) do update set supplier_id = excluded.supplier_id, facts = excluded.facts`,
          [source, b.map((c) => c.contractId), b.map((c) => c.supplierId), b.map((c) => json(c.facts))],
        ),
      ),
    async facts(source) {
      const [lines, receipts, invoiceLines, contracts] = await Promise.all([
        db.query<{ fact: PoLineFact }>('select fact from grir_po_lines where source = $1', [source]),
        db.query<{ fact: ReceiptFact }>('select fact from grir_receipts where source = $1', [source]),
        db.query<{ fact: InvoiceLineFact }>('select fact from grir_invoice_lines where source = $1', [source]),
        db.query<{ facts: ContractPriceFact[] }>('select facts from grir_contract_prices where source = $1', [source]),
      ]);
      const contractPrices = new Map<number, ContractPriceFact[]>();
      for (const row of contracts.rows)
        for (const f of row.facts)
          (contractPrices.get(f.supplierId) ?? contractPrices.set(f.supplierId, []).get(f.supplierId)!).push(f);
      return {
        lines: lines.rows.map((r) => r.fact),
        receipts: receipts.rows.map((r) => r.fact),
        invoiceLines: invoiceLines.rows.map((r) => r.fact),
        contractPrices,
      };
    },
    saveRun: (source, run, items) =>
      inTransaction(db, async (c: Queryable) => {
        await c.query('delete from grir_open_items where source = $1', [source]);
        await inBatches(items, (b) =>
          c.query(
            `insert into grir_open_items (source, po_line_id, as_of, kind, cause, currency, amount, age_days, po_number, supplier_name, item)
         select $1, po_line_id, $2::date, kind, cause, currency, amount, age_days, po_number, supplier_name, item
         from unnest($3::bigint[], $4::text[], $5::text[], $6::text[], $7::numeric[], $8::int[], $9::text[], $10::text[], $11::jsonb[])
           as t(po_line_id, kind, cause, currency, amount, age_days, po_number, supplier_name, item)`,
            [
              source,
              run.asOf,
              b.map((i) => i.poLineId),
              b.map((i) => i.kind),
              b.map((i) => i.cause),
              b.map((i) => i.currency),
              b.map((i) => i.amount),
              b.map((i) => i.ageDays),
              b.map((i) => i.poNumber),
              b.map((i) => i.supplierName),
              b.map(json),
            ],
          ),
        );
        const { rows } = await c.query<{ id: string }>(
          `insert into grir_runs (source, as_of, started_at, finished_at, coupa_calls, records_read, summary) values ($1, $2, $3, $4, $5, $6, $7) returning id`,
          [source, run.asOf, run.startedAt, run.finishedAt, run.coupaCalls, json(run.recordsRead), json(run.summary)],
        );
        return Number(rows[0]!.id);
      }),
    async openItems(source, options = {}) {
      const { rows } = await db.query<{ item: InvestigatedItem }>(
        `select item from grir_open_items where source = $1 and ($2::bigint is null or po_line_id = $2)
         order by age_days desc, amount desc limit $3`,
        [source, options.poLineId ?? null, options.limit ?? 500],
      );
      return rows.map((r) => r.item);
    },
  };
}
