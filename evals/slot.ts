/**
 * A worker slot: one embedded database (migrated, the project's knowledge ingested once), the
 * runner's queue on it, and the runner's HTTP intake listening on loopback. Opening PGlite and
 * embedding the policy pack cost seconds, so a slot serves many cases in turn and `reset()` gives
 * each case a clean state:
 * - every per-run table (proposals, idempotency keys, settings, settlements, webhook inbox, jobs,
 *   and any table a later migration adds) is emptied;
 * - knowledge documents a case added are deleted, and project documents a case overwrote or
 *   superseded are restored;
 * - the audit log is append-only by design, so a run reads only the rows after its starting seq
 *   (one case at a time per slot makes that range exactly the run's).
 */
import { randomBytes } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import type { FastifyInstance } from 'fastify';
import { PROJECT_KNOWLEDGE_DIR } from '../src/app/runtime.js';
import type { Config } from '../src/config.js';
import { openDb, type Db } from '../src/db/connection.js';
import { migrate } from '../src/db/migrate.js';
import { createEmbedder, createKnowledgeStore, type KnowledgeStoreAdmin } from '../src/knowledge/index.js';
import { markSuperseded } from '../src/knowledge/resolution-memory.js';
import { createRunnerMetrics } from '../src/runner/metrics.js';
import { createRunnerQueue, type RunnerQueue } from '../src/runner/queue.js';
import { createRunnerServer } from '../src/runner/server.js';

/**
 * Tables that survive a reset: the knowledge store (restored separately), the append-only audit
 * log (read by seq range) and the migration ledger. Every other table is per-run state — also
 * ones added by later migrations, so a new table cannot leak one case into the next.
 */
const KEPT_TABLES: ReadonlySet<string> = new Set([
  'knowledge_index',
  'knowledge_documents',
  'knowledge_chunks',
  'audit_log',
  'settle_migrations',
]);

export interface EvalSlot {
  readonly db: Db;
  readonly knowledge: KnowledgeStoreAdmin;
  readonly queue: RunnerQueue;
  /** Base URL of the runner intake (`POST /webhooks/coupa`). */
  readonly intakeUrl: string;
  /** The Standard Webhooks secret the intake accepts. */
  readonly webhookSecret: string;
  /** Clean state for the next case. */
  reset(): Promise<void>;
  close(): Promise<void>;
}

async function documentHashes(db: Db): Promise<Map<string, string>> {
  const { rows } = await db.query<{ id: string; content_hash: string }>(
    'select id, content_hash from knowledge_documents',
  );
  return new Map(rows.map((r) => [r.id, r.content_hash]));
}

/** Open a slot: database, knowledge, queue and intake. `config` supplies the embedder settings. */
export async function openSlot(config: Config): Promise<EvalSlot> {
  const db = await openDb({ dataDir: 'memory://' });
  const closers: Array<() => Promise<void>> = [() => db.close()];
  try {
    await migrate(db);
    const knowledge = await createKnowledgeStore({ db, embedder: await createEmbedder(config) });
    await knowledge.ingestDirectory(PROJECT_KNOWLEDGE_DIR);
    const baseline = await documentHashes(db);
    const { rows: tables } = await db.query<{ tablename: string }>(
      `select tablename from pg_tables where schemaname = 'public' order by tablename`,
    );
    const perRunTables = tables.map((t) => t.tablename).filter((t) => !KEPT_TABLES.has(t));

    // No retries: a failed run is scored as failed, never silently re-run.
    const queue = createRunnerQueue({ db, retryLimit: 0, maintenanceIntervalSeconds: 3600 });
    await queue.start();
    closers.unshift(() => queue.stop());
    const webhookSecret = `whsec_${randomBytes(32).toString('base64')}`;
    const server: FastifyInstance = createRunnerServer({
      db,
      queue,
      config: { webhookSecrets: [webhookSecret], calloutClients: undefined },
      metrics: createRunnerMetrics({ defaultMetrics: false }),
    });
    await server.listen({ host: '127.0.0.1', port: 0 });
    closers.unshift(() => server.close());
    const { port } = server.server.address() as AddressInfo;

    async function restoreKnowledge(): Promise<void> {
      await db.query('delete from knowledge_documents where not (id = any($1))', [[...baseline.keys()]]);
      const now = await documentHashes(db);
      if ([...baseline].some(([id, hash]) => now.get(id) !== hash))
        await knowledge.ingestDirectory(PROJECT_KNOWLEDGE_DIR);
      // Supersession flags follow the resolutions present: recompute them for the baseline alone.
      await db.query(
        `update knowledge_chunks set metadata = metadata - 'superseded' where kind = 'resolution' and metadata ? 'superseded'`,
      );
      await markSuperseded(db);
    }

    return {
      db,
      knowledge,
      queue,
      intakeUrl: `http://127.0.0.1:${port}`,
      webhookSecret,
      async reset() {
        if (perRunTables.length) await db.query(`truncate ${perRunTables.map((t) => `"${t}"`).join(', ')}`);
        await db.query('delete from pgboss.job');
        await restoreKnowledge();
      },
      async close() {
        for (const close of closers.splice(0)) await close().catch(() => undefined);
      },
    };
  } catch (error) {
    for (const close of closers.splice(0)) await close().catch(() => undefined);
    throw error;
  }
}
