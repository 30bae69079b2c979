/**
 * The digest as chat messages: Slack Block Kit (incoming webhook) and a Microsoft Teams message
 * carrying an Adaptive Card. Supplier names are supplier-controlled text: they are escaped,
 * flattened to one line and shortened so they cannot inject mentions, links or layout.
 */
import type { DigestCount, DigestData, WaitingItem } from './digest.js';
import { digestQaLines } from './digest-qa.js';
import { digestRequestLines } from './digest-requests.js';

const MAX_NAME = 60;

/** One line, no control characters, bounded length. */
function plain(text: string | null | undefined): string {
  const flat = (text ?? '').replace(/[\u0000-\u001f\u007f]+/g, ' ').trim();
  return flat.length > MAX_NAME ? `${flat.slice(0, MAX_NAME - 1)}…` : flat;
}

/** Slack mrkdwn: `&`, `<`, `>` are the control characters (links, mentions). */
function slackEscape(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** Adaptive Card TextBlocks render a markdown subset: neutralise links and emphasis. */
function cardEscape(text: string): string {
  return text.replace(/([\\`*_[\]()])/g, '\\$1');
}

function ageOf(item: WaitingItem, until: Date): string {
  const hours = Math.max(0, Math.floor((until.getTime() - item.settledAt.getTime()) / 3_600_000));
  return hours >= 48 ? `${Math.floor(hours / 24)}d` : `${hours}h`;
}

function waitingLine(item: WaitingItem, until: Date, escape: (s: string) => string): string {
  const who = item.routeTo ? ` → ${escape(plain(item.routeTo))}` : '';
  return `invoice ${item.invoiceId} · ${escape(plain(item.supplierName) || 'unknown supplier')} · ${item.exceptionType} · ${item.decision}${who} · ${ageOf(item, until)}`;
}

function list(items: DigestCount[], escape: (s: string) => string): string {
  return items.length ? items.map((c) => `• ${escape(plain(c.key))}: ${c.count}`).join('\n') : '—';
}

function windowText(d: DigestData): string {
  return `${d.since.toISOString().slice(0, 16).replace('T', ' ')} – ${d.until.toISOString().slice(0, 16).replace('T', ' ')} UTC`;
}

/** Slack incoming-webhook payload (`text` is the notification fallback). */
export function toSlackBlocks(d: DigestData): { text: string; blocks: Array<Record<string, unknown>> } {
  const section = (title: string, body: string): Record<string, unknown> => ({
    type: 'section',
    text: { type: 'mrkdwn', text: `*${title}*\n${body}`.slice(0, 3000) },
  });
  const waiting = d.waiting.map((w) => `• ${waitingLine(w, d.until, slackEscape)}`).join('\n') || '—';
  return {
    text: `Settle digest: ${d.newExceptions} new exceptions, ${d.autoResolved} auto-resolved, ${d.waitingTotal} waiting for people`,
    blocks: [
      { type: 'header', text: { type: 'plain_text', text: 'Settle daily digest' } },
      {
        type: 'section',
        fields: [
          { type: 'mrkdwn', text: `*New exceptions*\n${d.newExceptions}` },
          { type: 'mrkdwn', text: `*Auto-resolved*\n${d.autoResolved}` },
          { type: 'mrkdwn', text: `*Waiting for people*\n${d.waitingTotal}` },
        ],
      },
      { type: 'divider' },
      section('By exception type', list(d.byType, slackEscape)),
      section('By root cause', list(d.byRootCause, slackEscape)),
      section(
        `Waiting for people (oldest first${d.waitingTotal > d.waiting.length ? `, ${d.waiting.length} of ${d.waitingTotal}` : ''})`,
        waiting,
      ),
      section('Top suppliers by exceptions', list(d.topSuppliers, slackEscape)),
      ...(d.demotions.length
        ? [section('Autonomy demoted', d.demotions.map((l) => `• ${slackEscape(l)}`).join('\n'))]
        : []),
      ...(d.qa && (d.qa.drawn || d.qa.pending || d.qa.overall.reviewed)
        ? [
            section(
              'Quality assurance of autonomous settlements',
              digestQaLines(d.qa)
                .map((l) => `• ${slackEscape(l)}`)
                .join('\n'),
            ),
          ]
        : []),
      ...(d.supplierRequests?.pending
        ? [
            section(
              'Waiting on suppliers (oldest first)',
              digestRequestLines(d.supplierRequests, d.until)
                .map((l) => `• ${slackEscape(l)}`)
                .join('\n'),
            ),
          ]
        : []),
      { type: 'context', elements: [{ type: 'mrkdwn', text: windowText(d) }] },
    ],
  };
}

/** Teams incoming-webhook / Workflows payload: a message with one Adaptive Card attachment. */
export function toTeamsMessage(d: DigestData): Record<string, unknown> {
  const text = (value: string, extra: Record<string, unknown> = {}): Record<string, unknown> => ({
    type: 'TextBlock',
    text: value,
    wrap: true,
    ...extra,
  });
  const facts = (items: DigestCount[]): Record<string, unknown> => ({
    type: 'FactSet',
    facts: items.map((c) => ({ title: plain(c.key), value: String(c.count) })),
  });
  return {
    type: 'message',
    attachments: [
      {
        contentType: 'application/vnd.microsoft.card.adaptive',
        contentUrl: null,
        content: {
          $schema: 'http://adaptivecards.io/schemas/adaptive-card.json',
          type: 'AdaptiveCard',
          version: '1.4',
          body: [
            text('Settle daily digest', { size: 'Large', weight: 'Bolder' }),
            text(windowText(d), { isSubtle: true, spacing: 'None' }),
            {
              type: 'FactSet',
              facts: [
                { title: 'New exceptions', value: String(d.newExceptions) },
                { title: 'Auto-resolved', value: String(d.autoResolved) },
                { title: 'Waiting for people', value: String(d.waitingTotal) },
              ],
            },
            text('By exception type', { weight: 'Bolder', separator: true }),
            facts(d.byType),
            text('By root cause', { weight: 'Bolder', separator: true }),
            facts(d.byRootCause),
            text('Waiting for people (oldest first)', { weight: 'Bolder', separator: true }),
            ...(d.waiting.length ? d.waiting.map((w) => text(waitingLine(w, d.until, cardEscape))) : [text('—')]),
            text('Top suppliers by exceptions', { weight: 'Bolder', separator: true }),
            facts(d.topSuppliers),
            ...(d.demotions.length
              ? [
                  text('Autonomy demoted', { weight: 'Bolder', separator: true }),
                  ...d.demotions.map((l) => text(cardEscape(l))),
                ]
              : []),
            ...(d.qa && (d.qa.drawn || d.qa.pending || d.qa.overall.reviewed)
              ? [
                  text('Quality assurance of autonomous settlements', { weight: 'Bolder', separator: true }),
                  ...digestQaLines(d.qa).map((l) => text(cardEscape(l))),
                ]
              : []),
            ...(d.supplierRequests?.pending
              ? [
                  text('Waiting on suppliers (oldest first)', { weight: 'Bolder', separator: true }),
                  ...digestRequestLines(d.supplierRequests, d.until).map((l) => text(cardEscape(l))),
                ]
              : []),
          ],
        },
      },
    ],
  };
}
