/**
 * Chasing: a pending request is reminded after N business days of silence (by the channels it
 * went out on), and after M reminders escalated to the AP owner: an internal Coupa comment and
 * the invoice routed to the owner, both through the guard (audited, mode-checked).
 * Run on an injectable clock — the runner's tick, `settle requests chase`, or a test's fake clock —
 * and idempotent: a second run on the same day finds nothing due.
 */
import { businessDaysBetween } from './business-days.js';
import { messageIdFor, requestMail } from './compose.js';
import type { MailSettings } from './service.js';
import type { RequestStore, SupplierRequest } from './store.js';

export interface ChasePolicy {
  reminderBusinessDays: number;
  escalateAfterReminders: number;
}

export interface ChaseDeps {
  tenant: string;
  store: RequestStore;
  now: () => Date;
  policy: ChasePolicy;
  mail?: MailSettings | undefined;
  /** Who owns AP escalations (the controls' `ap_reviewer`). */
  apOwner: string;
  addComment(invoiceId: number, comment: { text: string; toSupplier: boolean }): Promise<unknown>;
  /**
   * Reassign the invoice to the AP owner (the guarded `route_to_approver`). Resolves with what
   * became of it ("executed", "proposed …") — a refusal is reported, not thrown: the comment
   * already told AP, and the escalation is not sent twice.
   */
  routeToOwner(invoiceId: number, reason: string): Promise<{ ok: boolean; text: string }>;
}

export interface ChaseResult {
  reminded: number[];
  escalated: number[];
  problems: string[];
}

function byCase(requests: readonly SupplierRequest[]): Map<string, SupplierRequest[]> {
  const out = new Map<string, SupplierRequest[]>();
  for (const r of requests)
    out.set(`${r.invoiceId}:${r.caseToken}`, [...(out.get(`${r.invoiceId}:${r.caseToken}`) ?? []), r]);
  return out;
}

async function remind(deps: ChaseDeps, group: SupplierRequest[], n: number): Promise<void> {
  const first = group[0]!;
  const number = first.invoiceNumber ?? String(first.invoiceId);
  const items = group.map((r) => r.asked);
  const text = `Reminder ${n}: to process invoice ${number} we still need ${items.join('; ')}. Please reply to our e-mail or answer here in the portal. Thank you, Accounts Payable`;
  await deps.addComment(first.invoiceId, { text, toSupplier: true });
  if (deps.mail && first.recipient && first.channels.includes('email')) {
    const domain = deps.mail.replyAddress.split('@')[1] ?? 'settle.invalid';
    await deps.mail.mailer.send(
      requestMail({
        to: first.recipient,
        token: first.caseToken,
        invoiceNumber: number,
        message: 'Hello,',
        items,
        replyAddressBase: deps.mail.replyAddress,
        messageId: messageIdFor(first.caseToken, domain, deps.now().getTime()),
        reminder: n,
        firstMessageId: first.messageId ?? undefined,
      }),
    );
  }
}

async function escalate(deps: ChaseDeps, group: SupplierRequest[]): Promise<string | null> {
  const first = group[0]!;
  const days = businessDaysBetween(first.askedAt, deps.now());
  const text = `SETTLE: escalated to ${deps.apOwner} — the supplier has not answered in ${days} business days and ${first.reminders} reminder(s): ${group.map((r) => r.asked).join('; ')}. Asked ${first.askedAt.toISOString().slice(0, 10)} by ${first.channels.join(' and ')}. Call the supplier or decide without it.`;
  await deps.addComment(first.invoiceId, { text, toSupplier: false });
  const routed = await deps.routeToOwner(
    first.invoiceId,
    `Supplier has not answered Settle's request in ${days} business days (${first.reminders} reminders): ${group.map((r) => r.asked).join('; ')}`.slice(
      0,
      2_000,
    ),
  );
  return routed.ok
    ? null
    : `invoice ${first.invoiceId}: escalation not routed to ${deps.apOwner}: ${routed.text.slice(0, 200)}`;
}

/** Send the reminders and escalations due now. One failed case does not stop the others. */
export async function chasePending(deps: ChaseDeps): Promise<ChaseResult> {
  const now = deps.now();
  const due = (await deps.store.list({ tenant: deps.tenant, status: 'pending' })).filter(
    (r) => !r.escalatedAt && businessDaysBetween(r.lastChasedAt ?? r.askedAt, now) >= deps.policy.reminderBusinessDays,
  );
  const result: ChaseResult = { reminded: [], escalated: [], problems: [] };
  for (const group of byCase(due).values()) {
    const ids = group.map((r) => r.id);
    const reminders = Math.max(...group.map((r) => r.reminders));
    try {
      if (reminders >= deps.policy.escalateAfterReminders) {
        const problem = await escalate(deps, group);
        await deps.store.markChased(ids, now, deps.apOwner);
        if (problem) result.problems.push(problem);
        result.escalated.push(...ids);
      } else {
        await remind(deps, group, reminders + 1);
        await deps.store.markChased(ids, now);
        result.reminded.push(...ids);
      }
    } catch (error) {
      result.problems.push(`invoice ${group[0]!.invoiceId}: ${(error as Error).message.slice(0, 200)}`);
    }
  }
  return result;
}
