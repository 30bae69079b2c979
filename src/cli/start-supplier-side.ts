/**
 * `settle start` on the sample company plays the suppliers' side of the conversation: each request
 * e-mail in the outbox goes to the simulator's supplier persona, whose replies are POSTed, signed,
 * to the inbound-mail webhook like a mail relay would; the re-opened invoices are settled by the
 * running workers; then chasing runs on a clock moved forward business day by business day until
 * the silent suppliers are reminded and escalated. Returns the line for the summary.
 */
import { randomUUID } from 'node:crypto';
import type { OpenedRuntime } from '../app/embedded.js';
import { chaseRequests } from '../app/supplier-loop.js';
import { addBusinessDays } from '../requests/business-days.js';
import type { RunnerQueue } from '../runner/queue.js';
import { webhookHeaders } from '../runner/webhook-signature.js';
import { createSupplierPersona } from '../sim/supplier-persona.js';

export interface SupplierSideOptions {
  inboundUrl: string;
  secret: string;
  seed: number;
  queue: RunnerQueue;
  /** True when no worker is settling anything. */
  idle(): boolean;
}

const say = (line: string): void => void process.stderr.write(`${line}\n`);

async function postMail(url: string, secret: string, raw: Buffer, to: string): Promise<number> {
  const headers = webhookHeaders({
    id: `mail_${randomUUID()}`,
    timestamp: Math.floor(Date.now() / 1000),
    body: raw,
    secrets: [secret],
  });
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'message/rfc822', 'x-envelope-to': to, ...headers },
    body: new Uint8Array(raw),
  });
  await response.arrayBuffer();
  return response.status;
}

async function settled(queue: RunnerQueue, idle: () => boolean): Promise<void> {
  for (;;) {
    const s = await queue.stats();
    if (s.queued + s.active + s.retrying === 0 && idle()) return;
    await new Promise((r) => setTimeout(r, 250));
  }
}

export async function playSupplierSide(opened: OpenedRuntime, options: SupplierSideOptions): Promise<string | null> {
  const { runtime } = opened;
  const mailer = runtime.supplierRequests.mail?.mailer;
  if (!mailer || mailer.kind !== 'outbox') return null;
  const requests = mailer.sent();
  if (requests.length === 0) return null;
  const persona = createSupplierPersona({ seed: options.seed });
  // Before the first reply: the running workers may settle a re-opened invoice at once.
  const mark = await runtime.db.query<{ max: string | null }>('select max(id) as max from settlements');
  const tally = { document: 0, off_topic: 0, silent: 0 };
  for (const mail of requests) {
    const reply = await persona.answer(mail);
    if (!reply) {
      tally.silent += 1;
      continue;
    }
    tally[reply.behaviour] += 1;
    const status = await postMail(options.inboundUrl, options.secret, reply.raw, reply.to);
    if (status !== 202) say(`settle: the inbound-mail webhook answered ${status} to a supplier reply`);
  }
  say(
    `settle: suppliers answered ${requests.length} request e-mails — ${tally.document} with the document, ${tally.off_topic} off-topic, ${tally.silent} never; settling the re-opened invoices…`,
  );
  await settled(options.queue, options.idle);
  const { rows } = await runtime.db.query<{ decision: string; n: string }>(
    'select decision, count(*) as n from settlements where id > $1 group by decision order by decision',
    [Number(mark.rows[0]?.max ?? 0)],
  );

  // Chasing on a clock moved forward: a reminder every N business days, then the escalation.
  const { reminderBusinessDays, escalateAfterReminders } = runtime.config.chase;
  const start = runtime.now();
  let reminders = 0;
  let escalations = 0;
  for (let round = 1; round <= escalateAfterReminders + 1; round += 1) {
    const result = await chaseRequests(runtime, () => addBusinessDays(start, round * reminderBusinessDays));
    reminders += result.reminded.length;
    escalations += result.escalated.length;
  }
  const decisions = rows.map((r) => `${r.decision} ${r.n}`).join(', ') || 'none';
  return (
    `Supplier side (simulated persona, seed ${options.seed}): ${tally.document} replied with the document, ${tally.off_topic} off-topic, ${tally.silent} never; ` +
    `re-opened invoices decided: ${decisions}; on a clock moved ${(escalateAfterReminders + 1) * reminderBusinessDays} business days ahead: ${reminders} reminders, ${escalations} escalations (per item).`
  );
}
