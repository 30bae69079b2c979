/**
 * `settle audit verify | export | tail` — check, hand over and read the audit trail. Opens the
 * configured database (DATABASE_URL, else PGlite under SETTLE_DATA_DIR) and applies migrations.
 */
import type { Command } from 'commander';
import { existsSync } from 'node:fs';
import type { KeyObject } from 'node:crypto';
import {
  checkpointTap,
  createAuditLog,
  createCheckpointer,
  publicKeyFileOf,
  readCheckpoints,
  readExport,
  readPublicKey,
  verifyChain,
  type AuditLog,
  type AuditRow,
  type Checkpoint,
  type CheckpointReport,
  type VerifyResult,
} from '../audit/index.js';
import { loadConfig, type Config } from '../config.js';
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
  if (!Number.isInteger(n) || n < 1 || n > 1000)
    throw new UserError(`--limit must be a whole number from 1 to 1000, got "${value}"`);
  return n;
}

/** One readable line per row for a terminal. */
export function formatRow(r: AuditRow): string {
  const invoice = r.invoiceId === null ? '' : ` invoice ${r.invoiceId}`;
  return `#${r.seq} ${r.at} ${r.actor} (${r.actorKind}) ${r.tool}${invoice} → ${r.decision}: ${r.reason} [coupa calls ${r.coupaCalls}] ${r.resultSummary}`;
}

function report(result: VerifyResult, anchors: CheckpointReport | null): void {
  if (!result.ok) throw new UserError(`chain broken at row #${result.firstBrokenSeq}: ${result.reason}`, 1);
  if (anchors && anchors.problems.length > 0)
    throw new UserError(`checkpoints do not hold: ${anchors.problems.join('; ')}`, 1);
  console.log(`chain intact: ${result.rows} rows`);
  if (!anchors) return;
  const last = anchors.lastAnchored;
  const tail = last === null ? result.rows : result.rows - last.seq;
  console.log(
    `checkpoints: ${anchors.checked} signed checkpoint(s) verified${last ? `; the newest vouches for row #${last.seq} (signed ${last.at})` : ''}`,
  );
  if (tail > 0)
    console.log(
      `not anchored yet: the last ${tail} row(s) — a removal of only these would not show until the next checkpoint`,
    );
}

interface VerifyFlags {
  file?: string;
  checkpoints?: string;
  publicKey?: string;
  checkpointsOff?: boolean;
}

/** The checkpoints and key to check against, or null (with a note) when there are none to use. */
function loadAnchors(config: Config, flags: VerifyFlags): { checkpoints: Checkpoint[]; publicKey: KeyObject } | null {
  if (flags.checkpointsOff) return null;
  const file = flags.checkpoints ?? config.auditCheckpoints.file;
  const keyFile = flags.publicKey ?? publicKeyFileOf(config.auditCheckpoints.keyFile);
  let checkpoints: Checkpoint[];
  try {
    checkpoints = readCheckpoints(file);
  } catch (error) {
    throw new UserError((error as Error).message);
  }
  if (!existsSync(keyFile)) {
    if (checkpoints.length > 0)
      throw new UserError(
        `${file} holds checkpoints but the public key ${keyFile} is missing; pass --public-key <file>`,
      );
    console.error(
      `settle audit: no signing key (${keyFile}) and no checkpoints — the chain proves order, not that no rows were removed or re-chained`,
    );
    return null;
  }
  // A key exists only once a checkpointer ran, and it writes a checkpoint at once: none is news.
  if (checkpoints.length === 0)
    throw new UserError(
      `no checkpoints in ${file} although the signing key ${keyFile} exists (the checkpoint file was removed or emptied)`,
      1,
    );
  try {
    return { checkpoints, publicKey: readPublicKey(keyFile) };
  } catch (error) {
    throw new UserError((error as Error).message);
  }
}

async function verifyCommand(flags: VerifyFlags): Promise<void> {
  const config = loadConfig();
  const anchors = loadAnchors(config, flags);
  const tap = anchors ? checkpointTap(anchors.checkpoints, anchors.publicKey) : null;
  let result: VerifyResult;
  if (flags.file) {
    const rows = readExport(flags.file);
    result = await verifyChain(tap ? tap.rows(rows) : rows).catch((error: unknown) => {
      throw new UserError(error instanceof Error ? error.message : String(error));
    });
  } else {
    result = await withAuditLog((log) => log.verify(tap ? (rows) => tap.rows(rows) : undefined));
  }
  report(result, tap ? tap.report() : null);
}

/** Register `settle audit …`. */
export function registerAuditCommand(program: Command): void {
  const audit = program
    .command('audit')
    .description('Check, export and read the append-only, hash-chained audit trail of every tool call');

  audit
    .command('verify')
    .description(
      'Recompute every hash and link and check every signed checkpoint; exit 0 when intact, 1 naming what does not hold',
    )
    .option('--file <path>', 'verify an export (JSON lines) instead of the database')
    .option(
      '--checkpoints <file>',
      'signed checkpoints to check against (default SETTLE_AUDIT_CHECKPOINTS or <data dir>/audit-checkpoints.jsonl)',
    )
    .option('--public-key <file>', "the checkpoint signer's public key (default <SETTLE_AUDIT_KEY_FILE>.pub)")
    .option('--chain-only', 'check the chain only, not the checkpoints')
    .action(async (opts: { file?: string; checkpoints?: string; publicKey?: string; chainOnly?: boolean }) => {
      await verifyCommand({
        ...(opts.file ? { file: opts.file } : {}),
        ...(opts.checkpoints ? { checkpoints: opts.checkpoints } : {}),
        ...(opts.publicKey ? { publicKey: opts.publicKey } : {}),
        checkpointsOff: opts.chainOnly === true,
      });
    });

  audit
    .command('checkpoint')
    .description(
      'Sign the current head with the audit key and append it to the checkpoint file now (serve, worker and start also do this periodically)',
    )
    .action(async () => {
      const config = loadConfig();
      const written = await withAuditLog(async (log) => {
        const c = config.auditCheckpoints;
        const checkpointer = createCheckpointer({
          audit: log,
          keyFile: c.keyFile,
          checkpointFile: c.file,
          intervalMs: 0,
          sinkUrl: c.sinkUrl,
          onError: (e) => console.error(`settle audit: ${e.message}`),
        });
        return checkpointer.checkpoint();
      });
      if (written)
        console.log(
          `checkpoint: row #${written.seq} ${written.hash} signed ${written.at} → ${config.auditCheckpoints.file}`,
        );
      else console.log('checkpoint: the head is unchanged since the last checkpoint; nothing written');
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
