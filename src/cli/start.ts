/**
 * `settle start` — the main job on the embedded default, end to end, in one process: the store
 * (PGlite, knowledge ingested on first run), the Coupa simulator with the sample company (or the
 * configured tenant), the MCP server and the agent. Exceptions go through the same path a webhook
 * takes (signed POST → intake → queue → workers), with progress, then a summary.
 */
import { InvalidArgumentError, type Command } from 'commander';
import { Mode } from '../domain/controls.js';
import { existsSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { UserError } from '../errors.js';
import { summaryJson } from '../app/summary.js';
import { sampleCompanyPeopleSettle } from '../app/sample-people.js';
import { observeShadowCases } from '../app/shadow-observer.js';
import { buildShadowReport } from '../shadow/report.js';
import { shadowReportText } from '../shadow/report-text.js';
import { writeJsonFile } from './json-file.js';
import Fastify from 'fastify';
import { createAgentSettleFn } from '../app/agent-settle-fn.js';
import { createRunPrefetcher } from '../app/run-prefetch.js';
import { openRuntime, type OpenedRuntime } from '../app/embedded.js';
import { newWebhookSecret, postSignedEvent } from '../app/fire-events.js';
import { summaryText } from '../app/summary.js';
import { externalCasesText } from '../app/summary-external.js';
import { driftText } from '../coupa/drift.js';
import { keepServing } from '../app/keep-serving.js';
import type { Verdict } from '../agent/verdict.js';
import { loadConfig } from '../config.js';
import { query } from '../coupa/index.js';
import { QUEUE_STATUSES } from '../coupa/invoice-statuses.js';
import type { ExceptionEvent } from '../sim/dataset.js';
import { registerIntake } from '../runner/intake.js';
import { createRunnerQueue } from '../runner/queue.js';
import { lastSettlementId, verdictsAfter } from '../runner/settlement-log.js';
import { createWebhookVerifier } from '../runner/webhook-signature.js';
import { createWorkerPool } from '../runner/worker.js';
import { parseInvoices, parsePort, parseSeed } from './sim-serve.js';
import { positiveInt } from './args.js';
import { INBOUND_MAIL_PATH, registerInboundMailRoute } from '../requests/inbound-mail.js';
import { requestCounts, requestCountsLine } from '../requests/summary.js';
import { replyDepsFor } from '../app/supplier-loop.js';
import { playSupplierSide } from './start-supplier-side.js';

interface StartFlags {
  seed: number;
  invoices: number;
  concurrency: number;
  limit?: number;
  keepRunning?: boolean;
  port: number;
  mode?: Mode;
  json?: string;
  peopleDiffer: number;
}

function parseMode(value: string): Mode {
  const parsed = Mode.safeParse(value.trim().toLowerCase());
  if (!parsed.success) throw new InvalidArgumentError(`expected one of ${Mode.options.join(', ')}`);
  return parsed.data;
}

function parseShare(value: string): number {
  const n = Number(value);
  if (!/^\s*\d*\.?\d+\s*$/.test(value) || n < 0 || n > 1)
    throw new InvalidArgumentError('expected a share between 0 and 1, e.g. 0.1');
  return n;
}

/**
 * Shadow mode on the embedded default: the sample company's people settle what the agent shadowed,
 * Settle reads their decisions back from Coupa and prints the agreement report.
 */
async function closeShadowLoop(opened: OpenedRuntime, verdicts: readonly Verdict[], flags: StartFlags): Promise<void> {
  const { runtime } = opened;
  const shadowed = verdicts.filter((v) => v.outcome === 'shadow').map((v) => v.invoice_id);
  if (shadowed.length === 0) return;
  if (opened.company && opened.sim && opened.people) {
    say(
      `settle: shadow — the sample company's AP team now settles the ${shadowed.length} shadowed invoices in Coupa (${Math.round(flags.peopleDiffer * 100)}% deliberately different choices)…`,
    );
    const people = await sampleCompanyPeopleSettle({
      sim: opened.sim,
      people: opened.people,
      labels: opened.company.exceptions,
      invoiceIds: shadowed,
      seed: flags.seed,
      share: flags.peopleDiffer,
    });
    if (people.failed.length)
      say(
        `settle: ${people.failed.length} of the people's actions failed in Coupa (first: invoice ${people.failed[0]!.invoiceId}: ${people.failed[0]!.error})`,
      );
  }
  const observed = await observeShadowCases(runtime);
  say(
    `settle: shadow — read ${observed.observed} people's decisions back from Coupa (${observed.disagreed} differ from the agent's; ${observed.stillOpen} not settled by a person yet)`,
  );
  const report = buildShadowReport(await runtime.shadow.list({ tenant: runtime.tenant }));
  console.log(shadowReportText(report, { suppliers: 5 }));
}

const say = (line: string): void => void process.stderr.write(`${line}\n`);

/** The exceptions to settle: the sample company's, or what the configured tenant holds. */
async function exceptionEvents(opened: OpenedRuntime, limit: number | undefined): Promise<ExceptionEvent[]> {
  if (opened.company) {
    return opened.company.exceptions.slice(0, limit).map((l) => ({
      ...l.event,
      event_type: l.event.event_type ?? 'invoice.exception.created',
      resource_id: l.invoiceId,
    }));
  }
  const events: ExceptionEvent[] = [];
  const held = opened.runtime.coupa.listInvoices(
    query()
      .where('status', 'in', [...QUEUE_STATUSES])
      .fields(['id', 'status'])
      .orderBy('id', 'asc'),
  );
  for await (const inv of held) {
    if (typeof inv.id === 'number') events.push({ event_type: 'invoice.exception.created', resource_id: inv.id });
    if (limit && events.length >= limit) break;
  }
  return events;
}

async function settledSince(opened: OpenedRuntime, afterId: number): Promise<Verdict[]> {
  return (await verdictsAfter(opened.runtime.db, afterId)).filter(
    (v): v is Verdict => v !== null && typeof v === 'object' && 'decision' in v,
  );
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
  // Checked before the run, so a mistyped path does not cost a whole run's summary.
  if (flags.json && !existsSync(dirname(resolve(flags.json))))
    throw new UserError(`--json ${flags.json}: directory ${dirname(resolve(flags.json))} does not exist`);
  say('settle: starting — PGlite store, knowledge, Coupa, MCP tools, agent…');
  // Every Coupa call of the run (token requests excluded), the batched reads included: the cost line's figure.
  let runCoupaCalls = 0;
  let counting = false;
  const onCoupaCall = ({ path }: { path: string }): void => {
    if (counting && !path.startsWith('/oauth2/')) runCoupaCalls += 1;
  };
  const opened = await openRuntime(
    config,
    { ...(flags.mode ? { forceMode: flags.mode } : {}), onCoupaCall },
    { seed: flags.seed, invoices: flags.invoices },
  );
  const { runtime } = opened;
  const queue = createRunnerQueue({ db: runtime.db, retryLimit: 2, retryDelaySeconds: 1, expireInSeconds: 600 });
  const app = Fastify({ logger: false });
  let pool: ReturnType<typeof createWorkerPool> | undefined;
  try {
    await queue.start();
    const secret = newWebhookSecret();
    await registerIntake(app, { db: runtime.db, queue, verifier: createWebhookVerifier({ secrets: [secret] }) });
    await registerInboundMailRoute(app, {
      deps: replyDepsFor(runtime, queue),
      verifier: createWebhookVerifier({ secrets: [secret] }),
      now: runtime.now,
    });
    const afterId = await lastSettlementId(runtime.db);

    counting = true;
    const events = await exceptionEvents(opened, flags.limit);
    await app.listen({ port: 0, host: '127.0.0.1' });
    const address = app.server.address();
    const intakeUrl = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}/webhooks/coupa`;
    say(
      `settle: firing ${events.length} exception events at the webhook intake (mode ${await runtime.mode.get()}, brain ${config.openai.model ?? 'offline playbook planner'})`,
    );
    let accepted = 0;
    for (const event of events) if ((await postSignedEvent(intakeUrl, secret, event)) === 202) accepted += 1;

    // The run's exceptions are known: their records are read in batches, a window ahead of the workers.
    const prefetch = createRunPrefetcher(
      runtime,
      events.map((e) => Number(e.resource_id)),
      { ownLogins: runtime.ownLogins },
    );
    pool = createWorkerPool({
      queue,
      settle: createAgentSettleFn(runtime, { prefetch }),
      concurrency: flags.concurrency,
      idleMs: 100,
      modelPrice: config.modelPrice,
    });
    pool.start();
    const tty = process.stderr.isTTY;
    let lastPrinted = -1;
    for (;;) {
      const verdicts = await settledSince(opened, afterId);
      const stats = await queue.stats();
      if (verdicts.length !== lastPrinted && (tty || verdicts.length % 20 === 0 || verdicts.length === accepted)) {
        process.stderr.write(
          `${tty ? '\r' : ''}${progressLine(verdicts.length, accepted, verdicts)}${tty ? '' : '\n'}`,
        );
        lastPrinted = verdicts.length;
      }
      if (verdicts.length >= accepted || (stats.queued + stats.active + stats.retrying === 0 && pool.busy === 0)) break;
      await new Promise((r) => setTimeout(r, 250));
    }
    if (tty) process.stderr.write('\n');
    const verdicts = await settledSince(opened, afterId);
    // The first pass's cost; the supplier side's re-runs are reported on their own line.
    counting = false;
    const activePool = pool;
    const supplierSide = opened.company
      ? await playSupplierSide(opened, {
          inboundUrl: intakeUrl.replace('/webhooks/coupa', INBOUND_MAIL_PATH),
          secret,
          seed: flags.seed,
          queue,
          idle: () => activePool.busy === 0,
        })
      : null;
    await pool.stop();
    pool = undefined;

    const stats = await queue.stats();
    const cost = { price: config.modelPrice, runCoupaCalls };
    console.log(summaryText(verdicts, cost));
    const external = opened.company ? externalCasesText(opened.company.exceptions, verdicts) : undefined;
    if (external) console.log(external);
    console.log(driftText(runtime.drift));
    console.log(requestCountsLine(await requestCounts(runtime.db, runtime.tenant)));
    if (supplierSide) console.log(supplierSide);
    if (flags.json)
      await writeJsonFile(flags.json, {
        ...summaryJson(verdicts, cost),
        supplier_requests: await requestCounts(runtime.db, runtime.tenant),
      });
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
    await closeShadowLoop(opened, verdicts, flags);
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
    .description(
      'Run Settle end to end on the embedded default (or the configured Coupa tenant): settle every open exception and print a summary',
    )
    .option('--seed <n>', 'sample company seed (embedded default)', parseSeed, 7)
    .option('--invoices <n>', 'invoices in the sample company (embedded default)', parseInvoices, 2000)
    .option('-c, --concurrency <n>', 'exceptions settled at once', positiveInt('--concurrency'), 2)
    .option('--limit <n>', 'settle at most this many exceptions', positiveInt('--limit'))
    .option('--keep-running', 'afterwards, keep the MCP HTTP endpoint and the review page up until Ctrl-C')
    .option('--port <n>', 'port for --keep-running', parsePort, 8080)
    .option(
      '--mode <mode>',
      `mode for this run only, for every slice (${Mode.options.join(', ')}); default: SETTLE_MODE / the controls and their autonomy rules`,
      parseMode,
    )
    .option('--json <file>', "write the run's summary as JSON (by exception type: decisions and outcomes)")
    .option(
      '--people-differ <share>',
      "shadow mode on the sample company: share of the people's deliberately different decisions",
      parseShare,
      0.1,
    )
    .action(run);
}
