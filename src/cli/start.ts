/**
 * `settle start` — the main job on the embedded default, end to end, in one process: the store
 * (PGlite, knowledge ingested on first run), the Coupa simulator with the sample company (or the
 * configured tenant), the MCP server and the agent. Exceptions go through the same path a webhook
 * takes (signed POST → intake → queue → workers), with progress, then a summary.
 */
import type { Command } from 'commander';
import Fastify from 'fastify';
import { createAgentSettleFn } from '../app/agent-settle-fn.js';
import { openRuntime, type OpenedRuntime } from '../app/embedded.js';
import { newWebhookSecret, postSignedEvent } from '../app/fire-events.js';
import { summaryText } from '../app/summary.js';
import { driftText } from '../coupa/drift.js';
import { keepServing } from '../app/keep-serving.js';
import type { Verdict } from '../agent/verdict.js';
import { loadConfig } from '../config.js';
import { query } from '../coupa/index.js';
import type { ExceptionEvent } from '../sim/dataset.js';
import { registerIntake } from '../runner/intake.js';
import { createRunnerQueue } from '../runner/queue.js';
import { createWebhookVerifier } from '../runner/webhook-signature.js';
import { createWorkerPool } from '../runner/worker.js';
import { parseInvoices, parsePort, parseSeed } from './sim-serve.js';
import { positiveInt } from './worker.js';

interface StartFlags {
  seed: number;
  invoices: number;
  concurrency: number;
  limit?: number;
  keepRunning?: boolean;
  port: number;
}

const say = (line: string): void => void process.stderr.write(`${line}\n`);

/** The exceptions to settle: the sample company's, or what the configured tenant holds. */
async function exceptionEvents(opened: OpenedRuntime, limit: number | undefined): Promise<ExceptionEvent[]> {
  if (opened.company) {
    return opened.company.exceptions.slice(0, limit).map((l) => ({ ...l.event, event_type: l.event.event_type ?? 'invoice.exception.created', resource_id: l.invoiceId }));
  }
  const events: ExceptionEvent[] = [];
  const held = opened.runtime.coupa.listInvoices(query().where('status', 'in', ['ap_hold', 'pending_receipt']).fields(['id', 'status']).orderBy('id', 'asc'));
  for await (const inv of held) {
    if (typeof inv.id === 'number') events.push({ event_type: 'invoice.exception.created', resource_id: inv.id });
    if (limit && events.length >= limit) break;
  }
  return events;
}

async function settledSince(opened: OpenedRuntime, afterId: number): Promise<Verdict[]> {
  const { rows } = await opened.runtime.db.query<{ verdict: Verdict }>('select verdict from settlements where id > $1 order by id', [afterId]);
  return rows.map((r) => r.verdict).filter((v) => v && typeof v === 'object' && 'decision' in v);
}

function progressLine(done: number, total: number, verdicts: Verdict[]): string {
  const counts = new Map<string, number>();
  for (const v of verdicts) counts.set(v.decision, (counts.get(v.decision) ?? 0) + 1);
  const width = 24;
  const filled = total ? Math.round((done / total) * width) : width;
  const parts = [...counts.entries()].map(([d, n]) => `${d} ${n}`).join(', ');
  return `[${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${done}/${total} settled${parts ? ` — ${parts}` : ''}`;
}

async function run(flags: StartFlags): Promise<void> {
  const config = loadConfig();
  say('settle: starting — PGlite store, knowledge, Coupa, MCP tools, agent…');
  const opened = await openRuntime(config, {}, { seed: flags.seed, invoices: flags.invoices });
  const { runtime } = opened;
  const queue = createRunnerQueue({ db: runtime.db, retryLimit: 2, retryDelaySeconds: 1, expireInSeconds: 600 });
  const app = Fastify({ logger: false });
  let pool: ReturnType<typeof createWorkerPool> | undefined;
  try {
    await queue.start();
    const secret = newWebhookSecret();
    await registerIntake(app, { db: runtime.db, queue, verifier: createWebhookVerifier({ secrets: [secret] }) });
    const { rows: [mark] } = await runtime.db.query<{ max: string | null }>('select max(id) as max from settlements');
    const afterId = Number(mark?.max ?? 0);

    const events = await exceptionEvents(opened, flags.limit);
    await app.listen({ port: 0, host: '127.0.0.1' });
    const address = app.server.address();
    const intakeUrl = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}/webhooks/coupa`;
    say(`settle: firing ${events.length} exception events at the webhook intake (mode ${await runtime.mode.get()}, brain ${config.openai.model ?? 'offline playbook planner'})`);
    let accepted = 0;
    for (const event of events) if ((await postSignedEvent(intakeUrl, secret, event)) === 202) accepted += 1;

    pool = createWorkerPool({ queue, settle: createAgentSettleFn(runtime), concurrency: flags.concurrency, idleMs: 100 });
    pool.start();
    const tty = process.stderr.isTTY;
    let lastPrinted = -1;
    for (;;) {
      const verdicts = await settledSince(opened, afterId);
      const stats = await queue.stats();
      if (verdicts.length !== lastPrinted && (tty || verdicts.length % 20 === 0 || verdicts.length === accepted)) {
        process.stderr.write(`${tty ? '\r' : ''}${progressLine(verdicts.length, accepted, verdicts)}${tty ? '' : '\n'}`);
        lastPrinted = verdicts.length;
      }
      if (verdicts.length >= accepted || (stats.queued + stats.active + stats.retrying === 0 && pool.busy === 0)) break;
      await new Promise((r) => setTimeout(r, 250));
    }
    if (tty) process.stderr.write('\n');
    await pool.stop();
    pool = undefined;

    const verdicts = await settledSince(opened, afterId);
    const stats = await queue.stats();
    console.log(summaryText(verdicts));
    console.log(driftText(runtime.drift));
    if (stats.deadLetters) console.log(`${stats.deadLetters} job(s) failed and are in the dead-letter queue.`);
    console.log(
      [
        'Where to look next:',
        '  settle settle <invoice-id>      one exception, verdict printed (add --dry-run for monitor mode)',
        '  settle audit tail               every tool call, hash-chained (settle audit verify checks the chain)',
        '  settle eval                     replay the historical cases and score the agent',
        '  settle start --keep-running     keep the MCP endpoint and the review page up',
      ].join('\n'),
    );
    if (flags.keepRunning) await keepServing(opened, { port: flags.port });
  } finally {
    await pool?.stop();
    await app.close().catch(() => undefined);
    await queue.stop().catch(() => undefined);
    await opened.close();
  }
}

export function registerStartCommand(program: Command): void {
  program
    .command('start')
    .description('Run Settle end to end on the embedded default (or the configured Coupa tenant): settle every open exception and print a summary')
    .option('--seed <n>', 'sample company seed (embedded default)', parseSeed, 7)
    .option('--invoices <n>', 'invoices in the sample company (embedded default)', parseInvoices, 2000)
    .option('-c, --concurrency <n>', 'exceptions settled at once', positiveInt('--concurrency'), 2)
    .option('--limit <n>', 'settle at most this many exceptions', positiveInt('--limit'))
    .option('--keep-running', 'afterwards, keep the MCP HTTP endpoint and the review page up until Ctrl-C')
    .option('--port <n>', 'port for --keep-running', parsePort, 8080)
    .action(run);
}
