/**
 * `settle audit verify | export | tail` — check, hand over and read the audit trail. Opens the
 * configured database (DATABASE_URL, else PGlite under SETTLE_DATA_DIR) and applies migrations.
 */
import type { Command } from 'commander';
import { createAuditLog, readExport, verifyChain, type AuditLog, type AuditRow, type VerifyResult } from '../audit/index.js';
import { loadConfig } from '../config.js';
import { openDb } from '../db/connection.js';
import { migrate } from '../db/migrate.js';
import { UserError } from '../errors.js';

async function withAuditLog<T>(work: (log: AuditLog) => Promise<T>): Promise<T> {
  const config = loadConfig();
  const db = await openDb({ databaseUrl: config.databaseUrl, dataDir: config.dataDir });
  try {
    await migrate(db);
    return await work(createAuditLog(db));
  } finally {
    await db.close();
  }
}

function positiveInt(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1 || n > 1000) throw new UserError(`--limit must be a whole number from 1 to 1000, got "${value}"`);
  return n;
}

/** One readable line per row for a terminal. */
export function formatRow(r: AuditRow): string {
  const invoice = r.invoiceId === null ? '' : ` invoice ${r.invoiceId}`;
  return `#${r.seq} ${r.at} ${r.actor} (${r.actorKind}) ${r.tool}${invoice} → ${r.decision}: ${r.reason} [coupa calls ${r.coupaCalls}] ${r.resultSummary}`;
}

function report(result: VerifyResult): void {
  if (!result.ok) throw new UserError(`chain broken at row #${result.firstBrokenSeq}: ${result.reason}`, 1);
  console.log(`chain intact: ${result.rows} rows`);
}

/** Register `settle audit …`. */
export function registerAuditCommand(program: Command): void {
  const audit = program
    .command('audit')
    .description('Check, export and read the append-only, hash-chained audit trail of every tool call');

  audit
    .command('verify')
    .description('Recompute every hash and link; exit 0 when intact, 1 naming the first broken row')
    .option('--file <path>', 'verify an export (JSON lines) instead of the database')
    .action(async (opts: { file?: string }) => {
      if (opts.file) {
        const file = opts.file;
        const result = await verifyChain(readExport(file)).catch((error: unknown) => {
          throw new UserError(error instanceof Error ? error.message : String(error));
        });
        report(result);
        return;
      }
      report(await withAuditLog((log) => log.verify()));
    });

  audit
    .command('export')
    .description('Write every row, hashes included, as JSON lines (for auditors; re-check with verify --file)')
    .option('--out <file>', 'write to this file instead of stdout')
    .action(async (opts: { out?: string }) => {
      const out = opts.out;
      if (out === undefined) {
        await withAuditLog((log) => log.export(process.stdout));
        return;
      }
      const rows = await withAuditLog((log) => log.export(out));
      console.log(`exported ${rows} rows to ${out}`);
    });

  audit
    .command('tail')
    .description('Show the newest rows, oldest first')
    .option('--limit <n>', 'how many rows (1-1000)', positiveInt, 20)
    .option('--json', 'print JSON lines instead of text')
    .action(async (opts: { limit: number; json?: boolean }) => {
      const rows = await withAuditLog((log) => log.list({ limit: opts.limit, order: 'desc' }));
      for (const row of rows.reverse()) console.log(opts.json ? JSON.stringify(row) : formatRow(row));
    });
}
