/**
 * `settle requests [--json] [--all]`: what Settle asked suppliers for and is still waiting on,
 * oldest first; `settle requests chase` sends the reminders and escalations due now;
 * `settle requests portal` reads supplier comments and uploads in the Coupa Supplier Portal.
 */
import Table from 'cli-table3';
import type { Command } from 'commander';
import { loadConfig } from '../config.js';
import { UserError } from '../errors.js';
import { openRunnerRuntime, withStoreRuntime } from '../app/runner-runtime.js';
import { chaseRequests, scanPortal } from '../app/supplier-loop.js';
import { businessDaysBetween } from '../requests/business-days.js';
import { createRequestStore, type SupplierRequest } from '../requests/store.js';
import { requestCounts, requestCountsLine } from '../requests/summary.js';

export interface RequestRow {
  id: number;
  invoice_id: number;
  invoice_number: string | null;
  supplier: string | null;
  asked: string;
  answer_kind: string;
  channels: string[];
  recipient: string | null;
  status: string;
  asked_at: string;
  age_business_days: number;
  reminders: number;
  escalated_to: string | null;
}

export function requestRow(r: SupplierRequest, now: Date): RequestRow {
  return {
    id: r.id,
    invoice_id: r.invoiceId,
    invoice_number: r.invoiceNumber,
    supplier: r.supplierName,
    asked: r.asked,
    answer_kind: r.answerKind,
    channels: r.channels,
    recipient: r.recipient,
    status: r.status,
    asked_at: r.askedAt.toISOString(),
    age_business_days: businessDaysBetween(r.askedAt, r.answeredAt ?? now),
    reminders: r.reminders,
    escalated_to: r.escalatedTo,
  };
}

/**
 * The newest moment the store recorded (asked, chased, answered): on the embedded simulator every
 * stamp comes from the simulator's clock, which this command does not run — so ages are measured
 * on that clock, never against the wall clock (which would age a request asked "today" by years).
 */
export function latestActivity(requests: readonly SupplierRequest[]): Date | null {
  const stamps = requests
    .flatMap((r) => [r.askedAt, r.lastChasedAt, r.answeredAt])
    .filter((d): d is Date => d !== null)
    .map((d) => d.getTime());
  return stamps.length ? new Date(Math.max(...stamps)) : null;
}

function table(rows: readonly RequestRow[]): string {
  const t = new Table({
    head: ['invoice', 'supplier', 'asked for', 'by', 'status', 'age (bd)', 'reminders', 'escalated to'],
    style: { head: [], border: [], compact: true },
  });
  for (const r of rows) {
    t.push([
      r.invoice_number ?? r.invoice_id,
      (r.supplier ?? '').slice(0, 28),
      r.asked.slice(0, 48),
      r.channels.join('+'),
      r.status,
      r.age_business_days,
      r.reminders,
      r.escalated_to ?? '',
    ]);
  }
  return t.toString();
}

export function registerRequestsCommand(program: Command): void {
  const requests = program
    .command('requests')
    .description('Supplier requests: what Settle asked suppliers for and still waits on, oldest first')
    .option('--json', 'print the requests as JSON')
    .option('--all', 'include answered and closed requests')
    .option('--as-of <date>', 'measure ages at this ISO date/time (default: see below)')
    .addHelpText(
      'after',
      '\nAges are business days on the clock that stamped the requests: with a Coupa tenant the wall clock; on the embedded\nsimulator (its own clock) the latest activity recorded in the store, unless --as-of says otherwise.',
    )
    .action(async (opts: { json?: boolean; all?: boolean; asOf?: string }) => {
      const config = loadConfig();
      const given = opts.asOf === undefined ? undefined : new Date(opts.asOf);
      if (given && Number.isNaN(given.getTime()))
        throw new UserError(`--as-of "${opts.asOf}" is not a date (use e.g. 2026-03-09 or 2026-03-09T10:00:00Z)`);
      await withStoreRuntime(config, async (runtime) => {
        const store = createRequestStore(runtime.db);
        const all = await store.list(opts.all ? {} : { status: 'pending' });
        const now = given ?? (config.coupa ? new Date() : (latestActivity(await store.list()) ?? new Date()));
        const rows = all
          .map((r) => requestRow(r, now))
          .sort((a, b) => b.age_business_days - a.age_business_days || a.id - b.id);
        if (opts.json) {
          console.log(JSON.stringify({ as_of: now.toISOString(), requests: rows }, null, 2));
          return;
        }
        if (rows.length === 0) console.log(opts.all ? 'No supplier requests yet.' : 'No pending supplier requests.');
        else console.log(table(rows));
        const tenants = [...new Set((await store.list()).map((r) => r.tenant))];
        for (const tenant of tenants.slice(-1)) console.log(requestCountsLine(await requestCounts(runtime.db, tenant)));
      });
    });
  requests
    .command('chase')
    .description(
      'Send the reminders and escalations due now (SETTLE_REMINDER_BUSINESS_DAYS, SETTLE_ESCALATE_AFTER_REMINDERS)',
    )
    .action(async () => {
      const runner = await openRunnerRuntime(loadConfig(), { queue: false });
      try {
        const result = await chaseRequests(await runner.agent());
        console.log(
          `${result.reminded.length} reminded, ${result.escalated.length} escalated${result.problems.length ? `; problems: ${result.problems.join('; ')}` : ''}`,
        );
      } finally {
        await runner.close();
      }
    });
  requests
    .command('portal')
    .description(
      'Read supplier comments and uploads in the Coupa Supplier Portal on invoices with pending requests; answers re-queue the invoice',
    )
    .action(async () => {
      const runner = await openRunnerRuntime(loadConfig());
      try {
        const outcomes = await scanPortal(await runner.agent(), runner.queue);
        const answered = outcomes.filter((o) => o.status === 'answered').length;
        console.log(
          `${outcomes.length} new portal replies: ${answered} answered a request (invoice re-queued), ${outcomes.length - answered} kept as evidence`,
        );
      } finally {
        await runner.close();
      }
    });
}
